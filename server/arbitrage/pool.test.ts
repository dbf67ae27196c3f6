import { afterEach, describe, expect, it } from "vitest";
import { generateInstance } from "@/lib/arbitrage/generate";
import { validateArbInput } from "@/lib/arbitrage/input";
import { buildModel, minProfitOf, prepare, zeroStart, type LinearModel } from "@/lib/arbitrage/model";
import { PoolBusyError, SolverFailure, SolverPool } from "./pool";

const pools: SolverPool[] = [];
const newPool = (opts: ConstructorParameters<typeof SolverPool>[0]) => {
  const p = new SolverPool(opts);
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A 200-bet MILP (precision and counts) that takes seconds to prove optimal. */
const hardModel = (): { model: LinearModel; start: number[] } => {
  const v = validateArbInput(generateInstance({ bets: 200, seed: 2, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }));
  if (!v.ok) throw new Error("bad instance");
  const prep = prepare(v.problem);
  return { model: buildModel(prep, { objective: { kind: "min_profit" } }), start: zeroStart(prep) };
};

const tinyModel: LinearModel = {
  sense: "maximize",
  columns: [
    { name: "a", lower: 0, upper: 10, cost: 1, integer: true },
    { name: "b", lower: 0, upper: 10, cost: 2, integer: false },
  ],
  rows: [{ name: "r", lower: -Infinity, upper: 7.5, index: [0, 1], value: [1, 1] }],
};

describe("solver pool", () => {
  it("solves in a worker thread under vitest", async () => {
    const pool = newPool({ size: 1, eagerCompile: false });
    const r = await pool.run((s) => s.solve({ model: tinyModel, timeLimit: 5 }));
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(15, 9);
    expect(r.x).toEqual([0, 7.5]);
  });

  it("rejects a job beyond the queue bound at once, and keeps the event loop free during a long solve", async () => {
    const pool = newPool({ size: 1, maxQueue: 1, eagerCompile: false });
    await pool.warm();
    const { model, start } = hardModel();
    const long = pool.run((s) => s.solve({ model, start, timeLimit: 1.5, mipRelGap: 0, mipAbsGap: 0 }));
    const queued = pool.run((s) => s.solve({ model: tinyModel, timeLimit: 5 }));
    await expect(pool.run((s) => s.solve({ model: tinyModel, timeLimit: 5 }))).rejects.toBeInstanceOf(PoolBusyError);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });

    let last = performance.now();
    let maxLag = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const r = await long;
    clearInterval(timer);
    expect(r.timeMs).toBeGreaterThan(1000);
    expect(maxLag).toBeLessThan(250); // the main thread kept ticking while HiGHS ran
    expect((await queued).status).toBe("optimal");
  }, 30_000);

  it("reports solver errors without losing the worker", async () => {
    const pool = newPool({ size: 1, eagerCompile: false });
    const broken: LinearModel = { ...tinyModel, rows: [{ name: "r", lower: 0, upper: 1, index: [0, 5], value: [1, 1] }] };
    await expect(pool.run((s) => s.solve({ model: broken, timeLimit: 1 }))).rejects.toBeInstanceOf(SolverFailure);
    expect((await pool.run((s) => s.solve({ model: tinyModel, timeLimit: 1 }))).status).toBe("optimal");
  });

  it("kills a worker that overruns its time limit and replaces it", async () => {
    const pool = newPool({ size: 1, graceMs: 0, eagerCompile: false });
    await pool.warm();
    const { model, start } = hardModel();
    await expect(pool.run((s) => s.solve({ model, start, timeLimit: 0.02, mipRelGap: 0, mipAbsGap: 0 }))).rejects.toBeInstanceOf(SolverFailure);
    const r = await pool.run((s) => s.solve({ model: tinyModel, timeLimit: 5 }));
    expect(r.status).toBe("optimal");
  }, 30_000);

  it("solves a lattice-reformulated MIP to the same optimum and answers in the original columns", async () => {
    const pool = newPool({ size: 1, eagerCompile: false });
    for (const seed of [11, 12, 13]) {
      const v = validateArbInput(generateInstance({ bets: 30, seed, precision: true, wagerLimit: 200, wagerPrecision: 1 }));
      if (!v.ok) throw new Error("bad instance");
      const prep = prepare(v.problem);
      const lp = await pool.run((s) => s.solve({ model: buildModel(prep, { objective: { kind: "min_profit" }, relax: true }), timeLimit: 5 }));
      const cut = lp.objective! - 0.5; // a cutoff as after a first incumbent: a thin polytope
      const model = buildModel(prep, { objective: { kind: "min_profit" }, tLower: cut });
      const cols = prep.active.filter((a) => a.col >= 0 && a.integer).map((a) => a.col);
      const exact = { timeLimit: 30, mipRelGap: 0, mipAbsGap: 1e-9 };
      const plain = await pool.run((s) => s.solve({ model, ...exact }));
      const lat = await pool.run((s) => s.solve({ model, ...exact, lattice: cols }));
      expect(plain.optimal && lat.optimal, `seed ${seed}`).toBe(true);
      expect(lat.lattice, `seed ${seed}`).toMatchObject({ columns: cols.length });
      expect(lat.objective!, `seed ${seed}`).toBeCloseTo(plain.objective!, 6);
      expect(lat.x).toHaveLength(model.columns.length);
      for (const j of cols) {
        expect(Number.isInteger(lat.x[j])).toBe(true);
        expect(lat.x[j]!).toBeGreaterThanOrEqual(0);
        expect(lat.x[j]!).toBeLessThanOrEqual(model.columns[j]!.upper);
      }
      expect(Math.abs(minProfitOf(prep, lat.x) - lat.objective!)).toBeLessThan(3e-6);
    }
  }, 60_000);

  it("falls back to the plain model when the relaxation has no interior", async () => {
    const pool = newPool({ size: 1, eagerCompile: false });
    const flat: LinearModel = {
      sense: "maximize",
      columns: [
        { name: "a", lower: 0, upper: 10, cost: 1, integer: true },
        { name: "b", lower: 0, upper: 10, cost: 2, integer: true },
      ],
      rows: [{ name: "eq", lower: 7, upper: 7, index: [0, 1], value: [1, 1] }],
    };
    const r = await pool.run((s) => s.solve({ model: flat, timeLimit: 5, lattice: [0, 1] }));
    expect(r.lattice).toBeNull();
    expect(r.optimal).toBe(true);
    expect(r.objective).toBeCloseTo(14, 9);
    expect(r.x).toEqual([0, 7]);
  });
});
