import { describe, expect, it } from "vitest";
import { type LegSpec, scoreLegWins, type ScoreLeg } from "./legs.ts";
import { buildMatchModel } from "./match-model.ts";
import { countGroupPmf, priceMatchLegs, scorerGroupTable } from "./match-pricer.ts";
import { GRID_SIZE, cellIndex, poissonGrid } from "./score-model.ts";
import { legWins, type MatchOutcome } from "./outcome.ts";
import { poissonBinomialPmf } from "./poisson-binomial.ts";

const homeWin: LegSpec = { market: "match_winner", side: "home" };
const over25: LegSpec = { market: "total_goals", direction: "over", line: 2.5 };
const btts: LegSpec = { market: "btts", yes: true };

describe("same-match score legs (quant.md B2 illustration, lh=1.6, la=1.1, plain Poisson)", () => {
  const model = buildMatchModel({ lambdaHome: 1.6, lambdaAway: 1.1, rho: 0, cornersMean: 10, cardsMean: 4 });
  const r = priceMatchLegs(model, [homeWin, over25, btts]);

  it("leg marginals", () => {
    expect(r.marginals[0]).toBeCloseTo(0.4896, 4);
    expect(r.marginals[1]).toBeCloseTo(0.5064, 4);
    expect(r.marginals[2]).toBeCloseTo(0.5324, 4);
  });

  it("P(all three) is 0.2239 jointly vs 0.1320 if independent (correlation raises it)", () => {
    expect(r.pmf[3]).toBeCloseTo(0.2239, 4);
    const indep = poissonBinomialPmf(r.marginals);
    expect(indep[3]).toBeCloseTo(0.132, 3);
    expect(r.pmf[3]!).toBeGreaterThan(indep[3]!);
  });

  it("P(at least 2 of 3) is 0.4863 jointly vs 0.5142 if independent (here correlation lowers it)", () => {
    expect(r.pmf[2]! + r.pmf[3]!).toBeCloseTo(0.4863, 4);
    const indep = poissonBinomialPmf(r.marginals);
    expect(indep[2]! + indep[3]!).toBeCloseTo(0.5142, 4);
  });

  it("mutually exclusive legs can never both win", () => {
    const x = priceMatchLegs(model, [homeWin, { market: "match_winner", side: "away" }, { market: "draw" }]);
    expect(x.pmf[0]).toBeCloseTo(0, 14);
    expect(x.pmf[1]).toBeCloseTo(1, 12);
    expect(x.pmf[2]).toBe(0);
    expect(x.pmf[3]).toBe(0);
  });

  it("the pmf equals a direct sum over the grid of the number of legs won", () => {
    const legs: ScoreLeg[] = [
      { market: "match_loser", side: "away" },
      { market: "clean_sheet", side: "home" },
      { market: "total_goals", direction: "under", line: 1.5 },
      { market: "btts", yes: false },
      { market: "draw" },
    ];
    const grid = poissonGrid(1.3, 0.9);
    const m = buildMatchModel({ lambdaHome: 1.3, lambdaAway: 0.9, rho: 0, cornersMean: 10, cardsMean: 4 }, grid);
    const bf = new Array<number>(legs.length + 1).fill(0);
    for (let i = 0; i < grid.length; i++) {
      const h = Math.floor(i / GRID_SIZE), a = i % GRID_SIZE;
      bf[legs.filter((l) => scoreLegWins(l, h, a)).length]! += grid[i]!;
    }
    const got = priceMatchLegs(m, legs).pmf;
    bf.forEach((p, k) => expect(got[k]).toBeCloseTo(p, 14));
  });
});

describe("goalscorers (Poisson thinning)", () => {
  it("unconditional P(score) = 1 - exp(-s * lambda): 0.4288 for s = 0.35, lambda = 1.6", () => {
    const m = buildMatchModel({ lambdaHome: 1.6, lambdaAway: 1.1, rho: -0.08, cornersMean: 10, cardsMean: 4 });
    const r = priceMatchLegs(m, [{ market: "goalscorer", side: "home", player: "X", share: 0.35 }]);
    expect(r.marginals[0]).toBeCloseTo(1 - Math.exp(-0.35 * 1.6), 5);
    expect(r.marginals[0]).toBeCloseTo(0.4288, 4);
  });

  it("two teammates: exact multinomial (P both | g goals) by inclusion-exclusion", () => {
    const t = scorerGroupTable([0.3, 0.2]);
    for (let g = 0; g <= 10; g++) {
      const both = 1 - 0.7 ** g - 0.8 ** g + 0.5 ** g;
      const none = 0.5 ** g;
      expect(t.pmfByGoals[g]![2]).toBeCloseTo(both, 14);
      expect(t.pmfByGoals[g]![0]).toBeCloseTo(none, 14);
    }
  });
});

