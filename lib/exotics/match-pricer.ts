// Exact distribution of "number of legs won" inside one match, mixing over the score grid:
//   P(X = k) = sum_{h,a} P(h,a) * P(X = k | h, a),
// where, given the score, the score legs are deterministic and the other groups are conditionally
// independent (see match-model.ts), so P(X | h, a) is a convolution of the groups' pmfs.

import { type LegSpec, type ScoreLeg, countLegWins, isScoreLeg, scoreLegWins } from "./legs.ts";
import { type MatchModel } from "./match-model.ts";
import { MAX_GOALS, cellIndex } from "./score-model.ts";
import { type Pmf, addScaled, convolve } from "./poisson-binomial.ts";

export interface MatchLegsResult {
  /** pmf over 0..legs.length of the number of this match's legs that win. */
  pmf: Pmf;
  /** P(leg i wins), in the order of `legs`. */
  marginals: number[];
}

/** Per number of team goals g = 0..MAX_GOALS: pmf of how many listed players score, and each one's P. */
export interface ScorerGroupTable {
  pmfByGoals: Pmf[];
  marginalByGoals: number[][];
}

/** Players per side beyond which the exact subset DP (2^m states) is refused. */
export const MAX_SCORERS_PER_SIDE = 10;

/**
 * Scorers of one side: each of the side's g goals goes to listed player i with probability s_i
 * (independently per goal), otherwise to someone else. The DP runs over the set of listed players
 * who have scored so far (2^m states), so dependence between teammates is exact.
 */
export function scorerGroupTable(shares: readonly number[]): ScorerGroupTable {
  const m = shares.length;
  if (m > MAX_SCORERS_PER_SIDE) throw new RangeError(`at most ${MAX_SCORERS_PER_SIDE} goalscorer legs per team`);
  const rest = 1 - shares.reduce((s, x) => s + x, 0);
  if (rest < -1e-12) throw new RangeError("goalscorer shares of one team add up to more than 1");
  const states = 1 << m;
  const popcount = new Uint8Array(states);
  for (let mask = 1; mask < states; mask++) popcount[mask] = popcount[mask >> 1]! + (mask & 1);
  let dp = new Float64Array(states);
  dp[0] = 1;
  const pmfByGoals: Pmf[] = [];
  const marginalByGoals: number[][] = [];
  for (let g = 0; g <= MAX_GOALS; g++) {
    const pmf = new Float64Array(m + 1);
    for (let mask = 0; mask < states; mask++) pmf[popcount[mask]!] = pmf[popcount[mask]!]! + dp[mask]!;
    pmfByGoals.push(pmf);
    marginalByGoals.push(shares.map((s) => 1 - Math.pow(1 - s, g)));
    const next = new Float64Array(states);
    for (let mask = 0; mask < states; mask++) {
      const p = dp[mask]!;
      if (p === 0) continue;
      next[mask] = next[mask]! + p * Math.max(rest, 0);
      for (let i = 0; i < m; i++) {
        const to = mask | (1 << i);
        next[to] = next[to]! + p * shares[i]!;
      }
    }
    dp = next;
  }
  return { pmfByGoals, marginalByGoals };
}

interface CountGroup {
  legs: { direction: "over" | "under"; line: number }[];
  cache: Map<number, { pmf: Pmf; marginals: number[] }>;
}

/** pmf of how many over/under legs on one Poisson(mu) count win, and each leg's probability. */
export function countGroupPmf(legs: readonly { direction: "over" | "under"; line: number }[], mu: number): { pmf: Pmf; marginals: number[] } {
  const pmf = new Float64Array(legs.length + 1);
  const marginals = legs.map(() => 0);
  const nMax = Math.ceil(mu + 12 * Math.sqrt(mu) + 25);
  let p = Math.exp(-mu);
  let used = 0;
  for (let n = 0; n <= nMax; n++) {
    if (n > 0) p = (p * mu) / n;
    let won = 0;
    for (let i = 0; i < legs.length; i++) {
      if (countLegWins(legs[i]!, n)) {
        won++;
        marginals[i] = marginals[i]! + p;
      }
    }
    pmf[won] = pmf[won]! + p;
    used += p;
  }
  // The tail beyond nMax (below 1e-15) counts as "very many": overs win, unders lose.
  const tail = Math.max(0, 1 - used);
  if (tail > 0) {
    let won = 0;
    for (let i = 0; i < legs.length; i++) {
      if (legs[i]!.direction === "over") {
        won++;
        marginals[i] = marginals[i]! + tail;
      }
    }
    pmf[won] = pmf[won]! + tail;
  }
  return { pmf, marginals };
}

