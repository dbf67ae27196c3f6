// Pure parsing and checks for the operator bet-placement contract (shared/seeds/004): which fields
// are missing (MISSING_PARAMETER) or malformed (INVALID_BET_DETAILS), and the regulatory limits
// (INVALID_STAKE with failedBets, USER_BLOCKED). No I/O; the server layer supplies the state.
import { decimalText, decimalToCents, parseDecimal, payoutCents, liabilityCents, maxStakeForLiability, centsToWire, type Decimal } from "../ledger/decimal.ts";

export const ERROR_STATUS = {
  INVALID_USER: 400,
  INVALID_BET_DETAILS: 400,
  INVALID_STAKE: 400,
  INSUFFICIENT_FUNDS: 400,
  USER_BLOCKED: 400,
  MISSING_PARAMETER: 400,
  INVALID_SESSION: 401,
  AUTHENTICATION_FAILED: 403,
  IDEMPOTENCY_KEY_REUSED: 409,
  GENERAL_EXCEPTION: 500,
  REQUEST_TIMED_OUT: 503,
} as const;

export type OperatorErrorCode = keyof typeof ERROR_STATUS;

export type FailedBet = {
  betId: string;
  sportId: string;
  eventId: string;
  marketId: string;
  selectionId: string;
  reason: { maxStake?: number; minStake?: number };
};

export type ErrorBody = { status: "FAILURE"; errorCode: OperatorErrorCode; errorMessage?: string; failedBets?: FailedBet[] };

export class OperatorError extends Error {
  constructor(
    readonly errorCode: OperatorErrorCode,
    message?: string,
    readonly failedBets?: FailedBet[],
  ) {
    super(message ?? errorCode);
    this.name = "OperatorError";
  }
  get status(): number {
    return ERROR_STATUS[this.errorCode];
  }
  toBody(): ErrorBody {
    const body: ErrorBody = { status: "FAILURE", errorCode: this.errorCode };
    if (this.message && this.message !== this.errorCode) body.errorMessage = this.message;
    if (this.failedBets) body.failedBets = this.failedBets;
    return body;
  }
}

const BET_STRING_FIELDS = [
  "betId",
  "sportId",
  "sportName",
  "sportDisplayName",
  "eventId",
  "eventName",
  "eventDisplayName",
  "eventStage",
  "competitionId",
  "competitionName",
  "competitionDisplayName",
  "marketTypeId",
  "marketId",
  "marketName",
  "marketDisplayName",
  "marketStage",
  "selectionId",
  "selectionName",
  "selectionDisplayName",
] as const;

type BetStringField = (typeof BET_STRING_FIELDS)[number];

export type BetDetails = Record<BetStringField, string> & { eventAltId?: string; decimalPrice: number | string; stake: number | string };

/** A validated bet: the wire fields as received plus exact integer amounts. */
export type ParsedBet = {
  wire: BetDetails;
  priceText: string;
  price: Decimal;
  stakeCents: bigint;
  potentialPayoutCents: bigint;
};

export type ParsedBetslip = { requestId: string; userId: string; sessionToken: string; timestamp: string; bets: ParsedBet[] };

export const STAGES = ["IN_PLAY", "PRE_PLAY"] as const;
export const MAX_BETS_PER_SLIP = 100;
/** Largest accepted price and stake keep every product below 2^63 and every cent amount below 2^53. */
const MAX_PRICE_UNITS_DIGITS = 12;
const MAX_STAKE_CENTS = 10n ** 13n;

const isMissing = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const MAX_ID_LEN = 200;

