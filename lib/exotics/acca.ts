// "At least k of n" accumulator pricing across matches: per-match pmfs of legs won (exact over the
// score grid), convolved across matches (matches are independent), then the conditions applied.

import { type LegSpec } from "./legs.ts";
import { type MatchModel } from "./match-model.ts";
import { priceMatchLegs } from "./match-pricer.ts";
import { type Pmf, convolve } from "./poisson-binomial.ts";
import { type WinsCondition, type WinningCounts, checkConditions } from "./conditions.ts";
import { type MarginSettings, quotePrice } from "./margin.ts";

export interface AccaLeg {
  /** Legs with the same key are priced jointly over that match's score grid. */
  matchKey: string;
  model: MatchModel;
  leg: LegSpec;
}

export interface AccaDistribution {
  pmf: Pmf;
  /** P(leg i wins) in input order. */
  marginals: number[];
}

export function accaWinsDistribution(legs: readonly AccaLeg[]): AccaDistribution {
  const byMatch = new Map<string, number[]>();
  legs.forEach((l, i) => {
    const list = byMatch.get(l.matchKey);
    if (list) list.push(i);
    else byMatch.set(l.matchKey, [i]);
  });
  const marginals = new Array<number>(legs.length).fill(0);
  let pmf: Pmf = Float64Array.of(1);
  for (const idx of byMatch.values()) {
    const model = legs[idx[0]!]!.model;
    const r = priceMatchLegs(model, idx.map((i) => legs[i]!.leg));
    idx.forEach((li, j) => (marginals[li] = r.marginals[j]!));
    pmf = convolve(pmf, r.pmf);
  }
  return { pmf, marginals };
}

export const probabilityOfCounts = (pmf: Pmf, counts: readonly number[]): number => {
  let s = 0;
  for (const k of counts) s += pmf[k] ?? 0;
  return Math.min(1, Math.max(0, s));
};

export interface AccaQuote {
  fairProbability: number;
  price: string;
  priceHundredths: number;
  margin: number;
  marginals: number[];
  pmf: number[];
  winning: WinningCounts;
}

export type AccaQuoteResult = { ok: true; value: AccaQuote } | { ok: false; error: string };

export function priceAcca(legs: readonly AccaLeg[], conditions: readonly WinsCondition[], margin: MarginSettings): AccaQuoteResult {
  if (legs.length === 0) return { ok: false, error: "matches: at least one leg is required" };
  const check = checkConditions(conditions, legs.length);
  if (!check.ok) return check;
  const dist = accaWinsDistribution(legs);
  const fairProbability = probabilityOfCounts(dist.pmf, check.value.counts);
  const q = quotePrice(fairProbability, legs.length, margin);
  if (!q.ok) return q;
  return {
    ok: true,
    value: {
      fairProbability,
      ...q.value,
      marginals: dist.marginals,
      pmf: Array.from(dist.pmf),
      winning: check.value,
    },
  };
}
