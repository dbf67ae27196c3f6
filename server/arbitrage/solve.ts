// Solving one validated arbitrage problem on the worker pool.
//
// Mode 1 (GuaranteedProfit): phase 1 maximises t = the minimum profit over all outcomes; phase 2
// (tie-break, for stable answers) keeps t >= t* − ε and maximises the sum of profits over the
// outcome classes (minus a tiny cost per unit of exposure).
// Mode 2 (MaxProfit): maximises the best outcome's profit subject to every outcome >= min(0, t*),
// so it never turns an arbitrage into a gamble: one LP relaxation per candidate best outcome gives
// bounds, the MILP is solved per candidate in bound order until no bound can beat the incumbent,
// then a tie-break maximises the minimum profit with the best outcome held at its optimum.

import {
  buildModel,
  columnsFromWagers,
  minProfitOf,
  prepare,
  roundedStart,
  roundTo,
  wagersFromColumns,
  zeroStart,
  type BuildOptions,
  type Prepared,
} from "@/lib/arbitrage/model";
import { buildOutput, type SolverSummary } from "@/lib/arbitrage/output";
import type { ArbOutput, ArbProblem } from "@/lib/arbitrage/types";
import { getSolverPool, type SolveResult, type Solver, type SolverPool } from "./pool";

export interface SolveArbOptions {
  readonly pool?: SolverPool;
  readonly now?: () => number;
  /** Skip the tie-break phase (used by the benchmark to time phase 1 alone). */
  readonly skipTieBreak?: boolean;
  /** Solve the LP relaxation only (benchmark). */
  readonly relax?: boolean;
  /** Keep dominated bets in the model (tests compare both). */
  readonly noDominance?: boolean;
  /** Never use the lattice reformulation of the stake columns (tests compare both). */
  readonly noLattice?: boolean;
}

const absGapFor = (problem: ArbProblem): number => Math.max(1e-6, 1e-6 * problem.wagerLimit);
const REL_GAP = 1e-6;

interface Outcome {
  x: number[];
  status: string;
  optimal: boolean;
  gap: number;
  bound: number | null;
  solves: number;
  notes: string[];
  constraints: number;
  /** Column ranges proven for every answer with t >= tCut (reused by the tie-break). */
  cut?: { tCut: number; bounds: Bounds } | undefined;
  /**
   * Set when the count-free relaxation's answer settled a model with count caps: that model and
   * its outcome (columns of `prep`), on which the tie-break can run without binaries.
   */
  relaxed?: { prep: Prepared; outcome: Outcome } | undefined;
}

const tieTolerance = (v: number): number => 1e-7 * Math.max(1, Math.abs(v));

/** Sub-MIP heuristics (RINS/RENS) cost more than they save on small models. */
const heuristicOptions = (prep: Prepared): Record<string, boolean> =>
  prep.integerCount + prep.binaryCount <= SMALL_MIP ? { mip_heuristic_run_rins: false, mip_heuristic_run_rens: false } : {};
const SMALL_MIP = 40;
/**
 * Integer stake columns to reformulate by lattice basis reduction in the proof and tie-break MIPs
 * (see lib/arbitrage/lattice.ts), or undefined. Used for every count-free model with at least two
 * integer stakes: it paid off at every size measured (3-way book: 23 -> 10 ms; 20 bets: up to 8x;
 * 200 bets: 5-10x). Not with count binaries: there the hard part is which bets to use; on 200-bet
 * instances whose caps bind it was mixed (two unproven at 20 s were proven in 6-7 s, three others
 * took 2-5x longer), and the reduction costs O(k³), ~1 s at k = 150.
 */
const latticeColumns = (prep: Prepared, opts: SolveArbOptions): number[] | undefined => {
  if (opts.noLattice || prep.binaryCount > 0 || prep.integerCount > MAX_LATTICE) return undefined;
  const cols = prep.active.filter((a) => a.col >= 0 && a.integer).map((a) => a.col);
  return cols.length > 1 ? cols : undefined;
};
/** Largest stake count reformulated (the centre and the reduction cost O(k³); ~50 ms at k = 70). */
const MAX_LATTICE = 160;
/**
 * The reformulated proof MIP starts from a near-optimal answer and closes in tens of nodes; primal
 * heuristics (sub-MIPs above all) then cost more than the search itself.
 */
