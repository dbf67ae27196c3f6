import { describe, expect, it } from "vitest";
import { profitCentsAtAmerican } from "../money/cents";
import { americanToDecimal } from "../odds/american";
import {
  allocateParlayStake,
  bettorView,
  DEFAULT_RIVALS,
  parlayOutcome,
  providerLiabilityCents,
  providerProfitCents,
  providerSettlementStatus,
  rivalQuote,
  tierCapacityCents,
  type OfferTier,
} from "./parlay";
import { createRng } from "./rng";

const tier = (spId: string, odds: number, maxRiskCents: number, seq: number, tierIndex = 0): OfferTier => ({ spId, odds, maxRiskCents, seq, tierIndex });

describe("tierCapacityCents", () => {
  it.each([
    [500, 10_000, 2_000],
    [100, 5_000, 5_000],
    [-200, 5_000, 10_000],
    [333, 10_000, 3_003],
  ])("odds %i with max_risk %i¢ takes %i¢", (odds, risk, cap) => {
    expect(tierCapacityCents(odds, risk)).toBe(cap);
    expect(profitCentsAtAmerican(cap, odds)).toBeLessThanOrEqual(risk);
  });
});

describe("allocateParlayStake", () => {
  it("fills the best odds first across providers and tiers, then refunds the rest", () => {
    const tiers = [tier("us", 500, 10_000, 1, 0), tier("us", 400, 100_000, 1, 1), tier("rival", 450, 9_000, 2)];
    const a = allocateParlayStake(tiers, 10_000, 0);
    expect(a.map((x) => [x.tier.spId, x.tier.odds, x.stakeCents])).toEqual([
      ["us", 500, 2_000],
      ["rival", 450, 2_000],
      ["us", 400, 6_000],
    ]);
    const small = allocateParlayStake([tier("a", 300, 1_000, 1)], 10_000, 0);
    expect(small.reduce((s, x) => s + x.stakeCents, 0)).toBe(333);
  });

  it("breaks ties on odds by arrival and skips tiers below the bettor's minimum", () => {
    const tiers = [tier("late", 600, 100_000, 5), tier("early", 600, 100_000, 3), tier("poor", 200, 100_000, 1)];
    expect(allocateParlayStake(tiers, 1_000, 0)[0]!.tier.spId).toBe("early");
    expect(allocateParlayStake(tiers, 1_000_000, americanToDecimal(500)).map((x) => x.tier.spId)).toEqual(["early", "late"]);
    expect(allocateParlayStake(tiers, 1_000, Number.POSITIVE_INFINITY)).toEqual([]);
  });
});

describe("settlement", () => {
  it.each([
    [["won", "won"], "won"],
    [["won", "lost"], "lost"],
    [["lost", "pending"], "lost"],
    [["won", "pending"], "pending"],
    [["push", "won"], "won"],
    [["push", "push"], "push"],
  ] as const)("legs %j → %s", (legs, outcome) => {
    expect(parlayOutcome(legs)).toBe(outcome);
  });

  it.each([
    ["won", 1_000, 5_000, -5_000, "lost"],
    ["lost", 1_000, 5_000, 1_000, "won"],
    ["push", 1_000, 5_000, 0, "push"],
  ] as const)("bettor %s: provider P&L on stake %i¢ / liability %i¢ is %i¢ (%s)", (outcome, stake, liability, profit, status) => {
    expect(providerProfitCents(outcome, stake, liability)).toBe(profit);
    expect(providerSettlementStatus(outcome)).toBe(status);
  });

  it("liability is the bettor's profit at the parlay odds", () => {
    expect(providerLiabilityCents(1_000, 500)).toBe(5_000);
    expect(providerLiabilityCents(1_000, 1000)).toBe(10_000);
  });
});

describe("rivals and bettors", () => {
  it("a rival quotes with margin: its odds pay less than the fair price on average", () => {
    const rng = createRng(8);
    const profile = { ...DEFAULT_RIVALS[0]!, quoteProbability: 1 };
    let sumLog = 0;
    const n = 400;
    for (let i = 0; i < n; i++) {
      const tiers = rivalQuote(profile, 3, 0.125, 0.125, rng)!;
      sumLog += Math.log(americanToDecimal(tiers[0]!.odds) * 0.125);
      expect(tiers[0]!.maxRiskCents).toBeGreaterThanOrEqual(profile.minRiskCents);
      if (tiers[1]) expect(americanToDecimal(tiers[1].odds)).toBeLessThan(americanToDecimal(tiers[0]!.odds));
    }
    expect(sumLog / n).toBeLessThan(-0.05);
  });

  it("a correlation-blind rival prices from the independent probability", () => {
    const rng = createRng(9);
    const blind = { ...DEFAULT_RIVALS[1]!, quoteProbability: 1, noiseSd: 0 };
    const t = rivalQuote(blind, 2, 0.4, 0.25, rng)!;
    expect(americanToDecimal(t[0]!.odds)).toBeGreaterThan(3);
    const aware = { ...DEFAULT_RIVALS[0]!, quoteProbability: 1, noiseSd: 0 };
    expect(americanToDecimal(rivalQuote(aware, 2, 0.4, 0.25, rng)![0]!.odds)).toBeLessThan(2.5);
  });

  it("sharp bettors demand a positive edge; recreational ones accept a margin", () => {
    const rng = createRng(10);
    for (let i = 0; i < 50; i++) {
      const sharp = bettorView({ id: "s", sharp: true }, 0.2, rng);
      expect(sharp.minDecimal * sharp.perceived).toBeCloseTo(1.01, 9);
      const rec = bettorView({ id: "r", sharp: false }, 0.2, rng);
      if (Number.isFinite(rec.minDecimal)) expect(rec.minDecimal * rec.perceived).toBeCloseTo(0.7, 9);
    }
  });
});
