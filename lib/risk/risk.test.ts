import { describe, expect, it } from "vitest";
import { americanToDecimal } from "../odds/american.ts";
import { DEFAULT_PRICING_CONFIG } from "../pricing/config.ts";
import { quoteParlay } from "../pricing/quote.ts";
import { buildView, lineIdOf, type GameSpec } from "../pricing/testing.ts";
import type { ParlayLeg } from "../pricing/types.ts";
import { checkConfirmation, DEFAULT_CONFIRMATION_POLICY, type ConfirmationInput, type OfferedQuote } from "./confirm.ts";
import { EMPTY_EXPOSURE, exposureOf, withOrder, type OpenOrder } from "./exposure.ts";
import { capTierRisk, DEFAULT_RISK_LIMITS, riskCapacity, type RiskLimits } from "./limits.ts";

const order = (id: string, liab: number, legs: Array<[line: string, event: string, team?: string]>, creatorId?: string, state: OpenOrder["state"] = "accepted"): OpenOrder => ({
  orderId: id,
  state,
  creatorId,
  liabilityCents: liab,
  legs: legs.map(([lineId, eventId, teamId]) => ({ lineId, eventId, teamId })),
});

describe("exposureOf", () => {
  const orders = [
    order("a", 1000, [["L1", "E1", "T1"], ["L2", "E1"], ["L3", "E2", "T3"]], "c1"),
    order("b", 500, [["L1", "E1", "T1"], ["L4", "E3", "T4"]], "c2", "in_flight"),
    order("c", 200, [["L3", "E2", "T3"], ["L5", "E2", "T5"]], "c1"),
  ];
  const x = exposureOf(orders);
  it.each([
    ["byLine L1", x.byLine.get("L1"), 1500],
    ["byLine L3", x.byLine.get("L3"), 1200],
    ["byEvent E1 (two legs of order a count once)", x.byEvent.get("E1"), 1500],
    ["byEvent E2 (two legs of order c count once)", x.byEvent.get("E2"), 1200],
    ["byTeam T1", x.byTeam.get("T1"), 1500],
    ["byTeam T5", x.byTeam.get("T5"), 200],
    ["byCreator c1", x.byCreator.get("c1"), 1200],
    ["byCreator c2", x.byCreator.get("c2"), 500],
    ["worst case", x.worstCaseCents, 1700],
    ["in flight", x.inFlightCents, 500],
    ["accepted", x.acceptedCents, 1200],
  ])("%s", (_n, got, want) => expect(got).toBe(want));

  it("withOrder equals recomputing with the extra order", () => {
    const extra = order("d", 300, [["L1", "E1", "T1"], ["L9", "E9"]], "c1", "in_flight");
    const a = withOrder(x, extra);
    const b = exposureOf([...orders, extra]);
    expect([...a.byLine]).toEqual([...b.byLine]);
    expect([...a.byEvent]).toEqual([...b.byEvent]);
    expect(a.worstCaseCents).toBe(b.worstCaseCents);
    expect(a.inFlightCents).toBe(b.inFlightCents);
  });

  it("rejects a negative liability (fail closed)", () => {
    expect(() => exposureOf([order("n", -1, [])])).toThrow();
  });
});

