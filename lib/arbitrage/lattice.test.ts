import loadHighs from "highs";
import { describe, expect, it } from "vitest";
import { generateInstance, rng } from "./generate";
import { validateArbInput } from "./input";
import { latticeKit, type Reduction } from "./lattice";
import { buildModel, minProfitOf, prepare, toLpText, type LinearModel } from "./model";
import type { ArbProblem } from "./types";

const kit = latticeKit(() => Date.now());

const problemOf = (raw: unknown): ArbProblem => {
  const v = validateArbInput(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.problem;
};

const box = (lower: number[], upper: number[], rows: LinearModel["rows"] = []): LinearModel => ({
  sense: "maximize",
  columns: lower.map((l, j) => ({ name: `v${j}`, lower: l, upper: upper[j]!, cost: 0, integer: true })),
  rows,
});

/** Gram-Schmidt under Q of the rows of B: mu and squared lengths. */
const gramSchmidt = (B: number[][], Q: Float64Array): { mu: number[][]; r: number[] } => {
  const k = B.length;
  const dot = (u: number[], v: number[]): number => {
    let s = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += u[i]! * Q[i * k + j]! * v[j]!;
    return s;
  };
  const star: number[][] = [];
  const mu: number[][] = B.map(() => new Array<number>(k).fill(0));
  const r: number[] = [];
  for (let i = 0; i < k; i++) {
    const v = [...B[i]!];
    for (let j = 0; j < i; j++) {
      mu[i]![j] = dot(B[i]!, star[j]!) / r[j]!;
      for (let c = 0; c < k; c++) v[c]! -= mu[i]![j]! * star[j]![c]!;
    }
    star.push(v);
    r.push(dot(v, v));
  }
  return { mu, r };
};

const randomSpd = (k: number, seed: number): Float64Array => {
  const rand = rng(seed);
  const A = Array.from({ length: k }, () => Array.from({ length: k }, () => rand() * 2 - 1));
  const Q = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = i === j ? 1e-3 : 0;
    for (let l = 0; l < k; l++) s += A[l]![i]! * A[l]![j]! * (1 + 50 * (l % 3));
    Q[i * k + j] = s;
  }
  return Q;
};

const expectUnimodularPair = (red: Reduction, k: number): void => {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      expect(Number.isInteger(red.B[i]![j])).toBe(true);
      expect(Number.isInteger(red.Binv[i]![j])).toBe(true);
      let s = 0;
      for (let l = 0; l < k; l++) s += red.B[i]![l]! * red.Binv[l]![j]!;
      expect(s).toBe(i === j ? 1 : 0);
    }
  }
};

describe("analytic centre", () => {
  it("is the middle of a box and (1/3, 1/3) for the triangle x, y >= 0, x + y <= 1", () => {
    const b = kit.analyticCenter(kit.barrierSystem(box([0, 0], [2, 1])), [0.3, 0.9])!;
    expect(b.x[0]).toBeCloseTo(1, 6);
    expect(b.x[1]).toBeCloseTo(0.5, 6);
    const tri = box([0, 0], [Infinity, Infinity], [{ name: "s", lower: -Infinity, upper: 1, index: [0, 1], value: [1, 1] }]);
    const t = kit.analyticCenter(kit.barrierSystem(tri), [0.1, 0.1])!;
    expect(t.x[0]).toBeCloseTo(1 / 3, 6);
    expect(t.x[1]).toBeCloseTo(1 / 3, 6);
  });

  it("substitutes fixed columns and refuses a start that is not strictly inside", () => {
    const sys = kit.barrierSystem(box([0, 3, 0], [4, 3, 2]));
    expect(sys.free).toEqual([0, 2]);
    expect(sys.pos[1]).toBe(-1);
    const c = kit.analyticCenter(sys, [1, 1])!;
    expect([c.x[0]!, c.x[1]!].map((v) => Number(v.toFixed(6)))).toEqual([2, 1]);
    expect(kit.analyticCenter(sys, [0, 1])).toBeNull(); // on the boundary
  });

  it("the inverse Hessian block measures widths: a thin slab is thin along its normal", () => {
    // 0 <= x, y <= 10 and 5 <= x - y <= 5.2: width 0.2 along (1, -1), ~10 along (1, 1).
    const m = box([0, 0], [10, 10], [{ name: "slab", lower: 5, upper: 5.2, index: [0, 1], value: [1, -1] }]);
    const sys = kit.barrierSystem(m);
    const c = kit.analyticCenter(sys, [7.6, 2.5])!;
    const Q = kit.inverseBlock(c.L, 2, [0, 1]);
    const norm = (u: number[]) => Math.sqrt(u[0]! * (Q[0]! * u[0]! + Q[1]! * u[1]!) + u[1]! * (Q[2]! * u[0]! + Q[3]! * u[1]!));
    expect(norm([1, -1])).toBeLessThan(0.2);
    expect(norm([1, 1])).toBeGreaterThan(1);
    // ... and LLL puts that direction first.
    const red = kit.lllReduce(Q, 2)!;
    expect(Math.abs(red.B[0]![0]!)).toBe(1);
    expect(red.B[0]![0]! + red.B[0]![1]!).toBe(0);
  });
});

