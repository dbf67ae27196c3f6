import { describe, expect, it } from "vitest";
import { BET_TYPES, componentLines, findBetType, parseBetValue, type ParsedValue } from "./bet-types";
import { unitProfit } from "./scenarios";

const parse = (type: number | string, value: string): ParsedValue => {
  const def = findBetType(type);
  if (!def) throw new Error(`no type ${type}`);
  const p = parseBetValue(def, value);
  if (typeof p === "string") throw new Error(p);
  return p;
};

const W = { win: 1, push: 0, lose: 0 };
const L = { win: 0, push: 0, lose: 1 };
const P = { win: 0, push: 1, lose: 0 };
const HW = { win: 0.5, push: 0.5, lose: 0 }; // half win, half refund
const HL = { win: 0, push: 0.5, lose: 0.5 }; // half lose, half refund

type Row = readonly [type: number, value: string, score: string, expected: { win: number; push: number; lose: number }];

const settle = (type: number, value: string, score: string) => {
  const [h, a] = score.split(":").map(Number) as [number, number];
  return parse(type, value).settle(h, a);
};

describe("Asian handicap (type 2), quant.md A1 and [S4][S5][S6]", () => {
  const rows: Row[] = [
    // -0.25 = (0, -0.5)
    [2, "home -0.25", "1:0", W],
    [2, "home -0.25", "3:1", W],
    [2, "home -0.25", "1:1", HL],
    [2, "home -0.25", "0:1", L],
    // +0.25 = (0, +0.5)
    [2, "home +0.25", "2:2", HW],
    [2, "home 0.25", "0:0", HW],
    [2, "home 0.25", "1:0", W],
    [2, "home 0.25", "0:1", L],
    // -0.75 = (-0.5, -1)
    [2, "home -0.75", "2:0", W],
    [2, "home -0.75", "1:0", HW],
    [2, "home -0.75", "2:1", HW],
    [2, "home -0.75", "1:1", L],
    [2, "home -0.75", "0:1", L],
    // +0.75 = (+0.5, +1): Pinnacle's Team A +3/4 losing 0-1 loses half, pushes half
    [2, "home +0.75", "1:0", W],
    [2, "home 0.75", "0:0", W],
    [2, "home 0.75", "0:1", HL],
    [2, "home 0.75", "0:2", L],
    // whole and half lines
    [2, "home -1", "2:0", W],
    [2, "home -1.0", "1:0", P],
    [2, "home -1", "0:0", L],
    [2, "home 2", "0:1", W], // Unibet: +2 wins if losing by 1
    [2, "home +2.0", "0:2", P], // refund if losing by 2
    [2, "home 2", "0:3", L],
    [2, "home 1.5", "0:1", W], // Unibet: +1.5 wins if losing by 1
    [2, "home 1.5", "0:2", L],
    [2, "home -0.5", "1:0", W],
    [2, "home -0.5", "0:0", L],
    [2, "home 0.0", "0:0", P], // AH 0 = draw no bet
    [2, "home 0", "1:0", W],
    // away side mirrors on the away margin
    [2, "away -0.75", "0:2", W],
    [2, "away -0.75", "0:1", HW],
    [2, "away -0.75", "1:1", L],
    [2, "away +0.25", "1:1", HW],
    [2, "away -0.25", "2:2", HL],
    [2, "away 1.75", "2:0", HL], // (+1.5, +2): losing by 2 -> half lose, half push
    [2, "away 1.75", "1:0", W],
    [2, "away -3.0", "0:3", P],
    [2, "home 4.25", "0:4", HW],
    [2, "home -1.25", "2:1", HL], // (-1, -1.5): win by 1 -> push + lose
    [2, "home -1.25", "2:0", W],
    [2, "home -1.75", "2:0", HW], // (-1.5, -2): win by 2 -> win + push
  ];
  it.each(rows)("%i %s at %s", (type, value, score, expected) => {
    expect(settle(type, value, score)).toEqual(expected);
  });
});

describe("goals over/under (type 3), [S4][S6]", () => {
  const rows: Row[] = [
    [3, "over 2.25", "1:1", HL], // over 2.25 with 2 goals loses half
    [3, "under 2.25", "2:0", HW], // under 2.25 with 2 goals wins half
    [3, "over 2.75", "2:1", HW], // over 2.75 with 3 goals: half win + half push
    [3, "under 2.75", "3:0", HL], // under 2.75 with 3 goals loses half
    [3, "under 5.25", "3:2", HW], // Pinnacle: under 5 1/4 with exactly 5: half push, half win
    [3, "over 2.5", "2:1", W],
    [3, "over 2.5", "1:1", L],
    [3, "under 3.0", "2:1", P],
    [3, "under 3", "1:1", W],
    [3, "over 0.75", "1:0", HW],
    [3, "over 0.75", "0:0", L],
    [3, "over 0.75", "1:1", W],
    [3, "under 1.75", "1:1", HL],
    [3, "over 4.25", "3:2", W],
    [3, "over 4.25", "2:2", HL],
    [3, "over -0.5", "0:0", W], // a sign is allowed by the pattern
  ];
  it.each(rows)("%i %s at %s", (type, value, score, expected) => {
    expect(settle(type, value, score)).toEqual(expected);
  });
});