const PROOF_OPTIONS = {
  mip_heuristic_effort: 0,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_heuristic_run_zi_round: false,
  mip_heuristic_run_shifting: false,
  mip_heuristic_run_feasibility_jump: false,
} as const;
/** Columns kept (besides the LP support) in the restricted MIP that seeds the full one. */
const RESTRICTED_EXTRA = 10;
const RESTRICTED_MAX_S = 2;
/** With the lattice proof to follow, a first good incumbent matters less than the time it takes. */
const RESTRICTED_LATTICE_MAX_S = 0.4;
/** Node cap of the tie-break MIP: deterministic, and it starts from an optimal-t solution anyway. */
const TIE_BREAK_NODES = 300;

type Bounds = NonNullable<BuildOptions["bounds"]>;
/** Share of the remaining time (and a cap in seconds) for one bound-tightening pass. */
const TIGHTEN_SHARE = 0.2;
const TIGHTEN_MAX_S = 1;

/** Slack on a t cutoff derived from a known solution, so that solution stays feasible numerically. */
const cutoffSlack = (t: number): number => 1e-7 * Math.max(1, Math.abs(t));

/**
 * Proven ranges of every stake column over the LP relaxation restricted to t >= tCut (and the
 * other options of `base`): every solution with min profit >= tCut lies within them. Integer
 * columns are rounded inwards (with a tolerance for LP round-off). Undefined when a pass fails.
 */
const tightenedBounds = async (
  prep: Prepared,
  solver: Solver,
  tCut: number,
  remaining: () => number,
  base: Omit<BuildOptions, "objective" | "relax" | "tLower" | "bounds"> = {},
): Promise<Bounds | undefined> => {
  const cols = prep.active.filter((a) => a.col >= 0).map((a) => a.col);
  if (cols.length === 0 || remaining() < 0.05) return undefined;
  const model = buildModel(prep, { ...base, objective: { kind: "min_profit" }, relax: true, tLower: tCut });
  const r = await solver.solve({ model, timeLimit: Math.min(TIGHTEN_MAX_S, remaining() * TIGHTEN_SHARE), tighten: cols });
  if (!r.ranges) return undefined;
  const lower = new Array<number>(prep.numCols).fill(0);
  const upper = new Array<number>(prep.numCols).fill(Infinity);
  for (const a of prep.active) {
    if (a.col < 0) continue;
    const lo = r.ranges.lower[a.col]!;
    const hi = r.ranges.upper[a.col]!;
    const tol = (v: number): number => 1e-6 * Math.max(1, Math.abs(v));
    const l = a.integer ? Math.ceil(lo - tol(lo)) : lo - tol(lo);
    const u = a.integer ? Math.floor(hi + tol(hi)) : hi + tol(hi);
    // An empty range can only come from round-off (the cutoff keeps a known solution feasible).
    if (!(l <= u)) return undefined;
    lower[a.col] = Math.max(0, l);
    upper[a.col] = Math.min(a.upper, u);
  }
  return { lower, upper };
};

/** The same problem without wager-count caps (a count cap of 0 is kept: those bets stay closed). */
const withoutCounts = (problem: ArbProblem): ArbProblem => {
  const books = new Map(problem.bookmakers.map((b) => [b.id, { ...b, maxWagerCount: b.maxWagerCount === 0 ? 0 : null }]));
  return {
    ...problem,
    bookmakers: [...books.values()],
    totalMaxWagerCount: problem.totalMaxWagerCount === 0 ? 0 : null,
    bets: problem.bets.map((b) => ({ ...b, bookmaker: books.get(b.bookmaker.id)! })),
  };
};