describe("LLL reduction", () => {
  it("returns a unimodular pair that is size-reduced and satisfies the Lovász condition", () => {
    for (const [k, seed] of [[2, 1], [5, 2], [12, 3], [30, 4], [60, 5]] as const) {
      const Q = randomSpd(k, seed);
      const red = kit.lllReduce(Q, k)!;
      expect(red, `k=${k}`).not.toBeNull();
      expectUnimodularPair(red, k);
      const { mu, r } = gramSchmidt(red.B, Q);
      for (let i = 1; i < k; i++) {
        for (let j = 0; j < i; j++) expect(Math.abs(mu[i]![j]!), `k=${k} mu[${i}][${j}]`).toBeLessThanOrEqual(0.51 + 1e-9);
        expect(r[i]!, `k=${k} Lovász at ${i}`).toBeGreaterThanOrEqual((0.99 - mu[i]![i - 1]! ** 2) * r[i - 1]! * (1 - 1e-9));
      }
    }
  });

  it("finds a hidden short integer direction", () => {
    // Q = I + big·(I − ccᵀ/|c|²) + tiny·ccᵀ: every integer vector is long except multiples of c.
    const k = 10;
    const c = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3];
    const c2 = c.reduce((s, v) => s + v * v, 0);
    const Q = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Q[i * k + j] = (i === j ? 1e4 : 0) - (1e4 - 1e-4) * (c[i]! * c[j]!) / c2;
    const red = kit.lllReduce(Q, k)!;
    expectUnimodularPair(red, k);
    const first = red.B[0]!;
    const sign = Math.sign(first[0]!);
    expect(first.map((v) => v * sign)).toEqual(c);
  });

  it("refuses degenerate input", () => {
    expect(kit.lllReduce(new Float64Array([0, 0, 0, 0]), 2)).toBeNull();
    expect(kit.lllReduce(new Float64Array([1, 2, 2, 1]), 2)).toBeNull(); // indefinite
  });
});

