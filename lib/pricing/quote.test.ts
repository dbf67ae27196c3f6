import { describe, expect, it } from "vitest";
import { americanProfitPerUnit, americanToDecimal } from "../odds/american.ts";
import { DEFAULT_PRICING_CONFIG } from "./config.ts";
import { boxOf, boxProbability, fitGameModel } from "./game-model.ts";
import { legFairProbability } from "./leg.ts";
import { legSemantics } from "./markets.ts";
import { normalCdf, normalQuantile } from "./normal.ts";
import { marginBps, quoteParlay, type QuoteInput } from "./quote.ts";
import { priceParlayFair } from "./parlay.ts";
import { buildView, lineIdOf, type GameSpec } from "./testing.ts";
import type { ParlayLeg, PricingConfig } from "./types.ts";
import { EMPTY_EXPOSURE, exposureOf } from "../risk/exposure.ts";
import { DEFAULT_RISK_LIMITS } from "../risk/limits.ts";

const NOW = 1_000_000_000;
const START = NOW + 3_600_000;

const nba = (id: string, over: Partial<GameSpec> = {}): GameSpec => ({
  eventId: id,
  sport: "basketball",
  startsAtMs: START,
  markets: [
    { marketId: 219, sides: [{ outcomeId: 4, odds: -250 }, { outcomeId: 5, odds: +205 }] },
    { marketId: 223, sides: [{ outcomeId: 1714, line: -6.5, odds: -110 }, { outcomeId: 1715, line: 6.5, odds: -110 }] },
    { marketId: 223, sides: [{ outcomeId: 1714, line: -9.5, odds: +130 }, { outcomeId: 1715, line: 9.5, odds: -150 }] },
    { marketId: 225, sides: [{ outcomeId: 12, line: 221.5, odds: -110 }, { outcomeId: 13, line: 221.5, odds: -110 }] },
  ],
  ...over,
});

const mlb = (id: string): GameSpec => ({
  eventId: id,
  sport: "baseball",
  startsAtMs: START,
  markets: [
    { marketId: 251, sides: [{ outcomeId: 4, odds: -160 }, { outcomeId: 5, odds: +145 }] },
    { marketId: 256, sides: [{ outcomeId: 1714, line: -1.5, odds: +120 }, { outcomeId: 1715, line: 1.5, odds: -140 }] },
    { marketId: 258, sides: [{ outcomeId: 12, line: 8.5, odds: -105 }, { outcomeId: 13, line: 8.5, odds: -115 }] },
  ],
});

const soccer = (id: string): GameSpec => ({
  eventId: id,
  sport: "soccer",
  startsAtMs: START,
  markets: [
    { marketId: 1, sides: [{ outcomeId: 1, odds: +110 }, { outcomeId: 2, odds: +240 }, { outcomeId: 3, odds: +260 }] },
    { marketId: 18, sides: [{ outcomeId: 12, line: 2.5, odds: -105 }, { outcomeId: 13, line: 2.5, odds: -115 }] },
  ],
});

const leg = (eventId: string, marketId: number, outcomeId: number, line?: number): ParlayLeg => ({
  lineId: lineIdOf(eventId, marketId, outcomeId, line),
  marketId,
  outcomeId,
  sportEventId: eventId,
  line,
});

const view = buildView([nba("g1"), nba("g2"), nba("g3"), nba("g4"), mlb("b1"), mlb("b2"), soccer("s1"), soccer("s2")], NOW - 1000);

const input = (legs: ParlayLeg[], over: Partial<QuoteInput> = {}, config: PricingConfig = DEFAULT_PRICING_CONFIG): QuoteInput => ({
  legs,
  stakeCents: 10_000,
  nowMs: NOW,
  market: view,
  config,
  risk: { limits: DEFAULT_RISK_LIMITS, exposure: EMPTY_EXPOSURE, balance: { availableCents: 100_000_000 } },
  ...over,
});

