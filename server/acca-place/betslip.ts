// The seed-004 betslip for one Team Exotics acca: ONE BetDetails for the whole acca, settled by the
// operator's settlement job through its TE bet_id (marketTypeId "team_exotics", selectionId = bet_id).
import { createHash } from "node:crypto";
import { TEAM_EXOTICS_MARKET_TYPE } from "../operator/settle.ts";

export type AccaStruct = {
  matches?: Array<{ league?: string; event?: string }>;
  acca_conditions?: Array<{ type?: string; condition?: string; value?: number }>;
};

/** A UUID (version nibble 8, "custom") derived from the parts: the same inputs always give the same id. */
export const derivedUuid = (...parts: string[]): string => {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Ids for one confirmed slip of one customer, made before any call so a retry reuses them. */
export const placementIds = (userId: string, clientKey: string) => ({
  idempotencyKey: derivedUuid("acca-place", "idempotency", userId, clientKey),
  requestId: derivedUuid("acca-place", "request", userId, clientKey),
  betId: derivedUuid("acca-place", "bet", userId, clientKey),
});

const MAX_FIELD = 200;
const clip = (s: string): string => (s.length <= MAX_FIELD ? s : `${s.slice(0, MAX_FIELD - 1)}…`);

export const conditionLabelOf = (s: AccaStruct): string => {
  const n = s.matches?.length ?? 0;
  const conds = (s.acca_conditions ?? []).filter((c) => c.type === "wins" || c.type === undefined);
  if (n === 1) return "Single";
  if (!conds.length) return `All ${n} of ${n}`;
  const word: Record<string, string> = {
    at_least: "At least",
    greater_than_or_equal: "At least",
    greater_than: "More than",
    equals: "Exactly",
    exactly: "Exactly",
    less_than: "Fewer than",
    at_most: "At most",
    less_than_or_equal: "At most",
  };
  const parts = conds.map((c) => {
    if ((c.condition === "at_least" || c.condition === "greater_than_or_equal") && c.value === n) return `All ${n}`;
    return `${word[c.condition ?? ""] ?? c.condition} ${c.value}`;
  });
  return `${parts.join(" and ")} of ${n}`;
};

export type AccaBetInput = {
  userId: string;
  sessionToken: string;
  teBetId: string;
  /** TE price as quoted, e.g. "5.25". */
  price: string;
  /** Stake, e.g. "10.00". */
  stake: string;
  description: string;
  struct: AccaStruct;
};

/** The POST /api/operator/bets body. `ids` come from placementIds; `nowMs` is the request timestamp. */
export const accaBetslip = (input: AccaBetInput, ids: { requestId: string; betId: string }, nowMs: number) => {
  const legs = input.struct.matches ?? [];
  const events = [...new Set(legs.map((l) => l.event ?? ""))].filter(Boolean);
  const leagues = [...new Set(legs.map((l) => l.league ?? ""))].filter(Boolean);
  const label = conditionLabelOf(input.struct);
  const competition = leagues.length === 1 ? leagues[0]! : "Team Exotics";
  const eventName = clip(input.description || (events.length === 1 ? events[0]! : `${events.length} matches`));
  return {
    requestId: ids.requestId,
    userId: input.userId,
    sessionToken: input.sessionToken,
    timestamp: String(nowMs),
    bets: [
      {
        betId: ids.betId,
        sportId: "football",
        sportName: "football",
        sportDisplayName: "Football",
        eventId: clip(events.length === 1 ? `te:${leagues[0] ?? ""}:${events[0]}` : `te-acca:${input.teBetId}`),
        eventName,
        eventDisplayName: eventName,
        eventStage: "PRE_PLAY",
        competitionId: clip(`te:${competition}`),
        competitionName: clip(competition),
        competitionDisplayName: clip(competition),
        marketTypeId: TEAM_EXOTICS_MARKET_TYPE,
        marketId: input.teBetId,
        marketName: clip(`Team Exotics acca: ${label}`),
        marketDisplayName: clip(`Acca: ${label} (${legs.length} ${legs.length === 1 ? "leg" : "legs"})`),
        marketStage: "PRE_PLAY",
        selectionId: input.teBetId,
        selectionName: clip(label),
        selectionDisplayName: clip(label),
        decimalPrice: Number(input.price),
        stake: Number(input.stake),
      },
    ],
  };
};