describe("every other bet type over a table of scores", () => {
  const rows: Row[] = [
    [1, "home", "1:0", W],
    [1, "home", "1:1", L],
    [1, "draw", "2:2", W],
    [1, "draw", "0:1", L],
    [1, "away", "0:1", W],
    [4, "yes", "1:1", W],
    [4, "yes", "1:0", L],
    [4, "no", "0:3", W],
    [4, "no", "2:2", L],
    [5, "2:1", "2:1", W],
    [5, "2:1", "1:2", L],
    [5, "1:1 2:2 1:2", "2:2", W],
    [5, "1:1 2:2 1:2", "1:2", W],
    [5, "1:1 2:2 1:2", "0:0", L],
    [6, "home/draw", "1:1", W],
    [6, "home/draw", "3:0", W],
    [6, "home/draw", "0:1", L],
    [6, "draw/away", "0:0", W],
    [6, "away/home", "0:0", L],
    [6, "away/home", "2:1", W],
    [7, "home over 2.5", "3:0", W],
    [7, "home over 2.5", "2:5", L],
    [7, "away under 0.5", "4:0", W],
    [7, "away under 0.5", "0:1", L],
    [8, "odd", "2:1", W],
    [8, "even", "0:0", W],
    [8, "even", "1:0", L],
    [9, "home odd", "1:4", W],
    [9, "home even", "0:1", W],
    [9, "away odd", "2:2", L],
    [10, "home/yes", "2:1", W],
    [10, "home/yes", "2:0", L],
    [10, "draw/no", "0:0", W],
    [10, "draw/no", "1:1", L],
    [10, "away/no", "0:2", W],
    [11, "home/over 2.5", "2:1", W],
    [11, "home/over 2.5", "2:0", L],
    [11, "draw/under 0.5", "0:0", W],
    [11, "draw/under 0.5", "1:1", L],
    [11, "away/over 4.5", "2:3", W],
    [12, "home yes", "3:0", W],
    [12, "home yes", "0:0", W],
    [12, "home yes", "3:1", L],
    [12, "away no", "1:0", W],
    [12, "away no", "0:0", L],
    [13, "home yes", "1:0", W],
    [13, "home yes", "0:0", L],
    [13, "home yes", "2:1", L],
    [13, "away yes", "0:2", W],
    [13, "away no", "0:0", W],
    [13, "away no", "0:2", L],
    [14, "2", "1:1", W],
    [14, "2", "2:1", L],
    [14, "0", "0:0", W],
    [15, "home 2", "2:5", W],
    [15, "away 3", "0:3", W],
    [15, "away 3", "3:0", L],
    [16, "home yes", "1:0", W],
    [16, "home yes", "0:2", L],
    [16, "away no", "3:0", W],
    [16, "away no", "3:1", L],
    [17, "home", "1:0", W],
    [17, "home", "1:1", P],
    [17, "away", "1:0", L],
    [17, "away", "0:0", P],
    [18, "home 2-3", "3:0", W],
    [18, "home 2-3", "1:0", L],
    [18, "away 0-1", "5:1", W],
    [18, "away 0-1", "0:2", L],
    [19, "yes over 2.5", "2:1", W],
    [19, "yes over 2.5", "3:0", L],
    [19, "yes over 2.5", "1:1", L],
    [19, "no under 1.5", "1:0", W],
    [19, "no under 1.5", "2:0", L],
    [20, "2-3", "1:1", W],
    [20, "2-3", "2:1", W],
    [20, "2-3", "2:2", L],
    [20, "0-0", "0:0", W],
  ];
  it.each(rows)("%i %s at %s", (type, value, score, expected) => {
    expect(settle(type, value, score)).toEqual(expected);
  });

  it("covers all 20 bet types", () => {
    const seen = new Set([...rows.map((r) => r[0]), 2, 3]);
    expect([...seen].sort((a, b) => a - b)).toEqual(BET_TYPES.map((t) => t.id));
  });
});

describe("[S7] Cardiff -0.75 @1.825 / Swansea +0.75 @2.075, GBP100 each", () => {
  const cardiff = parse(2, "home -0.75");
  const swansea = parse(2, "away +0.75");
  const pl = (bet: ParsedValue, odds: number, score: string) => {
    const [h, a] = score.split(":").map(Number) as [number, number];
    return 100 * unitProfit(bet.settle(h, a), odds, false, 0);
  };
  it.each([
    ["0:0", -100, 107.5],
    ["1:0", 41.25, -50],
    ["2:0", 82.5, -100],
  ] as const)("%s -> Cardiff %d, Swansea %d", (score, c, s) => {
    expect(pl(cardiff, 1.825, score)).toBeCloseTo(c, 9);
    expect(pl(swansea, 2.075, score)).toBeCloseTo(s, 9);
  });
});

