// Source of the HiGHS solver worker, run with `new Worker(WORKER_SOURCE, { eval: true })`.
//
// It is plain CommonJS JavaScript in a string so the same worker loads under tsx (CLI, bench),
// vitest and Next's server runtime without any bundler or loader support for worker files. The
// `highs` package path is resolved by the parent and passed in `workerData.highsPath`.
//
// Protocol (parent -> worker): { type: "solve", id, model: LinearModel, timeLimit, mipRelGap,
// mipAbsGap, start?, options? (extra HiGHS options), tighten? (columns: bound tightening instead of a
// solve, answered with `ranges`), lattice? (integer columns to reformulate by basis reduction before
// the solve, see lib/arbitrage/lattice.ts) }. Worker -> parent: { type: "ready" } once, then per
// request { type: "result", id, status, statusCode, optimal, hasSolution, x, reducedCosts, objective,
// bound, gap, nodes, timeMs, lattice, latticeFallback } or { type: "error", id, message }. A failed load posts
// { type: "fatal", message }.

import { LATTICE_SOURCE } from "@/lib/arbitrage/lattice";

export const WORKER_SOURCE = String.raw`
"use strict";
const lattice = (${LATTICE_SOURCE})(() => Date.now());
const { parentPort, workerData } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

const STATUS_NAMES = {
  0: "not_set", 1: "load_error", 2: "model_error", 3: "presolve_error", 4: "solve_error",
  5: "postsolve_error", 6: "empty", 7: "optimal", 8: "infeasible", 9: "unbounded_or_infeasible",
  10: "unbounded", 11: "objective_bound", 12: "objective_target", 13: "time_limit",
  14: "iteration_limit", 15: "unknown", 16: "solution_limit", 17: "interrupted",
};

const v8 = require("node:v8");
const fs = require("node:fs");
const path = require("node:path");

// The WebAssembly module is compiled once per process and shared with later workers (V8 shares the
// compiled code between threads). With workerData.eager every function is compiled by the
// optimising tier up front (~2 s once) instead of running the first solves 5-10x slower.
async function compileModule() {
  if (workerData.wasmModule) return workerData.wasmModule;
  const bytes = fs.readFileSync(path.join(path.dirname(workerData.highsPath), "highs.wasm"));
  if (!workerData.eager) return WebAssembly.compile(bytes);
  v8.setFlagsFromString("--no-liftoff");
  v8.setFlagsFromString("--no-wasm-lazy-compilation");
  try {
    return await WebAssembly.compile(bytes);
  } finally {
    v8.setFlagsFromString("--liftoff");
    v8.setFlagsFromString("--wasm-lazy-compilation");
  }
}

const highsReady = compileModule().then((wasmModule) => {
  if (!workerData.wasmModule) parentPort.postMessage({ type: "module", module: wasmModule });
  return require(workerData.highsPath)({
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance));
      return {};
    },
  });
});

function toModelData(highs, m) {
  const numCols = m.columns.length;
  const numRows = m.rows.length;
  const starts = new Int32Array(numRows + 1);
  let nnz = 0;
  for (let i = 0; i < numRows; i++) { starts[i] = nnz; nnz += m.rows[i].index.length; }
  starts[numRows] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const r of m.rows) {
    for (let j = 0; j < r.index.length; j++) { indices[k] = r.index[j]; values[k] = r.value[j]; k++; }
  }
  const anyInteger = m.columns.some((c) => c.integer);
  const data = {
    numCols, numRows,
    sense: m.sense === "maximize" ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(m.columns, (c) => c.cost),
    colLower: Float64Array.from(m.columns, (c) => (Number.isFinite(c.lower) ? c.lower : -highs.infinity)),
    colUpper: Float64Array.from(m.columns, (c) => (Number.isFinite(c.upper) ? c.upper : highs.infinity)),
    rowLower: Float64Array.from(m.rows, (r) => (Number.isFinite(r.lower) ? r.lower : -highs.infinity)),
    rowUpper: Float64Array.from(m.rows, (r) => (Number.isFinite(r.upper) ? r.upper : highs.infinity)),
    matrix: { format: "csr", numRows, numCols, starts, indices, values },
  };
  if (anyInteger) data.integrality = Int32Array.from(m.columns, (c) => (c.integer ? 1 : 0));
  return { data, anyInteger };
}

function num(v) { return typeof v === "bigint" ? Number(v) : v; }

// Optimisation-based bound tightening: the LP relaxation of the model (integrality and objective
// dropped) is solved for min and max of each listed column, warm-started from the previous basis.
// The model's constraints (e.g. a cutoff t >= incumbent) make these ranges valid for every solution
// at least as good. Returns { lower, upper } (full column arrays) or null when an LP fails.
function tightenBounds(highs, msg) {
  const t0 = performance.now();
  const { data } = toModelData(highs, msg.model);
  delete data.integrality;
  data.colCost = new Float64Array(data.numCols);
  const lower = Array.from(data.colLower);
  const upper = Array.from(data.colUpper);
  const model = highs.createModel(data);
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const maxS = highs.constants.objectiveSense.maximize;
    const minS = highs.constants.objectiveSense.minimize;
    let prev = -1;
    for (const c of msg.tighten) {
      const left = msg.timeLimit - (performance.now() - t0) / 1000;
      if (left <= 0) return null;
      model.options.set({ time_limit: left });
      if (prev >= 0) model.changeColCost(prev, 0);
      model.changeColCost(c, 1);
      prev = c;
      model.changeObjectiveSense(maxS);
      model.run();
      if (model.getModelStatus() !== 7) return null;
      const hi = model.getObjectiveValue();
      model.changeObjectiveSense(minS);
      model.run();
      if (model.getModelStatus() !== 7) return null;
      const lo = model.getObjectiveValue();
      upper[c] = Math.min(upper[c], hi);
      lower[c] = Math.max(lower[c], lo);
    }
    return { lower, upper };
  } finally {
    model.dispose();
  }
}

// A strictly interior point of the LP relaxation (all barrier rows g·x <= h, over the free columns):
// maximise r with g·x + |g|·r <= h, 0 <= r <= 1. Null when the polytope has no interior in time.
function interiorPoint(highs, sys, timeLimit) {
  const n = sys.free.length;
  const columns = [];
  for (let i = 0; i < n; i++) columns.push({ name: "x" + i, lower: -Infinity, upper: Infinity, cost: 0, integer: false });
  columns.push({ name: "r", lower: 0, upper: 1, cost: 1, integer: false });
  const rows = sys.rows.map((r, i) => {
    let norm = 0;
    for (const v of r.val) norm += v * v;
    return { name: "c" + i, lower: -Infinity, upper: r.h, index: r.idx.concat([n]), value: r.val.concat([Math.sqrt(norm)]) };
  });
  const { data } = toModelData(highs, { sense: "maximize", columns, rows });
  const model = highs.createModel(data);
  try {
    model.options.set({ output_flag: false, random_seed: 0, time_limit: Math.max(0.001, timeLimit) });
    model.run();
    if (model.getModelStatus() !== 7) return null;
    const x = Array.from(model.getSolution().colValue);
    return x[n] > 1e-9 ? x.slice(0, n) : null;
  } finally {
    model.dispose();
  }
}

// Largest violation of a model's rows and column bounds by x, beyond 1e-9 × |bound| (absolute).
function violation(m, x) {
  let worst = 0;
  const rel = (v, b) => v - 1e-9 * Math.abs(b);
  for (let j = 0; j < m.columns.length; j++) {
    const c = m.columns[j];
    if (Number.isFinite(c.lower)) worst = Math.max(worst, rel(c.lower - x[j], c.lower));
    if (Number.isFinite(c.upper)) worst = Math.max(worst, rel(x[j] - c.upper, c.upper));
  }
  for (const r of m.rows) {
    let a = 0;
    for (let q = 0; q < r.index.length; q++) a += r.value[q] * x[r.index[q]];
    if (Number.isFinite(r.lower)) worst = Math.max(worst, rel(r.lower - a, r.lower));
    if (Number.isFinite(r.upper)) worst = Math.max(worst, rel(a - r.upper, r.upper));
  }
  return worst;
}

// Solves msg.model with the integer columns msg.lattice replaced by a basis-reduced lattice basis
// (lib/arbitrage/lattice.ts): same feasible set and optimum, far fewer branch-and-bound nodes on
// thin polytopes. Returns { fallback: reason } (the caller solves the plain model) when a step fails.
function solveWithLattice(highs, msg) {
  const t0 = performance.now();
  const left = () => msg.timeLimit - (performance.now() - t0) / 1000;
  const m = msg.model;
  const sys = lattice.barrierSystem(m);
  const cols = [];
  const vars = [];
  for (const c of msg.lattice) {
    if (c >= 0 && c < m.columns.length && m.columns[c].integer && sys.pos[c] >= 0) {
      cols.push(c);
      vars.push(sys.pos[c]);
    }
  }
  if (cols.length < 2) return { fallback: "fewer than two integer columns left free by their bounds" };
  const x0 = interiorPoint(highs, sys, left() * 0.1);
  if (!x0) return { fallback: "the LP relaxation has no interior" };
  if (left() <= 0) return { fallback: "out of time" };
  // The preparation may take at most a quarter of the budget; the search is what proves optimality.
  const prepBudgetMs = msg.timeLimit * 250;
  const centre = lattice.analyticCenter(sys, x0, 60, prepBudgetMs);
  if (!centre) return { fallback: "no analytic centre" };
  if (left() <= 0) return { fallback: "out of time" };
  const red = lattice.lllReduce(lattice.inverseBlock(centre.L, sys.free.length, vars), cols.length, 0.99, undefined, Math.max(1, prepBudgetMs - (performance.now() - t0)));
  if (!red) return { fallback: "no basis reduction" };
  if (left() <= 0) return { fallback: "out of time" };
  const ref = lattice.reformulate(m, cols, red);
  const prepMs = performance.now() - t0;
  const start = msg.start && msg.start.length === m.columns.length ? ref.toY(msg.start) : undefined;
  const res = solvePlain(highs, Object.assign({}, msg, { model: ref.model, start, timeLimit: left() }));
  if (res.hasSolution) {
    // y is integral to ~1e-9, so the mapped stakes are exact integers; any larger drift on the
    // original rows means numerical trouble: solve the plain model instead.
    const x = ref.fromY(res.x);
    for (let j = 0; j < x.length; j++) if (m.columns[j].integer) x[j] = Math.round(x[j]);
    if (!(violation(m, x) <= 1e-6)) return { fallback: "the mapped answer violates the model" };
    res.x = x;
  }
  res.reducedCosts = null;
  res.lattice = { columns: cols.length, swaps: red.swaps, prepMs, centreIterations: centre.iterations };
  return res;
}

function solve(highs, msg) {
  if (msg.tighten) {
    const ranges = tightenBounds(highs, msg);
    return { status: ranges ? "optimal" : "unknown", statusCode: ranges ? 7 : 15, optimal: !!ranges, hasSolution: false, x: [], reducedCosts: null, objective: null, bound: null, gap: null, mip: false, nodes: 0, ranges };
  }
  if (msg.lattice && msg.lattice.length > 1 && msg.model.columns.some((c) => c.integer)) {
    const t0 = performance.now();
    let res;
    try {
      res = solveWithLattice(highs, msg);
    } catch (e) {
      res = { fallback: "error: " + String((e && e.message) || e) };
    }
    if (!res.fallback) return res;
    const spent = (performance.now() - t0) / 1000;
    const plain = solvePlain(highs, Object.assign({}, msg, { timeLimit: Math.max(0.001, msg.timeLimit - spent) }));
    plain.lattice = null;
    plain.latticeFallback = res.fallback;
    return plain;
  }
  return solvePlain(highs, msg);
}

function solvePlain(highs, msg) {
  const { data, anyInteger } = toModelData(highs, msg.model);
  const model = highs.createModel(data);
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.001, msg.timeLimit),
      mip_rel_gap: msg.mipRelGap,
      mip_abs_gap: msg.mipAbsGap,
      random_seed: 0,
    });
    if (msg.options) model.options.set(msg.options);
    if (anyInteger && msg.start && msg.start.length === data.numCols) {
      try { model.setSolution({ colValue: Float64Array.from(msg.start) }); } catch (e) { /* an infeasible start is ignored */ }
    }
    model.run();
    const code = model.getModelStatus();
    const status = STATUS_NAMES[code] || "unknown";
    const primal = num(model.info.get("primal_solution_status"));
    const hasSolution = primal === 2;
    const sol = hasSolution ? model.getSolution() : null;
    const x = sol ? Array.from(sol.colValue) : [];
    const reducedCosts = sol && !anyInteger && code === 7 ? Array.from(sol.colDual) : null;
    const objective = hasSolution ? model.getObjectiveValue() : null;
    let bound = null;
    let gap = null;
    if (anyInteger) {
      const db = num(model.info.get("mip_dual_bound"));
      bound = Number.isFinite(db) ? db : null;
      const g = num(model.info.get("mip_gap"));
      gap = Number.isFinite(g) ? g : null;
    } else if (code === 7) {
      bound = objective;
      gap = 0;
    }
    if (code === 7) gap = Math.min(gap == null ? 0 : gap, 1);
    const nodes = anyInteger ? num(model.info.get("mip_node_count")) : 0;
    return { status, statusCode: code, optimal: code === 7, hasSolution, x, reducedCosts, objective, bound, gap, mip: anyInteger, nodes };
  } finally {
    model.dispose();
  }
}

// A tiny integer model (the 3-way Greece book) solved a few times before reporting ready, so the
// first real request does not pay for cold code paths.
const WARM_MODEL = {
  sense: "maximize",
  columns: [
    { name: "n1", lower: 0, upper: 9569, cost: 0, integer: true },
    { name: "n2", lower: 0, upper: 9569, cost: 0, integer: true },
    { name: "n3", lower: 0, upper: 9569, cost: 0, integer: true },
    { name: "t", lower: -Infinity, upper: Infinity, cost: 1, integer: false },
  ],
  rows: [
    { name: "s1", lower: 0, upper: Infinity, index: [0, 1, 2, 3], value: [0.013, -0.01, -0.01, -1] },
    { name: "s2", lower: 0, upper: Infinity, index: [0, 1, 2, 3], value: [-0.01, 0.025, -0.01, -1] },
    { name: "s3", lower: 0, upper: Infinity, index: [0, 1, 2, 3], value: [-0.01, -0.01, 0.0323, -1] },
    { name: "lim", lower: -Infinity, upper: 95.69, index: [0, 1, 2], value: [0.01, 0.01, 0.01] },
  ],
};

highsReady.then(
  (highs) => {
    for (let i = 0; i < (workerData.warmSolves || 0); i++) {
      try { solve(highs, { model: WARM_MODEL, timeLimit: 5, mipRelGap: 1e-6, mipAbsGap: 1e-6 }); } catch (e) { /* warm-up only */ }
    }
    parentPort.postMessage({ type: "ready" });
  },
  (e) => parentPort.postMessage({ type: "fatal", message: String((e && e.message) || e) }),
);

parentPort.on("message", (msg) => {
  if (!msg || msg.type !== "solve") return;
  highsReady.then((highs) => {
    const t0 = performance.now();
    try {
      const res = solve(highs, msg);
      parentPort.postMessage(Object.assign({ type: "result", id: msg.id, timeMs: performance.now() - t0 }, res));
    } catch (e) {
      parentPort.postMessage({ type: "error", id: msg.id, message: String((e && e.message) || e) });
    }
  }, (e) => parentPort.postMessage({ type: "error", id: msg.id, message: "HiGHS failed to load: " + String((e && e.message) || e) }));
});
`;
