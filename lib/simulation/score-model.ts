// Final-score distributions for one game. Every line of a game (winner, handicap, total) is a
// function of the final score, so one grid P(home, away) prices all of them consistently and their
// joint probabilities carry the right same-game correlation (quant.md B2).
//
// Two model families:
// - "normal": margin (home − away) and total (home + away) are independent normals, discretised on
//   integer scores. Used for basketball and American football.
// - "poisson": independent Poisson goals/runs per team with an optional Dixon–Coles low-score
//   adjustment (rho). Used for baseball, ice hockey and soccer.
// A tie rule "extra" sends a tied final to one side by one point (overtime, extra innings,
// shootout: the markets are "incl. overtime"); "keep" leaves draws (soccer).

export type SportKey = "basketball" | "american_football" | "baseball" | "ice_hockey" | "soccer";

export interface NormalModel {
  readonly kind: "normal";
  readonly marginMean: number;
  readonly marginSd: number;
  readonly totalMean: number;
  readonly totalSd: number;
}

export interface PoissonModel {
  readonly kind: "poisson";
  readonly homeRate: number;
  readonly awayRate: number;
  /** Dixon–Coles dependence for low scores; 0 = independent. */
  readonly rho: number;
  /** Score already on the board (in play); the rates are then for the remaining time. */
  readonly baseHome?: number;
  readonly baseAway?: number;
}

export type ScoreModel = NormalModel | PoissonModel;

export interface TieRule {
  readonly kind: "keep" | "extra";
  /** With "extra": probability the home side wins a tied game. */
  readonly homeShare: number;
}

export interface ScoreGrid {
  readonly minHome: number;
  readonly minAway: number;
  readonly homeCount: number;
  readonly awayCount: number;
  /** Row-major probabilities, index (home − minHome) * awayCount + (away − minAway). Sums to 1. */
  readonly probs: Float64Array;
}

export interface Score {
  readonly home: number;
  readonly away: number;
}

const MIN_SD = 0.35;

const poissonPmf = (rate: number, maxK: number): Float64Array => {
  const out = new Float64Array(maxK + 1);
  let p = Math.exp(-rate);
  out[0] = p;
  for (let k = 1; k <= maxK; k++) {
    p = (p * rate) / k;
    out[k] = p;
  }
  return out;
};

const dixonColesTau = (h: number, a: number, lh: number, la: number, rho: number): number => {
  if (rho === 0) return 1;
  if (h === 0 && a === 0) return Math.max(0, 1 - lh * la * rho);
  if (h === 0 && a === 1) return Math.max(0, 1 + lh * rho);
  if (h === 1 && a === 0) return Math.max(0, 1 + la * rho);
  if (h === 1 && a === 1) return Math.max(0, 1 - rho);
  return 1;
};

/** The grid before any tie rule: regulation score distribution. */
export const buildRawGrid = (model: ScoreModel): ScoreGrid => {
  if (model.kind === "normal") {
    const marginSd = Math.max(MIN_SD, model.marginSd);
    const totalSd = Math.max(MIN_SD, model.totalSd);
    const homeMean = (model.totalMean + model.marginMean) / 2;
    const awayMean = (model.totalMean - model.marginMean) / 2;
    const teamSd = Math.sqrt(marginSd * marginSd + totalSd * totalSd) / 2;
    const span = 6 * teamSd + 1;
    const minHome = Math.max(0, Math.floor(homeMean - span));
    const minAway = Math.max(0, Math.floor(awayMean - span));
    const maxHome = Math.max(minHome, Math.ceil(homeMean + span));
    const maxAway = Math.max(minAway, Math.ceil(awayMean + span));
    // One spare row/column so the "extra" tie rule can move mass up by one point.
    const homeCount = maxHome - minHome + 2;
    const awayCount = maxAway - minAway + 2;
    const probs = new Float64Array(homeCount * awayCount);
    let sum = 0;
    for (let i = 0; i < homeCount - 1; i++) {
      const h = minHome + i;
      for (let j = 0; j < awayCount - 1; j++) {
        const a = minAway + j;
        const zm = (h - a - model.marginMean) / marginSd;
        const zt = (h + a - model.totalMean) / totalSd;
        const w = Math.exp(-0.5 * (zm * zm + zt * zt));
        probs[i * awayCount + j] = w;
        sum += w;
      }
    }
    if (!(sum > 0)) {
      // Means far outside the grid: put everything on the nearest cell.
      const i = Math.min(homeCount - 2, Math.max(0, Math.round(homeMean) - minHome));
      const j = Math.min(awayCount - 2, Math.max(0, Math.round(awayMean) - minAway));
      probs[i * awayCount + j] = 1;
      return { minHome, minAway, homeCount, awayCount, probs };
    }
    for (let k = 0; k < probs.length; k++) probs[k] = probs[k]! / sum;
    return { minHome, minAway, homeCount, awayCount, probs };
  }
  const baseHome = model.baseHome ?? 0;
  const baseAway = model.baseAway ?? 0;
  const maxFor = (rate: number) => Math.ceil(rate + 8 * Math.sqrt(rate) + 6);
  const maxH = maxFor(model.homeRate);
  const maxA = maxFor(model.awayRate);
  const ph = poissonPmf(model.homeRate, maxH);
  const pa = poissonPmf(model.awayRate, maxA);
  const homeCount = maxH + 2;
  const awayCount = maxA + 2;
  const probs = new Float64Array(homeCount * awayCount);
  let sum = 0;
  for (let h = 0; h <= maxH; h++) {
    for (let a = 0; a <= maxA; a++) {
      const w = ph[h]! * pa[a]! * dixonColesTau(h, a, model.homeRate, model.awayRate, model.rho);
      probs[h * awayCount + a] = w;
      sum += w;
    }
  }
  for (let k = 0; k < probs.length; k++) probs[k] = probs[k]! / sum;
  return { minHome: baseHome, minAway: baseAway, homeCount, awayCount, probs };
};

