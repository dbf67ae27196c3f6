// The LP/MILP model of the arbitrage calculator in a solver-neutral form (quant.md A3). Pure.
//
// Columns: one per usable bet (n_j integer with stake x_j = P·n_j, or x_j continuous when the
// bookmaker ignores precision), one binary y_j per bet that a wager-count cap can affect, and the
// free variable t (minimum profit). Rows: profit per scenario class, global and per-bookmaker
// exposure limits (previous exposure subtracted), count caps and the tight big-M links
// n_j <= N_j·y_j with N_j the bet's own upper bound.

import { exposurePerUnit, scenarioClasses, type ScenarioClass } from "./scenarios";
import type { ArbProblem, Bet } from "./types";

export interface LinearColumn {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  readonly cost: number;
  readonly integer: boolean;
}

export interface LinearRow {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  readonly index: readonly number[];
  readonly value: readonly number[];
}

/** Solver-neutral linear model: optimise c·x subject to lower <= A·x <= upper and column bounds. */
export interface LinearModel {
  readonly sense: "maximize" | "minimize";
  readonly columns: readonly LinearColumn[];
  readonly rows: readonly LinearRow[];
}

export interface ActiveBet {
  readonly bet: Bet;
  /**
   * The stake must be a multiple of the precision but its range exceeds MAX_INTEGER_UNITS units: it
   * is modelled as continuous and rounded down afterwards (feasible, within one unit per bet).
   */
  readonly roundDown: boolean;
  /** Money per unit of the column: the precision P for integer columns, 1 for continuous ones. */
  readonly unit: number;
  readonly integer: boolean;
  /** Upper bound of the column in units (0 = no new wager possible). */
  readonly upper: number;
  readonly exposure: number;
  /** Column of the stake, or -1 when the bet only carries a previous wager. */
  readonly col: number;
  /** Column of the count binary, or -1. */
  readonly binCol: number;
}

export interface Prepared {
  readonly problem: ArbProblem;
  /** Bets that can take a new wager or carry a previous one. */
  readonly active: readonly ActiveBet[];
  /** Scenario classes over the active bets (r aligned with `active`). */
  readonly scenarios: readonly ScenarioClass[];
  /** Profit of each scenario from previous wagers alone. */
  readonly base: readonly number[];
  /** Scenarios whose profit row is not implied by another (enough for "every outcome >= t"). */
  readonly minRows: readonly number[];
  /** Scenarios that can be the best outcome (candidates of mode 2). */
  readonly maxRows: readonly number[];
  readonly numCols: number;
  readonly tCol: number;
  readonly integerCount: number;
  readonly binaryCount: number;
  readonly remainingGlobal: number;
  readonly remainingByBookmaker: ReadonlyMap<number, number>;
  readonly scenarioMethod: "box" | "sweep";
  /** Bets left out because another bet is at least as good in every outcome (see dominatedBets). */
  readonly dominatedCount: number;
}

interface DraftBet {
  bet: Bet;
  roundDown: boolean;
  unit: number;
  integer: boolean;
  upper: number;
  exposure: number;
}

/**
 * Indices (into `drafts`) of bets whose new stake can always be moved to another bet j without
 * lowering any outcome's profit or breaking a constraint: r_j >= r_k in every outcome class,
 * exposure e_j <= e_k, j has no volume cap, j's stake is continuous or both are multiples of the
 * precision, and j is at the same bookmaker or at one with neither a wager limit nor a count cap.
 * The relation is transitive; among identical bets the first is kept. Profits only rise, so this
 * is safe for every objective used (min, best outcome, sum).
 */
