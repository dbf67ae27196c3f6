// Lattice (basis-reduction) reformulation of the integer stake columns of a MILP.
//
// Why: with a cutoff t >= incumbent, the set of stake vectors that could still beat the incumbent
// is a thin polytope. Branching on single stakes (what HiGHS does) needs thousands of nodes to show
// it holds no integer point, although it is thin along a few integer directions (a combination
// such as n_a - n_b + n_c has a range below 1 or 2 over it). Writing the stakes as n = U⁻¹·y with
// a unimodular U whose rows are those thin directions makes every branch on a y_k a branch on a
// thin direction (Lenstra; Aardal-Hurkens-Lenstra; Mehrotra-Li "branching on hyperplane
// disjunctions"). U is unimodular, so y is integer exactly when n is: the reformulated MILP has
// the same feasible stakes and the same optimum; only the branching changes.
//
// Recipe: analytic centre of the LP relaxation (its Dikin ellipsoid approximates the polytope's
// shape); Q = the stake block of the inverse barrier Hessian (the width of the polytope along an
// integer direction c is about sqrt(cᵀQc)); LLL-reduce the integer lattice under the norm Q.
//
// The code is plain JavaScript in a string (like the worker source) so the HiGHS worker thread can
// evaluate exactly the same code that the tests run, under tsx, vitest and Next alike. It uses no
// imports and no globals beyond the language's own; the clock for its time budgets is passed in.

import type { LinearModel } from "./model";

/** One constraint g·x <= h over the free columns (sparse). */
export interface BarrierRow {
  readonly idx: readonly number[];
  readonly val: readonly number[];
  readonly h: number;
}

export interface BarrierSystem {
  /** Model columns that are not fixed by their bounds, in order (barrier variable i is column free[i]). */
  readonly free: number[];
  /** Model column -> barrier variable, or -1 for fixed columns. */
  readonly pos: Int32Array;
  readonly rows: BarrierRow[];
}

export interface Reduction {
  /** Rows of U (y = U·n), integer, k×k. */
  readonly B: number[][];
  /** U⁻¹ (n = U⁻¹·y), integer, k×k. */
  readonly Binv: number[][];
  readonly swaps: number;
}

export interface Reformulated {
  readonly model: LinearModel;
  /** Original column vector -> reformulated one (stakes rounded to integers first). */
  readonly toY: (x: readonly number[]) => number[];
  /** Reformulated column vector -> original one (y rounded to integers first). */
  readonly fromY: (y: readonly number[]) => number[];
}

export interface LatticeKit {
  /** Constraints g·x <= h of a model's rows and column bounds, with fixed columns substituted. */
  barrierSystem(model: LinearModel): BarrierSystem;
  /**
   * Newton's method on −Σ log(h − g·x) from a strictly interior x0. Returns the centre and the
   * lower Cholesky factor of the barrier Hessian there (n×n, row-major), or null on failure.
   */
  analyticCenter(sys: BarrierSystem, x0: readonly number[], maxIter?: number, budgetMs?: number): { x: Float64Array; L: Float64Array; iterations: number } | null;
  /** The block of H⁻¹ (H = L·Lᵀ, n×n) on the given barrier variables, k×k row-major. */
  inverseBlock(L: Float64Array, n: number, vars: readonly number[]): Float64Array;
  /**
   * LLL reduction of Zᵏ under the Gram matrix Q (k×k, SPD), Lovász parameter delta (default 0.99).
   * Null on numerical failure, when entries grow past 2^20, or past the iteration or time budget.
   */
  lllReduce(Q: Float64Array, k: number, delta?: number, maxIter?: number, budgetMs?: number): Reduction | null;
  /** The model with columns `cols` replaced (in place, same positions) by y = U·n. */
  reformulate(model: LinearModel, cols: readonly number[], red: Reduction): Reformulated;
}

