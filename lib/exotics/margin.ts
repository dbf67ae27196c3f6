// Margin on the combined price (quant.md B3 convention (b)): price = 1 / (P_joint * (1 + M(n))),
// M(n) = base + perLeg * (n - 1), rounded DOWN to 2 decimals (never pays more than the exact price).

export interface MarginSettings {
  /** Margin on a single-leg bet, e.g. 0.05 for 5%. */
  baseMargin: number;
  /** Extra margin per additional leg, e.g. 0.015. */
  perLegMargin: number;
  /** Shortest price we offer (decimal odds). */
  minPrice: number;
  /** Longest price we offer (decimal odds). */
  maxPrice: number;
}

export const DEFAULT_MARGIN: MarginSettings = { baseMargin: 0.05, perLegMargin: 0.015, minPrice: 1.01, maxPrice: 10000 };

export const marginForLegs = (legs: number, s: MarginSettings): number => s.baseMargin + s.perLegMargin * Math.max(0, legs - 1);

export type PriceResult =
  | { ok: true; value: { price: string; priceHundredths: number; margin: number } }
  | { ok: false; error: string };

export function quotePrice(fairProbability: number, legs: number, s: MarginSettings): PriceResult {
  if (!(fairProbability > 0)) return { ok: false, error: "the legs can never win together under these conditions (probability 0)" };
  const margin = marginForLegs(legs, s);
  const exact = 1 / (fairProbability * (1 + margin));
  // The epsilon keeps exact 2-dp prices (e.g. 3.2 computed as 3.19999999) from losing a cent.
  const hundredths = Math.floor(exact * 100 + 1e-7);
  if (hundredths < Math.round(s.minPrice * 100)) {
    return { ok: false, error: `the bet is too likely to win to be offered (fair probability ${fairProbability.toFixed(4)}; shortest price ${s.minPrice.toFixed(2)})` };
  }
  if (hundredths > Math.round(s.maxPrice * 100)) {
    return { ok: false, error: `the price ${(hundredths / 100).toFixed(2)} is longer than the maximum we offer (${s.maxPrice.toFixed(2)})` };
  }
  return { ok: true, value: { price: (hundredths / 100).toFixed(2), priceHundredths: hundredths, margin } };
}

export function validateMarginSettings(s: MarginSettings): string | null {
  if (!(s.baseMargin >= 0 && s.baseMargin <= 1)) return "base_margin must be between 0 and 1";
  if (!(s.perLegMargin >= 0 && s.perLegMargin <= 0.2)) return "per_leg_margin must be between 0 and 0.2";
  if (!(s.minPrice >= 1.01)) return "min_price must be at least 1.01";
  if (!(s.maxPrice > s.minPrice)) return "max_price must be above min_price";
  return null;
}