/** Apply the tie rule to a regulation grid (returns a new grid). */
export const applyTieRule = (grid: ScoreGrid, rule: TieRule): ScoreGrid => {
  if (rule.kind === "keep") return grid;
  const probs = grid.probs.slice();
  const { minHome, minAway, homeCount, awayCount } = grid;
  for (let i = 0; i < homeCount - 1; i++) {
    const h = minHome + i;
    const j = h - minAway;
    if (j < 0 || j >= awayCount - 1) continue;
    const idx = i * awayCount + j;
    const mass = probs[idx]!;
    if (mass === 0) continue;
    probs[idx] = 0;
    probs[(i + 1) * awayCount + j] = probs[(i + 1) * awayCount + j]! + mass * rule.homeShare;
    probs[i * awayCount + j + 1] = probs[i * awayCount + j + 1]! + mass * (1 - rule.homeShare);
  }
  return { minHome, minAway, homeCount, awayCount, probs };
};

export const buildScoreGrid = (model: ScoreModel, rule: TieRule): ScoreGrid =>
  applyTieRule(buildRawGrid(model), rule);

export const gridProbability = (grid: ScoreGrid, score: Score): number => {
  const i = score.home - grid.minHome;
  const j = score.away - grid.minAway;
  if (i < 0 || j < 0 || i >= grid.homeCount || j >= grid.awayCount) return 0;
  return grid.probs[i * grid.awayCount + j]!;
};

/** Inverse-CDF draw from a grid with a uniform u in [0, 1). */
export const sampleGrid = (grid: ScoreGrid, u: number): Score => {
  let acc = 0;
  let last = 0;
  for (let k = 0; k < grid.probs.length; k++) {
    const p = grid.probs[k]!;
    if (p <= 0) continue;
    last = k;
    acc += p;
    if (u < acc) break;
  }
  return {
    home: grid.minHome + Math.floor(last / grid.awayCount),
    away: grid.minAway + (last % grid.awayCount),
  };
};

/**
 * Draw a final score the way the game is played: regulation from the raw grid with `uRegulation`,
 * then, if tied under an "extra" rule, the winner of the extra period with `uTie`. This is exactly
 * the distribution of `buildScoreGrid(model, rule)`. `decidedByTie` says whether the last point was
 * the tie-breaker.
 */
export const sampleFinalScore = (
  model: ScoreModel,
  rule: TieRule,
  uRegulation: number,
  uTie: number,
): Score & { readonly decidedByTie: boolean } => {
  const regulation = sampleGrid(buildRawGrid(model), uRegulation);
  if (rule.kind === "extra" && regulation.home === regulation.away) {
    return uTie < rule.homeShare
      ? { home: regulation.home + 1, away: regulation.away, decidedByTie: true }
      : { home: regulation.home, away: regulation.away + 1, decidedByTie: true };
  }
  return { ...regulation, decidedByTie: false };
};

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf), accurate to ~1e-7. */
export const normalCdf = (z: number): number => {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
};