/** A random unimodular k×k pair (products of elementary integer row operations and swaps). */
const randomUnimodular = (k: number, seed: number): Reduction => {
  const rand = rng(seed);
  const B: number[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  const Binv = B.map((r) => [...r]);
  for (let step = 0; step < 3 * k; step++) {
    const i = Math.floor(rand() * k);
    const j = Math.floor(rand() * k);
    if (i === j) continue;
    if (rand() < 0.2) {
      [B[i], B[j]] = [B[j]!, B[i]!];
      for (const row of Binv) [row[i], row[j]] = [row[j]!, row[i]!];
      continue;
    }
    const q = rand() < 0.5 ? 1 : -1;
    for (let c = 0; c < k; c++) B[i]![c]! -= q * B[j]![c]!; // row_i -= q·row_j
    for (const row of Binv) row[j]! += q * row[i]!; // inverse: column_j += q·column_i
  }
  return { B, Binv, swaps: 0 };
};

describe("reformulation", () => {
  const instance = (seed: number, precision: boolean) =>
    prepare(problemOf(generateInstance({ bets: 10 + (seed % 5), seed: 500 + seed, precision, wagerLimit: 40, wagerPrecision: 1 })));

  it("maps stakes to lattice coordinates and back exactly", () => {
    const prep = instance(1, true);
    const model = buildModel(prep, { objective: { kind: "min_profit" } });
    const cols = prep.active.filter((a) => a.col >= 0 && a.integer).map((a) => a.col);
    const ref = kit.reformulate(model, cols, randomUnimodular(cols.length, 7));
    const rand = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const x = model.columns.map((c) => (c.integer ? Math.floor(rand() * (c.upper + 1)) : rand()));
      expect(ref.fromY(ref.toY(x))).toEqual(x);
    }
    expect(new Set(ref.model.columns.map((c) => c.name)).size).toBe(ref.model.columns.length);
  });

  it("has the same optimum as the original MILP, and its answers map back to feasible integer stakes", async () => {
    const highs = await loadHighs();
    const opts = { mip_rel_gap: 0, mip_abs_gap: 1e-9, output_flag: false, random_seed: 0 };
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const prep = instance(seed, seed % 4 !== 0);
      const cols = prep.active.filter((a) => a.col >= 0 && a.integer).map((a) => a.col);
      if (cols.length < 2) continue;
      // Half the instances with a cutoff on t, as the solver uses it.
      const model = buildModel(prep, { objective: { kind: "min_profit" }, ...(seed % 2 === 0 ? { tLower: 0 } : {}) });
      const plain = highs.solve(toLpText(model), opts);
      const red = seed % 3 === 0 ? randomUnimodular(cols.length, seed) : reducedFor(model, cols);
      const ref = kit.reformulate(model, cols, red);
      const reformed = highs.solve(toLpText(ref.model), opts);
      expect(reformed.Status, `seed ${seed}`).toBe(plain.Status);
      if (plain.Status !== "Optimal") continue;
      expect(reformed.ObjectiveValue, `seed ${seed}`).toBeCloseTo(plain.ObjectiveValue, 7);
      const y = ref.model.columns.map((c) => (reformed.Columns as Record<string, { Primal: number }>)[c.name]?.Primal ?? 0);
      const x = ref.fromY(y);
      for (const j of cols) {
        expect(Number.isInteger(x[j])).toBe(true);
        expect(x[j]!).toBeGreaterThanOrEqual(model.columns[j]!.lower);
        expect(x[j]!).toBeLessThanOrEqual(model.columns[j]!.upper);
      }
      for (const r of model.rows) {
        const a = r.index.reduce((s, j, q) => s + r.value[q]! * x[j]!, 0);
        expect(a, `seed ${seed} ${r.name}`).toBeGreaterThanOrEqual(r.lower - 1e-6);
        expect(a, `seed ${seed} ${r.name}`).toBeLessThanOrEqual(r.upper + 1e-6);
      }
      // (HiGHS may place t up to its feasibility tolerance, 1e-6, above the exact minimum.)
      expect(Math.abs(minProfitOf(prep, x) - plain.ObjectiveValue)).toBeLessThan(3e-6);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  }, 60_000);
});

/**
 * A reduction like the worker's: LLL under the inverse barrier Hessian at the analytic centre of
 * the LP relaxation (here without the cutoff on t, so that a simple interior start exists).
 */
const reducedFor = (model: LinearModel, cols: number[]): Reduction => {
  const relaxed = { ...model, columns: model.columns.map((c) => (c.integer ? c : { ...c, lower: -1e6, upper: 1e6 })) };
  const sys = kit.barrierSystem(relaxed);
  // Tiny positive stakes and t far below every profit are strictly inside.
  const x0 = sys.free.map((j) => (model.columns[j]!.integer ? 1e-3 * model.columns[j]!.upper : -1e5));
  const centre = kit.analyticCenter(sys, x0);
  if (!centre) throw new Error("no centre");
  const red = kit.lllReduce(kit.inverseBlock(centre.L, sys.free.length, cols.map((c) => sys.pos[c]!)), cols.length);
  if (!red) throw new Error("no reduction");
  return red;
};
