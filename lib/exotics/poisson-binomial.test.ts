import { describe, expect, it } from "vitest";
import { addScaled, convolve, poissonBinomialPmf, tailAtLeast } from "./poisson-binomial.ts";

function bruteForce(ps: number[]): number[] {
  const n = ps.length;
  const out = new Array<number>(n + 1).fill(0);
  for (let mask = 0; mask < 1 << n; mask++) {
    let p = 1;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        p *= ps[i]!;
        k++;
      } else p *= 1 - ps[i]!;
    }
    out[k]! += p;
  }
  return out;
}

describe("poissonBinomialPmf (quant.md B1)", () => {
  it("reproduces the published vector p = (.1,.2,.3,.4,.5)", () => {
    const pmf = Array.from(poissonBinomialPmf([0.1, 0.2, 0.3, 0.4, 0.5]));
    const expected = [0.1512, 0.3714, 0.3274, 0.1274, 0.0214, 0.0012];
    pmf.forEach((p, k) => expect(p).toBeCloseTo(expected[k]!, 10));
    expect(tailAtLeast(poissonBinomialPmf([0.1, 0.2, 0.3, 0.4, 0.5]), 3)).toBeCloseTo(0.15, 12);
  });

  it.each([
    [[0.5]],
    [[0, 1, 0.3]],
    [[0.9, 0.05, 0.33, 0.71, 0.2, 0.6, 0.44]],
    [[0.12, 0.34, 0.56, 0.78, 0.9, 0.01, 0.5, 0.5, 0.25, 0.75]],
  ])("equals brute-force enumeration for %j", (ps) => {
    const dp = Array.from(poissonBinomialPmf(ps));
    const bf = bruteForce(ps);
    dp.forEach((p, k) => expect(p).toBeCloseTo(bf[k]!, 14));
    expect(dp.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 14);
  });

  it("convolution of Poisson-binomials is the Poisson-binomial of the union", () => {
    const a = [0.3, 0.7, 0.1];
    const b = [0.45, 0.2];
    const conv = Array.from(convolve(poissonBinomialPmf(a), poissonBinomialPmf(b)));
    const joint = Array.from(poissonBinomialPmf([...a, ...b]));
    conv.forEach((p, k) => expect(p).toBeCloseTo(joint[k]!, 14));
  });

  it("convolution is commutative and keeps total mass", () => {
    const a = poissonBinomialPmf([0.2, 0.9]);
    const b = Float64Array.of(0.1, 0.6, 0.3);
    const ab = convolve(a, b);
    const ba = convolve(b, a);
    Array.from(ab).forEach((p, k) => expect(p).toBeCloseTo(ba[k]!, 15));
    expect(Array.from(ab).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 15);
  });

  it("addScaled mixes distributions", () => {
    const t = new Float64Array(3);
    addScaled(t, Float64Array.of(1, 0, 0), 0.25);
    addScaled(t, Float64Array.of(0, 0.5, 0.5), 0.75);
    expect(Array.from(t)).toEqual([0.25, 0.375, 0.375]);
  });
});
