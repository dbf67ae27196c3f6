import { describe, expect, it } from "vitest";
import { americanToProbability } from "../odds/american";
import { isOnLadder } from "../odds/ladder";
import { arrivalProbability, DEFAULT_LP_CONFIG, DEFAULT_TAKER_CONFIG, noisyEstimates, quoteLine, sharpHitRate, takerEdge } from "./liquidity";
import { createRng } from "./rng";

describe("quoteLine", () => {
  it.each([[[0.5, 0.5]], [[0.3, 0.7]], [[0.45, 0.27, 0.28]]])("quotes every outcome of %j on the ladder, worse than the estimate", (est) => {
    const quotes = quoteLine(est, DEFAULT_LP_CONFIG, createRng(1));
    for (let o = 0; o < est.length; o++) {
      const mine = quotes.filter((q) => q.takerOutcome === o);
      expect(mine.length).toBeGreaterThan(0);
      let previous = 0;
      for (const q of mine) {
        expect(isOnLadder(q.takerOdds)).toBe(true);
        const implied = americanToProbability(q.takerOdds);
        expect(implied).toBeGreaterThanOrEqual(est[o]! + DEFAULT_LP_CONFIG.halfSpread - 1e-9);
        expect(implied).toBeGreaterThan(previous);
        previous = implied;
        expect(q.makerStakeCents).toBeGreaterThanOrEqual(DEFAULT_LP_CONFIG.minStakeCents);
        expect(q.makerStakeCents).toBeLessThanOrEqual(DEFAULT_LP_CONFIG.maxStakeCents);
      }
    }
  });

  it("keeps a two-way book uncrossed (implied probabilities of the best prices sum above 1)", () => {
    const quotes = quoteLine([0.62, 0.38], DEFAULT_LP_CONFIG, createRng(2));
    const best = (o: number) => Math.min(...quotes.filter((q) => q.takerOutcome === o).map((q) => americanToProbability(q.takerOdds)));
    expect(best(0) + best(1)).toBeGreaterThan(1);
  });
});

describe("noisyEstimates", () => {
  it("returns the truth without noise and stays a distribution with noise", () => {
    expect(noisyEstimates([0.3, 0.7], [0, 0]).map((x) => +x.toFixed(12))).toEqual([0.3, 0.7]);
    const n = noisyEstimates([0.2, 0.5, 0.3], [0.3, -0.2, 0.1]);
    expect(n.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(n[0]).toBeGreaterThan(0.2);
  });
});

describe("takers", () => {
  it.each([
    [0.5, 100, 0],
    [0.5, 110, 0.05],
    [0.6, -150, 0],
    [0.4, -110, -0.236364],
  ])("edge of p=%f at %i is %f", (p, odds, edge) => {
    expect(takerEdge(p, odds)).toBeCloseTo(edge, 5);
  });

  it("sharp takers act only above the threshold and faster for bigger edges", () => {
    expect(sharpHitRate(0.005, DEFAULT_TAKER_CONFIG)).toBe(0);
    expect(sharpHitRate(0.05, DEFAULT_TAKER_CONFIG)).toBeGreaterThan(sharpHitRate(0.02, DEFAULT_TAKER_CONFIG));
  });

  it.each([
    [0, 100, 0],
    [1, 1000, 1 - Math.exp(-1)],
    [2, 500, 1 - Math.exp(-1)],
  ])("arrival probability at rate %f over %i ms", (rate, dt, p) => {
    expect(arrivalProbability(rate, dt)).toBeCloseTo(p, 9);
  });
});