/** Column vector of `prep` for money wagers if they respect every wager-count cap and column bound, else null. */
const countFeasibleColumns = (prep: Prepared, wagers: readonly number[], t: number): number[] | null => {
  const problem = prep.problem;
  const byBook = new Map<number, number>();
  let total = 0;
  const activeByIndex = new Map(prep.active.map((a) => [a.bet.index, a]));
  for (const bet of problem.bets) {
    const w = wagers[bet.index] ?? 0;
    if (w <= 0) continue;
    const a = activeByIndex.get(bet.index);
    if (!a || a.col < 0) return null;
    if ((a.integer ? Math.round(w / a.unit) : w) > a.upper + 1e-9) return null;
    total++;
    byBook.set(bet.bookmaker.id, (byBook.get(bet.bookmaker.id) ?? 0) + 1);
  }
  if (problem.totalMaxWagerCount !== null && total > problem.totalMaxWagerCount) return null;
  for (const bk of problem.bookmakers) if (bk.maxWagerCount !== null && (byBook.get(bk.id) ?? 0) > bk.maxWagerCount) return null;
  return columnsFromWagers(prep, wagers, t);
};

/** Share of the remaining time given to the count-free relaxation of a model with count caps. */
const RELAXATION_SHARE = 0.8;

/**
 * Phase 1 of mode 1: maximise the minimum profit. With wager-count caps, the problem without them
 * is solved first (fewer columns, no binaries): its optimum bounds the capped one, and when its
 * answer happens to respect the caps it is optimal for them too (the usual case). Otherwise its
 * bound caps t in the capped model.
 */
const maxMinProfit = async (prep: Prepared, solver: Solver, remaining: () => number, opts: SolveArbOptions): Promise<Outcome> => {
  if (prep.binaryCount === 0 || prep.integerCount === 0 || opts.relax) return maxMinProfitCore(prep, solver, remaining, opts);
  const relaxedPrep = prepare(withoutCounts(prep.problem), { dominance: !opts.noDominance });
  const started = remaining();
  const budget = (): number => Math.max(0, remaining() - started * (1 - RELAXATION_SHARE));
  const relaxed = await maxMinProfitCore(relaxedPrep, solver, budget, opts);
  const relaxedT = minProfitOf(relaxedPrep, relaxed.x);
  const x = countFeasibleColumns(prep, wagersFromColumns(relaxedPrep, relaxed.x), relaxedT);
  const constraints = buildModel(prep, { objective: { kind: "min_profit" } }).rows.length;
  if (x && relaxed.optimal) return { ...relaxed, x, constraints, cut: undefined, relaxed: { prep: relaxedPrep, outcome: relaxed } };
  const upper = relaxed.bound !== null && Number.isFinite(relaxed.bound) ? relaxed.bound : undefined;
  const capped = await maxMinProfitCore(prep, solver, remaining, opts, { start: x ?? undefined, tUpper: upper });
  return { ...capped, solves: capped.solves + relaxed.solves, notes: [...relaxed.notes, ...capped.notes] };
};

