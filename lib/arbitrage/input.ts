// Parsing and validation of an arbitrage request, and the defaults of the WinWise API. Pure.
// Every problem is reported with its JSON path (e.g. `$.bets[2].value`), not only the first one.

import { z } from "zod";
import { findBetType, parseBetValue } from "./bet-types";
import type { ArbInput, ArbProblem, Bet, Bookmaker, Issue, Mode } from "./types";

export const DEFAULTS = Object.freeze({
  wager_limit: -1,
  wager_precision: 0.01,
  "no-draw": false,
  max_process_time: 25,
  total_max_wager_count: -1,
  mode: 1,
  commission: 0,
  bookmaker_wager_limit: -1,
  ignore_wager_precision: false,
  max_wager_count: -1,
  bookmaker: 0,
  lay: false,
  volume: -1,
  previous_wager: 0,
});

/** Global limit used when none is set anywhere: wagers then read as percentages. */
export const DEFAULT_WAGER_LIMIT = 100;
export const MAX_PROCESS_TIME_S = 25;
export const MIN_PROCESS_TIME_S = 0.2;
export const MAX_BETS = 500;
export const MAX_BOOKMAKERS = 200;
export const MIN_PRECISION = 1e-6;
export const MAX_ODDS = 1e6;
export const MAX_AMOUNT = 1e12;

const NO_LIMIT = "must be -1 (no limit) or a number >= 0";
const limitNumber = z
  .number({ error: "must be a number" })
  .refine((v) => v === -1 || (v >= 0 && v <= MAX_AMOUNT), { error: `${NO_LIMIT} (at most ${MAX_AMOUNT})` });
const limitCount = z
  .number({ error: "must be an integer" })
  .int({ error: "must be an integer" })
  .refine((v) => v === -1 || v >= 0, { error: "must be -1 (no limit) or an integer >= 0" });
const amount = z.number({ error: "must be a number" }).min(0, { error: "must be >= 0" }).max(MAX_AMOUNT, { error: `must be <= ${MAX_AMOUNT}` });

const bookmakerSchema = z.strictObject(
  {
    id: z.number({ error: "required integer id" }).int({ error: "must be an integer" }),
    commission: z
      .number({ error: "must be a number" })
      .min(0, { error: "must be >= 0" })
      .lt(1, { error: "must be < 1 (a fraction, e.g. 0.05 for 5%)" })
      .optional(),
    wager_limit: limitNumber.optional(),
    ignore_wager_precision: z.boolean({ error: "must be true or false" }).optional(),
    max_wager_count: limitCount.optional(),
  },
  { error: "must be an object" },
);

const betSchema = z.strictObject(
  {
    bet_type: z.union([z.number().int(), z.string().max(64)], {
      error: "required: a bet type id (1-20) or name, e.g. 1 or \"MatchWinner\"",
    }),
    value: z.string({ error: "required string, formatted for the bet type" }).max(256, { error: "at most 256 characters" }),
    odds: z
      .number({ error: "required number (decimal odds)" })
      .gt(1, { error: "decimal odds must be > 1" })
      .max(MAX_ODDS, { error: `must be <= ${MAX_ODDS}` }),
    bookmaker: z.number({ error: "must be an integer bookmaker id" }).int({ error: "must be an integer bookmaker id" }).optional(),
    lay: z.boolean({ error: "must be true or false" }).optional(),
    volume: limitNumber.optional(),
    previous_wager: amount.optional(),
    wager: z.number({ error: "must be a number" }).optional(),
  },
  { error: "must be an object" },
);

