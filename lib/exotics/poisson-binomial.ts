// "Number of legs won" distributions (quant.md B1): the Poisson-binomial DP for independent legs and
// the convolution that combines independent groups (matches, or conditionally independent groups of
// legs inside one score cell). All functions are exact; nothing is simulated.

/** A probability mass function over 0..n, as a plain array (index = number of legs won). */
export type Pmf = Float64Array;

/** pmf of the number of successes of independent Bernoulli(p_i): f_new[k] = f[k](1-p) + f[k-1]p. */
export function poissonBinomialPmf(probabilities: readonly number[]): Pmf {
  const n = probabilities.length;
  const f = new Float64Array(n + 1);
  f[0] = 1;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    // Walk downwards so f[k-1] is still the previous row's value.
    for (let k = i + 1; k >= 1; k--) f[k] = f[k]! * (1 - p) + f[k - 1]! * p;
    f[0] = f[0]! * (1 - p);
  }
  return f;
}

/** Distribution of X + Y for independent X ~ a, Y ~ b. */
export function convolve(a: Pmf, b: Pmf): Pmf {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]! + ai * b[j]!;
  }
  return out;
}

/** Adds `weight * pmf` into `target` in place (target must be at least as long as pmf). */
export function addScaled(target: Pmf, pmf: Pmf, weight: number): void {
  for (let k = 0; k < pmf.length; k++) target[k] = target[k]! + weight * pmf[k]!;
}

/** P(X >= k). */
export function tailAtLeast(pmf: Pmf, k: number): number {
  let s = 0;
  for (let i = Math.max(0, k); i < pmf.length; i++) s += pmf[i]!;
  return s;
}

/** Point mass at `k` on 0..k (a group of deterministic legs of which exactly k won). */
export function pointMass(k: number, length = k + 1): Pmf {
  const f = new Float64Array(length);
  f[k] = 1;
  return f;
}