export const dominatedBets = (drafts: readonly DraftBet[], noDraw: boolean): number[] => {
  const idx = drafts.map((d, i) => (d.upper > 0 ? i : -1)).filter((i) => i >= 0);
  if (idx.length < 2) return [];
  const { classes } = scenarioClasses(
    idx.map((i) => drafts[i]!.bet),
    noDraw,
  );
  const dominates = (pj: number, pk: number): boolean => {
    const j = drafts[idx[pj]!]!;
    const k = drafts[idx[pk]!]!;
    if (j.bet.volume !== null) return false;
    if (j.exposure > k.exposure) return false;
    if (j.integer && !k.integer) return false;
    const bj = j.bet.bookmaker;
    if (bj.id !== k.bet.bookmaker.id && (bj.wagerLimit !== null || bj.maxWagerCount !== null)) return false;
    for (const c of classes) if (c.r[pj]! < c.r[pk]!) return false;
    return true;
  };
  const out: number[] = [];
  for (let pk = 0; pk < idx.length; pk++) {
    for (let pj = 0; pj < idx.length; pj++) {
      if (pj === pk || !dominates(pj, pk)) continue;
      if (pj < pk || !dominates(pk, pj)) {
        out.push(idx[pk]!);
        break;
      }
    }
  }
  return out;
};

const EPS_UNITS = 1e-9;
/** Integer columns with more units than this are solved as continuous and rounded down. */
export const MAX_INTEGER_UNITS = 1e9;

/** floor(v) robust to representation error (95.69 / 0.01 = 9568.999999999998 -> 9569). */
export const floorTol = (v: number): number => Math.floor(v + EPS_UNITS * Math.max(1, Math.abs(v)));

/** Indices of rows not dominated: row i is dropped if some kept row j has r_j <= r_i (or >= for max) everywhere. */
const undominated = (vectors: readonly (readonly number[])[], direction: "min" | "max"): number[] => {
  const sign = direction === "min" ? 1 : -1;
  const keep: number[] = [];
  const order = vectors.map((_, i) => i);
  // Visit rows with the smallest (largest for max) sums first so dominating rows are kept first.
  const sums = vectors.map((v) => sign * v.reduce((s, x) => s + x, 0));
  order.sort((i, j) => sums[i]! - sums[j]! || i - j);
  const tol = 1e-12;
  for (const i of order) {
    const vi = vectors[i]!;
    let dominated = false;
    for (const j of keep) {
      const vj = vectors[j]!;
      let all = true;
      for (let k = 0; k < vi.length; k++) {
        if (sign * (vj[k]! - vi[k]!) > tol) {
          all = false;
          break;
        }
      }
      if (all) {
        dominated = true;
        break;
      }
    }
    if (!dominated) keep.push(i);
  }
  return keep.sort((x, y) => x - y);
};