/** Structural schema of a request (cross-field rules are checked by `validateArbInput`). */
export const arbInputSchema = z.strictObject(
  {
    wager_limit: limitNumber.optional(),
    wager_precision: z
      .number({ error: "must be a number" })
      .min(MIN_PRECISION, { error: `must be >= ${MIN_PRECISION}` })
      .max(MAX_AMOUNT, { error: `must be <= ${MAX_AMOUNT}` })
      .optional(),
    "no-draw": z.boolean({ error: "must be true or false" }).optional(),
    no_draw: z.boolean({ error: "must be true or false" }).optional(),
    max_process_time: z.number({ error: "must be a number of seconds" }).min(0, { error: "must be >= 0" }).optional(),
    total_max_wager_count: limitCount.optional(),
    mode: z
      .union([z.literal(1), z.literal(2), z.enum(["GuaranteedProfit", "MaxProfit"])], {
        error: "must be 1 (GuaranteedProfit) or 2 (MaxProfit)",
      })
      .optional(),
    bookmakers: z
      .array(bookmakerSchema, { error: "must be an array of bookmakers" })
      .max(MAX_BOOKMAKERS, { error: `at most ${MAX_BOOKMAKERS} bookmakers` })
      .optional(),
    bets: z
      .array(betSchema, { error: "required: an array of bets" })
      .min(1, { error: "at least one bet is required" })
      .max(MAX_BETS, { error: `at most ${MAX_BETS} bets` }),
    // Fields of a response, accepted so that a response can be edited and sent back.
    profit: z.unknown().optional(),
    solution: z.unknown().optional(),
  },
  { error: "the request body must be a JSON object" },
);

/** `["bets", 2, "odds"]` -> `$.bets[2].odds` (the JSON-path form every API of the app reports). */
export const formatPath = (path: readonly PropertyKey[]): string =>
  "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");

const zodIssues = (error: z.ZodError): Issue[] => {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: "unknown field" });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Cross-field checks on the raw request; they run even when the structural schema fails, so one
 * response lists every problem. Fields with the wrong type are skipped here (the schema reports them).
 */
const semanticIssues = (raw: unknown): Issue[] => {
  const issues: Issue[] = [];
  if (!isRecord(raw)) return issues;
  if (typeof raw["no-draw"] === "boolean" && typeof raw.no_draw === "boolean" && raw["no-draw"] !== raw.no_draw) {
    issues.push({ path: "$.no_draw", message: 'conflicts with "no-draw"' });
  }
  const ids = new Map<number, number>();
  const bookmakersGiven = Array.isArray(raw.bookmakers);
  if (Array.isArray(raw.bookmakers)) {
    raw.bookmakers.forEach((b, i) => {
      if (!isRecord(b) || typeof b.id !== "number" || !Number.isInteger(b.id)) return;
      const first = ids.get(b.id);
      if (first !== undefined) issues.push({ path: formatPath(["bookmakers", i, "id"]), message: `duplicate bookmaker id ${b.id} (also $.bookmakers[${first}])` });
      else ids.set(b.id, i);
    });
  }
  if (Array.isArray(raw.bets)) {
    raw.bets.forEach((b, i) => {
      if (!isRecord(b)) return;
      const bt = b.bet_type;
      let type = undefined;
      if (typeof bt === "number" || typeof bt === "string") {
        type = findBetType(bt);
        if (!type) issues.push({ path: formatPath(["bets", i, "bet_type"]), message: `unknown bet type ${JSON.stringify(bt)} (use 1-20 or a name such as "MatchWinner")` });
      }
      if (type && typeof b.value === "string") {
        const parsed = parseBetValue(type, b.value);
        if (typeof parsed === "string") issues.push({ path: formatPath(["bets", i, "value"]), message: parsed });
      }
      const bookmakerField = b.bookmaker;
      if (bookmakerField === undefined || (typeof bookmakerField === "number" && Number.isInteger(bookmakerField))) {
        const id = bookmakerField ?? DEFAULTS.bookmaker;
        const known = bookmakersGiven ? ids.has(id) : id === DEFAULTS.bookmaker;
        if (!known) {
          const defined = bookmakersGiven ? [...ids.keys()].join(", ") || "none" : "only the implicit bookmaker 0";
          const what = bookmakerField === undefined ? "no bookmaker given, so it uses bookmaker 0, which is" : `bookmaker ${id} is`;
          issues.push({ path: formatPath(["bets", i, "bookmaker"]), message: `unknown bookmaker id: ${what} not defined in bookmakers (defined: ${defined})` });
        }
      }
    });
  }
  return issues;
};