describe("riskCapacity: every limit binds", () => {
  const limits: RiskLimits = {
    paused: false,
    maxLegs: 8,
    maxRiskPerParlayCents: 10_000,
    maxLineExposureCents: 50_000,
    maxEventExposureCents: 60_000,
    maxTeamExposureCents: 70_000,
    maxCreatorExposureCents: 80_000,
    maxWorstCaseLossCents: 1_000_000,
    minFreeBalanceCents: 1_000,
    blockedCreators: ["bad"],
    requireCreatorId: false,
  };
  const legs = [
    { lineId: "L1", eventId: "E1", teamId: "T1" },
    { lineId: "L2", eventId: "E2" },
  ];
  const big = 1e9;
  it.each([
    ["per parlay", [], big, limits, 10_000, "per_parlay"],
    ["line", [order("o", 45_000, [["L1", "EX"]])], big, limits, 5_000, "line"],
    ["event", [order("o", 57_000, [["LX", "E2"]])], big, limits, 3_000, "event"],
    ["team", [order("o", 68_000, [["LX", "EX", "T1"]])], big, limits, 2_000, "team"],
    ["creator", [order("o", 79_000, [["LX", "EX"]], "c")], big, limits, 1_000, "creator"],
    ["worst case", [order("o", 999_500, [["LX", "EX"]])], big, limits, 500, "worst_case"],
    ["balance (minus in-flight and reserve)", [order("o", 4_000, [["LX", "EX"]], undefined, "in_flight")], 9_000, limits, 4_000, "balance"],
    ["already over a limit → 0", [order("o", 70_000, [["L1", "EX"]])], big, limits, 0, "line"],
    ["paused", [], big, { ...limits, paused: true }, 0, "paused"],
    ["missing creator when required", [], big, { ...limits, requireCreatorId: true }, 0, "missing_creator"],
  ] as const)("%s", (_n, orders, available, lim, cap, binding) => {
    const creatorId = binding === "missing_creator" ? undefined : "c";
    const r = riskCapacity({ legs, creatorId, exposure: exposureOf([...orders]), limits: lim, balance: { availableCents: available } });
    expect(r).toEqual({ capacityCents: cap, binding });
  });

  it("blocked creator and too many legs", () => {
    expect(riskCapacity({ legs, creatorId: "bad", exposure: EMPTY_EXPOSURE, limits, balance: { availableCents: big } }).binding).toBe("blocked_creator");
    const nine = Array.from({ length: 9 }, (_, i) => ({ lineId: `L${i}`, eventId: `E${i}` }));
    expect(riskCapacity({ legs: nine, exposure: EMPTY_EXPOSURE, limits, balance: { availableCents: big } })).toEqual({ capacityCents: 0, binding: "too_many_legs" });
  });

  it("concurrent reservations: two in-flight offers on the same line exhaust the line cap for a third", () => {
    const lim = { ...limits, maxRiskPerParlayCents: 30_000 };
    let orders: OpenOrder[] = [];
    const caps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = riskCapacity({ legs, exposure: exposureOf(orders), limits: lim, balance: { availableCents: big } }).capacityCents;
      caps.push(c);
      orders = [...orders, order(`rfq${i}`, c, [["L1", "E1", "T1"], ["L2", "E2"]], undefined, "in_flight")];
    }
    expect(caps).toEqual([30_000, 20_000, 0]);
  });
});

describe("capTierRisk", () => {
  const tiers = [
    { odds: 500, maxRiskCents: 5_000 },
    { odds: 450, maxRiskCents: 15_000 },
    { odds: 400, maxRiskCents: 30_000 },
  ];
  it.each([
    ["plenty of capacity", 1e9, undefined, [5_000, 15_000, 30_000]],
    ["capacity cuts the second tier", 12_000, undefined, [5_000, 7_000]],
    ["capacity below the first tier", 3_000, undefined, [3_000]],
    ["capacity below the minimum tier", 400, undefined, []],
    ["small stake: one tier", 1e9, (o: number) => (o / 100) * 1_000, [5_000]],
    ["medium stake spills into the second tier", 1e9, (o: number) => (o / 100) * 2_000, [5_000, 4_500]],
  ] as const)("%s", (_n, cap, need, want) => {
    expect(capTierRisk(tiers, cap, 500, need).map((t) => t.maxRiskCents)).toEqual(want);
  });
});

// ------------------------------------------------------------------------------------------------
// checkConfirmation