const maxMinProfitCore = async (
  prep: Prepared,
  solver: Solver,
  remaining: () => number,
  opts: SolveArbOptions,
  known: { readonly start?: number[] | undefined; readonly tUpper?: number | undefined } = {},
): Promise<Outcome> => {
  const problem = prep.problem;
  const notes: string[] = [];
  const absGap = absGapFor(problem);
  const tUpper = known.tUpper === undefined ? undefined : known.tUpper + cutoffSlack(known.tUpper);
  const zero = zeroStart(prep);
  const t0 = zero[prep.tCol]!;
  const integral = prep.integerCount + prep.binaryCount > 0 && !opts.relax;
  let solves = 0;

  if (!integral) {
    const model = buildModel(prep, { objective: { kind: "min_profit" }, relax: opts.relax });
    const r = await solver.solve({ model, timeLimit: remaining() });
    solves++;
    if (!r.hasSolution) notes.push(`no solution found within the time limit (${r.status}); returning no new wagers`);
    return {
      x: r.hasSolution ? r.x : zero,
      status: r.status,
      optimal: r.optimal,
      gap: r.optimal ? 0 : Infinity,
      bound: r.bound,
      solves,
      notes,
      constraints: model.rows.length,
    };
  }

  // LP relaxation: a bound, the support and reduced costs.
  const lp = await solver.solve({ model: buildModel(prep, { objective: { kind: "min_profit" }, relax: true, tUpper }), timeLimit: remaining() });
  solves++;
  const constraints = buildModel(prep, { objective: { kind: "min_profit" } }).rows.length;
  if (lp.optimal && lp.objective !== null && lp.objective <= t0 + absGap) {
    // Even fractional stakes cannot beat "no new wager": that is optimal.
    return { x: zero, status: "optimal", optimal: true, gap: 0, bound: lp.objective, solves, notes, constraints };
  }

  // Restricted MIP over the LP support and the columns with the smallest reduced costs: a good start.
  let start = known.start ?? zero;
  const lattice = latticeColumns(prep, opts);
  if (lattice && lp.optimal) {
    // The LP answer rounded down and greedily repaired: a cheap start (and cutoff) at once.
    const rounded = roundedStart(prep, lp.x);
    if (minProfitOf(prep, rounded) > minProfitOf(prep, start)) start = rounded;
  }
  if (lp.optimal && lp.reducedCosts && prep.integerCount + prep.binaryCount > SMALL_MIP) {
    const stakeCols = prep.active.filter((a) => a.col >= 0).map((a) => a.col);
    const support = new Set(stakeCols.filter((c) => (lp.x[c] ?? 0) > 1e-9));
    const rest = stakeCols.filter((c) => !support.has(c)).sort((p, q) => Math.abs(lp.reducedCosts![p]!) - Math.abs(lp.reducedCosts![q]!) || p - q);
    // Columns the start uses stay free too, so that it is a feasible start of the restricted MIP.
    const fixZero = new Set(rest.slice(RESTRICTED_EXTRA).filter((c) => !((start[c] ?? 0) > 0)));
    if (fixZero.size > 0 && remaining() > 0.02) {
      const restricted = await solver.solve({
        model: buildModel(prep, { objective: { kind: "min_profit" }, fixZero, tUpper }),
        timeLimit: Math.max(0.01, Math.min(lattice ? RESTRICTED_LATTICE_MAX_S : RESTRICTED_MAX_S, remaining() * 0.2)),
        start,
        mipRelGap: REL_GAP,
        mipAbsGap: absGap,
        options: { mip_heuristic_run_rins: false, mip_heuristic_run_rens: false },
      });
      solves++;
      if (restricted.hasSolution && minProfitOf(prep, restricted.x) > minProfitOf(prep, start)) start = restricted.x;
    }
  }

  // Every better answer has t >= the start's value: tighten the column bounds under that cutoff.
  const tStart = minProfitOf(prep, start);
  const tCut = tStart - cutoffSlack(tStart);
  const bounds = await tightenedBounds(prep, solver, tCut, remaining, { tUpper });
  if (bounds) solves++;
  const startX = [...start];
  startX[prep.tCol] = tStart;
  // Under the cutoff the polytope of better answers is thin: branch on a reduced lattice basis.
  const mip = (tight: boolean) =>
    solver.solve({
      model: buildModel(prep, { objective: { kind: "min_profit" }, tUpper, ...(tight ? { tLower: tCut, bounds } : {}) }),
      timeLimit: remaining(),
      start: startX,
      mipRelGap: REL_GAP,
      mipAbsGap: absGap,
      ...(tight && lattice ? { lattice, options: PROOF_OPTIONS } : { options: heuristicOptions(prep) }),
    });
  let r1 = await mip(true);
  solves++;
  // The cutoff keeps the start feasible, so "infeasible" can only be round-off: solve without it.
  if (r1.status === "infeasible") {
    r1 = await mip(false);
    solves++;
  }
  if (!r1.hasSolution) notes.push(`no solution found within the time limit (${r1.status}); returning the best start found`);
  const lpBound = lp.objective ?? Infinity;
  // Answers with t below the cutoff are worse than the start, so the cutoff model's bound is global.
  const bound = Math.min(r1.bound === null ? lpBound : Math.max(r1.bound, tCut), lpBound, tUpper ?? Infinity);
  const x = r1.hasSolution ? [...r1.x] : startX;
  // The answer's own minimum profit (exact for its integer stakes), not the solver's t.
  const exact = minProfitOf(prep, x);
  if (Number.isFinite(exact)) x[prep.tCol] = exact;
  const value = x[prep.tCol]!;
  const optimal = r1.optimal || bound - value <= Math.max(absGap, REL_GAP * Math.abs(value));
  return {
    x,
    status: optimal ? "optimal" : r1.status,
    optimal,
    gap: optimal ? Math.max(0, Math.min(r1.gap ?? 0, (bound - value) / Math.max(1e-9, Math.abs(value)))) : Math.max(0, (bound - value) / Math.max(1e-9, Math.abs(value))),
    bound: Number.isFinite(bound) ? bound : null,
    solves,
    notes,
    constraints,
    cut: bounds ? { tCut, bounds } : undefined,
  };
};