describe("money per unit stake (quant.md A2)", () => {
  it("back: win pays (o-1)(1-c), loss costs the stake, push is 0", () => {
    expect(unitProfit(W, 3, false, 0.05)).toBeCloseTo(1.9, 12);
    expect(unitProfit(L, 3, false, 0.05)).toBe(-1);
    expect(unitProfit(P, 3, false, 0.05)).toBe(0);
    expect(unitProfit(HW, 1.9, false, 0)).toBeCloseTo(0.45, 12);
  });
  it("lay: selection loses pays the backer's stake less commission; selection wins costs the liability", () => {
    expect(unitProfit(L, 5, true, 0.02)).toBeCloseTo(0.98, 12);
    expect(unitProfit(W, 5, true, 0.02)).toBe(-4);
    expect(unitProfit(HL, 5, true, 0)).toBeCloseTo(0.5, 12);
  });
  it("[S8] back GBP20 @7.0 and lay GBP35 @4.0 at 5%: per-bet commission gives +9.00 / +13.25", () => {
    const wins = 20 * unitProfit(W, 7, false, 0.05) + 35 * unitProfit(W, 4, true, 0.05);
    const loses = 20 * unitProfit(L, 7, false, 0.05) + 35 * unitProfit(L, 4, true, 0.05);
    expect(wins).toBeCloseTo(9, 9);
    expect(loses).toBeCloseTo(13.25, 9);
  });
});

describe("values and names", () => {
  it("splits quarter lines only", () => {
    expect(componentLines(-0.75)).toEqual([-1, -0.5]);
    expect(componentLines(0.25)).toEqual([0, 0.5]);
    expect(componentLines(1.5)).toEqual([1.5]);
    expect(componentLines(-2)).toEqual([-2]);
  });

  it("finds types by id, digit string, name and alias, ignoring case and underscores", () => {
    expect(findBetType(1)?.name).toBe("MatchWinner");
    expect(findBetType("2")?.name).toBe("AsianHandicap");
    expect(findBetType("goals_overunder")?.id).toBe(3);
    expect(findBetType("Team_Total")?.id).toBe(7);
    expect(findBetType("TotalGoals")?.id).toBe(14);
    expect(findBetType("Result_OverUnder")?.id).toBe(11);
    expect(findBetType("DrawNoBet")?.id).toBe(17);
    expect(findBetType(21)).toBeUndefined();
    expect(findBetType(1.5)).toBeUndefined();
    expect(findBetType("Nope")).toBeUndefined();
  });

  it("accepts values case-insensitively and rejects bad ones with the expected pattern", () => {
    expect(typeof parseBetValue(findBetType(1)!, "Home")).not.toBe("string");
    expect(parseBetValue(findBetType(1)!, "hom")).toMatch(/does not match MatchWinner/);
    expect(parseBetValue(findBetType(2)!, "home -0.3")).toMatch(/AsianHandicap/);
    expect(parseBetValue(findBetType(7)!, "home over 2x5")).toMatch(/does not match/); // the "." is literal here
    expect(parseBetValue(findBetType(6)!, "home/home")).toMatch(/must differ/);
    expect(parseBetValue(findBetType(5)!, "1:1 1:1")).toMatch(/twice/);
    expect(parseBetValue(findBetType(20)!, "3-2")).toMatch(/low <= high/);
    expect(parseBetValue(findBetType(2)!, "home 99999")).toMatch(/within/);
  });

  it("payoffs change only across the declared cuts (random check)", () => {
    // For every bet type, moving h, a, t or d by 2 without crossing a cut keeps the payoff.
    const samples: [number, string][] = BET_TYPES.flatMap((t) => t.examples.map((v) => [t.id, v] as [number, string]));
    for (const [type, value] of samples) {
      const p = parse(type, value);
      const all = [...p.cuts.h, ...p.cuts.a, ...p.cuts.t, ...p.cuts.d].map(Math.abs);
      const k = Math.max(1, ...all.map(Math.ceil));
      for (let h = 0; h <= 2 * k + 4; h++) {
        for (let a = 0; a <= 2 * k + 4; a++) {
          const crosses = (x: number, cuts: readonly number[], dx: number) => cuts.some((c) => (x - c) * (x + dx - c) < 0);
          if (
            !crosses(h, p.cuts.h, 2) &&
            !crosses(a, p.cuts.a, 2) &&
            !crosses(h + a, p.cuts.t, 4) &&
            !crosses(h - a, p.cuts.d, 0)
          ) {
            expect(p.settle(h + 2, a + 2), `${type} ${value} ${h}:${a}`).toEqual(p.settle(h, a));
          }
        }
      }
    }
  });
});
