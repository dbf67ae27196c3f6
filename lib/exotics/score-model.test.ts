import { describe, expect, it } from "vitest";
import { GRID_SIZE, MAX_GOALS, bivariatePoissonGrid, cellIndex, dixonColesGrid, matchRates, poissonGrid, poissonPmf } from "./score-model.ts";

const sum = (g: Float64Array) => g.reduce((s, x) => s + x, 0);
const marginalHome = (g: Float64Array) => Array.from({ length: GRID_SIZE }, (_, h) => {
  let s = 0;
  for (let a = 0; a <= MAX_GOALS; a++) s += g[cellIndex(h, a)]!;
  return s;
});

describe("score models", () => {
  it("poisson pmf matches the closed form", () => {
    const p = poissonPmf(1.6, 5);
    expect(p[3]).toBeCloseTo((Math.exp(-1.6) * 1.6 ** 3) / 6, 15);
  });

  it("grids sum to 1", () => {
    expect(sum(poissonGrid(1.6, 1.1))).toBeCloseTo(1, 14);
    expect(sum(dixonColesGrid(1.6, 1.1, -0.1))).toBeCloseTo(1, 14);
    expect(sum(bivariatePoissonGrid(1.2, 0.8, 0.3))).toBeCloseTo(1, 14);
  });

  it("Dixon-Coles with rho < 0 raises 0-0 and 1-1 and keeps the marginals", () => {
    const ind = poissonGrid(1.6, 1.1);
    const dc = dixonColesGrid(1.6, 1.1, -0.1);
    expect(dc[cellIndex(0, 0)]!).toBeGreaterThan(ind[cellIndex(0, 0)]!);
    expect(dc[cellIndex(1, 1)]!).toBeGreaterThan(ind[cellIndex(1, 1)]!);
    expect(dc[cellIndex(1, 0)]!).toBeLessThan(ind[cellIndex(1, 0)]!);
    const mi = marginalHome(ind);
    marginalHome(dc).forEach((p, h) => expect(p).toBeCloseTo(mi[h]!, 12));
  });

  it("refuses a rho that makes probabilities negative", () => {
    expect(() => dixonColesGrid(3, 3, -0.5)).toThrow(RangeError);
  });

  it("bivariate Poisson has covariance l3", () => {
    const g = bivariatePoissonGrid(1.2, 0.8, 0.3);
    let eh = 0, ea = 0, eha = 0;
    for (let h = 0; h <= MAX_GOALS; h++) for (let a = 0; a <= MAX_GOALS; a++) {
      const p = g[cellIndex(h, a)]!;
      eh += h * p; ea += a * p; eha += h * a * p;
    }
    expect(eh).toBeCloseTo(1.5, 4);
    expect(ea).toBeCloseTo(1.1, 4);
    expect(eha - eh * ea).toBeCloseTo(0.3, 3);
  });

  it("strengths give multiplicative rates", () => {
    const r = matchRates({ attack: 1.2, defence: 0.8 }, { attack: 0.9, defence: 1.1 }, { homeGoals: 1.5, awayGoals: 1.2, rho: 0 });
    expect(r.lambdaHome).toBeCloseTo(1.5 * 1.2 * 1.1, 12);
    expect(r.lambdaAway).toBeCloseTo(1.2 * 0.9 * 0.8, 12);
  });
});