describe("count legs (corners, cards)", () => {
  it("lines on one count are jointly distributed (over 8.5 and under 10.5 = 9 or 10)", () => {
    const mu = 9.7;
    const r = countGroupPmf([{ direction: "over", line: 8.5 }, { direction: "under", line: 10.5 }], mu);
    const pois = (k: number) => { let p = Math.exp(-mu); for (let i = 1; i <= k; i++) p = (p * mu) / i; return p; };
    expect(r.pmf[2]).toBeCloseTo(pois(9) + pois(10), 14);
    expect(r.pmf.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 14);
  });

  it("corners mean rises with the goal difference and keeps the unconditional mean", () => {
    const m = buildMatchModel({ lambdaHome: 1.6, lambdaAway: 1.1, rho: 0, cornersMean: 10, cardsMean: 4 });
    expect(m.cornersMeanByCell[cellIndex(3, 0)]!).toBeGreaterThan(m.cornersMeanByCell[cellIndex(1, 1)]!);
    expect(m.cardsMeanByCell[cellIndex(1, 1)]!).toBeGreaterThan(m.cardsMeanByCell[cellIndex(3, 0)]!);
    let ec = 0, ek = 0;
    m.grid.forEach((p, i) => { ec += p * m.cornersMeanByCell[i]!; ek += p * m.cardsMeanByCell[i]!; });
    expect(ec).toBeCloseTo(10, 12);
    expect(ek).toBeCloseTo(4, 12);
  });
});

describe("mixed legs vs brute-force enumeration of full outcomes", () => {
  // A hand-made score distribution on 0..3 x 0..3 keeps the enumeration of every goal assignment,
  // corner count and card count small enough to run exhaustively.
  const grid = new Float64Array(GRID_SIZE * GRID_SIZE);
  const small = [
    [0.08, 0.07, 0.04, 0.01],
    [0.1, 0.09, 0.05, 0.02],
    [0.09, 0.08, 0.05, 0.02],
    [0.1, 0.1, 0.06, 0.04],
  ];
  small.forEach((row, h) => row.forEach((p, a) => (grid[cellIndex(h, a)] = p)));
  const model = buildMatchModel({ lambdaHome: 1, lambdaAway: 1, rho: 0, cornersMean: 5, cardsMean: 2.5 }, grid);
  const legs: LegSpec[] = [
    { market: "match_winner", side: "home" },
    { market: "goalscorer", side: "home", player: "A", share: 0.3 },
    { market: "goalscorer", side: "home", player: "B", share: 0.25 },
    { market: "goalscorer", side: "away", player: "C", share: 0.4 },
    { market: "corners", direction: "over", line: 4.5 },
    { market: "corners", direction: "under", line: 6.5 },
    { market: "cards", direction: "over", line: 1.5 },
    { market: "btts", yes: true },
  ];

  function bruteForce(): number[] {
    const out = new Array<number>(legs.length + 1).fill(0);
    const homeWho = [["A", 0.3], ["B", 0.25], ["Other", 0.45]] as const;
    const awayWho = [["C", 0.4], ["Other", 0.6]] as const;
    const pois = (mu: number, k: number) => { let p = Math.exp(-mu); for (let i = 1; i <= k; i++) p = (p * mu) / i; return p; };
    function* seqs<T extends readonly [string, number]>(who: readonly T[], g: number): Generator<[string[], number]> {
      if (g === 0) { yield [[], 1]; return; }
      for (const [rest, p] of seqs(who, g - 1)) for (const [name, s] of who) yield [[...rest, name], p * s];
    }
    for (let h = 0; h < 4; h++) for (let a = 0; a < 4; a++) {
      const pc = grid[cellIndex(h, a)]!;
      const muC = model.cornersMeanByCell[cellIndex(h, a)]!;
      const muK = model.cardsMeanByCell[cellIndex(h, a)]!;
      for (const [hs, ph] of seqs(homeWho, h)) for (const [as, pa] of seqs(awayWho, a)) {
        for (let c = 0; c <= 40; c++) for (let k = 0; k <= 30; k++) {
          const o: MatchOutcome = { home: h, away: a, corners: c, cards: k, homeScorers: hs, awayScorers: as };
          const won = legs.filter((l) => legWins(l, o)).length;
          out[won]! += pc * ph * pa * pois(muC, c) * pois(muK, k);
        }
      }
    }
    return out;
  }

  it("pmf and marginals agree to 1e-9", () => {
    const r = priceMatchLegs(model, legs);
    const bf = bruteForce();
    bf.forEach((p, k) => expect(r.pmf[k]).toBeCloseTo(p, 9));
    expect(r.pmf.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });
});
