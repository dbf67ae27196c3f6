// Per-match score models (quant.md B2): independent Poisson, Dixon-Coles and bivariate Poisson, on a
// truncated grid 0..MAX_GOALS for each side. The truncated mass (about 1e-6 for ordinary rates) is
// renormalised away so every grid sums to exactly 1 and "k of n" probabilities stay coherent.

export const MAX_GOALS = 10;
export const GRID_SIZE = MAX_GOALS + 1;

/** Row-major P(home = h, away = a) at index h * GRID_SIZE + a. */
export type ScoreGrid = Float64Array;

export const cellIndex = (h: number, a: number): number => h * GRID_SIZE + a;

/** Poisson pmf for k = 0..max by the recurrence p(k) = p(k-1) * lambda / k. */
export function poissonPmf(lambda: number, max: number): Float64Array {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`Poisson rate must be >= 0, got ${lambda}`);
  const out = new Float64Array(max + 1);
  out[0] = Math.exp(-lambda);
  for (let k = 1; k <= max; k++) out[k] = (out[k - 1]! * lambda) / k;
  return out;
}

function normalise(grid: ScoreGrid): ScoreGrid {
  let total = 0;
  for (let i = 0; i < grid.length; i++) total += grid[i]!;
  for (let i = 0; i < grid.length; i++) grid[i] = grid[i]! / total;
  return grid;
}

/** Independent Poisson goals (Maher 1982). */
export function poissonGrid(lambdaHome: number, lambdaAway: number): ScoreGrid {
  return dixonColesGrid(lambdaHome, lambdaAway, 0);
}

/**
 * Dixon-Coles (1997): Poisson x Poisson with the low-score correction tau(h, a):
 * tau(0,0) = 1 - lh*la*rho, tau(0,1) = 1 + lh*rho, tau(1,0) = 1 + la*rho, tau(1,1) = 1 - rho.
 * A small negative rho raises 0-0 and 1-1. The correction leaves both marginals unchanged.
 */
export function dixonColesGrid(lambdaHome: number, lambdaAway: number, rho: number): ScoreGrid {
  const ph = poissonPmf(lambdaHome, MAX_GOALS);
  const pa = poissonPmf(lambdaAway, MAX_GOALS);
  const grid = new Float64Array(GRID_SIZE * GRID_SIZE);
  for (let h = 0; h <= MAX_GOALS; h++) {
    for (let a = 0; a <= MAX_GOALS; a++) grid[cellIndex(h, a)] = ph[h]! * pa[a]!;
  }
  if (rho !== 0) {
    const t00 = 1 - lambdaHome * lambdaAway * rho;
    const t01 = 1 + lambdaHome * rho;
    const t10 = 1 + lambdaAway * rho;
    const t11 = 1 - rho;
    if (Math.min(t00, t01, t10, t11) < 0) throw new RangeError(`Dixon-Coles rho ${rho} gives negative probabilities`);
    grid[cellIndex(0, 0)] = grid[cellIndex(0, 0)]! * t00;
    grid[cellIndex(0, 1)] = grid[cellIndex(0, 1)]! * t01;
    grid[cellIndex(1, 0)] = grid[cellIndex(1, 0)]! * t10;
    grid[cellIndex(1, 1)] = grid[cellIndex(1, 1)]! * t11;
  }
  return normalise(grid);
}

/**
 * Bivariate Poisson (Karlis & Ntzoufras 2003): h = W1 + W3, a = W2 + W3 with independent
 * W_i ~ Poisson(l_i); cov(h, a) = l3. Marginal means are l1 + l3 and l2 + l3.
 */
export function bivariatePoissonGrid(l1: number, l2: number, l3: number): ScoreGrid {
  const p1 = poissonPmf(l1, MAX_GOALS);
  const p2 = poissonPmf(l2, MAX_GOALS);
  const p3 = poissonPmf(l3, MAX_GOALS);
  const grid = new Float64Array(GRID_SIZE * GRID_SIZE);
  for (let h = 0; h <= MAX_GOALS; h++) {
    for (let a = 0; a <= MAX_GOALS; a++) {
      let s = 0;
      for (let k = 0; k <= Math.min(h, a); k++) s += p1[h - k]! * p2[a - k]! * p3[k]!;
      grid[cellIndex(h, a)] = s;
    }
  }
  return normalise(grid);
}

export interface TeamStrength {
  /** Attack multiplier around 1 (higher scores more). */
  attack: number;
  /** Defence multiplier around 1 (higher concedes more). */
  defence: number;
}

export interface LeagueGoalParams {
  /** Average goals of a home side against an average opponent (includes home advantage). */
  homeGoals: number;
  /** Average goals of an away side against an average opponent. */
  awayGoals: number;
  /** Dixon-Coles dependence parameter (small, negative). */
  rho: number;
}

/** Multiplicative strengths model: lh = base_home * att_h * def_a, la = base_away * att_a * def_h. */
export function matchRates(home: TeamStrength, away: TeamStrength, league: LeagueGoalParams): { lambdaHome: number; lambdaAway: number } {
  return {
    lambdaHome: league.homeGoals * home.attack * away.defence,
    lambdaAway: league.awayGoals * away.attack * home.defence,
  };
}
