import { describe, expect, it } from "vitest";
import { americanToDecimal, americanToProbability, probabilityToAmericanFloor, americanProfitPerUnit } from "../odds/american.ts";
import { devig, devigAdditive, devigMultiplicative, devigPower, devigShin } from "./devig.ts";

describe("odds conversions used by the pricer", () => {
  it.each([
    [-110, 1.9090909, 0.5238095],
    [+100, 2, 0.5],
    [+150, 2.5, 0.4],
    [-200, 1.5, 0.6666667],
    [+1000, 11, 0.0909091],
  ])("%i → decimal %f, implied %f", (american, decimal, p) => {
    expect(americanToDecimal(american)).toBeCloseTo(decimal, 6);
    expect(americanToProbability(american)).toBeCloseTo(p, 6);
  });

  it.each([0.5, 0.4, 0.6, 0.123456, 0.9, 0.0421, 0.51, 0.49])("probabilityToAmericanFloor(%f) never pays more than fair", (p) => {
    const odds = probabilityToAmericanFloor(p);
    expect(americanProfitPerUnit(odds)).toBeLessThanOrEqual(1 / p - 1 + 1e-12);
    // and is within one American unit of the exact price
    expect(americanProfitPerUnit(odds)).toBeGreaterThan(1 / p - 1 - 0.011 * Math.max(1, 1 / p));
  });
});

describe("margin removal", () => {
  it("Shin reproduces the published vector (2.6, 2.4, 4.3)", () => {
    const r = devigShin([2.6, 2.4, 4.3]);
    expect(r.parameter!).toBeCloseTo(0.0169425128, 9);
    const expected = [0.37299406, 0.404779411, 0.222226529];
    r.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 8));
  });

  it.each([
    ["multiplicative", devigMultiplicative, [0.37203, 0.40303, 0.22495]],
    ["additive", devigAdditive, [0.37334, 0.40539, 0.22128]],
    ["power", devigPower, [0.37298, 0.40511, 0.22191]],
  ] as const)("%s matches quant.md on (2.6, 2.4, 4.3)", (_name, fn, expected) => {
    const r = fn([2.6, 2.4, 4.3]);
    r.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 4));
    expect(r.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it("power exponent k = 1.0321 on the vector", () => {
    expect(devigPower([2.6, 2.4, 4.3]).parameter!).toBeCloseTo(1.0321, 3);
  });

  it.each([
    [1.8, 2.1],
    [1.25, 4.2],
    [1.909, 1.909],
  ])("two-way (%f, %f): Shin = additive = mid", (a, b) => {
    const shin = devig([a, b], "shin").probabilities;
    const add = devig([a, b], "additive").probabilities;
    const mid = devig([a, b], "mid").probabilities;
    const midManual = (1 / a + 1 - 1 / b) / 2;
    expect(shin[0]).toBeCloseTo(add[0]!, 12);
    expect(mid[0]).toBeCloseTo(midManual, 12);
  });

  it("-110/-110 de-vigs to 0.5 under every method", () => {
    for (const m of ["multiplicative", "power", "shin", "additive", "mid"] as const) {
      const r = devig([americanToDecimal(-110), americanToDecimal(-110)], m);
      expect(r.probabilities[0]).toBeCloseTo(0.5, 10);
      expect(r.overround).toBeCloseTo(0.047619, 5);
    }
  });

  it("power and Shin shade the long shot more than multiplicative (favourite–longshot)", () => {
    const odds = [1.2, 4.8];
    const mult = devigMultiplicative(odds).probabilities[1]!;
    expect(devigPower(odds).probabilities[1]!).toBeLessThan(mult);
    expect(devigShin(odds).probabilities[1]!).toBeLessThan(mult);
  });

  it("additive stays a distribution when it would go negative (quant.md example)", () => {
    const r = devigAdditive([1 / 0.87, 1 / 0.2, 1 / 0.1, 1 / 0.05, 1 / 0.02, 1 / 0.01]);
    expect(Math.min(...r.probabilities)).toBeGreaterThan(0);
    expect(r.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });
});
