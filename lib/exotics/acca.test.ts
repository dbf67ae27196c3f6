import { describe, expect, it } from "vitest";
import { type AccaLeg, accaWinsDistribution, priceAcca } from "./acca.ts";
import { buildMatchModel } from "./match-model.ts";
import { type LegSpec, scoreLegWins, type ScoreLeg } from "./legs.ts";
import { GRID_SIZE } from "./score-model.ts";
import { checkConditions, describeCounts, type WinsCondition } from "./conditions.ts";
import { DEFAULT_MARGIN, marginForLegs, quotePrice } from "./margin.ts";
import { describeBet } from "./describe.ts";
import { poissonBinomialPmf } from "./poisson-binomial.ts";

const m1 = buildMatchModel({ lambdaHome: 1.6, lambdaAway: 1.1, rho: -0.06, cornersMean: 10, cardsMean: 4 });
const m2 = buildMatchModel({ lambdaHome: 1.2, lambdaAway: 1.4, rho: -0.04, cornersMean: 9, cardsMean: 4.5 });
const m3 = buildMatchModel({ lambdaHome: 2.1, lambdaAway: 0.7, rho: -0.05, cornersMean: 11, cardsMean: 3.5 });

describe("accaWinsDistribution across matches", () => {
  it("equals brute-force enumeration over the product of score grids", () => {
    const legs: { m: typeof m1; key: string; leg: ScoreLeg }[] = [
      { m: m1, key: "a", leg: { market: "match_winner", side: "home" } },
      { m: m2, key: "b", leg: { market: "total_goals", direction: "over", line: 2.5 } },
      { m: m1, key: "a", leg: { market: "btts", yes: true } },
      { m: m2, key: "b", leg: { market: "clean_sheet", side: "away" } },
      { m: m3, key: "c", leg: { market: "draw" } },
    ];
    const got = accaWinsDistribution(legs.map((l) => ({ matchKey: l.key, model: l.m, leg: l.leg })));
    const bf = new Array<number>(legs.length + 1).fill(0);
    const marg = new Array<number>(legs.length).fill(0);
    const keys = ["a", "b", "c"];
    for (let i = 0; i < m1.grid.length; i++) for (let j = 0; j < m2.grid.length; j++) for (let k = 0; k < m3.grid.length; k++) {
      const p = m1.grid[i]! * m2.grid[j]! * m3.grid[k]!;
      const cells = [i, j, k];
      let won = 0;
      legs.forEach((l, li) => {
        const c = cells[keys.indexOf(l.key)]!;
        if (scoreLegWins(l.leg, Math.floor(c / GRID_SIZE), c % GRID_SIZE)) { won++; marg[li]! += p; }
      });
      bf[won]! += p;
    }
    bf.forEach((p, k) => expect(got.pmf[k]).toBeCloseTo(p, 8));
    marg.forEach((p, k) => expect(got.marginals[k]).toBeCloseTo(p, 8));
  });

  it("one leg per match reduces to the Poisson-binomial of the leg probabilities", () => {
    const legs: AccaLeg[] = [
      { matchKey: "a", model: m1, leg: { market: "match_winner", side: "home" } },
      { matchKey: "b", model: m2, leg: { market: "corners", direction: "over", line: 9.5 } },
      { matchKey: "c", model: m3, leg: { market: "goalscorer", side: "home", player: "X", share: 0.3 } },
    ];
    const d = accaWinsDistribution(legs);
    const pb = poissonBinomialPmf(d.marginals);
    Array.from(pb).forEach((p, k) => expect(d.pmf[k]).toBeCloseTo(p, 14));
  });
});

describe("conditions", () => {
  const c = (condition: WinsCondition["condition"], value: number): WinsCondition => ({ type: "wins", condition, value });

  it.each([
    [[c("greater_than", 1)], 3, [2, 3], "At least 2 of"],
    [[c("at_least", 3)], 3, [3], "All 3 of"],
    [[c("equals", 1)], 3, [1], "Exactly 1 of"],
    [[c("less_than", 2)], 4, [0, 1], "At most 1 of"],
    [[c("at_least", 1), c("at_most", 2)], 4, [1, 2], "Between 1 and 2 of"],
    [[c("equals", 0)], 2, [0], "None of"],
  ] as const)("%j with n=%d pays on %j (%s)", (conds, n, counts, words) => {
    const r = checkConditions(conds, n);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.counts).toEqual(counts);
      expect(describeCounts(r.value, n)).toBe(words);
    }
  });

  it.each([
    [[c("greater_than", 3)], 3, 'acca_conditions[0]: "wins greater_than 3" is impossible (there are only 3 legs)'],
    [[c("at_least", 4)], 3, 'acca_conditions[0]: "wins at_least 4" is impossible (there are only 3 legs)'],
    [[c("at_least", 1), c("less_than", 0)], 3, 'acca_conditions[1]: "wins less_than 0" is impossible (the number of wins cannot be negative)'],
    [[c("at_least", 3), c("at_most", 1)], 3, "acca_conditions: the conditions can never all hold together"],
    [[c("at_least", 0)], 3, "acca_conditions: the conditions hold whatever happens (every number of wins from 0 to 3 pays)"],
  ] as const)("refuses %j with n=%d", (conds, n, msg) => {
    const r = checkConditions(conds, n);
    expect(r).toEqual({ ok: false, error: msg });
  });
});