/** Computes bounds, columns and the scenario rows shared by every model of one request. */
export const prepare = (problem: ArbProblem, opts: { readonly dominance?: boolean } = {}): Prepared => {
  const P = problem.precision;
  let prevGlobal = 0;
  const prevByBook = new Map<number, number>();
  for (const b of problem.bets) {
    const e = exposurePerUnit(b) * b.previousWager;
    prevGlobal += e;
    prevByBook.set(b.bookmaker.id, (prevByBook.get(b.bookmaker.id) ?? 0) + e);
  }
  const remainingGlobal = Math.max(0, problem.wagerLimit - prevGlobal);
  const remainingByBookmaker = new Map<number, number>();
  for (const bk of problem.bookmakers) {
    remainingByBookmaker.set(bk.id, bk.wagerLimit === null ? Infinity : Math.max(0, bk.wagerLimit - (prevByBook.get(bk.id) ?? 0)));
  }

  const drafts: DraftBet[] = [];
  for (const bet of problem.bets) {
    const e = exposurePerUnit(bet);
    const countBlocked = bet.bookmaker.maxWagerCount === 0 || problem.totalMaxWagerCount === 0;
    let money = Math.min(remainingGlobal / e, remainingByBookmaker.get(bet.bookmaker.id)! / e);
    if (bet.volume !== null) money = Math.min(money, bet.volume);
    if (countBlocked) money = 0;
    const wantsPrecision = !bet.bookmaker.ignorePrecision;
    const roundDown = wantsPrecision && money / P > MAX_INTEGER_UNITS;
    const integer = wantsPrecision && !roundDown;
    const unit = integer ? P : 1;
    const upper = integer ? Math.max(0, floorTol(money / P)) : Math.max(0, roundDown ? floorTol(money / P) * P : money);
    if (upper > 0 || bet.previousWager > 0) drafts.push({ bet, roundDown, unit, integer, upper, exposure: e });
  }

  // Drop stakes on dominated bets (kept as previous-wager-only bets when they carry one).
  const dominated = opts.dominance === false ? [] : dominatedBets(drafts, problem.noDraw);
  for (const k of dominated) drafts[k]!.upper = 0;
  for (let i = drafts.length - 1; i >= 0; i--) if (drafts[i]!.upper <= 0 && drafts[i]!.bet.previousWager <= 0) drafts.splice(i, 1);

  const withStake = drafts.filter((d) => d.upper > 0);
  const countInBook = new Map<number, number>();
  for (const d of withStake) countInBook.set(d.bet.bookmaker.id, (countInBook.get(d.bet.bookmaker.id) ?? 0) + 1);
  const totalCap = problem.totalMaxWagerCount;
  const totalBinds = totalCap !== null && withStake.length > totalCap;
  const needsBinary = (d: DraftBet): boolean => {
    if (d.upper <= 0) return false;
    if (totalBinds) return true;
    const cap = d.bet.bookmaker.maxWagerCount;
    return cap !== null && (countInBook.get(d.bet.bookmaker.id) ?? 0) > cap;
  };

  let next = 0;
  const stakeCols = drafts.map((d) => (d.upper > 0 ? next++ : -1));
  const binCols = drafts.map((d) => (needsBinary(d) ? next++ : -1));
  const tCol = next++;
  const active: ActiveBet[] = drafts.map((d, i) => ({ ...d, col: stakeCols[i]!, binCol: binCols[i]! }));

  const { classes, method } = scenarioClasses(
    active.map((a) => a.bet),
    problem.noDraw,
  );
  const base = classes.map((c) => active.reduce((s, a, k) => s + c.r[k]! * a.bet.previousWager, 0));
  // Dominance over (stake columns..., base profit).
  const stakedIdx = active.map((a, k) => (a.col >= 0 ? k : -1)).filter((k) => k >= 0);
  const vectors = classes.map((c, s) => [...stakedIdx.map((k) => c.r[k]!), base[s]!]);
  const minRows = undominated(vectors, "min");
  const maxRows = undominated(vectors, "max");

  return {
    problem,
    active,
    dominatedCount: dominated.length,
    scenarios: classes,
    base,
    minRows,
    maxRows,
    numCols: next,
    tCol,
    integerCount: active.filter((a) => a.col >= 0 && a.integer).length,
    binaryCount: active.filter((a) => a.binCol >= 0).length,
    remainingGlobal,
    remainingByBookmaker,
    scenarioMethod: method,
  };
};

export type Objective =
  /** Maximise t, the minimum profit over scenarios (mode 1). */
  | { readonly kind: "min_profit" }
  /** Maximise the profit of one scenario class (mode 2). */
  | { readonly kind: "scenario_profit"; readonly scenario: number }
  /** Tie-break: maximise the sum of profits over all scenario classes (minus a tiny exposure cost). */
  | { readonly kind: "sum_profit" };

