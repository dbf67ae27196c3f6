import { describe, expect, it } from "vitest";
import { rng } from "./generate";
import { validateArbInput } from "./input";
import { betUnitProfit, boxK, candidateScores, scenarioClasses, type Score } from "./scenarios";
import type { Bet, BetInput } from "./types";

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A random valid value for every bet type, with constants up to about `max`. */
const randomValue = (r: () => number, type: number, max: number): string => {
  const n = () => Math.floor(r() * (max + 1));
  const team = () => pick(r, ["home", "away"]);
  const res = () => pick(r, ["home", "draw", "away"]);
  const quarter = () => (Math.floor(r() * (4 * max + 1)) / 4) * (r() < 0.5 ? -1 : 1);
  switch (type) {
    case 1: return res();
    case 2: return `${team()} ${quarter()}`;
    case 3: return `${pick(r, ["over", "under"])} ${Math.abs(quarter())}`;
    case 4: return pick(r, ["yes", "no"]);
    case 5: return r() < 0.7 ? `${n()}:${n()}` : [...new Set([`${n()}:${n()}`, `${n()}:${n()}`, `${n()}:${n()}`])].join(" ");
    case 6: return pick(r, ["home/draw", "home/away", "draw/away", "away/home"]);
    case 7: return `${team()} ${pick(r, ["over", "under"])} ${n()}.5`;
    case 8: return pick(r, ["odd", "even"]);
    case 9: return `${team()} ${pick(r, ["odd", "even"])}`;
    case 10: return `${res()}/${pick(r, ["yes", "no"])}`;
    case 11: return `${res()}/${pick(r, ["over", "under"])} ${n()}.5`;
    case 12: case 13: case 16: return `${team()} ${pick(r, ["yes", "no"])}`;
    case 14: return `${n()}`;
    case 15: return `${team()} ${n()}`;
    case 17: return team();
    case 18: { const lo = n(); return `${team()} ${lo}-${lo + Math.floor(r() * 3)}`; }
    case 19: return `${pick(r, ["yes", "no"])} ${pick(r, ["over", "under"])} ${n()}.5`;
    default: { const lo = n(); return `${lo}-${lo + Math.floor(r() * 3)}`; }
  }
};

export const randomBets = (seed: number, count: number, max: number): Bet[] => {
  const r = rng(seed);
  const bets: BetInput[] = [];
  for (let i = 0; i < count; i++) {
    const type = 1 + Math.floor(r() * 20);
    bets.push({ bet_type: type, value: randomValue(r, type, max), odds: 1.5 + r() * 4, lay: r() < 0.2 });
  }
  const v = validateArbInput({ bets });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return [...v.problem.bets];
};

const patterns = (bets: readonly Bet[], scores: readonly Score[]): Set<string> =>
  new Set(scores.map((s) => bets.map((b) => betUnitProfit(b, s.h, s.a)).join(",")));

const bigBox = (side: number, noDraw: boolean): Score[] => {
  const out: Score[] = [];
  for (let h = 0; h <= side; h++) for (let a = 0; a <= side; a++) if (!(noDraw && h === a)) out.push({ h, a });
  return out;
};

describe("the finite scenario set covers every final score (quant.md A3)", () => {
  it("box [0,2K+4]^2 and the sweep give exactly the payoff patterns of the box [0,3K+25]^2", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const noDraw = seed % 3 === 0;
      const bets = randomBets(seed, 2 + (seed % 7), 1 + (seed % 6));
      const k = boxK(bets);
      const truth = patterns(bets, bigBox(3 * k + 25, noDraw));
      const box = patterns(bets, candidateScores(bets, noDraw, "box").scores);
      const sweep = patterns(bets, candidateScores(bets, noDraw, "sweep").scores);
      expect(box, `seed ${seed} box`).toEqual(truth);
      expect(sweep, `seed ${seed} sweep`).toEqual(truth);
    }
  });

  it("uses the sweep for huge constants and still finds the rare outcomes", () => {
    const v = validateArbInput({
      bets: [
        { bet_type: 5, value: "9999:0", odds: 1000 },
        { bet_type: 14, value: "5000", odds: 500 },
        { bet_type: 2, value: "home -250.75", odds: 50 },
        { bet_type: 1, value: "draw", odds: 3 },
      ],
    });
    if (!v.ok) throw new Error();
    const { scores, method } = candidateScores(v.problem.bets, false);
    expect(method).toBe("sweep");
    expect(scores.length).toBeLessThan(20_000);
    const has = (h: number, a: number) => scores.some((s) => s.h === h && s.a === a);
    expect(has(9999, 0)).toBe(true);
    expect(scores.some((s) => s.h + s.a === 5000)).toBe(true);
    // home wins by exactly 251 (half win half push on -250.75) and by 252+ (full win)
    expect(scores.some((s) => s.h - s.a === 251)).toBe(true);
    expect(scores.some((s) => s.h - s.a >= 252)).toBe(true);
  });

  it("merges scores with identical payoff rows and drops draws for no-draw", () => {
    const v = validateArbInput({ bets: [{ bet_type: 1, value: "home", odds: 2.3 }, { bet_type: 1, value: "draw", odds: 3.5 }, { bet_type: 1, value: "away", odds: 4.23 }] });
    if (!v.ok) throw new Error();
    const three = scenarioClasses(v.problem.bets, false).classes;
    expect(three.map((c) => c.label)).toEqual(["0:0", "1:0", "0:1"]);
    expect(three[0]!.examples).toContain("1:1");
    const two = scenarioClasses(v.problem.bets, true).classes;
    expect(two.map((c) => c.label)).toEqual(["1:0", "0:1"]);
  });
});
