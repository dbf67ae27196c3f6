// A match's joint model: the score grid plus conditional models for the non-score legs (quant.md B2).
// Given the final score (h, a):
//   - a player scores with probability 1 - (1 - s)^g (Poisson thinning of his team's g goals); several
//     players of one team are handled jointly (each goal goes to player i with probability s_i), so two
//     scorers from the same side are exactly (negatively) dependent, not assumed independent;
//   - total corners and total cards are Poisson counts whose means depend on the score state
//     (corners rise with the goal difference as the trailing side presses, cards rise in close games);
//   - the groups (score legs, home scorers, away scorers, corners, cards) are conditionally independent.

import { MAX_GOALS, cellIndex, dixonColesGrid, type ScoreGrid } from "./score-model.ts";

export interface MatchModelParams {
  lambdaHome: number;
  lambdaAway: number;
  /** Dixon-Coles rho (0 = independent Poisson). */
  rho: number;
  /** Expected total corners (unconditional). */
  cornersMean: number;
  /** Expected total cards (unconditional). */
  cardsMean: number;
  /** Relative rise of the corners mean per goal of difference (capped at 3 goals). */
  cornersPerGoalDiff?: number;
  /** Relative rise of the cards mean when the margin is at most one goal. */
  cardsCloseGame?: number;
}

export interface MatchModel {
  readonly params: MatchModelParams;
  readonly grid: ScoreGrid;
  /** Conditional corners mean per score cell (same indexing as the grid). */
  readonly cornersMeanByCell: Float64Array;
  readonly cardsMeanByCell: Float64Array;
}

export const DEFAULT_CORNERS_PER_GOAL_DIFF = 0.06;
export const DEFAULT_CARDS_CLOSE_GAME = 0.15;

/**
 * Builds the model. The state factors f(h, a) are divided by their grid expectation so the
 * unconditional means stay exactly `cornersMean` and `cardsMean`.
 */
export function buildMatchModel(params: MatchModelParams, grid?: ScoreGrid): MatchModel {
  const g = grid ?? dixonColesGrid(params.lambdaHome, params.lambdaAway, params.rho);
  const cornersSlope = params.cornersPerGoalDiff ?? DEFAULT_CORNERS_PER_GOAL_DIFF;
  const cardsClose = params.cardsCloseGame ?? DEFAULT_CARDS_CLOSE_GAME;
  const cf = new Float64Array(g.length);
  const kf = new Float64Array(g.length);
  let ec = 0;
  let ek = 0;
  for (let h = 0; h <= MAX_GOALS; h++) {
    for (let a = 0; a <= MAX_GOALS; a++) {
      const i = cellIndex(h, a);
      const d = Math.abs(h - a);
      cf[i] = 1 + cornersSlope * Math.min(d, 3);
      kf[i] = 1 + (d <= 1 ? cardsClose : 0);
      ec += g[i]! * cf[i]!;
      ek += g[i]! * kf[i]!;
    }
  }
  for (let i = 0; i < g.length; i++) {
    cf[i] = (params.cornersMean * cf[i]!) / ec;
    kf[i] = (params.cardsMean * kf[i]!) / ek;
  }
  return { params, grid: g, cornersMeanByCell: cf, cardsMeanByCell: kf };
}