export interface BuildOptions {
  readonly objective: Objective;
  /** Lower bound on t (every outcome's profit); -Infinity when absent. */
  readonly tLower?: number;
  /** Upper bound on t, when one is proven (e.g. the optimum of a relaxation); +Infinity when absent. */
  readonly tUpper?: number;
  /** Extra lower bounds on the profit of given scenario classes. */
  readonly scenarioFloors?: readonly { readonly scenario: number; readonly lower: number }[];
  /** Drop integrality (LP relaxation). */
  readonly relax?: boolean;
  /** Columns forced to 0 (restricted model used to find a good starting solution). */
  readonly fixZero?: ReadonlySet<number>;
  /**
   * Tighter column bounds (indexed by column, in the column's units) proven for every solution of
   * interest, e.g. by bound tightening under a cutoff t >= incumbent. Stake bounds are intersected
   * with the column's own; the count big-M uses the tightened upper bound, and a binary is fixed to
   * 0 when its stake must be 0 and to 1 when its stake must be positive.
   */
  readonly bounds?: { readonly lower: readonly number[]; readonly upper: readonly number[] };
}

/** Tiny cost per unit of exposure in the tie-break so equal-profit answers prefer less stake. */
const EXPOSURE_TIE_COST = 1e-7;

/** Builds one model of the family; every model shares the same columns, so solutions carry over. */
export const buildModel = (prep: Prepared, opts: BuildOptions): LinearModel => {
  const { problem, active, scenarios, base } = prep;
  const relax = opts.relax === true;
  const cost = new Array<number>(prep.numCols).fill(0);
  const obj = opts.objective;
  if (obj.kind === "min_profit") cost[prep.tCol] = 1;
  for (let k = 0; k < active.length; k++) {
    const a = active[k]!;
    if (a.col < 0) continue;
    if (obj.kind === "scenario_profit") cost[a.col] = scenarios[obj.scenario]!.r[k]! * a.unit;
    else if (obj.kind === "sum_profit") {
      const mean = scenarios.reduce((s, c) => s + c.r[k]!, 0) / scenarios.length;
      cost[a.col] = (mean - EXPOSURE_TIE_COST * a.exposure) * a.unit;
    }
  }

  const columns: LinearColumn[] = new Array(prep.numCols);
  const fixed = opts.fixZero;
  const colUpper = new Array<number>(prep.numCols).fill(0);
  for (const a of active) {
    const zero = fixed?.has(a.col) === true;
    let lo = 0;
    let up = zero ? 0 : a.upper;
    if (a.col >= 0 && opts.bounds && !zero) {
      up = Math.min(up, Math.max(0, opts.bounds.upper[a.col] ?? up));
      lo = Math.min(up, Math.max(0, opts.bounds.lower[a.col] ?? 0));
    }
    if (a.col >= 0) {
      colUpper[a.col] = up;
      columns[a.col] = { name: `x${a.bet.index}`, lower: lo, upper: up, cost: cost[a.col]!, integer: a.integer && !relax };
    }
    if (a.binCol >= 0) columns[a.binCol] = { name: `y${a.bet.index}`, lower: lo > 0 ? 1 : 0, upper: up > 0 ? 1 : 0, cost: 0, integer: !relax };
  }
  columns[prep.tCol] = { name: "t", lower: opts.tLower ?? -Infinity, upper: opts.tUpper ?? Infinity, cost: cost[prep.tCol]!, integer: false };

  const rows: LinearRow[] = [];
  const staked = active.map((a, k) => ({ a, k })).filter(({ a }) => a.col >= 0);

  // Profit of each (undominated) scenario class: sum_j r_js·unit_j·n_j − t >= −base_s.
  for (const s of prep.minRows) {
    const index: number[] = [];
    const value: number[] = [];
    for (const { a, k } of staked) {
      const coef = scenarios[s]!.r[k]! * a.unit;
      if (coef !== 0) {
        index.push(a.col);
        value.push(coef);
      }
    }
    index.push(prep.tCol);
    value.push(-1);
    rows.push({ name: `profit_${s}`, lower: -base[s]!, upper: Infinity, index, value });
  }
  for (const f of opts.scenarioFloors ?? []) {
    const index: number[] = [];
    const value: number[] = [];
    for (const { a, k } of staked) {
      const coef = scenarios[f.scenario]!.r[k]! * a.unit;
      if (coef !== 0) {
        index.push(a.col);
        value.push(coef);
      }
    }
    rows.push({ name: `floor_${f.scenario}`, lower: f.lower - base[f.scenario]!, upper: Infinity, index, value });
  }

  // Exposure limits, only when they can bind.
  const limitRow = (name: string, members: typeof staked, cap: number): void => {
    const maxUse = members.reduce((s, { a }) => s + a.exposure * a.unit * a.upper, 0);
    if (members.length === 0 || !Number.isFinite(cap) || maxUse <= cap * (1 + 1e-12)) return;
    rows.push({
      name,
      lower: -Infinity,
      upper: cap,
      index: members.map(({ a }) => a.col),
      value: members.map(({ a }) => a.exposure * a.unit),
    });
  };
  limitRow("limit_total", staked, prep.remainingGlobal);
  for (const bk of problem.bookmakers) {
    limitRow(`limit_b${bk.id}`, staked.filter(({ a }) => a.bet.bookmaker.id === bk.id), prep.remainingByBookmaker.get(bk.id)!);
  }

  // Counts: n_j <= N_j·y_j, sum y <= C.
  const withBin = active.filter((a) => a.binCol >= 0);
  for (const a of withBin) {
    rows.push({ name: `link_${a.bet.index}`, lower: -Infinity, upper: 0, index: [a.col, a.binCol], value: [1, -(colUpper[a.col]! > 0 ? colUpper[a.col]! : a.upper)] });
  }
  if (withBin.length > 0) {
    const total = problem.totalMaxWagerCount;
    if (total !== null && withBin.length > total) {
      rows.push({ name: "count_total", lower: -Infinity, upper: total, index: withBin.map((a) => a.binCol), value: withBin.map(() => 1) });
    }
    for (const bk of problem.bookmakers) {
      const members = withBin.filter((a) => a.bet.bookmaker.id === bk.id);
      if (bk.maxWagerCount !== null && members.length > bk.maxWagerCount) {
        rows.push({ name: `count_b${bk.id}`, lower: -Infinity, upper: bk.maxWagerCount, index: members.map((a) => a.binCol), value: members.map(() => 1) });
      }
    }
  }

  return { sense: "maximize", columns, rows };
};

