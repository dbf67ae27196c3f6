// The market bible: every TE product, its leg format and the JSON Schema of its pricing struct.
// The schemas are served by GET /te/api/products and are what POST /te/api/bets/price validates
// with (ajv), so an operator's UI and our server agree on one definition.

import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { CONDITION_OPERATORS } from "../../lib/exotics/conditions.ts";
import { LEG_MARKETS, type LegMarket } from "../../lib/exotics/legs.ts";

export const MAX_LEGS = 20;
export const LINE_RANGES: Record<"total_goals" | "corners" | "cards", [number, number]> = {
  total_goals: [0.5, 9.5],
  corners: [0.5, 24.5],
  cards: [0.5, 14.5],
};

type Schema = Record<string, unknown>;

const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", minLength: 1, maxLength: 120, description, ...extra });

const league = str("league code from GET /te/api/leagues, e.g. \"ENG.1\"");
const event = str("match name from GET /te/api/matches, e.g. \"Liverpool vs Everton\"");
const teamSelection = (what: string) => str(`the team ${what}: one of the two clubs in the match`);
const drawSelection = str("\"draw\" (optional)", { pattern: "^[Dd][Rr][Aa][Ww]$" });
const bttsSelection = str("must be \"yes\" or \"no\"", { pattern: "^([Yy][Ee][Ss]|[Nn][Oo])$" });
const overUnder = (what: string, [lo, hi]: [number, number]) =>
  str(`must be "over N.5" or "under N.5" ${what}, with N.5 from ${lo} to ${hi}`, { pattern: "^([Oo][Vv][Ee][Rr]|[Uu][Nn][Dd][Ee][Rr]) [0-9]{1,2}\\.5$" });
const player = str("a player from GET /te/api/goalscorers who plays for one of the two clubs");

/** Per market: the selection field and whether it is required. */
const LEG_FIELDS: Record<LegMarket, { field: "selection" | "player"; schema: Schema; required: boolean }> = {
  match_winner: { field: "selection", schema: teamSelection("to win"), required: true },
  match_loser: { field: "selection", schema: teamSelection("to lose"), required: true },
  draw: { field: "selection", schema: drawSelection, required: false },
  btts: { field: "selection", schema: bttsSelection, required: true },
  total_goals: { field: "selection", schema: overUnder("(total goals)", LINE_RANGES.total_goals), required: true },
  clean_sheet: { field: "selection", schema: teamSelection("to keep a clean sheet"), required: true },
  goalscorer: { field: "player", schema: player, required: true },
  corners: { field: "selection", schema: overUnder("(total corners)", LINE_RANGES.corners), required: true },
  cards: { field: "selection", schema: overUnder("(total cards, yellow and red)", LINE_RANGES.cards), required: true },
};

const conditionSchema: Schema = {
  type: "object",
  required: ["type", "condition", "value"],
  additionalProperties: false,
  properties: {
    type: { const: "wins", description: "only \"wins\" (number of winning legs) exists today" },
    condition: { enum: [...CONDITION_OPERATORS] },
    value: { type: "integer", minimum: 0, maximum: MAX_LEGS },
  },
};

function betSchema(name: string, legSchema: Schema, description: string): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `https://te.local/schemas/${name.toLowerCase().replace(/[^a-z]+/g, "-")}.json`,
    title: name,
    description,
    type: "object",
    required: ["matches"],
    additionalProperties: false,
    properties: {
      product: { const: name, description: "optional; defaults to \"Match Winners\" when absent" },
      matches: { type: "array", minItems: 1, maxItems: MAX_LEGS, items: legSchema },
      acca_conditions: {
        type: "array",
        minItems: 1,
        maxItems: 4,
        items: conditionSchema,
        description: "all conditions must hold (AND); absent = every leg must win",
      },
    },
  };
}

function singleMarketLeg(market: LegMarket): Schema {
  const f = LEG_FIELDS[market];
  return {
    type: "object",
    required: ["league", "event", ...(f.required ? [f.field] : [])],
    additionalProperties: false,
    properties: { league, event, [f.field]: f.schema },
  };
}

const betBuilderLeg: Schema = {
  type: "object",
  required: ["league", "event", "market"],
  additionalProperties: false,
  properties: {
    league,
    event,
    market: { enum: [...LEG_MARKETS], description: "the leg's market" },
    selection: { type: "string", minLength: 1, maxLength: 120 },
    player: { type: "string", minLength: 1, maxLength: 120 },
  },
  allOf: LEG_MARKETS.map((m) => {
    const f = LEG_FIELDS[m];
    const other = f.field === "player" ? "selection" : "player";
    return {
      if: { properties: { market: { const: m } }, required: ["market"] },
      then: {
        description: `a ${m} leg takes "${f.field}", not "${other}"`,
        ...(f.required ? { required: [f.field] } : {}),
        properties: { [f.field]: f.schema },
        not: { required: [other] },
      },
    };
  }),
};

