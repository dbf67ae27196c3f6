import { describe, expect, it } from "vitest";
import { americanToDecimal, americanToProbability, decimalToAmericanExact, probabilityToAmericanFloor, isValidAmerican } from "./american.ts";
import { ODDS_LADDER, isOnLadder, snapToLadder, tickFrom } from "./ladder.ts";

describe("American odds conversions (quant.md B4)", () => {
  it.each([
    [150, 2.5, 0.4],
    [-150, 1 + 100 / 150, 0.6],
    [100, 2, 0.5],
    [-110, 1.9090909, 0.5238095],
  ])("%i → decimal %f, implied %f", (american, decimal, prob) => {
    expect(americanToDecimal(american)).toBeCloseTo(decimal, 6);
    expect(americanToProbability(american)).toBeCloseTo(prob, 6);
  });

  it.each([
    [2.5, 150],
    [1.5, -200],
    [2, 100],
  ])("decimal %f → American %f", (decimal, american) => expect(decimalToAmericanExact(decimal)).toBeCloseTo(american, 9));

  it("rounds offered odds against the offerer (never pays more than fair)", () => {
    for (const p of [0.1, 0.2345, 0.5, 0.51, 0.75, 0.9, 0.013]) {
      const odds = probabilityToAmericanFloor(p);
      expect(americanToDecimal(odds)).toBeLessThanOrEqual(1 / p + 1e-9);
      expect(Number.isInteger(odds)).toBe(true);
    }
    expect(probabilityToAmericanFloor(0.5)).toBe(100);
  });

  it("refuses impossible inputs", () => {
    expect(() => americanToDecimal(50)).toThrow(RangeError);
    expect(isValidAmerican(-100)).toBe(false);
    expect(isValidAmerican(-101)).toBe(true);
  });
});

describe("odds ladder", () => {
  it("has the 291 values of the exchange, without −100", () => {
    expect(ODDS_LADDER).toHaveLength(291);
    expect(ODDS_LADDER.filter((o) => o > 0)).toHaveLength(146);
    expect(isOnLadder(-100)).toBe(false);
    expect(ODDS_LADDER[0]).toBe(-10000);
    expect(ODDS_LADDER.at(-1)).toBe(10000);
    for (const v of [100, 120, 122, 205, 310, 520, 1100, 2250, 3500, 7500, -101, -7500]) expect(isOnLadder(v), String(v)).toBe(true);
    for (const v of [121, 201, 305, 510, 1050, 2100, 4100, 6000]) expect(isOnLadder(v), String(v)).toBe(false);
  });

  it.each([
    [121, "nearest", 120],
    [121, "up", 122],
    [121, "down", 120],
    [-100, "nearest", 100],
    [-99999, "nearest", -10000],
    [250000, "nearest", 10000],
    [4100, "down", 4000],
    [-121, "nearest", -122], // nearest in payout: 1.8264 is closer to 1.8197 (−122) than 1.8333 (−120)
  ] as const)("snaps %i (%s) to %i", (odds, dir, expected) => {
    expect(snapToLadder(odds, dir)).toBe(expected);
  });

  it("moves by ticks", () => {
    expect(tickFrom(100, 1)).toBe(101);
    expect(tickFrom(100, -1)).toBe(-101);
    expect(tickFrom(10000, 1)).toBeUndefined();
  });
});