/** Parses a request body (already JSON-decoded). Throws OperatorError. */
export const parseBetslip = (raw: unknown): ParsedBetslip => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new OperatorError("MISSING_PARAMETER", "the body must be a JSON object with requestId, userId, sessionToken, timestamp and bets");
  const body = raw as Record<string, unknown>;
  const missing = ["requestId", "userId", "sessionToken", "timestamp", "bets"].filter((k) => isMissing(body[k]));
  if (missing.length) throw new OperatorError("MISSING_PARAMETER", `missing: ${missing.join(", ")}`);
  for (const k of ["requestId", "userId", "sessionToken"] as const) {
    if (typeof body[k] !== "string" || (body[k] as string).length > MAX_ID_LEN) throw new OperatorError("INVALID_BET_DETAILS", `${k} must be a string of at most ${MAX_ID_LEN} characters`);
  }
  const ts = body.timestamp;
  const tsText = typeof ts === "number" && Number.isSafeInteger(ts) ? String(ts) : typeof ts === "string" && /^\d{1,16}$/.test(ts) ? ts : null;
  if (tsText === null) throw new OperatorError("INVALID_BET_DETAILS", "timestamp must be epoch milliseconds");
  if (!Array.isArray(body.bets)) throw new OperatorError("INVALID_BET_DETAILS", "bets must be an array");
  if (body.bets.length === 0) throw new OperatorError("INVALID_BET_DETAILS", "bets must contain at least one bet");
  if (body.bets.length > MAX_BETS_PER_SLIP) throw new OperatorError("INVALID_BET_DETAILS", `at most ${MAX_BETS_PER_SLIP} bets per request`);

  // Missing fields anywhere win over malformed ones, so a client sees every omission at once.
  const missingInBets: string[] = [];
  body.bets.forEach((b, i) => {
    if (typeof b !== "object" || b === null || Array.isArray(b)) return;
    const bet = b as Record<string, unknown>;
    for (const f of [...BET_STRING_FIELDS, "decimalPrice", "stake"]) if (isMissing(bet[f])) missingInBets.push(`bets[${i}].${f}`);
  });
  if (missingInBets.length) throw new OperatorError("MISSING_PARAMETER", `missing: ${missingInBets.join(", ")}`);

  const seen = new Set<string>();
  const bets = body.bets.map((b, i): ParsedBet => {
    if (typeof b !== "object" || b === null || Array.isArray(b)) throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}] must be an object`);
    const bet = b as Record<string, unknown>;
    for (const f of BET_STRING_FIELDS) {
      if (typeof bet[f] !== "string" || (bet[f] as string).length > MAX_ID_LEN) throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}].${f} must be a string of at most ${MAX_ID_LEN} characters`);
    }
    if (bet.eventAltId !== undefined && bet.eventAltId !== null && typeof bet.eventAltId !== "string") throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}].eventAltId must be a string`);
    for (const f of ["eventStage", "marketStage"] as const) {
      if (!(STAGES as readonly string[]).includes(bet[f] as string)) throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}].${f} must be IN_PLAY or PRE_PLAY`);
    }
    const betId = bet.betId as string;
    if (seen.has(betId)) throw new OperatorError("INVALID_BET_DETAILS", `betId ${betId} appears more than once`);
    seen.add(betId);
    const priceText = decimalText(bet.decimalPrice);
    const price = priceText === null ? null : parseDecimal(priceText);
    if (!price || price.units.toString().length > MAX_PRICE_UNITS_DIGITS || price.units <= 10n ** BigInt(price.scale)) {
      throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}].decimalPrice must be a decimal greater than 1 (at most ${MAX_PRICE_UNITS_DIGITS} digits)`);
    }
    const stakeText = decimalText(bet.stake);
    const stakeCents = stakeText === null ? null : decimalToCents(stakeText);
    if (stakeCents === null || stakeCents > MAX_STAKE_CENTS) throw new OperatorError("INVALID_BET_DETAILS", `bets[${i}].stake must be a non-negative amount with at most 2 decimal places`);
    const wire = { ...(bet as BetDetails) };
    return { wire, priceText: priceText!, price, stakeCents, potentialPayoutCents: payoutCents(stakeCents, price) };
  });
  return { requestId: body.requestId as string, userId: body.userId as string, sessionToken: body.sessionToken as string, timestamp: tsText, bets };
};

// ───────────────────────────── Regulatory limits ─────────────────────────────

export type Limits = {
  minStakeCents: number;
  maxStakeCents: number;
  /** Minimum time between two accepted betslips of one customer (0 = none). */
  cooldownMs: number;
  /** Max open liability (potential payout − stake over pending bets) per customer and market type; "default" for the rest. */
  maxLiabilityCents: Record<string, number>;
};

export const DEFAULT_LIMITS: Limits = {
  minStakeCents: 100,
  maxStakeCents: 1_000_000,
  cooldownMs: 0,
  maxLiabilityCents: { default: 10_000_000 },
};

const failed = (b: ParsedBet, reason: FailedBet["reason"]): FailedBet => ({
  betId: b.wire.betId,
  sportId: b.wire.sportId,
  eventId: b.wire.eventId,
  marketId: b.wire.marketId,
  selectionId: b.wire.selectionId,
  reason,
});

export type CustomerState = {
  balanceCents: bigint;
  blocked: boolean;
  lastBetAt: Date | null;
  /** Open liability (cents) of this customer's pending bets, by marketTypeId. */
  openLiabilityCents: Map<string, bigint>;
};

/**
 * The checks after the session, in the seed's order: balance for the sum of stakes, then regulatory
 * limits (blocked user, cool-down, min/max stake, max liability per market type). Throws OperatorError.
 */
export const checkBetslip = (bets: ParsedBet[], state: CustomerState, limits: Limits, now: Date): void => {
  const total = bets.reduce((s, b) => s + b.stakeCents, 0n);
  if (total > state.balanceCents) {
    throw new OperatorError("INSUFFICIENT_FUNDS", `balance ${centsToWire(state.balanceCents)} does not cover total stake ${centsToWire(total)}`);
  }
  if (state.blocked) throw new OperatorError("USER_BLOCKED", "the user is blocked from betting");
  if (limits.cooldownMs > 0 && state.lastBetAt && now.getTime() - state.lastBetAt.getTime() < limits.cooldownMs) {
    const until = new Date(state.lastBetAt.getTime() + limits.cooldownMs);
    throw new OperatorError("USER_BLOCKED", `cool-down period: the next bet is allowed at ${until.toISOString()}`);
  }
  const failures: FailedBet[] = [];
  const used = new Map(state.openLiabilityCents);
  for (const b of bets) {
    if (b.stakeCents < BigInt(limits.minStakeCents)) {
      failures.push(failed(b, { minStake: centsToWire(limits.minStakeCents) }));
      continue;
    }
    if (b.stakeCents > BigInt(limits.maxStakeCents)) {
      failures.push(failed(b, { maxStake: centsToWire(limits.maxStakeCents) }));
      continue;
    }
    const mt = b.wire.marketTypeId;
    const cap = BigInt(limits.maxLiabilityCents[mt] ?? limits.maxLiabilityCents.default ?? Number.MAX_SAFE_INTEGER);
    const before = used.get(mt) ?? 0n;
    const liab = liabilityCents(b.stakeCents, b.price);
    if (before + liab > cap) {
      // The limit breached, expressed as the largest stake this bet could have had.
      const maxStake = maxStakeForLiability(cap - before, b.price);
      failures.push(failed(b, { maxStake: centsToWire(maxStake < BigInt(limits.maxStakeCents) ? maxStake : BigInt(limits.maxStakeCents)) }));
      continue;
    }
    used.set(mt, before + liab);
  }
  if (failures.length) throw new OperatorError("INVALID_STAKE", "one or more stakes are outside the limits", failures);
};

/** Limits as stored in Setting "operator.limits" (partial JSON merged over the defaults). */
export const limitsFromJson = (json: string | null | undefined): Limits => {
  if (!json) return DEFAULT_LIMITS;
  try {
    const v = JSON.parse(json) as Partial<Limits>;
    return {
      minStakeCents: typeof v.minStakeCents === "number" ? v.minStakeCents : DEFAULT_LIMITS.minStakeCents,
      maxStakeCents: typeof v.maxStakeCents === "number" ? v.maxStakeCents : DEFAULT_LIMITS.maxStakeCents,
      cooldownMs: typeof v.cooldownMs === "number" ? v.cooldownMs : DEFAULT_LIMITS.cooldownMs,
      maxLiabilityCents: { ...DEFAULT_LIMITS.maxLiabilityCents, ...(v.maxLiabilityCents ?? {}) },
    };
  } catch {
    return DEFAULT_LIMITS;
  }
};

/** Canonical JSON (sorted keys) for request hashing: the same body in another key order is the same request. */
export const canonicalJson = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
};