function groupPmfAt(group: CountGroup, mu: number): { pmf: Pmf; marginals: number[] } {
  let hit = group.cache.get(mu);
  if (!hit) {
    hit = countGroupPmf(group.legs, mu);
    group.cache.set(mu, hit);
  }
  return hit;
}

export function priceMatchLegs(model: MatchModel, legs: readonly LegSpec[]): MatchLegsResult {
  const n = legs.length;
  const marginals = new Array<number>(n).fill(0);
  const scoreIdx: number[] = [];
  const homeScorerIdx: number[] = [];
  const awayScorerIdx: number[] = [];
  const cornerIdx: number[] = [];
  const cardIdx: number[] = [];
  legs.forEach((leg, i) => {
    if (isScoreLeg(leg)) scoreIdx.push(i);
    else if (leg.market === "goalscorer") (leg.side === "home" ? homeScorerIdx : awayScorerIdx).push(i);
    else if (leg.market === "corners") cornerIdx.push(i);
    else cardIdx.push(i);
  });
  const scoreLegs = scoreIdx.map((i) => legs[i] as ScoreLeg);
  const shareOf = (i: number) => (legs[i] as Extract<LegSpec, { market: "goalscorer" }>).share;
  const homeTable = homeScorerIdx.length ? scorerGroupTable(homeScorerIdx.map(shareOf)) : null;
  const awayTable = awayScorerIdx.length ? scorerGroupTable(awayScorerIdx.map(shareOf)) : null;
  const countLeg = (i: number) => legs[i] as { direction: "over" | "under"; line: number };
  const corners: CountGroup | null = cornerIdx.length ? { legs: cornerIdx.map(countLeg), cache: new Map() } : null;
  const cards: CountGroup | null = cardIdx.length ? { legs: cardIdx.map(countLeg), cache: new Map() } : null;

  const pmf = new Float64Array(n + 1);
  const grid = model.grid;
  const onlyScoreLegs = scoreIdx.length === n;
  for (let h = 0; h <= MAX_GOALS; h++) {
    for (let a = 0; a <= MAX_GOALS; a++) {
      const ci = cellIndex(h, a);
      const p = grid[ci]!;
      if (p === 0) continue;
      let won = 0;
      for (let j = 0; j < scoreLegs.length; j++) {
        if (scoreLegWins(scoreLegs[j]!, h, a)) {
          won++;
          marginals[scoreIdx[j]!] = marginals[scoreIdx[j]!]! + p;
        }
      }
      if (onlyScoreLegs) {
        pmf[won] = pmf[won]! + p;
        continue;
      }
      let cell: Pmf = new Float64Array(won + 1);
      cell[won] = 1;
      if (homeTable) {
        cell = convolve(cell, homeTable.pmfByGoals[h]!);
        const mg = homeTable.marginalByGoals[h]!;
        homeScorerIdx.forEach((li, j) => (marginals[li] = marginals[li]! + p * mg[j]!));
      }
      if (awayTable) {
        cell = convolve(cell, awayTable.pmfByGoals[a]!);
        const mg = awayTable.marginalByGoals[a]!;
        awayScorerIdx.forEach((li, j) => (marginals[li] = marginals[li]! + p * mg[j]!));
      }
      if (corners) {
        const g = groupPmfAt(corners, model.cornersMeanByCell[ci]!);
        cell = convolve(cell, g.pmf);
        cornerIdx.forEach((li, j) => (marginals[li] = marginals[li]! + p * g.marginals[j]!));
      }
      if (cards) {
        const g = groupPmfAt(cards, model.cardsMeanByCell[ci]!);
        cell = convolve(cell, g.pmf);
        cardIdx.forEach((li, j) => (marginals[li] = marginals[li]! + p * g.marginals[j]!));
      }
      addScaled(pmf, cell, p);
    }
  }
  return { pmf, marginals };
}
