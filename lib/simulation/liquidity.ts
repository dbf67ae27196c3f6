// Simulated market participants on the MM book: liquidity providers quoting around the truth with a
// spread and noise, and takers who hit resting offers when the truth makes them attractive.

import { americanToDecimal, probabilityToAmericanFloor } from "../odds/american";
import { snapToLadder } from "../odds/ladder";
import type { Rng } from "./rng";

export interface LpConfig {
  /** Added to the (noisy) probability of the taker's outcome on the best level. */
  readonly halfSpread: number;
  /** Further probability added per deeper level. */
  readonly levelStep: number;
  readonly levels: number;
  readonly minStakeCents: number;
  readonly maxStakeCents: number;
}

export const DEFAULT_LP_CONFIG: LpConfig = {
  halfSpread: 0.018,
  levelStep: 0.012,
  levels: 5,
  minStakeCents: 5_000,
  maxStakeCents: 250_000,
};

export interface LpQuote {
  /** The outcome a taker backs when hitting this offer. */
  readonly takerOutcome: number;
  /** Odds the taker gets (on the ladder). */
  readonly takerOdds: number;
  /** The provider's stake (what the taker wins), cents. */
  readonly makerStakeCents: number;
}

const clampProbability = (p: number): number => Math.min(0.985, Math.max(0.015, p));

/**
 * Offers for every outcome of a line: the taker's implied probability is the provider's estimate
 * plus the half-spread (and more per level), rounded to a ladder price paying no more than that.
 */
export const quoteLine = (estimates: readonly number[], cfg: LpConfig, rng: Rng): LpQuote[] => {
  const quotes: LpQuote[] = [];
  for (let outcome = 0; outcome < estimates.length; outcome++) {
    let previous: number | undefined;
    for (let level = 0; level < cfg.levels; level++) {
      const q = clampProbability(estimates[outcome]! + cfg.halfSpread + level * cfg.levelStep);
      const odds = snapToLadder(probabilityToAmericanFloor(q), "down");
      if (odds === previous) continue;
      previous = odds;
      const scale = Math.exp(rng.normal(0, 0.6)) * (1 + level * 0.6);
      const stake = Math.round(Math.min(cfg.maxStakeCents, Math.max(cfg.minStakeCents, cfg.minStakeCents * 4 * scale)));
      quotes.push({ takerOutcome: outcome, takerOdds: odds, makerStakeCents: stake });
    }
  }
  return quotes;
};

/** Noisy probability estimates of a provider: truth shifted on the log-odds scale, renormalised. */
export const noisyEstimates = (truth: readonly number[], noise: readonly number[]): number[] => {
  const logit = (p: number) => Math.log(p / (1 - p));
  const raw = truth.map((p, i) => 1 / (1 + Math.exp(-(logit(clampProbability(p)) + (noise[i] ?? 0)))));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((p) => p / sum);
};

/** Expected profit per unit staked for a taker backing at `takerOdds` an outcome with probability p. */
export const takerEdge = (p: number, takerOdds: number): number => p * americanToDecimal(takerOdds) - 1;

export interface TakerConfig {
  /** Sharp takers act only above this edge. */
  readonly sharpMinEdge: number;
  /** Arrivals per second on a mispriced offer at the minimum edge… */
  readonly sharpBaseRate: number;
  /** …multiplied by (1 + edge × this). */
  readonly sharpEdgeMultiplier: number;
  /** Recreational taker arrivals per second per line. */
  readonly recreationalRatePerLine: number;
  /** Recreational takers accept offers down to this (negative) edge. */
  readonly recreationalMinEdge: number;
  readonly sharpMaxStakeCents: number;
  readonly recreationalMaxStakeCents: number;
}

export const DEFAULT_TAKER_CONFIG: TakerConfig = {
  sharpMinEdge: 0.01,
  sharpBaseRate: 0.4,
  sharpEdgeMultiplier: 60,
  recreationalRatePerLine: 0.01,
  recreationalMinEdge: -0.07,
  sharpMaxStakeCents: 200_000,
  recreationalMaxStakeCents: 20_000,
};

/** Rate (per second) at which sharp takers hit an offer with this edge; 0 below the threshold. */
export const sharpHitRate = (edge: number, cfg: TakerConfig): number =>
  edge < cfg.sharpMinEdge ? 0 : cfg.sharpBaseRate * (1 + edge * cfg.sharpEdgeMultiplier);

/** Probability that at least one Poisson arrival at `ratePerSecond` happens within `dtMs`. */
export const arrivalProbability = (ratePerSecond: number, dtMs: number): number =>
  ratePerSecond <= 0 ? 0 : 1 - Math.exp((-ratePerSecond * dtMs) / 1000);
