// Deterministic pseudo-random numbers for simulated results: the same seed string always gives the
// same sequence (FNV-1a hash of the seed feeding a mulberry32 generator).
import { mulberry32 } from "../random/mulberry32.ts";

export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type Rng = () => number;

export { mulberry32 };

export const rngFromSeed = (seed: string): Rng => mulberry32(hashSeed(seed));

/** Index drawn from a discrete distribution (weights need not sum to 1). */
export function sampleIndex(weights: ArrayLike<number>, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Poisson draw by inversion (fine for the small means used here). */
export function samplePoisson(mu: number, rng: Rng): number {
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  const u = rng();
  while (u > cdf && k < 1000) {
    k++;
    p = (p * mu) / k;
    cdf += p;
  }
  return k;
}