/** A feasible starting point: no new wager, t = the worst scenario of the previous wagers (and >= tLower if given). */
export const zeroStart = (prep: Prepared): number[] => {
  const x = new Array<number>(prep.numCols).fill(0);
  x[prep.tCol] = Math.min(...prep.minRows.map((s) => prep.base[s]!));
  return x;
};

/**
 * A feasible starting point near an LP solution: integer stakes rounded down (every limit row has
 * non-negative coefficients, so lowering stakes keeps it feasible), then units added greedily,
 * each time the one that raises the minimum profit most while every limit still holds. Only for
 * models without count binaries. Returns the column vector with t = its minimum profit.
 */
export const roundedStart = (prep: Prepared, lpX: readonly number[], maxSteps = 2000): number[] => {
  const x = new Array<number>(prep.numCols).fill(0);
  const cols: { k: number; col: number; unit: number; upper: number; integer: boolean }[] = [];
  for (let k = 0; k < prep.active.length; k++) {
    const a = prep.active[k]!;
    if (a.col < 0) continue;
    const v = Math.min(a.upper, Math.max(0, lpX[a.col] ?? 0));
    x[a.col] = a.integer ? floorTol(v) : v;
    if (a.integer) cols.push({ k, col: a.col, unit: a.unit, upper: a.upper, integer: true });
  }
  const model = buildModel(prep, { objective: { kind: "min_profit" } });
  const limits = model.rows.filter((r) => r.name.startsWith("limit_"));
  const slack = limits.map((r) => r.upper - r.index.reduce((s, j, q) => s + r.value[q]! * x[j]!, 0));
  // Not a feasible LP point after all (beyond round-off): start from no new wager instead.
  if (slack.some((v) => v < -1e-7)) return zeroStart(prep);
  const limitCoef = limits.map((r) => new Map(r.index.map((j, q) => [j, r.value[q]!])));
  const rows = prep.minRows;
  const profit = rows.map((s) => prep.base[s]! + prep.active.reduce((acc, a, k) => (a.col < 0 ? acc : acc + prep.scenarios[s]!.r[k]! * a.unit * x[a.col]!), 0));
  const tol = 1e-9;
  for (let step = 0; step < maxSteps; step++) {
    const current = Math.min(...profit);
    let best = current + tol;
    let pick = -1;
    for (let c = 0; c < cols.length; c++) {
      const { k, col, unit, upper } = cols[c]!;
      if (x[col]! + 1 > upper) continue;
      let fits = true;
      for (let l = 0; l < limits.length; l++) {
        const coef = limitCoef[l]!.get(col);
        if (coef !== undefined && coef > slack[l]! + tol) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      let m = Infinity;
      for (let i = 0; i < rows.length && m > best; i++) m = Math.min(m, profit[i]! + prep.scenarios[rows[i]!]!.r[k]! * unit);
      if (m > best) {
        best = m;
        pick = c;
      }
    }
    if (pick < 0) break;
    const { k, col, unit } = cols[pick]!;
    x[col]! += 1;
    for (let l = 0; l < limits.length; l++) slack[l]! -= limitCoef[l]!.get(col) ?? 0;
    for (let i = 0; i < rows.length; i++) profit[i]! += prep.scenarios[rows[i]!]!.r[k]! * unit;
  }
  x[prep.tCol] = Math.min(...profit);
  return x;
};

/** Minimum profit over the scenario rows of a column vector (integer columns rounded). */
export const minProfitOf = (prep: Prepared, x: readonly number[]): number => {
  let min = Infinity;
  for (const s of prep.minRows) {
    let p = prep.base[s]!;
    for (let k = 0; k < prep.active.length; k++) {
      const a = prep.active[k]!;
      if (a.col < 0) continue;
      const v = x[a.col] ?? 0;
      p += prep.scenarios[s]!.r[k]! * a.unit * (a.integer ? Math.round(v) : v);
    }
    min = Math.min(min, p);
  }
  return min;
};

/** Money wagers per input bet from a column vector (integers rounded; continuous rounded to 1e-6 within bounds). */
export const wagersFromColumns = (prep: Prepared, x: readonly number[]): number[] => {
  const out = new Array<number>(prep.problem.bets.length).fill(0);
  const decimals = precisionDecimals(prep.problem.precision);
  for (const a of prep.active) {
    if (a.col < 0) continue;
    const v = x[a.col] ?? 0;
    if (a.integer) {
      const n = Math.min(a.upper, Math.max(0, Math.round(v)));
      out[a.bet.index] = roundTo(n * a.unit, decimals);
    } else if (a.roundDown) {
      const clamped = Math.min(a.upper, Math.max(0, v));
      const P = prep.problem.precision;
      out[a.bet.index] = roundTo(floorTol(clamped / P) * P, decimals);
    } else {
      const clamped = Math.min(a.upper, Math.max(0, v));
      const rounded = roundTo(clamped, 6);
      out[a.bet.index] = rounded > a.upper ? Math.floor(clamped * 1e6) / 1e6 : rounded;
    }
  }
  // Rounding continuous stakes to 1e-6 (and the solver's own tolerance) can push an exposure limit
  // over by a hair (e.g. 200.0000012 on 200): round the continuous stakes under that limit down.
  const staked = prep.active.filter((a) => a.col >= 0);
  const floorContinuous = (members: readonly ActiveBet[], cap: number): void => {
    if (!Number.isFinite(cap) || members.reduce((s, a) => s + a.exposure * out[a.bet.index]!, 0) <= cap) return;
    for (const a of members) {
      if (a.integer || a.roundDown) continue;
      out[a.bet.index] = Math.floor(Math.min(a.upper, Math.max(0, x[a.col] ?? 0)) * 1e6) / 1e6;
    }
  };
  if (staked.some((a) => !a.integer && !a.roundDown)) {
    floorContinuous(staked, prep.remainingGlobal);
    for (const [id, cap] of prep.remainingByBookmaker) floorContinuous(staked.filter((a) => a.bet.bookmaker.id === id), cap);
  }
  return out;
};

/** Column vector (in the model's units) of given money wagers, with t = the given value. */
export const columnsFromWagers = (prep: Prepared, wagers: readonly number[], t: number): number[] => {
  const x = new Array<number>(prep.numCols).fill(0);
  for (const a of prep.active) {
    if (a.col < 0) continue;
    const w = wagers[a.bet.index] ?? 0;
    x[a.col] = a.integer ? Math.round(w / a.unit) : w;
    if (a.binCol >= 0) x[a.binCol] = w > 0 ? 1 : 0;
  }
  x[prep.tCol] = t;
  return x;
};

/** Number of decimals needed to print multiples of `p` exactly (0.01 -> 2, 10 -> 0, 0.25 -> 2). */
export const precisionDecimals = (p: number): number => {
  for (let d = 0; d <= 10; d++) if (Math.abs(Math.round(p * 10 ** d) - p * 10 ** d) < 1e-9 * 10 ** d) return d;
  return 10;
};

export const roundTo = (v: number, decimals: number): number => {
  const r = Number(v.toFixed(decimals));
  return Object.is(r, -0) ? 0 : r;
};

/** CPLEX LP text of a model (for debugging and for the independent cross-check in tests). */
export const toLpText = (model: LinearModel): string => {
  const num = (v: number): string => (Number.isFinite(v) ? String(v) : v > 0 ? "inf" : "-inf");
  const term = (coef: number, name: string, first: boolean): string => {
    if (first) return `${coef < 0 ? "-" : ""}${Math.abs(coef)} ${name}`;
    return `${coef < 0 ? "-" : "+"} ${Math.abs(coef)} ${name}`;
  };
  const lines: string[] = [model.sense === "maximize" ? "Maximize" : "Minimize"];
  const objTerms = model.columns.map((c) => ({ c })).filter(({ c }) => c.cost !== 0);
  lines.push(` obj: ${objTerms.length === 0 ? `0 ${model.columns[0]?.name ?? "x"}` : objTerms.map(({ c }, i) => term(c.cost, c.name, i === 0)).join(" ")}`);
  lines.push("Subject To");
  for (const r of model.rows) {
    const expr = r.index.map((j, i) => term(r.value[i]!, model.columns[j]!.name, i === 0)).join(" ") || `0 ${model.columns[0]!.name}`;
    if (Number.isFinite(r.lower) && Number.isFinite(r.upper)) {
      if (r.lower === r.upper) lines.push(` ${r.name}: ${expr} = ${num(r.lower)}`);
      else {
        lines.push(` ${r.name}_lo: ${expr} >= ${num(r.lower)}`);
        lines.push(` ${r.name}_up: ${expr} <= ${num(r.upper)}`);
      }
    } else if (Number.isFinite(r.lower)) lines.push(` ${r.name}: ${expr} >= ${num(r.lower)}`);
    else if (Number.isFinite(r.upper)) lines.push(` ${r.name}: ${expr} <= ${num(r.upper)}`);
  }
  lines.push("Bounds");
  for (const c of model.columns) {
    if (!Number.isFinite(c.lower) && !Number.isFinite(c.upper)) lines.push(` ${c.name} free`);
    else lines.push(` ${num(c.lower)} <= ${c.name} <= ${num(c.upper)}`);
  }
  const ints = model.columns.filter((c) => c.integer).map((c) => c.name);
  if (ints.length > 0) lines.push("General", ` ${ints.join(" ")}`);
  lines.push("End");
  return lines.join("\n");
};
