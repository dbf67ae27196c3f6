import { describe, expect, it } from "vitest";
import { decimalText, decimalToCents, parseDecimal, payoutCents, liabilityCents, maxStakeForLiability } from "./decimal.ts";

describe("decimal wire amounts", () => {
  it.each([
    [2.1, "2.1"],
    [10, "10"],
    ["3.25", "3.25"],
    [0.1, "0.1"],
    [-1, null],
    [1e21, null],
    [1e-7, null],
    ["1,5", null],
    [Number.NaN, null],
    [true, null],
  ])("decimalText(%s) = %s", (v, want) => expect(decimalText(v)).toBe(want));

  it.each([
    ["10", 1000n],
    ["10.5", 1050n],
    ["0.01", 1n],
    ["3.10", 310n],
    ["0.001", null],
    ["1.005", null],
  ])("decimalToCents(%s) = %s", (t, want) => expect(decimalToCents(t)).toBe(want));

  it.each([
    // stake cents, price, payout cents: floor(stake × price) to the cent
    [1000n, "2.5", 2500n],
    [3n, "2.1", 6n], // 6.3 → 6
    [1n, "1.99", 1n], // 1.99 → 1
    [1000n, "1.333333", 1333n], // 1333.333 → 1333
    [10n ** 13n, "999999.99", 9999999900000000000n], // no float error at the extremes
    [33n, "3", 99n],
  ])("payoutCents(%s, %s) = %s", (stake, price, want) => {
    expect(payoutCents(stake, parseDecimal(price)!)).toBe(want);
  });

  it("binary floating point would get these wrong; integer arithmetic does not", () => {
    expect(1.15 * 100).not.toBe(115); // 114.99999999999999
    expect(payoutCents(100n, parseDecimal("1.15")!)).toBe(115n);
    expect(liabilityCents(100n, parseDecimal("1.15")!)).toBe(15n);
  });

  it.each([
    [1000n, "2.5"],
    [7n, "1.333333"],
    [12345n, "3.07"],
    [0n, "2"],
  ])("maxStakeForLiability(%s, %s) is the largest stake that fits", (remaining, p) => {
    const price = parseDecimal(p)!;
    const s = maxStakeForLiability(remaining, price);
    expect(liabilityCents(s, price)).toBeLessThanOrEqual(remaining);
    expect(liabilityCents(s + 1n, price)).toBeGreaterThan(remaining);
  });
});