export const LATTICE_SOURCE = String.raw`(function (nowMs) {
"use strict";

var FIX_TOL = 1e-9;

function barrierSystem(model) {
  var nc = model.columns.length;
  var pos = new Int32Array(nc);
  var free = [];
  var fixedVal = new Float64Array(nc);
  for (var j = 0; j < nc; j++) {
    var c = model.columns[j];
    if (Number.isFinite(c.lower) && Number.isFinite(c.upper) && c.upper - c.lower <= FIX_TOL) {
      pos[j] = -1;
      fixedVal[j] = c.lower;
    } else {
      pos[j] = free.length;
      free.push(j);
    }
  }
  var rows = [];
  for (var r = 0; r < model.rows.length; r++) {
    var row = model.rows[r];
    var idx = [];
    var val = [];
    var shift = 0;
    for (var q = 0; q < row.index.length; q++) {
      var col = row.index[q];
      var v = row.value[q];
      if (v === 0) continue;
      if (pos[col] < 0) shift += v * fixedVal[col];
      else { idx.push(pos[col]); val.push(v); }
    }
    if (idx.length === 0) continue;
    if (Number.isFinite(row.upper)) rows.push({ idx: idx, val: val, h: row.upper - shift });
    if (Number.isFinite(row.lower)) rows.push({ idx: idx, val: val.map(function (a) { return -a; }), h: -(row.lower - shift) });
  }
  for (var i = 0; i < free.length; i++) {
    var cc = model.columns[free[i]];
    if (Number.isFinite(cc.upper)) rows.push({ idx: [i], val: [1], h: cc.upper });
    if (Number.isFinite(cc.lower)) rows.push({ idx: [i], val: [-1], h: -cc.lower });
  }
  return { free: free, pos: pos, rows: rows };
}

function slacks(sys, x) {
  var s = new Float64Array(sys.rows.length);
  for (var i = 0; i < sys.rows.length; i++) {
    var r = sys.rows[i];
    var a = 0;
    for (var q = 0; q < r.idx.length; q++) a += r.val[q] * x[r.idx[q]];
    s[i] = r.h - a;
  }
  return s;
}

// In-place lower Cholesky factor of a symmetric n×n matrix (row-major); false if not positive definite.
function cholesky(A, n) {
  for (var j = 0; j < n; j++) {
    var d = A[j * n + j];
    for (var k = 0; k < j; k++) d -= A[j * n + k] * A[j * n + k];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    A[j * n + j] = d;
    for (var i = j + 1; i < n; i++) {
      var s = A[i * n + j];
      for (var k2 = 0; k2 < j; k2++) s -= A[i * n + k2] * A[j * n + k2];
      A[i * n + j] = s / d;
    }
    for (var c = j + 1; c < n; c++) A[j * n + c] = 0;
  }
  return true;
}

function cholSolve(L, n, b) {
  var y = new Float64Array(n);
  for (var i = 0; i < n; i++) {
    var s = b[i];
    for (var k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  var x = new Float64Array(n);
  for (var i2 = n - 1; i2 >= 0; i2--) {
    var s2 = y[i2];
    for (var k2 = i2 + 1; k2 < n; k2++) s2 -= L[k2 * n + i2] * x[k2];
    x[i2] = s2 / L[i2 * n + i2];
  }
  return x;
}

function hessian(sys, s, n) {
  var H = new Float64Array(n * n);
  var g = new Float64Array(n);
  for (var i = 0; i < sys.rows.length; i++) {
    var r = sys.rows[i];
    var w = 1 / s[i];
    var w2 = w * w;
    for (var p = 0; p < r.idx.length; p++) {
      var a = r.idx[p];
      var va = r.val[p];
      g[a] += va * w;
      for (var q = 0; q < r.idx.length; q++) H[a * n + r.idx[q]] += va * r.val[q] * w2;
    }
  }
  return { H: H, g: g };
}

function factorWithRidge(H, n) {
  var maxDiag = 0;
  for (var i = 0; i < n; i++) maxDiag = Math.max(maxDiag, H[i * n + i]);
  var ridge = 0;
  for (var attempt = 0; attempt < 6; attempt++) {
    var A = Float64Array.from(H);
    if (ridge > 0) for (var j = 0; j < n; j++) A[j * n + j] += ridge;
    if (cholesky(A, n)) return A;
    ridge = ridge === 0 ? 1e-12 * Math.max(1, maxDiag) : ridge * 100;
  }
  return null;
}

function analyticCenter(sys, x0, maxIter, budgetMs) {
  var n = sys.free.length;
  var deadline = budgetMs === undefined ? Infinity : nowMs() + budgetMs;
  if (n === 0) return null;
  var iters = maxIter || 60;
  var x = Float64Array.from(x0);
  var s = slacks(sys, x);
  for (var i = 0; i < s.length; i++) if (!(s[i] > 0)) return null;
  var L = null;
  for (var it = 0; it < iters; it++) {
    if (nowMs() > deadline) return null;
    var hg = hessian(sys, s, n);
    L = factorWithRidge(hg.H, n);
    if (!L) return null;
    var neg = new Float64Array(n);
    for (var a = 0; a < n; a++) neg[a] = -hg.g[a];
    var dx = cholSolve(L, n, neg);
    var lam2 = 0;
    for (var b = 0; b < n; b++) lam2 += neg[b] * dx[b];
    var lam = Math.sqrt(Math.max(0, lam2));
    if (lam < 1e-6) return { x: x, L: L, iterations: it };
    var step = lam > 0.25 ? 1 / (1 + lam) : 1;
    var xn = null;
    var sn = null;
    for (var tries = 0; tries < 60; tries++) {
      xn = new Float64Array(n);
      for (var c = 0; c < n; c++) xn[c] = x[c] + step * dx[c];
      sn = slacks(sys, xn);
      var ok = true;
      for (var d = 0; d < sn.length; d++) if (!(sn[d] > 0)) { ok = false; break; }
      if (ok) break;
      step *= 0.5;
      xn = null;
    }
    if (!xn) return null;
    x = xn;
    s = sn;
  }
  // Not fully centred: the last Hessian is still a usable shape.
  var last = hessian(sys, s, n);
  L = factorWithRidge(last.H, n);
  return L ? { x: x, L: L, iterations: iters } : null;
}

function inverseBlock(L, n, vars) {
  var k = vars.length;
  var Q = new Float64Array(k * k);
  for (var a = 0; a < k; a++) {
    var e = new Float64Array(n);
    e[vars[a]] = 1;
    var z = cholSolve(L, n, e);
    for (var b = 0; b < k; b++) Q[a * k + b] = z[vars[b]];
  }
  for (var i = 0; i < k; i++) for (var j = i + 1; j < k; j++) {
    var m = 0.5 * (Q[i * k + j] + Q[j * k + i]);
    Q[i * k + j] = m;
    Q[j * k + i] = m;
  }
  return Q;
}

var MAX_ENTRY = 1048576; // 2^20: keeps every product and check exact in doubles

function lllReduce(Q, k, delta, maxIter, budgetMs) {
  var dl = delta || 0.99;
  var deadline = budgetMs === undefined ? Infinity : nowMs() + budgetMs;
  var cap = maxIter || (200 * k * k + 1000);
  if (k === 0) return null;
  var G = Float64Array.from(Q);
  var scale = 0;
  for (var i = 0; i < k; i++) scale = Math.max(scale, G[i * k + i]);
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (var i0 = 0; i0 < k * k; i0++) G[i0] /= scale;
  var B = new Float64Array(k * k);
  var Bi = new Float64Array(k * k);
  for (var d = 0; d < k; d++) { B[d * k + d] = 1; Bi[d * k + d] = 1; }
  var mu = new Float64Array(k * k);
  var r = new Float64Array(k);
  var maxAbs = 1;

  function gsRow(i) {
    for (var j = 0; j < i; j++) {
      var s = G[i * k + j];
      for (var l = 0; l < j; l++) s -= mu[j * k + l] * mu[i * k + l] * r[l];
      mu[i * k + j] = s / r[j];
    }
    var t = G[i * k + i];
    for (var j2 = 0; j2 < i; j2++) t -= mu[i * k + j2] * mu[i * k + j2] * r[j2];
    r[i] = t;
  }
  function reduce(kk, j, q) {
    for (var c = 0; c < k; c++) {
      var v = B[kk * k + c] - q * B[j * k + c];
      B[kk * k + c] = v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
      var w = Bi[c * k + j] + q * Bi[c * k + kk];
      Bi[c * k + j] = w;
      if (Math.abs(w) > maxAbs) maxAbs = Math.abs(w);
    }
    var gkk = G[kk * k + kk] - 2 * q * G[kk * k + j] + q * q * G[j * k + j];
    for (var c2 = 0; c2 < k; c2++) {
      if (c2 === kk) continue;
      var g = G[kk * k + c2] - q * G[j * k + c2];
      G[kk * k + c2] = g;
      G[c2 * k + kk] = g;
    }
    G[kk * k + kk] = gkk;
    for (var l = 0; l < j; l++) mu[kk * k + l] -= q * mu[j * k + l];
    mu[kk * k + j] -= q;
  }
  function swap(kk) {
    var a = kk - 1;
    for (var c = 0; c < k; c++) {
      var t1 = B[a * k + c]; B[a * k + c] = B[kk * k + c]; B[kk * k + c] = t1;
      var t2 = Bi[c * k + a]; Bi[c * k + a] = Bi[c * k + kk]; Bi[c * k + kk] = t2;
      var t3 = G[a * k + c]; G[a * k + c] = G[kk * k + c]; G[kk * k + c] = t3;
    }
    for (var c2 = 0; c2 < k; c2++) {
      var t4 = G[c2 * k + a]; G[c2 * k + a] = G[c2 * k + kk]; G[c2 * k + kk] = t4;
    }
  }

  r[0] = G[0];
  var kk = 1;
  var iter = 0;
  var swaps = 0;
  while (kk < k) {
    if (++iter > cap) return null;
    if ((iter & 255) === 0 && nowMs() > deadline) return null;
    gsRow(kk);
    for (var pass = 0; pass < 8; pass++) {
      var changed = false;
      for (var j = kk - 1; j >= 0; j--) {
        var m = mu[kk * k + j];
        if (Math.abs(m) > 0.51) {
          reduce(kk, j, Math.round(m));
          changed = true;
        }
      }
      if (maxAbs > MAX_ENTRY) return null;
      if (!changed) break;
      gsRow(kk);
    }
    if (!(r[kk] > 0) || !(r[kk - 1] > 0)) return null;
    var m1 = mu[kk * k + kk - 1];
    if (r[kk] >= (dl - m1 * m1) * r[kk - 1]) kk++;
    else {
      swap(kk);
      swaps++;
      if (kk === 1) r[0] = G[0];
      kk = Math.max(kk - 1, 1);
    }
  }
  var Bo = [];
  var Bio = [];
  for (var a = 0; a < k; a++) {
    Bo.push(Array.from(B.subarray(a * k, a * k + k)));
    Bio.push(Array.from(Bi.subarray(a * k, a * k + k)));
  }
  // Exact check U·U⁻¹ = I (entries <= 2^20 and k small keep every sum exact in doubles).
  if (maxAbs * maxAbs * k >= 9007199254740992) return null;
  for (var p = 0; p < k; p++) for (var q2 = 0; q2 < k; q2++) {
    var sum = 0;
    for (var z = 0; z < k; z++) sum += Bo[p][z] * Bio[z][q2];
    if (sum !== (p === q2 ? 1 : 0)) return null;
  }
  return { B: Bo, Binv: Bio, swaps: swaps };
}

// Coefficient sums such as 3·0.98 − 2.94 leave float noise; drop it relative to the row's scale.
var COEF_TOL = 1e-12;

function reformulate(model, cols, red) {
  var k = cols.length;
  var B = red.B;
  var Bi = red.Binv;
  var nc = model.columns.length;
  var lat = new Int32Array(nc).fill(-1);
  for (var a = 0; a < k; a++) lat[cols[a]] = a;
  var columns = model.columns.slice();
  var rows = [];
  // y bounds from the stake bounds (interval arithmetic); unit rows of U⁻¹ give exact bounds.
  var ylo = new Array(k);
  var yhi = new Array(k);
  for (var i = 0; i < k; i++) {
    var lo = 0;
    var hi = 0;
    for (var j = 0; j < k; j++) {
      var b = B[i][j];
      if (b === 0) continue;
      var c = model.columns[cols[j]];
      lo += b > 0 ? b * c.lower : b * c.upper;
      hi += b > 0 ? b * c.upper : b * c.lower;
    }
    ylo[i] = lo;
    yhi[i] = hi;
  }
  var boundRows = [];
  for (var j2 = 0; j2 < k; j2++) {
    var nz = [];
    for (var i2 = 0; i2 < k; i2++) if (Bi[j2][i2] !== 0) nz.push(i2);
    var oc = model.columns[cols[j2]];
    if (nz.length === 1 && Math.abs(Bi[j2][nz[0]]) === 1) {
      var sgn = Bi[j2][nz[0]];
      var l2 = sgn > 0 ? oc.lower : -oc.upper;
      var u2 = sgn > 0 ? oc.upper : -oc.lower;
      ylo[nz[0]] = Math.max(ylo[nz[0]], l2);
      yhi[nz[0]] = Math.min(yhi[nz[0]], u2);
    } else {
      boundRows.push({ name: "bound_" + oc.name, lower: oc.lower, upper: oc.upper, index: nz.map(function (q) { return cols[q]; }), value: nz.map(function (q) { return Bi[j2][q]; }) });
    }
  }
  for (var i3 = 0; i3 < k; i3++) {
    var cost = 0;
    for (var j3 = 0; j3 < k; j3++) cost += model.columns[cols[j3]].cost * Bi[j3][i3];
    columns[cols[i3]] = { name: "lat" + i3, lower: ylo[i3], upper: yhi[i3], cost: Math.abs(cost) < COEF_TOL ? 0 : cost, integer: true };
  }
  for (var r = 0; r < model.rows.length; r++) {
    var row = model.rows[r];
    var dense = null;
    var index = [];
    var value = [];
    var scaleMax = 0;
    for (var q = 0; q < row.index.length; q++) {
      var col = row.index[q];
      var v = row.value[q];
      scaleMax = Math.max(scaleMax, Math.abs(v));
      if (lat[col] < 0) { index.push(col); value.push(v); continue; }
      if (!dense) dense = new Float64Array(k);
      var jj = lat[col];
      for (var t = 0; t < k; t++) if (Bi[jj][t] !== 0) dense[t] += v * Bi[jj][t];
    }
    if (dense) for (var t2 = 0; t2 < k; t2++) {
      if (Math.abs(dense[t2]) > COEF_TOL * Math.max(1, scaleMax)) { index.push(cols[t2]); value.push(dense[t2]); }
    }
    rows.push({ name: row.name, lower: row.lower, upper: row.upper, index: index, value: value });
  }
  for (var br = 0; br < boundRows.length; br++) rows.push(boundRows[br]);
  function toY(x) {
    var y = x.slice();
    for (var i = 0; i < k; i++) {
      var s = 0;
      for (var j = 0; j < k; j++) if (B[i][j] !== 0) s += B[i][j] * Math.round(x[cols[j]]);
      y[cols[i]] = s;
    }
    return y;
  }
  function fromY(y) {
    var x = y.slice();
    for (var j = 0; j < k; j++) {
      var s = 0;
      for (var i = 0; i < k; i++) if (Bi[j][i] !== 0) s += Bi[j][i] * Math.round(y[cols[i]]);
      x[cols[j]] = s;
    }
    return x;
  }
  return { model: { sense: model.sense, columns: columns, rows: rows }, toY: toY, fromY: fromY };
}

return { barrierSystem: barrierSystem, analyticCenter: analyticCenter, inverseBlock: inverseBlock, lllReduce: lllReduce, reformulate: reformulate };
})`;

/**
 * The kit evaluated in this thread (tests; the worker evaluates the same source). `nowMs` is the
 * clock its time budgets read (lib/ takes time in; the worker passes Date.now).
 */
export const latticeKit = (nowMs: () => number): LatticeKit => (new Function(`return ${LATTICE_SOURCE};`)() as (nowMs: () => number) => LatticeKit)(nowMs);
