// What each bettable outcome of a game means as a condition on the final score, how it settles, and
// the compressed "which outcomes win together" table used for fast joint probabilities.

import type { Score, ScoreGrid } from "./score-model";

export type OutcomeSpec =
  | { readonly kind: "home_win" }
  | { readonly kind: "away_win" }
  | { readonly kind: "draw" }
  /** Home side with handicap `line` added to its score (e.g. −5.5). */
  | { readonly kind: "home_handicap"; readonly line: number }
  /** Away side with handicap `line` added to its score (e.g. +5.5). */
  | { readonly kind: "away_handicap"; readonly line: number }
  | { readonly kind: "over"; readonly line: number }
  | { readonly kind: "under"; readonly line: number };

export type LegResult = "won" | "lost" | "push";

/** Settle one outcome on a final score. Whole-number lines can push; half lines never do. */
export const settleOutcome = (spec: OutcomeSpec, score: Score): LegResult => {
  const cmp = (x: number): LegResult => (x > 0 ? "won" : x < 0 ? "lost" : "push");
  const { home: h, away: a } = score;
  switch (spec.kind) {
    case "home_win":
      return h > a ? "won" : "lost";
    case "away_win":
      return a > h ? "won" : "lost";
    case "draw":
      return h === a ? "won" : "lost";
    case "home_handicap":
      return cmp(h + spec.line - a);
    case "away_handicap":
      return cmp(a + spec.line - h);
    case "over":
      return cmp(h + a - spec.line);
    case "under":
      return cmp(spec.line - (h + a));
  }
};

/** settleOutcome(spec, score) === "won", without allocating (hot loop of buildWinTable). */
const wins = (spec: OutcomeSpec, h: number, a: number): boolean => {
  switch (spec.kind) {
    case "home_win":
      return h > a;
    case "away_win":
      return a > h;
    case "draw":
      return h === a;
    case "home_handicap":
      return h + spec.line > a;
    case "away_handicap":
      return a + spec.line > h;
    case "over":
      return h + a > spec.line;
    case "under":
      return h + a < spec.line;
  }
};

/**
 * Probability mass grouped by the set of outcomes that win together. With n ≤ 31 outcomes, bit k of
 * `masks[i]` says outcome k wins in group i. A game with 15 outcomes has a few dozen groups, so
 * joint probabilities of any leg set are sums over a handful of numbers.
 */
export interface WinTable {
  readonly outcomeCount: number;
  readonly masks: Uint32Array;
  readonly probs: Float64Array;
}

export const MAX_OUTCOMES_PER_GAME = 31;

export const buildWinTable = (grid: ScoreGrid, specs: readonly OutcomeSpec[]): WinTable => {
  if (specs.length > MAX_OUTCOMES_PER_GAME) throw new RangeError(`too many outcomes: ${specs.length}`);
  const byMask = new Map<number, number>();
  const { minHome, minAway, homeCount, awayCount, probs } = grid;
  for (let i = 0; i < homeCount; i++) {
    for (let j = 0; j < awayCount; j++) {
      const p = probs[i * awayCount + j]!;
      if (p <= 0) continue;
      const h = minHome + i;
      const a = minAway + j;
      let mask = 0;
      for (let k = 0; k < specs.length; k++) if (wins(specs[k]!, h, a)) mask |= 1 << k;
      mask >>>= 0;
      byMask.set(mask, (byMask.get(mask) ?? 0) + p);
    }
  }
  const masks = new Uint32Array(byMask.size);
  const out = new Float64Array(byMask.size);
  let k = 0;
  for (const [mask, p] of byMask) {
    masks[k] = mask;
    out[k] = p;
    k++;
  }
  return { outcomeCount: specs.length, masks, probs: out };
};

/** P(every outcome whose bit is set in `mask` wins). An empty mask has probability 1. */
export const jointWinProbability = (table: WinTable, mask: number): number => {
  const want = mask >>> 0;
  let sum = 0;
  for (let i = 0; i < table.masks.length; i++) if ((table.masks[i]! & want) >>> 0 === want) sum += table.probs[i]!;
  return sum;
};

/** Marginal win probability of every outcome, in bit order. */
export const marginalWinProbabilities = (table: WinTable): number[] => {
  const out = new Array<number>(table.outcomeCount).fill(0);
  for (let i = 0; i < table.masks.length; i++) {
    const m = table.masks[i]!;
    const p = table.probs[i]!;
    for (let k = 0; k < table.outcomeCount; k++) if (m & (1 << k)) out[k] = out[k]! + p;
  }
  return out;
};