/** Deduplicates and orders problems by path ($.bets[2] before $.bets[10]). */
const sortIssues = (issues: Issue[]): Issue[] => {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const i of issues) {
    const k = `${i.path}\u0000${i.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(i);
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
};

export type ValidationResult = { ok: true; problem: ArbProblem } | { ok: false; issues: Issue[] };

const nullIfNoLimit = (v: number | undefined): number | null => (v === undefined || v === -1 ? null : v);

/** Validates a parsed JSON request and applies every default (see docs/arbitrage-api.md). */
export const validateArbInput = (raw: unknown): ValidationResult => {
  const parsed = arbInputSchema.safeParse(raw);
  const issues = [...(parsed.success ? [] : zodIssues(parsed.error)), ...semanticIssues(raw)];
  if (!parsed.success || issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const input = parsed.data as ArbInput & { no_draw?: boolean };

  const bookmakers: Bookmaker[] =
    input.bookmakers && input.bookmakers.length > 0
      ? input.bookmakers.map((b) => ({
          id: b.id,
          commission: b.commission ?? DEFAULTS.commission,
          wagerLimit: nullIfNoLimit(b.wager_limit),
          ignorePrecision: b.ignore_wager_precision ?? DEFAULTS.ignore_wager_precision,
          maxWagerCount: nullIfNoLimit(b.max_wager_count),
        }))
      : [{ id: 0, commission: 0, wagerLimit: null, ignorePrecision: false, maxWagerCount: null }];
  const byId = new Map(bookmakers.map((b) => [b.id, b]));

  const bets: Bet[] = input.bets.map((b, index) => {
    const type = findBetType(b.bet_type)!;
    const parsedValue = parseBetValue(type, b.value);
    if (typeof parsedValue === "string") throw new Error(`unreachable: ${parsedValue}`);
    return {
      index,
      type,
      value: b.value,
      parsed: parsedValue,
      odds: b.odds,
      bookmaker: byId.get(b.bookmaker ?? DEFAULTS.bookmaker)!,
      lay: b.lay ?? DEFAULTS.lay,
      volume: nullIfNoLimit(b.volume),
      previousWager: b.previous_wager ?? DEFAULTS.previous_wager,
    };
  });

  let wagerLimit: number;
  let wagerLimitSource: ArbProblem["wagerLimitSource"];
  const bookLimits = bookmakers.filter((b) => b.wagerLimit !== null).map((b) => b.wagerLimit!);
  if (input.wager_limit !== undefined && input.wager_limit !== -1) {
    wagerLimit = input.wager_limit;
    wagerLimitSource = "input";
  } else if (bookLimits.length > 0) {
    wagerLimit = bookLimits.reduce((s, v) => s + v, 0);
    wagerLimitSource = "bookmakers";
  } else {
    wagerLimit = DEFAULT_WAGER_LIMIT;
    wagerLimitSource = "default";
  }

  let totalMaxWagerCount: number | null = nullIfNoLimit(input.total_max_wager_count);
  if (totalMaxWagerCount === null) {
    const counts = bookmakers.filter((b) => b.maxWagerCount !== null).map((b) => b.maxWagerCount!);
    if (counts.length > 0) totalMaxWagerCount = counts.reduce((s, v) => s + v, 0);
  }

  const requestedTime = input.max_process_time ?? DEFAULTS.max_process_time;
  const maxProcessTime = Math.min(MAX_PROCESS_TIME_S, Math.max(MIN_PROCESS_TIME_S, requestedTime));
  const mode: Mode = input.mode === 2 || input.mode === "MaxProfit" ? 2 : 1;

  return {
    ok: true,
    problem: {
      input: parsed.data as ArbInput,
      bets,
      bookmakers,
      wagerLimit,
      wagerLimitSource,
      precision: input.wager_precision ?? DEFAULTS.wager_precision,
      noDraw: input["no-draw"] ?? input.no_draw ?? DEFAULTS["no-draw"],
      maxProcessTime,
      totalMaxWagerCount,
      mode,
    },
  };
};

/** Parses request text as JSON, reporting a syntax error as an issue at `$`. */
export const parseArbJson = (text: string): { ok: true; value: unknown } | { ok: false; issues: Issue[] } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, issues: [{ path: "$", message: `invalid JSON: ${(e as Error).message}` }] };
  }
};
