// Standard normal cdf / quantile and a bivariate-normal rectangle probability (numerical integration).

/** Φ(x) via erfc (W. J. Cody-style rational approximation from Numerical Recipes erfcc, |err| < 1.2e-7). */
export function normalCdf(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

export const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Φ⁻¹(p), Acklam's algorithm (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile needs p in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** P(lo < X < hi) for X ~ N(mean, sd). */
export const normalInterval = (lo: number, hi: number, mean: number, sd: number): number =>
  hi <= lo ? 0 : Math.max(0, normalCdf((hi - mean) / sd) - normalCdf((lo - mean) / sd));

/**
 * P(X in (a1, b1), Y in (a2, b2)) for a bivariate normal with correlation rho: Simpson integration of
 * the conditional probability of Y over X (64 panels over the X interval clipped to ±8 sd).
 */
export function bivariateNormalRectangle(
  a1: number,
  b1: number,
  a2: number,
  b2: number,
  mx: number,
  sx: number,
  my: number,
  sy: number,
  rho: number,
): number {
  if (b1 <= a1 || b2 <= a2) return 0;
  if (Math.abs(rho) < 1e-12) return normalInterval(a1, b1, mx, sx) * normalInterval(a2, b2, my, sy);
  const lo = Math.max(a1, mx - 8 * sx);
  const hi = Math.min(b1, mx + 8 * sx);
  if (hi <= lo) return 0;
  const n = 64;
  const h = (hi - lo) / n;
  const condSd = sy * Math.sqrt(1 - rho * rho);
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    const condMean = my + (rho * sy * (x - mx)) / sx;
    s += w * (normalPdf((x - mx) / sx) / sx) * normalInterval(a2, b2, condMean, condSd);
  }
  return Math.min(1, Math.max(0, (s * h) / 3));
}