export interface ProductDef {
  name: string;
  code: string;
  /** The market of every leg, or "mixed" (Bet Builder: each leg names its market). */
  market: LegMarket | "mixed";
  description: string;
  selection_help: string;
  example: Record<string, unknown>;
  schema: Schema;
}

const ex = (product: string, matches: Record<string, unknown>[], value = 1) => ({
  product,
  matches,
  acca_conditions: [{ type: "wins", condition: "greater_than", value }],
});

const single = (name: string, code: string, market: LegMarket, description: string, help: string, example: Record<string, unknown>): ProductDef => ({
  name,
  code,
  market,
  description,
  selection_help: help,
  example,
  schema: betSchema(name, singleMarketLeg(market), description),
});

export const PRODUCTS: readonly ProductDef[] = [
  single("Match Winners", "match_winners", "match_winner", "Each leg: the selected team wins the match (90 minutes).", "selection: a team in the match", ex("Match Winners", [
    { league: "ENG.1", event: "Liverpool vs Everton", selection: "Liverpool" },
    { league: "SPA.1", event: "Barcelona vs Real Madrid", selection: "Real Madrid" },
    { league: "ITA.1", event: "Juventus vs Napoli", selection: "Napoli" },
  ])),
  single("Match Losers", "match_losers", "match_loser", "Each leg: the selected team loses the match.", "selection: a team in the match", ex("Match Losers", [
    { league: "ENG.1", event: "Arsenal vs Burnley", selection: "Burnley" },
    { league: "ITA.1", event: "Inter vs Pisa", selection: "Pisa" },
  ], 0)),
  single("Draws", "draws", "draw", "Each leg: the match ends level.", "selection: \"draw\" (optional)", ex("Draws", [
    { league: "ITA.1", event: "Torino vs Genoa" },
    { league: "SPA.1", event: "Getafe vs Osasuna", selection: "draw" },
  ], 0)),
  single("Both Teams To Score", "both_teams_to_score", "btts", "Each leg: both teams score (yes) or not (no).", "selection: \"yes\" or \"no\"", ex("Both Teams To Score", [
    { league: "ENG.1", event: "Chelsea vs Tottenham", selection: "yes" },
    { league: "SPA.1", event: "Sevilla vs Betis", selection: "yes" },
  ], 0)),
  single("Over/Under Goals", "over_under_goals", "total_goals", "Each leg: total match goals over or under a half-goal line.", "selection: \"over 2.5\" / \"under 1.5\"", ex("Over/Under Goals", [
    { league: "ENG.1", event: "Man City vs Brighton", selection: "over 2.5" },
    { league: "ITA.1", event: "Milan vs Roma", selection: "under 2.5" },
  ], 0)),
  single("Clean Sheets", "clean_sheets", "clean_sheet", "Each leg: the selected team concedes no goals.", "selection: a team in the match", ex("Clean Sheets", [
    { league: "ENG.1", event: "Arsenal vs Wolves", selection: "Arsenal" },
    { league: "SPA.1", event: "Atlético Madrid vs Elche", selection: "Atlético Madrid" },
  ], 0)),
  single("Goalscorers", "goalscorers", "goalscorer", "Each leg: the player scores at any time (own goals do not count).", "player: a player of either team", ex("Goalscorers", [
    { league: "ENG.1", event: "Man City vs Fulham", player: "Erling Haaland" },
    { league: "SPA.1", event: "Real Madrid vs Valencia", player: "Kylian Mbappé" },
  ], 0)),
  single("Corners", "corners", "corners", "Each leg: total match corners over or under a half line.", "selection: \"over 9.5\"", ex("Corners", [
    { league: "ENG.1", event: "Liverpool vs Everton", selection: "over 9.5" },
  ], 0)),
  single("Cards", "cards", "cards", "Each leg: total match cards (yellow and red, each counts 1) over or under a half line.", "selection: \"over 3.5\"", ex("Cards", [
    { league: "SPA.1", event: "Getafe vs Sevilla", selection: "over 4.5" },
  ], 0)),
  {
    name: "Bet Builder",
    code: "bet_builder",
    market: "mixed",
    description: "Mixed legs across markets and matches; legs in the same match are priced jointly over the score.",
    selection_help: "each leg: market (match_winner, match_loser, draw, btts, total_goals, clean_sheet, goalscorer, corners, cards) plus selection or player",
    example: {
      product: "Bet Builder",
      matches: [
        { league: "ENG.1", event: "Liverpool vs Everton", market: "match_winner", selection: "Liverpool" },
        { league: "ENG.1", event: "Liverpool vs Everton", market: "total_goals", selection: "over 2.5" },
        { league: "ENG.1", event: "Liverpool vs Everton", market: "corners", selection: "over 9.5" },
        { league: "ENG.1", event: "Liverpool vs Everton", market: "goalscorer", player: "Mohamed Salah" },
        { league: "ENG.1", event: "Liverpool vs Everton", market: "btts", selection: "yes" },
      ],
      acca_conditions: [{ type: "wins", condition: "at_least", value: 3 }],
    },
    schema: betSchema("Bet Builder", betBuilderLeg, "Mixed legs; at least k of n across markets."),
  },
];