/**
 * Tie-break of mode 1: keeps t >= t* − ε and maximises the sum of profits over the outcome classes
 * (minus a tiny exposure cost), from the phase-1 answer. Returns the new columns, or null.
 */
const tieBreak = async (prep: Prepared, phase1: Outcome, solver: Solver, remaining: () => number, opts: SolveArbOptions): Promise<{ x: number[] | null; solves: number; status: string }> => {
  const t1 = phase1.x[prep.tCol]!;
  const tLower = t1 - tieTolerance(t1);
  // The tie-break keeps t >= tLower: ranges proven under a cutoff at or below it still hold.
  let bounds: Bounds | undefined;
  let solves = 0;
  if (!opts.relax && prep.integerCount + prep.binaryCount > 0) {
    const cut = phase1.cut;
    if (cut && cut.tCut <= tLower && tLower - cut.tCut <= absGapFor(prep.problem)) bounds = cut.bounds;
    else {
      bounds = await tightenedBounds(prep, solver, tLower, remaining);
      if (bounds) solves++;
    }
  }
  const model2 = buildModel(prep, { objective: { kind: "sum_profit" }, tLower, relax: opts.relax, bounds });
  const lattice = opts.relax ? undefined : latticeColumns(prep, opts);
  const r2 = await solver.solve({
    model: model2,
    timeLimit: remaining(),
    start: phase1.x,
    mipRelGap: 1e-4,
    mipAbsGap: absGapFor(prep.problem),
    // Sub-MIP heuristics (RINS/RENS) took most of a node-capped tie-break on large models without
    // improving its answer on the benchmark instances; off here for every size (deterministic).
    options: prep.integerCount + prep.binaryCount > 0 ? { mip_heuristic_run_rins: false, mip_heuristic_run_rens: false, mip_max_nodes: TIE_BREAK_NODES, ...(lattice ? PROOF_OPTIONS : {}) } : {},
    // t >= t* − ε leaves a very thin polytope: on the reduced lattice the tie-break usually closes
    // well within its node cap.
    ...(lattice ? { lattice } : {}),
  });
  return { x: r2.hasSolution ? r2.x : null, solves: solves + 1, status: r2.status };
};

