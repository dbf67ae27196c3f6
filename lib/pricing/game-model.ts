// Same-game joint model (quant.md B2). Per sport, a final-score model is fitted to the game's own fair
// winner/handicap/total probabilities, then the joint probability of several legs of that game is the
// model probability of the intersection of their score conditions.
//
// - basketball, american_football: margin M ~ N(μm, σm), total T ~ N(μt, σt), corr ρ (σ, ρ per sport
//   from config). μm and μt are fitted in closed form: each target P(M > x) = Φ((μm − x)/σm) gives
//   μm = x + σm Φ⁻¹(p); the estimates are averaged with weights p(1 − p).
// - baseball, ice_hockey, soccer: home ~ Poisson(λh), away ~ Poisson(λa) (optional Dixon–Coles ρ) on a
//   0..maxScore grid; for baseball and ice hockey a regulation tie is resolved by one extra run/goal to
//   home with probability λh/(λh + λa) (extra innings/overtime). λh, λa fitted by damped Gauss–Newton in
//   log space to the targets. Only half-point lines and winners are used as fit targets (no pushes).
//
// Results are memoised on the exact inputs (bounded cache): the functions stay referentially transparent.

import { normalInterval, normalQuantile, bivariateNormalRectangle } from "./normal.ts";
import type { ScoreCondition } from "./markets.ts";
import type { Sport, SportModelParams } from "./types.ts";

export interface FitTarget {
  condition: ScoreCondition;
  probability: number;
}

export interface NormalGameModel {
  model: "normal";
  marginMean: number;
  marginSd: number;
  totalMean: number;
  totalSd: number;
  rho: number;
}

export interface PoissonGameModel {
  model: "poisson";
  lambdaHome: number;
  lambdaAway: number;
  maxScore: number;
  rho: number;
  resolveTies: boolean;
  /** Row-major P(home = h, away = a), (maxScore + 2)² cells (ties resolution can add one). */
  grid: Float64Array;
  /** Sum of squared errors of the fit (diagnostic). */
  fitError: number;
}

export type GameModel = NormalGameModel | PoissonGameModel;

export const modelKindForSport = (sport: Sport): "normal" | "poisson" =>
  sport === "basketball" || sport === "american_football" ? "normal" : "poisson";

/** Intersection of conditions: a box on (margin, total). Empty when lo > hi on either axis. */
export interface ScoreBox {
  marginLo: number;
  marginHi: number;
  totalLo: number;
  totalHi: number;
}

export function boxOf(conditions: readonly ScoreCondition[]): ScoreBox {
  const box: ScoreBox = {
    marginLo: Number.NEGATIVE_INFINITY,
    marginHi: Number.POSITIVE_INFINITY,
    totalLo: Number.NEGATIVE_INFINITY,
    totalHi: Number.POSITIVE_INFINITY,
  };
  for (const c of conditions) {
    if (c.on === "margin") {
      box.marginLo = Math.max(box.marginLo, c.lo);
      box.marginHi = Math.min(box.marginHi, c.hi);
    } else {
      box.totalLo = Math.max(box.totalLo, c.lo);
      box.totalHi = Math.min(box.totalHi, c.hi);
    }
  }
  return box;
}

/** Model probability that the final score lands in `box` (pushes on integer lines count as inside). */
export function boxProbability(model: GameModel, box: ScoreBox): number {
  if (box.marginLo > box.marginHi || box.totalLo > box.totalHi) return 0;
  if (model.model === "normal") {
    return bivariateNormalRectangle(
      box.marginLo,
      box.marginHi,
      box.totalLo,
      box.totalHi,
      model.marginMean,
      model.marginSd,
      model.totalMean,
      model.totalSd,
      model.rho,
    );
  }
  const size = model.maxScore + 2;
  const g = model.grid;
  let s = 0;
  for (let h = 0; h < size; h++) {
    const row = h * size;
    for (let a = 0; a < size; a++) {
      const d = h - a;
      const t = h + a;
      if (d >= box.marginLo && d <= box.marginHi && t >= box.totalLo && t <= box.totalHi) s += g[row + a]!;
    }
  }
  return s;
}

export const conditionProbability = (model: GameModel, c: ScoreCondition): number => boxProbability(model, boxOf([c]));

// ---------------------------------------------------------------------------------------------------
// Normal model fit

const clampP = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-6, p));