describe("normal helpers", () => {
  it.each([0.01, 0.1, 0.3, 0.5, 0.77, 0.99])("Φ(Φ⁻¹(%f)) round-trips", (p) => {
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe("leg fair probability", () => {
  const cfg = DEFAULT_PRICING_CONFIG;
  it("de-vigs the two best prices", () => {
    const r = legFairProbability(view.line(lineIdOf("g1", 223, 1714, -6.5))!, view, cfg, NOW);
    expect(r.ok && r.leg.fairProbability).toBeCloseTo(0.5, 9);
  });

  it.each([
    ["stale", buildView([nba("x", { markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: -120, updatedAtMs: NOW - 120_000 }, { outcomeId: 5, odds: +100 }] }] })], NOW), "stale_book"],
    ["no book on the other side", buildView([nba("x", { markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: -120 }, { outcomeId: 5 }] }] })], NOW), "no_book"],
    ["too wide", buildView([nba("x", { markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: -150 }, { outcomeId: 5, odds: -105 }] }] })], NOW), "book_too_wide"],
    ["crossed", buildView([nba("x", { markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: +120 }, { outcomeId: 5, odds: +110 }] }] })], NOW), "book_crossed"],
    ["too little stake", buildView([nba("x", { markets: [{ marketId: 219, sides: [{ outcomeId: 4, odds: -120, stakeCents: 100 }, { outcomeId: 5, odds: +100 }] }] })], NOW), "no_book"],
  ] as const)("refuses a %s book", (_name, v, reason) => {
    const r = legFairProbability(v.line(lineIdOf("x", 219, 4))!, v, cfg, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});

describe("same-game joint model", () => {
  const cfg = DEFAULT_PRICING_CONFIG;
  it("normal model reproduces the game's own fair probabilities", () => {
    const targets = ["g1"].flatMap(() =>
      [lineIdOf("g1", 219, 4), lineIdOf("g1", 223, 1714, -6.5), lineIdOf("g1", 225, 12, 221.5)].map((id) => {
        const info = view.line(id)!;
        const f = legFairProbability(info, view, cfg, NOW);
        if (!f.ok) throw new Error("no fair");
        return { condition: legSemantics(info)!.condition, probability: f.leg.fairProbability };
      }),
    );
    const model = fitGameModel("basketball", targets, cfg.sportModel.basketball)!;
    expect(model.model).toBe("normal");
    for (const t of targets) expect(boxProbability(model, boxOf([t.condition]))).toBeCloseTo(t.probability, 1);
  });

  it.each([
    ["baseball", "b1", [lineIdOf("b1", 251, 4), lineIdOf("b1", 256, 1714, -1.5), lineIdOf("b1", 258, 12, 8.5)]],
    ["soccer", "s1", [lineIdOf("s1", 1, 1), lineIdOf("s1", 1, 3), lineIdOf("s1", 18, 12, 2.5)]],
  ] as const)("Poisson model (%s) fits its targets within 3pp (Poisson is a 2-parameter fit)", (sport, _id, ids) => {
    const targets = ids.map((id) => {
      const info = view.line(id)!;
      const f = legFairProbability(info, view, cfg, NOW);
      if (!f.ok) throw new Error("no fair");
      return { condition: legSemantics(info)!.condition, probability: f.leg.fairProbability };
    });
    const model = fitGameModel(sport, targets, cfg.sportModel[sport])!;
    expect(model.model).toBe("poisson");
    for (const t of targets) expect(Math.abs(boxProbability(model, boxOf([t.condition])) - t.probability)).toBeLessThan(0.03);
  });

  it.each([
    ["NBA", [leg("g1", 219, 4), leg("g1", 223, 1714, -6.5)]],
    ["NBA alt", [leg("g1", 219, 4), leg("g1", 223, 1714, -9.5)]],
    ["MLB", [leg("b1", 251, 4), leg("b1", 256, 1714, -1.5)]],
  ])("%s: P(home ML & home spread) is far above the independent product and ≤ the spread leg", (_n, legs) => {
    const r = priceParlayFair(legs, view, cfg, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [ml, sp] = r.legs.map((l) => l.fair.fairProbability) as [number, number];
    expect(r.fairProbability).toBeGreaterThan(ml * sp * 1.2);
    expect(r.fairProbability).toBeLessThanOrEqual(Math.min(ml, sp) + 1e-12);
  });

  it("NBA moneyline + total ≈ independent (ρ = 0)", () => {
    const r = priceParlayFair([leg("g1", 219, 4), leg("g1", 225, 12, 221.5)], view, cfg, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const prod = r.legs[0]!.fair.fairProbability * r.legs[1]!.fair.fairProbability;
    expect(r.fairProbability).toBeCloseTo(prod, 3);
  });

  it("soccer home win & over 2.5 are positively correlated", () => {
    const r = priceParlayFair([leg("s1", 1, 1), leg("s1", 18, 12, 2.5)], view, cfg, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fairProbability).toBeGreaterThan(r.legs[0]!.fair.fairProbability * r.legs[1]!.fair.fairProbability);
  });

  it("different games multiply", () => {
    const r = priceParlayFair([leg("g1", 219, 4), leg("g2", 219, 5), leg("b1", 258, 13, 8.5)], view, cfg, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fairProbability).toBeCloseTo(r.legs.reduce((s, l) => s * l.fair.fairProbability, 1), 12);
  });
});

describe("quoteParlay", () => {
  it("quotes with tiers: worse odds for more size, all rounded against us", () => {
    const q = quoteParlay(input([leg("g1", 219, 4), leg("g2", 223, 1715, 6.5), leg("b1", 258, 12, 8.5)], { stakeCents: 200_000 }));
    expect(q.kind).toBe("quote");
    if (q.kind !== "quote") return;
    expect(q.tiers.length).toBeGreaterThan(1);
    for (let i = 1; i < q.tiers.length; i++) {
      expect(americanToDecimal(q.tiers[i]!.odds)).toBeLessThan(americanToDecimal(q.tiers[i - 1]!.odds));
    }
    for (const t of q.tiers) expect(americanProfitPerUnit(t.odds)).toBeLessThan(1 / q.fairProbability - 1);
    expect(q.legs).toHaveLength(3);
    expect(q.legs[0]!.estimatedOdds).toBeTypeOf("number");
    expect(q.inputs.legs).toHaveLength(3);
  });

  it("a small stake gets one tier sized to the stake (not the full configured size)", () => {
    const q = quoteParlay(input([leg("g1", 219, 4), leg("g2", 219, 4)], { stakeCents: 1_000 }));
    expect(q.kind).toBe("quote");
    if (q.kind !== "quote") return;
    expect(q.tiers).toHaveLength(1);
    expect(q.tiers[0]!.maxRiskCents).toBeLessThanOrEqual(Math.ceil(2_000 * americanProfitPerUnit(q.tiers[0]!.odds)));
  });

  it("margin grows with the number of legs", () => {
    const games = ["g1", "g2", "g3", "g4", "b1", "b2", "s1", "s2"];
    let previous = -Infinity;
    for (let n = 2; n <= 8; n++) {
      const legs = games.slice(0, n).map((g) => (g.startsWith("s") ? leg(g, 18, 12, 2.5) : g.startsWith("b") ? leg(g, 258, 12, 8.5) : leg(g, 225, 12, 221.5)));
      const fair = priceParlayFair(legs, view, DEFAULT_PRICING_CONFIG, NOW);
      expect(fair.ok).toBe(true);
      if (!fair.ok) return;
      const bps = marginBps(fair, DEFAULT_PRICING_CONFIG);
      expect(bps).toBeGreaterThan(previous);
      previous = bps;
      const q = quoteParlay(input(legs));
      expect(q.kind).toBe("quote");
      if (q.kind === "quote") {
        const offeredP = 1 / americanToDecimal(q.tiers[0]!.odds);
        expect(offeredP / q.fairProbability - 1).toBeGreaterThanOrEqual(bps / 10_000 - 1e-9);
      }
    }
  });

  const started = buildView([nba("live", { status: "live" }), nba("soon", { startsAtMs: NOW + 10_000 }), nba("g1")], NOW);
  it.each([
    ["one leg", [leg("g1", 219, 4)], "too_few_legs", view],
    ["nine legs", Array.from({ length: 9 }, () => leg("g1", 219, 4)), "too_many_legs", view],
    ["duplicate", [leg("g1", 219, 4), leg("g1", 219, 4)], "duplicate_leg", view],
    ["unknown line", [leg("g1", 219, 4), leg("zz", 219, 4)], "unknown_line", view],
    ["wrong outcome", [leg("g1", 219, 4), { ...leg("g2", 219, 4), outcomeId: 5 }], "line_mismatch", view],
    ["live event", [leg("g1", 219, 4), leg("live", 219, 4)], "event_started", started],
    ["starts within a minute", [leg("g1", 219, 4), leg("soon", 219, 4)], "event_started", started],
    ["both sides of one market", [leg("g1", 219, 4), leg("g1", 219, 5)], "opposite_sides", view],
    ["two totals of one game", [leg("g1", 225, 12, 221.5), leg("g1", 225, 13, 221.5)], "opposite_sides", view],
    ["two spreads same side", [leg("g1", 223, 1714, -6.5), leg("g1", 223, 1714, -9.5)], "same_market_twice", view],
    ["home ML + away +6.5 (a middle)", [leg("g1", 219, 4), leg("g1", 223, 1715, 6.5)], "opposite_sides", view],
  ] as const)("declines %s", (_name, legs, reason, v) => {
    const q = quoteParlay(input([...legs], { market: v }));
    expect(q).toMatchObject({ kind: "decline", reason });
  });

  it("winner + handicap can be blocked by config", () => {
    const q = quoteParlay(input([leg("g1", 219, 4), leg("g1", 223, 1714, -6.5)], {}, { ...DEFAULT_PRICING_CONFIG, allowWinnerWithHandicap: false }));
    expect(q).toMatchObject({ kind: "decline", reason: "winner_with_handicap" });
  });

  it("declines blocked creators and when risk capacity is gone", () => {
    const legs = [leg("g1", 219, 4), leg("g2", 219, 4)];
    expect(quoteParlay(input(legs, { creatorId: "bad", risk: { limits: { ...DEFAULT_RISK_LIMITS, blockedCreators: ["bad"] }, exposure: EMPTY_EXPOSURE, balance: { availableCents: 1e8 } } }))).toMatchObject({
      kind: "decline",
      reason: "blocked_creator",
    });
    const full = exposureOf([{ orderId: "o", state: "accepted", liabilityCents: DEFAULT_RISK_LIMITS.maxEventExposureCents, legs: [{ lineId: "x", eventId: "g1" }] }]);
    expect(quoteParlay(input(legs, { risk: { limits: DEFAULT_RISK_LIMITS, exposure: full, balance: { availableCents: 1e8 } } }))).toMatchObject({
      kind: "decline",
      reason: "no_risk_capacity",
      detail: "event",
    });
  });

  it("caps the tiers to the remaining capacity", () => {
    const partial = exposureOf([{ orderId: "o", state: "accepted", liabilityCents: DEFAULT_RISK_LIMITS.maxEventExposureCents - 60_000, legs: [{ lineId: "x", eventId: "g1" }] }]);
    const q = quoteParlay(input([leg("g1", 219, 4), leg("g2", 219, 4)], { stakeCents: 1_000_000, risk: { limits: DEFAULT_RISK_LIMITS, exposure: partial, balance: { availableCents: 1e8 } } }));
    expect(q.kind).toBe("quote");
    if (q.kind !== "quote") return;
    expect(q.tiers.reduce((s, t) => s + t.maxRiskCents, 0)).toBeLessThanOrEqual(60_000);
  });

  it("never throws: a broken view declines with internal_error", () => {
    const broken = { ...view, eventLines: () => { throw new Error("boom"); } };
    expect(quoteParlay(input([leg("g1", 219, 4), leg("g2", 219, 4)], { market: broken }))).toMatchObject({ kind: "decline", reason: "internal_error" });
  });
});