const runMode1 = async (prep: Prepared, solver: Solver, remaining: () => number, opts: SolveArbOptions): Promise<Outcome> => {
  const phase1 = await maxMinProfit(prep, solver, remaining, opts);
  if (!phase1.optimal || opts.skipTieBreak || remaining() <= 0.01) return phase1;
  const notes = [...phase1.notes];
  let solves = phase1.solves;
  // Count caps settled by the count-free relaxation: break the tie there (no binaries, and the
  // lattice applies) and keep its answer when it respects the caps too.
  const relaxed = phase1.relaxed;
  if (relaxed) {
    const r = await tieBreak(relaxed.prep, relaxed.outcome, solver, remaining, opts);
    solves += r.solves;
    const x = r.x ? countFeasibleColumns(prep, wagersFromColumns(relaxed.prep, r.x), 0) : null;
    if (x) {
      x[prep.tCol] = minProfitOf(prep, x);
      if (x[prep.tCol]! >= phase1.x[prep.tCol]! - tieTolerance(phase1.x[prep.tCol]!)) return { ...phase1, x, solves, notes };
    }
    if (remaining() <= 0.01) return { ...phase1, solves, notes };
  }
  const r2 = await tieBreak(prep, phase1, solver, remaining, opts);
  if (!r2.x) notes.push(`tie-break phase stopped without a solution (${r2.status}); phase-1 answer kept`);
  return { ...phase1, x: r2.x ?? phase1.x, solves: solves + r2.solves, notes };
};

const runMode2 = async (prep: Prepared, solver: Solver, remaining: () => number, opts: SolveArbOptions): Promise<Outcome> => {
  const problem = prep.problem;
  const absGap = absGapFor(problem);
  const notes: string[] = [];
  let solves = 0;
  // The floor is min(0, t*). With no new wager every outcome already earns >= t0, so t* >= t0 and a
  // non-negative t0 means the floor is 0 without solving mode 1.
  const zero = zeroStart(prep);
  let floor = 0;
  let start = zero;
  let phase1: Outcome | null = null;
  if (zero[prep.tCol]! < 0) {
    phase1 = await maxMinProfit(prep, solver, remaining, opts);
    notes.push(...phase1.notes);
    solves += phase1.solves;
    floor = Math.min(0, phase1.x[prep.tCol]!);
    start = phase1.x;
  }
  const integral = prep.integerCount + prep.binaryCount > 0 && !opts.relax;

  // Bounds from the LP relaxation of each candidate best outcome.
  const candidates: { s: number; bound: number; x: number[] }[] = [];
  for (const s of prep.maxRows) {
    if (remaining() <= 0.01) break;
    const model = buildModel(prep, { objective: { kind: "scenario_profit", scenario: s }, tLower: floor, relax: true });
    const r = await solver.solve({ model, timeLimit: remaining() });
    solves++;
    if (r.hasSolution && r.objective !== null) candidates.push({ s, bound: r.objective + prep.base[s]!, x: r.x });
  }
  const allBounded = candidates.length === prep.maxRows.length;
  candidates.sort((p, q) => q.bound - p.bound || p.s - q.s);

  let best: { s: number; value: number; x: number[] } | null = null;
  let optimal = allBounded;
  let openBound = -Infinity;
  if (!integral) {
    const c = candidates[0];
    if (c) best = { s: c.s, value: c.bound, x: c.x };
  } else {
    // Branch over the candidate best outcomes in bound order; once there is an incumbent, a
    // candidate must beat it (floor row), which HiGHS usually refutes quickly.
    for (const c of candidates) {
      if (best && c.bound <= best.value + absGap) break;
      if (remaining() <= 0.01) {
        optimal = false;
        openBound = Math.max(openBound, c.bound);
        break;
      }
      const scenarioFloors = best ? [{ scenario: c.s, lower: best.value + absGap }] : [];
      const model = buildModel(prep, { objective: { kind: "scenario_profit", scenario: c.s }, tLower: floor, scenarioFloors });
      const r = await solver.solve({
        model,
        timeLimit: remaining(),
        start: best ? undefined : start,
        mipRelGap: REL_GAP,
        mipAbsGap: absGap,
        options: heuristicOptions(prep),
      });
      solves++;
      if (r.status === "infeasible") continue;
      if (!r.optimal) {
        optimal = false;
        openBound = Math.max(openBound, r.bound !== null ? r.bound + prep.base[c.s]! : c.bound);
      }
      if (r.hasSolution && r.objective !== null) {
        const value = r.objective + prep.base[c.s]!;
        if (!best || value > best.value + 1e-12) best = { s: c.s, value, x: r.x };
      }
    }
  }
  if (!best) {
    notes.push("no best-outcome solution found in time; returning the guaranteed-profit answer");
    const fallback = phase1 ?? { x: zero, status: "time_limit", optimal: false, gap: 1, bound: null, solves: 0, notes: [], constraints: 0 };
    return { ...fallback, notes, solves, optimal: false };
  }
  const bestBound = Math.max(best.value, openBound);

  // Tie-break: the best minimum profit among answers that keep the best outcome at its optimum.
  let x = best.x;
  if (!opts.skipTieBreak && remaining() > 0.01) {
    const model = buildModel(prep, {
      objective: { kind: "min_profit" },
      tLower: floor,
      scenarioFloors: [{ scenario: best.s, lower: best.value - tieTolerance(best.value) }],
      relax: opts.relax,
    });
    const startX = [...best.x];
    startX[prep.tCol] = floor;
    const r = await solver.solve({
      model,
      timeLimit: remaining(),
      start: startX,
      mipRelGap: 1e-4,
      mipAbsGap: absGap,
      options: { ...heuristicOptions(prep), ...(integral ? { mip_max_nodes: TIE_BREAK_NODES } : {}) },
    });
    solves++;
    if (r.hasSolution) x = r.x;
  }
  const gap = optimal ? 0 : Math.max(0, (bestBound - best.value) / Math.max(1e-9, Math.abs(best.value)));
  return {
    x,
    status: optimal ? "optimal" : "time_limit",
    optimal,
    gap,
    bound: bestBound,
    solves,
    notes,
    constraints: buildModel(prep, { objective: { kind: "min_profit" } }).rows.length + 1,
  };
};

