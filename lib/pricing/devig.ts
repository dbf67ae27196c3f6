// Margin removal for one market (quant.md B4). Input: decimal odds of every outcome of the market.
// Output: fair probabilities summing to 1.
//
// For two outcomes Shin's model reduces exactly to the additive method, and the additive method is the
// mid of the two implied probabilities ((r_a + 1 − r_b) / 2): "shin", "additive" and "mid" coincide
// on two-way markets. They differ on three-way markets (soccer 1X2), where "mid" falls back to additive.

import type { DevigMethod } from "./types.ts";

export interface DevigResult {
  probabilities: number[];
  /** Sum of implied probabilities − 1 (the book's margin; negative when the book is crossed). */
  overround: number;
  /** Shin's insider share z, or the power exponent k; undefined for the other methods. */
  parameter?: number;
}

const inverse = (decimals: readonly number[]): number[] =>
  decimals.map((d) => {
    if (!(d > 1) || !Number.isFinite(d)) throw new RangeError(`decimal odds must be > 1, got ${d}`);
    return 1 / d;
  });

export function devigMultiplicative(decimals: readonly number[]): DevigResult {
  const r = inverse(decimals);
  const R = sum(r);
  return { probabilities: r.map((x) => x / R), overround: R - 1 };
}

/** p_i = r_i − (R − 1)/n. Can leave [0, 1] for long shots; clamped and renormalised then. */
export function devigAdditive(decimals: readonly number[]): DevigResult {
  const r = inverse(decimals);
  const R = sum(r);
  const n = r.length;
  const raw = r.map((x) => x - (R - 1) / n);
  if (raw.every((p) => p > 0)) return { probabilities: raw, overround: R - 1 };
  const clamped = raw.map((p) => Math.max(p, 1e-9));
  const s = sum(clamped);
  return { probabilities: clamped.map((p) => p / s), overround: R - 1 };
}

/** p_i = r_i^k with k solved (Newton) so that Σ p_i = 1. k > 1 when R > 1. */
export function devigPower(decimals: readonly number[]): DevigResult {
  const r = inverse(decimals);
  const R = sum(r);
  const logs = r.map(Math.log);
  // Newton on f(k) = Σ r_i^k − 1 (convex, decreasing in k since every r_i < 1), from k = 1.
  let k = 1;
  for (let i = 0; i < 50; i++) {
    let f = -1;
    let df = 0;
    for (let j = 0; j < r.length; j++) {
      const v = Math.exp(k * logs[j]!);
      f += v;
      df += v * logs[j]!;
    }
    if (!(df < 0)) return devigMultiplicative(decimals);
    const step = f / df;
    k -= step;
    if (!(k > 0) || !Number.isFinite(k)) return devigMultiplicative(decimals);
    if (Math.abs(step) < 1e-13) break;
  }
  const p = r.map((x) => x ** k);
  const s = sum(p);
  return { probabilities: p.map((x) => x / s), overround: R - 1, parameter: k };
}

/**
 * Shin (1993) with the Jullien–Salanié fixed point for the insider share z:
 *   p_i = (sqrt(z² + 4(1 − z) r_i²/R) − z) / (2(1 − z)),  z = (Σ sqrt(z² + 4(1 − z) r_i²/R) − 2)/(n − 2).
 * For n = 2 the fixed point is undefined and Shin equals the additive method, which is returned.
 */
export function devigShin(decimals: readonly number[]): DevigResult {
  const r = inverse(decimals);
  const n = r.length;
  const R = sum(r);
  if (n === 2) return devigAdditive(decimals);
  if (R <= 1) return devigMultiplicative(decimals);
  const terms = (z: number): number[] => r.map((x) => Math.sqrt(z * z + (4 * (1 - z) * x * x) / R));
  let z = 0;
  for (let i = 0; i < 1000; i++) {
    const next = (sum(terms(z)) - 2) / (n - 2);
    if (Math.abs(next - z) < 1e-15) {
      z = next;
      break;
    }
    z = next;
  }
  const p = terms(z).map((t) => (t - z) / (2 * (1 - z)));
  return { probabilities: p, overround: R - 1, parameter: z };
}

export function devig(decimals: readonly number[], method: DevigMethod): DevigResult {
  switch (method) {
    case "multiplicative":
      return devigMultiplicative(decimals);
    case "power":
      return devigPower(decimals);
    case "shin":
      return devigShin(decimals);
    case "additive":
    case "mid":
      return devigAdditive(decimals);
  }
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