const NOW = 5_000_000;
const game = (id: string, homeOdds = -150, awayOdds = +130, updatedAtMs = NOW - 1000): GameSpec => ({
  eventId: id,
  sport: "basketball",
  startsAtMs: NOW + 3_600_000,
  markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: homeOdds, updatedAtMs }, { outcomeId: 5, odds: awayOdds, updatedAtMs }] }],
});
const leg = (e: string): ParlayLeg => ({ lineId: lineIdOf(e, 219, 4), marketId: 219, outcomeId: 4, sportEventId: e });
const legs = [leg("A"), leg("B")];
const view = buildView([game("A"), game("B")]);
const q = quoteParlay({
  legs,
  stakeCents: 10_000,
  creatorId: "c1",
  nowMs: NOW,
  market: view,
  config: DEFAULT_PRICING_CONFIG,
  risk: { limits: DEFAULT_RISK_LIMITS, exposure: EMPTY_EXPOSURE, balance: { availableCents: 1e8 } },
});
if (q.kind !== "quote") throw new Error("fixture should quote");
const offer: OfferedQuote = { parlayId: "p1", legs, creatorId: "c1", fairProbability: q.fairProbability, tiers: q.tiers, validUntilMs: NOW + 10_000 };
const base: ConfirmationInput = {
  nowMs: NOW + 2_000,
  offer,
  request: { odds: q.tiers[0]!.odds, stakeCents: 10_000 },
  market: view,
  pricing: DEFAULT_PRICING_CONFIG,
  policy: DEFAULT_CONFIRMATION_POLICY,
  orders: [],
  limits: DEFAULT_RISK_LIMITS,
  balance: { availableCents: 1e8 },
};

describe("checkConfirmation", () => {
  it("accepts at the offered odds and returns per-leg probabilities", () => {
    const r = checkConfirmation(base);
    expect(r.accept).toBe(true);
    if (!r.accept) return;
    expect(r.priceProbability).toHaveLength(1);
    expect(r.priceProbability[0]!.lines.map((l) => l.line_id)).toEqual(legs.map((l) => l.lineId));
    expect(r.priceProbability[0]!.max_risk).toBeCloseTo(r.liabilityCents / 100, 10);
    expect(r.liabilityCents).toBe(Math.floor(10_000 * (americanToDecimal(q.tiers[0]!.odds) - 1)));
  });

  const moved = buildView([game("A", -200, +170), game("B")]);
  const stale = buildView([game("A", -150, +130, NOW - 3_600_000), game("B")]);
  const exposureFull: OpenOrder[] = [order("x", DEFAULT_RISK_LIMITS.maxEventExposureCents - 100, [["zz", "A"]])];
  it.each([
    ["paused", { limits: { ...DEFAULT_RISK_LIMITS, paused: true } }, "paused"],
    ["blocked creator", { limits: { ...DEFAULT_RISK_LIMITS, blockedCreators: ["c1"] } }, "blocked_creator"],
    ["after valid_until", { nowMs: NOW + 20_000 }, "offer_expired"],
    ["better odds than offered", { request: { odds: q.tiers[0]!.odds + 50, stakeCents: 10_000 } }, "odds_better_than_offered"],
    ["stake above the tiers", { request: { odds: q.tiers[0]!.odds, stakeCents: 100_000_000 } }, "stake_exceeds_offer"],
    ["book moved (drift)", { market: moved }, "price_drift"],
    ["book went stale", { market: stale }, "reprice_failed"],
    ["event exposure used up by accepted orders", { orders: exposureFull }, "risk_limit"],
    [
      "balance used up by other in-flight reservations",
      { orders: [order("r1", 99_900_000, [["zz", "Q"]], undefined, "in_flight")], limits: { ...DEFAULT_RISK_LIMITS, maxWorstCaseLossCents: 1e12 } },
      "risk_limit",
    ],
    ["bad stake", { request: { odds: q.tiers[0]!.odds, stakeCents: 0 } }, "invalid_request"],
    ["broken market view (fail closed)", { market: { ...view, book: () => { throw new Error("x"); } } }, "internal_error"],
  ] as const)("rejects: %s", (_n, over, reason) => {
    const r = checkConfirmation({ ...base, ...(over as Partial<ConfirmationInput>) });
    expect(r).toMatchObject({ accept: false, reason });
  });

  it("accepts worse odds (for the bettor) than offered", () => {
    const worse = q.tiers[0]!.odds - 20;
    expect(checkConfirmation({ ...base, request: { odds: worse, stakeCents: 5_000 } }).accept).toBe(true);
  });
});