/** Solves a validated problem and returns the seed's response with the `solution` block. */
export const solveArbitrage = async (problem: ArbProblem, opts: SolveArbOptions = {}): Promise<ArbOutput> => {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const prep = prepare(problem, { dominance: !opts.noDominance });
  const stakeable = prep.active.some((a) => a.col >= 0);

  let outcome: Outcome;
  if (!stakeable) {
    outcome = {
      x: zeroStart(prep),
      status: "optimal",
      optimal: true,
      gap: 0,
      bound: null,
      solves: 0,
      notes: ["no bet can take a new wager (volumes, limits or counts are exhausted)"],
      constraints: 0,
    };
  } else {
    const pool = opts.pool ?? getSolverPool();
    outcome = await pool.run((solver) => {
      // The budget counts from when a worker takes the job, not from when it was queued.
      const deadline = now() + problem.maxProcessTime * 1000;
      const remaining = (): number => Math.max(0, (deadline - now()) / 1000);
      return problem.mode === 2 ? runMode2(prep, solver, remaining, opts) : runMode1(prep, solver, remaining, opts);
    });
  }
  if (prep.active.some((a) => a.col >= 0 && a.roundDown)) {
    outcome.notes.push("the wager precision is very fine for these limits: stakes were optimised continuously and rounded down to the precision");
  }
  const wagers = wagersFromColumns(prep, outcome.x);
  const summary: SolverSummary = {
    status: outcome.status,
    optimal: outcome.optimal,
    gap: Number.isFinite(outcome.gap) ? outcome.gap : 1,
    bound: outcome.bound === null || !Number.isFinite(outcome.bound) ? null : roundTo(outcome.bound, 6),
    objective: problem.mode === 2 ? "max_best_profit" : "max_min_profit",
    solve_time_ms: Math.round((now() - started) * 10) / 10,
    model: {
      variables: prep.numCols,
      integer_variables: prep.integerCount,
      binary_variables: prep.binaryCount,
      constraints: outcome.constraints,
      scenarios: prep.scenarios.length,
      solves: outcome.solves,
    },
    notes: outcome.notes,
  };
  return buildOutput(problem, wagers, summary);
};

export type { SolveResult };