function fitNormal(targets: readonly FitTarget[], params: SportModelParams, fallbackTotal: number): NormalGameModel | undefined {
  let mw = 0;
  let ms = 0;
  let tw = 0;
  let ts = 0;
  for (const t of targets) {
    const p = clampP(t.probability);
    const w = p * (1 - p);
    const c = t.condition;
    const sd = c.on === "margin" ? params.marginSd : params.totalSd;
    const z = normalQuantile(p);
    let mean: number;
    if (Number.isFinite(c.lo) && !Number.isFinite(c.hi)) mean = c.lo + sd * z;
    else if (!Number.isFinite(c.lo) && Number.isFinite(c.hi)) mean = c.hi - sd * z;
    else continue; // two-sided conditions (draw) carry no closed-form mean
    if (c.on === "margin") {
      mw += w;
      ms += w * mean;
    } else {
      tw += w;
      ts += w * mean;
    }
  }
  if (mw === 0 && tw === 0) return undefined;
  return {
    model: "normal",
    marginMean: mw > 0 ? ms / mw : 0,
    marginSd: params.marginSd,
    totalMean: tw > 0 ? ts / tw : fallbackTotal,
    totalSd: params.totalSd,
    rho: params.marginTotalCorrelation,
  };
}

// ---------------------------------------------------------------------------------------------------
// Poisson model

function poissonPmfInto(lambda: number, max: number): Float64Array {
  const out = new Float64Array(max + 1);
  out[0] = Math.exp(-lambda);
  for (let k = 1; k <= max; k++) out[k] = (out[k - 1]! * lambda) / k;
  return out;
}

export function poissonScoreGrid(lambdaHome: number, lambdaAway: number, maxScore: number, rho: number, resolveTies: boolean): Float64Array {
  const size = maxScore + 2;
  const grid = new Float64Array(size * size);
  const ph = poissonPmfInto(lambdaHome, maxScore);
  const pa = poissonPmfInto(lambdaAway, maxScore);
  let total = 0;
  for (let h = 0; h <= maxScore; h++) {
    for (let a = 0; a <= maxScore; a++) {
      let v = ph[h]! * pa[a]!;
      if (rho !== 0) {
        if (h === 0 && a === 0) v *= Math.max(0, 1 - lambdaHome * lambdaAway * rho);
        else if (h === 0 && a === 1) v *= Math.max(0, 1 + lambdaHome * rho);
        else if (h === 1 && a === 0) v *= Math.max(0, 1 + lambdaAway * rho);
        else if (h === 1 && a === 1) v *= Math.max(0, 1 - rho);
      }
      grid[h * size + a] = v;
      total += v;
    }
  }
  if (resolveTies) {
    const q = lambdaHome / (lambdaHome + lambdaAway);
    for (let k = maxScore; k >= 0; k--) {
      const v = grid[k * size + k]!;
      grid[k * size + k] = 0;
      grid[(k + 1) * size + k] = grid[(k + 1) * size + k]! + v * q;
      grid[k * size + k + 1] = grid[k * size + k + 1]! + v * (1 - q);
    }
  }
  for (let i = 0; i < grid.length; i++) grid[i] = grid[i]! / total;
  return grid;
}

function poissonModel(lh: number, la: number, params: SportModelParams, resolveTies: boolean, fitError: number): PoissonGameModel {
  return {
    model: "poisson",
    lambdaHome: lh,
    lambdaAway: la,
    maxScore: params.maxScore,
    rho: params.dixonColesRho,
    resolveTies,
    grid: poissonScoreGrid(lh, la, params.maxScore, params.dixonColesRho, resolveTies),
    fitError,
  };
}

const DEFAULT_TOTAL: Record<Sport, number> = {
  basketball: 220,
  american_football: 45,
  baseball: 8.8,
  ice_hockey: 6,
  soccer: 2.6,
};