export const DEFAULT_PRODUCT = "Match Winners";

export const legFieldOf = (market: LegMarket) => LEG_FIELDS[market].field;

export function findProduct(name: string): ProductDef | undefined {
  const n = name.trim().toLowerCase();
  return PRODUCTS.find((p) => p.name.toLowerCase() === n || p.code === n);
}

const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false, strictRequired: false });
const validators = new Map<string, ValidateFunction>(PRODUCTS.map((p) => [p.name, ajv.compile(p.schema)]));

const pathOf = (instancePath: string): string => {
  const parts = instancePath.split("/").slice(1);
  if (parts.length === 0) return "bet";
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
};

/** One plain sentence naming the field and what is wrong with it. */
export function formatSchemaError(e: ErrorObject): string {
  const at = pathOf(e.instancePath);
  const got = e.data === undefined ? "" : ` (got ${JSON.stringify(e.data)})`;
  const described = (e.parentSchema as Schema | undefined)?.description;
  switch (e.keyword) {
    case "required":
      return `${at}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case "additionalProperties":
      return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case "pattern":
      return `${at}: ${typeof described === "string" ? described : "invalid value"}${got}`;
    case "enum":
      return `${at}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(", ")}${got}`;
    case "const":
      return `${at}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${got}`;
    case "type":
      return `${at}: must be ${e.params.type === "integer" ? "a whole number" : `a${/^[aeiou]/.test(String(e.params.type)) ? "n" : ""} ${String(e.params.type)}`}${got}`;
    case "minItems":
      return `${at}: needs at least ${(e.params as { limit: number }).limit} item(s)`;
    case "maxItems":
      return `${at}: at most ${(e.params as { limit: number }).limit} item(s) allowed`;
    case "not":
      return `${at}: ${typeof described === "string" ? described : "has a field that does not belong here"}`;
    default:
      return `${at}: ${e.message ?? "is invalid"}${got}`;
  }
}

export type SchemaCheck = { ok: true; product: ProductDef } | { ok: false; error: string };

/** Picks the product ("Match Winners" if absent) and validates the struct against its schema. */
export function validateBetStruct(body: unknown): SchemaCheck {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, error: "bet: the body must be a JSON object" };
  const raw = (body as { product?: unknown }).product;
  if (raw !== undefined && typeof raw !== "string") return { ok: false, error: "product: must be a string" };
  const product = findProduct(raw ?? DEFAULT_PRODUCT);
  if (!product) return { ok: false, error: `product: unknown product ${JSON.stringify(raw)} (known: ${PRODUCTS.map((p) => p.name).join(", ")})` };
  // Products may be named by code or in any case; the schema's const wants the canonical name.
  const normalised = raw === undefined || raw === product.name ? body : { ...(body as object), product: product.name };
  const validate = validators.get(product.name)!;
  if (validate(normalised)) return { ok: true, product };
  const errors = validate.errors ?? [];
  // For if/then failures ajv reports the inner error first; skip the wrappers.
  const first = errors.find((e) => e.keyword !== "if" && e.keyword !== "allOf") ?? errors[0];
  return { ok: false, error: first ? formatSchemaError(first) : "bet: invalid" };
}

/** The products list as served (name first, as in the spec, then the rest). */
export const productsForWire = () =>
  PRODUCTS.map((p) => ({
    name: p.name,
    code: p.code,
    market: p.market,
    description: p.description,
    selection_help: p.selection_help,
    example: p.example,
    schema: p.schema,
  }));