describe("margin and rounding", () => {
  it("margin grows per leg: 5% + 1.5% per extra leg", () => {
    expect(marginForLegs(1, DEFAULT_MARGIN)).toBeCloseTo(0.05, 12);
    expect(marginForLegs(5, DEFAULT_MARGIN)).toBeCloseTo(0.11, 12);
  });

  it("rounds down to 2 dp (never above the margined price)", () => {
    const r = quotePrice(0.25, 1, DEFAULT_MARGIN); // 4 / 1.05 = 3.8095...
    expect(r).toEqual({ ok: true, value: { price: "3.80", priceHundredths: 380, margin: 0.05 } });
    const exact = quotePrice(1 / 3.2, 1, { ...DEFAULT_MARGIN, baseMargin: 0 });
    expect(exact.ok && exact.value.price).toBe("3.20");
  });

  it("refuses near-certain and impossible bets and over-long prices", () => {
    expect(quotePrice(0.999, 1, DEFAULT_MARGIN).ok).toBe(false);
    expect(quotePrice(0, 1, DEFAULT_MARGIN)).toEqual({ ok: false, error: "the legs can never win together under these conditions (probability 0)" });
    expect(quotePrice(1e-6, 10, DEFAULT_MARGIN).ok).toBe(false);
  });
});

describe("priceAcca", () => {
  const legs: AccaLeg[] = [
    { matchKey: "a", model: m1, leg: { market: "match_winner", side: "home" } },
    { matchKey: "b", model: m2, leg: { market: "match_winner", side: "away" } },
    { matchKey: "c", model: m3, leg: { market: "match_winner", side: "home" } },
  ];

  it("at least 2 of 3: fair probability, margin and legs", () => {
    const r = priceAcca(legs, [{ type: "wins", condition: "greater_than", value: 1 }], DEFAULT_MARGIN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const pb = poissonBinomialPmf(r.value.marginals);
    expect(r.value.fairProbability).toBeCloseTo(pb[2]! + pb[3]!, 14);
    const exact = 1 / (r.value.fairProbability * 1.08);
    expect(Number(r.value.price)).toBeLessThanOrEqual(exact);
    expect(Number(r.value.price)).toBeGreaterThan(exact - 0.01);
  });

  it("k of n is monotone: fewer required wins is a shorter price", () => {
    const prices = [1, 2, 3].map((k) => {
      const r = priceAcca(legs, [{ type: "wins", condition: "at_least", value: k }], DEFAULT_MARGIN);
      return r.ok ? Number(r.value.price) : NaN;
    });
    expect(prices[0]!).toBeLessThan(prices[1]!);
    expect(prices[1]!).toBeLessThan(prices[2]!);
  });

  it("same-match positive correlation shortens an all-legs price vs the independent product", () => {
    const same: AccaLeg[] = [
      { matchKey: "a", model: m1, leg: { market: "match_winner", side: "home" } },
      { matchKey: "a", model: m1, leg: { market: "total_goals", direction: "over", line: 2.5 } },
      { matchKey: "a", model: m1, leg: { market: "corners", direction: "over", line: 9.5 } },
    ];
    const r = priceAcca(same, [{ type: "wins", condition: "equals", value: 3 }], DEFAULT_MARGIN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const indep = r.value.marginals.reduce((s, p) => s * p, 1);
    expect(r.value.fairProbability).toBeGreaterThan(indep);
  });

  it("describes the bet in words", () => {
    const r = checkConditions([{ type: "wins", condition: "greater_than", value: 1 }], 3);
    if (!r.ok) throw new Error(r.error);
    const text = describeBet(
      [
        { home: "Liverpool", away: "Everton", leg: { market: "match_winner", side: "home" } as LegSpec },
        { home: "Barcelona", away: "Real Madrid", leg: { market: "match_winner", side: "away" } },
        { home: "Juventus", away: "Napoli", leg: { market: "match_winner", side: "away" } },
      ],
      r.value,
    );
    expect(text).toBe("At least 2 of: Liverpool to beat Everton; Real Madrid to win at Barcelona; Napoli to win at Juventus");
  });
});