function fitPoisson(targets: readonly FitTarget[], params: SportModelParams, sport: Sport): PoissonGameModel | undefined {
  const resolveTies = sport !== "soccer";
  // Starting point: total from the first total target, supremacy from the first margin target.
  let mu = DEFAULT_TOTAL[sport];
  let sup = 0;
  for (const t of targets) {
    const c = t.condition;
    if (c.on === "total") {
      const L = Number.isFinite(c.lo) ? c.lo : c.hi;
      const pOver = Number.isFinite(c.lo) ? t.probability : 1 - t.probability;
      mu = Math.max(0.3, L + (pOver - 0.5) * 2 * Math.sqrt(L));
      break;
    }
  }
  for (const t of targets) {
    const c = t.condition;
    if (c.on === "margin" && Number.isFinite(c.lo) !== Number.isFinite(c.hi)) {
      const pHome = Number.isFinite(c.lo) ? t.probability : 1 - t.probability;
      const x = Number.isFinite(c.lo) ? c.lo : c.hi;
      sup = x + normalQuantile(clampP(pHome)) * Math.sqrt(mu);
      break;
    }
  }
  sup = Math.max(-0.9 * mu, Math.min(0.9 * mu, sup));
  let x0 = Math.log((mu + sup) / 2);
  let x1 = Math.log((mu - sup) / 2);

  const residuals = (a: number, b: number): number[] => {
    const grid = poissonScoreGrid(Math.exp(a), Math.exp(b), params.maxScore, params.dixonColesRho, resolveTies);
    const m: PoissonGameModel = {
      model: "poisson",
      lambdaHome: Math.exp(a),
      lambdaAway: Math.exp(b),
      maxScore: params.maxScore,
      rho: params.dixonColesRho,
      resolveTies,
      grid,
      fitError: 0,
    };
    return targets.map((t) => conditionProbability(m, t.condition) - t.probability);
  };
  const sse = (r: number[]): number => r.reduce((s, v) => s + v * v, 0);

  let r = residuals(x0, x1);
  let err = sse(r);
  let damping = 1e-3;
  const eps = 1e-5;
  for (let iter = 0; iter < 30 && err > 1e-12; iter++) {
    const r0 = residuals(x0 + eps, x1);
    const r1 = residuals(x0, x1 + eps);
    // J^T J and J^T r for two parameters.
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < r.length; i++) {
      const j0 = (r0[i]! - r[i]!) / eps;
      const j1 = (r1[i]! - r[i]!) / eps;
      a11 += j0 * j0;
      a12 += j0 * j1;
      a22 += j1 * j1;
      g0 += j0 * r[i]!;
      g1 += j1 * r[i]!;
    }
    let improved = false;
    for (let tries = 0; tries < 8; tries++) {
      const d11 = a11 * (1 + damping) + 1e-12;
      const d22 = a22 * (1 + damping) + 1e-12;
      const det = d11 * d22 - a12 * a12;
      if (!(Math.abs(det) > 1e-300)) break;
      const s0 = -(d22 * g0 - a12 * g1) / det;
      const s1 = -(-a12 * g0 + d11 * g1) / det;
      const n0 = x0 + Math.max(-1, Math.min(1, s0));
      const n1 = x1 + Math.max(-1, Math.min(1, s1));
      const rn = residuals(n0, n1);
      const en = sse(rn);
      if (en < err) {
        x0 = n0;
        x1 = n1;
        r = rn;
        const gain = err - en;
        err = en;
        damping = Math.max(1e-6, damping / 4);
        improved = true;
        if (gain < 1e-14) iter = 1000;
        break;
      }
      damping *= 8;
    }
    if (!improved) break;
  }
  const lh = Math.exp(x0);
  const la = Math.exp(x1);
  if (!(lh > 0.01 && la > 0.01 && lh + la < params.maxScore)) return undefined;
  return poissonModel(lh, la, params, resolveTies, err);
}

// ---------------------------------------------------------------------------------------------------

const cache = new Map<string, GameModel | null>();
const CACHE_LIMIT = 2000;

/**
 * Fit the sport's model to the game's fair probabilities. Undefined when there is nothing to fit or the
 * fit is degenerate. Deterministic; memoised on (sport, params, targets).
 */
export function fitGameModel(sport: Sport, targets: readonly FitTarget[], params: SportModelParams): GameModel | undefined {
  const key =
    sport +
    "|" +
    params.marginSd + "," + params.totalSd + "," + params.marginTotalCorrelation + "," + params.maxScore + "," + params.dixonColesRho +
    "|" +
    targets.map((t) => `${t.condition.on}:${t.condition.lo}:${t.condition.hi}:${t.probability.toFixed(7)}`).join(";");
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const model = modelKindForSport(sport) === "normal" ? fitNormal(targets, params, DEFAULT_TOTAL[sport]) : fitPoisson(targets, params, sport);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, model ?? null);
  return model;
}

export function describeModel(model: GameModel): Record<string, number> {
  return model.model === "normal"
    ? { marginMean: model.marginMean, marginSd: model.marginSd, totalMean: model.totalMean, totalSd: model.totalSd, rho: model.rho }
    : { lambdaHome: model.lambdaHome, lambdaAway: model.lambdaAway, rho: model.rho, fitError: model.fitError };
}

export { normalInterval };

/** Drop memoised fits (benchmarks measure cold-cache latency with it; production never needs it). */
export function clearGameModelCache(): void {
  cache.clear();
}
