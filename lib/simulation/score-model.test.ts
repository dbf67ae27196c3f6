import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import {
  applyTieRule,
  buildRawGrid,
  buildScoreGrid,
  gridProbability,
  normalCdf,
  sampleFinalScore,
  sampleGrid,
  type ScoreGrid,
  type ScoreModel,
} from "./score-model";

const total = (g: ScoreGrid) => g.probs.reduce((a, b) => a + b, 0);
const sumWhere = (g: ScoreGrid, f: (h: number, a: number) => boolean) => {
  let s = 0;
  for (let i = 0; i < g.homeCount; i++)
    for (let j = 0; j < g.awayCount; j++) if (f(g.minHome + i, g.minAway + j)) s += g.probs[i * g.awayCount + j]!;
  return s;
};

const NBA: ScoreModel = { kind: "normal", marginMean: 3, marginSd: 12, totalMean: 224, totalSd: 18 };
const NFL: ScoreModel = { kind: "normal", marginMean: -2.5, marginSd: 13.5, totalMean: 45, totalSd: 13 };
const MLB: ScoreModel = { kind: "poisson", homeRate: 4.6, awayRate: 4.2, rho: 0 };
const EPL: ScoreModel = { kind: "poisson", homeRate: 1.5, awayRate: 1.1, rho: -0.08 };

describe("score grids", () => {
  it.each([
    ["NBA", NBA],
    ["NFL", NFL],
    ["MLB", MLB],
    ["EPL", EPL],
  ] as const)("%s grid is a probability distribution", (_name, model) => {
    const g = buildRawGrid(model);
    expect(total(g)).toBeCloseTo(1, 9);
    for (const p of g.probs) expect(p).toBeGreaterThanOrEqual(0);
  });

  it("normal grid reproduces the margin and total of the model", () => {
    const g = buildRawGrid(NBA);
    let margin = 0;
    let tot = 0;
    for (let i = 0; i < g.homeCount; i++)
      for (let j = 0; j < g.awayCount; j++) {
        const p = g.probs[i * g.awayCount + j]!;
        margin += p * (i + g.minHome - (j + g.minAway));
        tot += p * (i + g.minHome + j + g.minAway);
      }
    expect(margin).toBeCloseTo(3, 1);
    expect(tot).toBeCloseTo(224, 0);
    // P(home wins by more than 0.5) ≈ Φ((3 − 0.5)/12) on the continuous model.
    expect(sumWhere(g, (h, a) => h - a > 0.5)).toBeCloseTo(normalCdf(2.5 / 12), 2);
  });

  it("independent Poisson grid equals the product of the marginals", () => {
    const g = buildRawGrid(MLB);
    const pois = (l: number, k: number) => (Math.exp(-l) * l ** k) / [1, 1, 2, 6, 24, 120, 720][k]!;
    for (const [h, a] of [[0, 0], [3, 2], [5, 6]] as const) {
      expect(gridProbability(g, { home: h, away: a })).toBeCloseTo(pois(4.6, h) * pois(4.2, a), 6);
    }
  });

  it("Dixon–Coles with negative rho raises 0–0 and 1–1 relative to independence", () => {
    const dc = buildRawGrid(EPL);
    const ind = buildRawGrid({ ...EPL, rho: 0 });
    expect(gridProbability(dc, { home: 0, away: 0 })).toBeGreaterThan(gridProbability(ind, { home: 0, away: 0 }));
    expect(gridProbability(dc, { home: 1, away: 1 })).toBeGreaterThan(gridProbability(ind, { home: 1, away: 1 }));
    expect(gridProbability(dc, { home: 1, away: 0 })).toBeLessThan(gridProbability(ind, { home: 1, away: 0 }));
  });

  it("the extra-period tie rule removes draws and splits their mass by the home share", () => {
    const raw = buildRawGrid(MLB);
    const tied = sumWhere(raw, (h, a) => h === a);
    const homeBefore = sumWhere(raw, (h, a) => h > a);
    const g = applyTieRule(raw, { kind: "extra", homeShare: 0.6 });
    expect(total(g)).toBeCloseTo(1, 9);
    expect(sumWhere(g, (h, a) => h === a)).toBe(0);
    expect(sumWhere(g, (h, a) => h > a)).toBeCloseTo(homeBefore + 0.6 * tied, 9);
  });

  it("an in-play Poisson model adds the remaining goals to the score on the board", () => {
    const g = buildScoreGrid({ kind: "poisson", homeRate: 0.5, awayRate: 0.4, rho: 0, baseHome: 2, baseAway: 1 }, { kind: "keep", homeShare: 0.5 });
    expect(g.minHome).toBe(2);
    expect(g.minAway).toBe(1);
    expect(gridProbability(g, { home: 2, away: 1 })).toBeCloseTo(Math.exp(-0.9), 6);
    expect(gridProbability(g, { home: 1, away: 1 })).toBe(0);
  });
});

describe("sampling", () => {
  it("sampleGrid follows the grid", () => {
    const g = buildScoreGrid(EPL, { kind: "keep", homeShare: 0.5 });
    const rng = createRng(5);
    let homeWins = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const s = sampleGrid(g, rng.next());
      if (s.home > s.away) homeWins++;
    }
    expect(homeWins / n).toBeCloseTo(sumWhere(g, (h, a) => h > a), 1);
    expect(Math.abs(homeWins / n - sumWhere(g, (h, a) => h > a))).toBeLessThan(0.015);
  });

  it("sampleFinalScore has the distribution of the tie-ruled grid", () => {
    const rule = { kind: "extra", homeShare: 0.55 } as const;
    const g = buildScoreGrid(MLB, rule);
    const rng = createRng(11);
    const n = 8_000;
    let homeWins = 0;
    let byTie = 0;
    for (let i = 0; i < n; i++) {
      const s = sampleFinalScore(MLB, rule, rng.next(), rng.next());
      expect(s.home).not.toBe(s.away);
      if (s.home > s.away) homeWins++;
      if (s.decidedByTie) byTie++;
    }
    expect(Math.abs(homeWins / n - sumWhere(g, (h, a) => h > a))).toBeLessThan(0.02);
    expect(Math.abs(byTie / n - sumWhere(buildRawGrid(MLB), (h, a) => h === a))).toBeLessThan(0.02);
  });

  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-1, 0.158655],
    [3, 0.99865],
  ])("normalCdf(%f) = %f", (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 5);
  });
});
