import loadHighs from "highs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInstance, rng } from "@/lib/arbitrage/generate";
import { validateArbInput } from "@/lib/arbitrage/input";
import type { ArbOutput, ArbProblem, BetInput, BookmakerInput } from "@/lib/arbitrage/types";
import { checkAnswer, profitsOverBox } from "./check";
import { SolverPool, type LatticeInfo, type Solver } from "./pool";
import { solveArbitrage, type SolveArbOptions } from "./solve";

let pool: SolverPool;
beforeAll(async () => {
  pool = new SolverPool({ size: 2, maxQueue: 64 });
  await pool.warm();
}, 60_000);
afterAll(async () => {
  await pool.close();
});

const problemOf = (raw: unknown): ArbProblem => {
  const v = validateArbInput(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.problem;
};
const solve = (raw: unknown, opts: SolveArbOptions = {}): Promise<ArbOutput> => solveArbitrage(problemOf(raw), { pool, ...opts });
const back = (value: string, odds: number, extra: Partial<BetInput> = {}): BetInput => ({ bet_type: 1, value, odds, ...extra });
const wagersOf = (out: ArbOutput): number[] => (out.bets as { wager: number }[]).map((b) => b.wager);

describe("public worked examples (quant.md A5), within 0.01", () => {
  it("#1 Greece v Ireland 2.3/3.5/4.23 on 95.69: 43.48/28.57/23.64, profit [4.305, 4.314]", async () => {
    const out = await solve({ wager_limit: 95.69, bets: [back("home", 2.3), back("draw", 3.5), back("away", 4.23)] });
    expect(wagersOf(out)).toEqual([43.48, 28.57, 23.64]);
    expect(out.profit[0]).toBeCloseTo(4.305, 2);
    expect(out.profit[1]).toBeCloseTo(4.314, 2);
    expect(out.solution.optimal).toBe(true);
    expect(out.wager_limit).toBe(95.69);
  });

  it("#1 with the default limit 100 (wagers read as percentages): min profit 4.50", async () => {
    const out = await solve({ bets: [back("home", 2.3), back("draw", 3.5), back("away", 4.23)] });
    const stake = wagersOf(out).reduce((s, w) => s + w, 0);
    expect(stake).toBeLessThanOrEqual(100 + 1e-9);
    expect(stake).toBeGreaterThan(99.5);
    // continuous optimum 4.5066; whole cents cost a little
    expect(Math.abs(out.profit[0] - (100 / (1 / 2.3 + 1 / 3.5 + 1 / 4.23) - 100))).toBeLessThan(0.01);
    expect("wager_limit" in out).toBe(false);
  });

  it("#2 2.10 v 2.10: 5.0 on 100", async () => {
    const out = await solve({ bets: [back("home", 2.1), back("away", 2.1)], "no-draw": true });
    expect(out.profit[0]).toBeCloseTo(5, 2);
    expect(wagersOf(out)).toEqual([50, 50]);
  });

  it("#2 negative test 2.30/3.60/3.40 is no arbitrage: no wagers, profit [0, 0]", async () => {
    const out = await solve({ bets: [back("home", 2.3), back("draw", 3.6), back("away", 3.4)] });
    expect(out.profit).toEqual([0, 0]);
    expect(out.bets).toEqual([]);
    expect(out.solution.optimal).toBe(true);
  });

  it("#3 Lakers 1.90 / Celtics 2.20 on 1000: 536.59/463.41, profit 19.51", async () => {
    const out = await solve({ wager_limit: 1000, "no-draw": true, bets: [back("home", 1.9), back("away", 2.2)] });
    const [w1, w2] = wagersOf(out);
    expect(w1).toBeCloseTo(536.59, 1);
    expect(w2).toBeCloseTo(463.41, 1);
    expect(out.profit[0]).toBeCloseTo(19.51, 1);
  });

  it("#3 Real Madrid-Barcelona 2.80/3.50/3.00 on 500: 182.93/146.34/170.73, min 12.19", async () => {
    const out = await solve({ wager_limit: 500, bets: [back("home", 2.8), back("draw", 3.5), back("away", 3)] });
    const w = wagersOf(out);
    expect(w[0]).toBeCloseTo(182.93, 1);
    expect(w[1]).toBeCloseTo(146.34, 1);
    expect(w[2]).toBeCloseTo(170.73, 1);
    expect(out.profit[0]).toBeCloseTo(12.19, 2);
  });

  it("#4 2.08 / 2.00 on 100: 49.02/50.98, profit 1.96", async () => {
    const out = await solve({ "no-draw": true, bets: [back("home", 2.08), back("away", 2)] });
    expect(wagersOf(out)).toEqual([49.02, 50.98]);
    expect(out.profit[0]).toBeCloseTo(1.96, 2);
  });

  it("#5 Tyson 2.5 / Ali 2.0 on 225: 100 and 125, profit 25", async () => {
    const out = await solve({ wager_limit: 225, "no-draw": true, bets: [back("home", 2.5), back("away", 2)] });
    expect(wagersOf(out)).toEqual([100, 125]);
    expect(out.profit).toEqual([25, 25]);
  });

  it("#6 Djokovic 2.12 / Nadal 2.16: margin 6.99%", async () => {
    const out = await solve({ "no-draw": true, bets: [back("home", 2.12, { bookmaker: 1 }), back("away", 2.16, { bookmaker: 2 })], bookmakers: [{ id: 1 }, { id: 2 }] });
    expect(out.profit[0]).toBeCloseTo(6.99, 1);
  });

  it("#7 Team X 2.10 / Team Y 2.05 on 1000: profit 37.35", async () => {
    const out = await solve({ wager_limit: 1000, "no-draw": true, bets: [back("home", 2.1), back("away", 2.05)] });
    expect(out.profit[0]).toBeCloseTo(37.35, 1);
  });

  it("mode 2 on #1 keeps every outcome >= 0 and reaches the published [0.00, 17.43]", async () => {
    const out = await solve({ mode: 2, wager_limit: 95.69, bets: [back("home", 2.3), back("draw", 3.5), back("away", 4.23)] });
    expect(out.profit[0]).toBeGreaterThanOrEqual(0);
    expect(out.profit[0]).toBeCloseTo(0, 2);
    expect(out.profit[1]).toBeCloseTo(17.43, 2);
    expect(out.mode).toBe(2);
  });
});

describe("money rules, limits and previous wagers", () => {
  it("back/lay with exchange commission: equal profit both ways, liability counts against the limit", async () => {
    const out = await solve({
      wager_limit: 100,
      "no-draw": true,
      bookmakers: [{ id: 1 }, { id: 2, commission: 0.02, ignore_wager_precision: true }],
      bets: [back("home", 2.4, { bookmaker: 1 }), back("home", 2.1, { bookmaker: 2, lay: true })],
    });
    const [sb, sl] = out.solution.wagers as [number, number];
    // Liability sl*(2.1-1) plus back stake within 100.
    expect(sb + sl * 1.1).toBeLessThanOrEqual(100 + 1e-6);
    // Profit if home wins: sb*1.4 - sl*1.1; if not: sl*0.98 - sb. Optimal equalises them (up to precision).
    expect(Math.abs(sb * 1.4 - sl * 1.1 - (sl * 0.98 - sb))).toBeLessThan(0.05);
    expect(out.profit[0]).toBeGreaterThan(0);
    expect(out.solution.total_exposure).toBeCloseTo(sb + sl * 1.1, 4);
  });

  it("bookmaker limits and volumes cap exposure; a bookmaker at its limit gets no new wager", async () => {
    const out = await solve({
      wager_limit: 1000,
      "no-draw": true,
      bookmakers: [{ id: 1, wager_limit: 50 }, { id: 2 }, { id: 3, wager_limit: 30 }],
      bets: [
        back("home", 2.3, { bookmaker: 1 }),
        back("away", 2.3, { bookmaker: 2, volume: 70 }),
        back("home", 2.25, { bookmaker: 3, previous_wager: 30 }),
      ],
    });
    const w = out.solution.wagers;
    expect(w[0]).toBeLessThanOrEqual(50);
    expect(w[1]).toBeLessThanOrEqual(70);
    expect(w[2]).toBe(0);
    const p = problemOf({
      wager_limit: 1000,
      "no-draw": true,
      bookmakers: [{ id: 1, wager_limit: 50 }, { id: 2 }, { id: 3, wager_limit: 30 }],
      bets: [back("home", 2.3, { bookmaker: 1 }), back("away", 2.3, { bookmaker: 2, volume: 70 }), back("home", 2.25, { bookmaker: 3, previous_wager: 30 })],
    });
    expect(checkAnswer(p, out).problems).toEqual([]);
    // the previous wager is returned (with wager 0) because it has a previous_wager
    expect((out.bets as { previous_wager?: number; wager: number }[]).find((b) => b.previous_wager === 30)?.wager).toBe(0);
  });

  it("loss minimisation with previous wagers: hedges an existing position (profit may be negative)", async () => {
    const out = await solve({
      wager_limit: 200,
      bets: [back("home", 1.5, { previous_wager: 100 }), back("draw", 3.2), back("away", 5)],
    });
    // Without hedging the worst case is -100; hedging must do strictly better and equalise.
    expect(out.profit[0]).toBeGreaterThan(-100);
    expect(out.profit[0]).toBeLessThan(0);
    const unhedged = profitsOverBox(problemOf({ bets: [back("home", 1.5, { previous_wager: 100 })] }), [0]);
    expect(Math.min(...unhedged)).toBe(-100);
  });

  it("wager counts: at most max_wager_count new wagers per bookmaker and in total", async () => {
    const raw = {
      wager_limit: 100,
      bookmakers: [{ id: 1, max_wager_count: 1 }, { id: 2, max_wager_count: 2 }],
      total_max_wager_count: 2,
      "no-draw": true,
      bets: [back("home", 2.2, { bookmaker: 1 }), back("away", 2.2, { bookmaker: 1 }), back("home", 2.05, { bookmaker: 2 }), back("away", 2.1, { bookmaker: 2 })],
    };
    const out = await solve(raw);
    const w = out.solution.wagers;
    expect(w.filter((x) => x > 0).length).toBeLessThanOrEqual(2);
    expect([w[0]! > 0, w[1]! > 0].filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(out.profit[0]).toBeGreaterThan(0);
    expect(checkAnswer(problemOf(raw), out).problems).toEqual([]);
  });

  it("no-draw turns a two-way book into an arbitrage; with draws possible it is not", async () => {
    const bets = [back("home", 2.1), back("away", 2.1)];
    expect((await solve({ bets })).bets).toEqual([]);
    expect((await solve({ bets, "no-draw": true })).profit[0]).toBeCloseTo(5, 2);
  });

  it("Asian handicap 0.0 pair: min pinned at 0 by the draw, the tie-break still collects the non-draw profit", async () => {
    const out = await solve({ bets: [{ bet_type: 2, value: "home 0.0", odds: 2.1 }, { bet_type: 2, value: "away 0", odds: 2.1 }] });
    expect(out.profit[0]).toBe(0);
    expect(out.profit[1]).toBeGreaterThan(4);
  });

  it("is deterministic and echoes only non-default top-level parameters", async () => {
    const raw = { wager_precision: 0.01, mode: 1, max_process_time: 10, bets: [back("home", 2.3), back("draw", 3.5), back("away", 4.23)] };
    const a = await solve(raw);
    const b = await solve(raw);
    expect(a.solution.wagers).toEqual(b.solution.wagers);
    expect(a.profit).toEqual(b.profit);
    expect(Object.keys(a)).toEqual(["profit", "max_process_time", "bets", "solution"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Optimality against brute force (tiny integer grids) and an independent LP (continuous stakes)

interface Tiny {
  raw: { wager_limit: number; wager_precision: number; bookmakers: BookmakerInput[]; bets: BetInput[]; total_max_wager_count?: number; "no-draw"?: boolean };
}

const tinyInstance = (seed: number): Tiny => {
  const r = rng(seed);
  const menu: [number, string[]][] = [
    [1, ["home", "draw", "away"]],
    [2, ["home -0.25", "away 0.25", "home 0.75", "away -0.75", "home 0", "away 0"]],
    [3, ["over 2.5", "under 2.5", "over 2.25", "under 2.25", "over 1.75", "under 1.75"]],
    [4, ["yes", "no"]],
    [17, ["home", "away"]],
    [6, ["home/draw", "draw/away", "home/away"]],
  ];
  const n = 2 + Math.floor(r() * 2);
  const bookmakers: BookmakerInput[] = [
    { id: 1, ...(r() < 0.4 ? { commission: 0.05 } : {}), ...(r() < 0.3 ? { max_wager_count: 1 } : {}) },
    { id: 2, ...(r() < 0.3 ? { wager_limit: 6 } : {}) },
  ];
  const [type, values] = menu[Math.floor(r() * menu.length)]!;
  const bets: BetInput[] = [];
  for (let i = 0; i < n; i++) {
    const t = r() < 0.7 ? type : menu[Math.floor(r() * menu.length)]![0];
    const vals = t === type ? values : menu.find((m) => m[0] === t)![1];
    const bet: BetInput = { bet_type: t, value: vals[Math.floor(r() * vals.length)]!, odds: Math.round((1.6 + r() * 3) * 100) / 100, bookmaker: 1 + Math.floor(r() * 2) };
    if (r() < 0.25) bet.lay = true;
    if (r() < 0.2) bet.volume = 3 + Math.floor(r() * 5);
    if (r() < 0.2) bet.previous_wager = 1 + Math.floor(r() * 3);
    bets.push(bet);
  }
  const raw: Tiny["raw"] = { wager_limit: 10 + Math.floor(r() * 3), wager_precision: 1, bookmakers, bets };
  if (r() < 0.3) raw.total_max_wager_count = 1 + Math.floor(r() * 2);
  if (r() < 0.2) raw["no-draw"] = true;
  return { raw };
};

/** Best (min profit, max profit) over every integer wager vector; mode 2 floor = min(0, best min). */
const bruteForce = (p: ArbProblem, box = 12): { bestMin: number; bestMax: number } => {
  const unit = p.bets.map((b) => profitsOverBox({ ...p, bets: [{ ...b, previousWager: 0 }] } as ArbProblem, Object.assign([], { [b.index]: 1 }), box));
  const prev = profitsOverBox(p, p.bets.map(() => 0), box);
  const bound = p.bets.map((b) => {
    const e = b.lay ? b.odds - 1 : 1;
    let m = p.wagerLimit / e;
    if (b.bookmaker.wagerLimit !== null) m = Math.min(m, b.bookmaker.wagerLimit / e);
    if (b.volume !== null) m = Math.min(m, b.volume);
    return Math.max(0, Math.floor(m / p.precision + 1e-9));
  });
  const feasible = (n: number[]): boolean => {
    const exp = (b: ArbProblem["bets"][number], amt: number) => amt * (b.lay ? b.odds - 1 : 1);
    let total = 0;
    let count = 0;
    const book = new Map<number, number>();
    const bookCount = new Map<number, number>();
    let prevTotal = 0;
    const prevBook = new Map<number, number>();
    for (const b of p.bets) {
      const w = n[b.index]! * p.precision;
      total += exp(b, w + b.previousWager);
      prevTotal += exp(b, b.previousWager);
      book.set(b.bookmaker.id, (book.get(b.bookmaker.id) ?? 0) + exp(b, w + b.previousWager));
      prevBook.set(b.bookmaker.id, (prevBook.get(b.bookmaker.id) ?? 0) + exp(b, b.previousWager));
      if (w > 0) {
        count++;
        bookCount.set(b.bookmaker.id, (bookCount.get(b.bookmaker.id) ?? 0) + 1);
      }
    }
    if (total - prevTotal > 1e-12 && total > Math.max(p.wagerLimit, prevTotal) + 1e-9) return false;
    if (p.totalMaxWagerCount !== null && count > p.totalMaxWagerCount) return false;
    for (const bk of p.bookmakers) {
      const fresh = (book.get(bk.id) ?? 0) - (prevBook.get(bk.id) ?? 0);
      if (bk.wagerLimit !== null && fresh > 1e-12 && (book.get(bk.id) ?? 0) > Math.max(bk.wagerLimit, prevBook.get(bk.id) ?? 0) + 1e-9) return false;
      if (bk.maxWagerCount !== null && (bookCount.get(bk.id) ?? 0) > bk.maxWagerCount) return false;
    }
    return true;
  };
  const vectors: number[][] = [];
  const n = p.bets.map(() => 0);
  const rec = (i: number): void => {
    if (i === n.length) {
      if (feasible(n)) vectors.push([...n]);
      return;
    }
    for (let v = 0; v <= bound[i]!; v++) {
      n[i] = v;
      rec(i + 1);
    }
    n[i] = 0;
  };
  rec(0);
  const profitOf = (nv: number[]) => prev.map((base, s) => nv.reduce((acc, k, j) => acc + k * p.precision * unit[j]![s]!, base));
  let bestMin = -Infinity;
  const all = vectors.map((v) => profitOf(v));
  for (const pr of all) bestMin = Math.max(bestMin, Math.min(...pr));
  const floor = Math.min(0, bestMin);
  let bestMax = -Infinity;
  for (const pr of all) if (Math.min(...pr) >= floor - 1e-9) bestMax = Math.max(bestMax, Math.max(...pr));
  return { bestMin, bestMax };
};

describe("optimality", () => {
  it("matches brute force over every integer wager vector on 40 tiny instances (modes 1 and 2)", async () => {
    let arbs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { raw } = tinyInstance(seed);
      const p = problemOf(raw);
      const bf = bruteForce(p);
      const out1 = await solveArbitrage(p, { pool });
      expect(out1.solution.optimal, `seed ${seed}`).toBe(true);
      expect(out1.profit[0], `seed ${seed} mode 1`).toBeCloseTo(bf.bestMin, 6);
      expect(checkAnswer(p, out1).problems, `seed ${seed}`).toEqual([]);
      const out2 = await solveArbitrage({ ...p, mode: 2 }, { pool });
      expect(out2.profit[1], `seed ${seed} mode 2`).toBeCloseTo(bf.bestMax, 6);
      expect(out2.profit[0], `seed ${seed} mode 2 floor`).toBeGreaterThanOrEqual(Math.min(0, bf.bestMin) - 1e-6);
      if (bf.bestMin > 0) arbs++;
    }
    expect(arbs).toBeGreaterThan(3);
  }, 120_000);

  it("matches an independent LP over the plain score box (continuous stakes, no merging, no dominance)", async () => {
    const highs = await loadHighs();
    for (let seed = 1; seed <= 12; seed++) {
      const raw = generateInstance({ bets: 6 + (seed % 6), seed: 100 + seed, precision: false, wagerLimit: 100 });
      const p = problemOf(raw);
      const out = await solveArbitrage(p, { pool });
      // Independent model: one row per score of the 0..20 box, stakes x_j, free t.
      const box = 20;
      const unitRows = p.bets.map((b) => profitsOverBox({ ...p, bets: [{ ...b, previousWager: 0 }] } as ArbProblem, Object.assign([], { [b.index]: 1 }), box));
      const lines = ["Maximize", " obj: t", "Subject To"];
      unitRows[0]!.forEach((_, s) => {
        const terms = p.bets.map((b, j) => `${unitRows[j]![s]! >= 0 ? "+" : "-"} ${Math.abs(unitRows[j]![s]!)} x${j}`).join(" ");
        lines.push(` s${s}: ${terms} - t >= 0`);
      });
      lines.push(` lim: ${p.bets.map((b, j) => `+ ${b.lay ? b.odds - 1 : 1} x${j}`).join(" ")} <= ${p.wagerLimit}`);
      for (const bk of p.bookmakers) {
        const idx = p.bets.map((b, j) => (b.bookmaker.id === bk.id ? j : -1)).filter((j) => j >= 0);
        if (bk.wagerLimit !== null && idx.length > 0) lines.push(` b${bk.id}: ${idx.map((j) => `+ ${p.bets[j]!.lay ? p.bets[j]!.odds - 1 : 1} x${j}`).join(" ")} <= ${bk.wagerLimit}`);
      }
      lines.push("Bounds", " t free");
      p.bets.forEach((b, j) => lines.push(b.volume !== null ? ` 0 <= x${j} <= ${b.volume}` : ` x${j} >= 0`));
      lines.push("End");
      const res = highs.solve(lines.join("\n"), {});
      expect(res.Status).toBe("Optimal");
      expect(out.profit[0], `seed ${seed}`).toBeCloseTo(res.ObjectiveValue, 4);
      expect(checkAnswer(p, out).problems, `seed ${seed}`).toEqual([]);
    }
  }, 60_000);

  it("leaving out dominated bets never changes the optimum", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const p = problemOf(generateInstance({ bets: 16, seed: 300 + seed, precision: seed % 2 === 0, wagerLimit: 200, wagerPrecision: 1 }));
      const a = await solveArbitrage(p, { pool });
      const b = await solveArbitrage(p, { pool, noDominance: true });
      expect(a.profit[0], `seed ${seed}`).toBeCloseTo(b.profit[0], 5);
    }
  }, 60_000);
});

/** The shared pool, recording what each lattice-reformulated solve reported. */
const tracedPool = (seen: (LatticeInfo | null | undefined)[], fallbacks: string[] = []): SolverPool =>
  ({
    run: <T>(job: (s: Solver) => Promise<T>) =>
      pool.run((s) =>
        job({
          solve: async (req) => {
            const r = await s.solve(req);
            if (req.lattice) seen.push(r.lattice);
            if (r.latticeFallback) fallbacks.push(r.latticeFallback);
            return r;
          },
        }),
      ),
  }) as unknown as SolverPool;

describe("lattice reformulation of the proof MIP", () => {
  it("matches brute force on 80 tiny instances, with and without it, and is used there", async () => {
    const seen: (LatticeInfo | null | undefined)[] = [];
    const fallbacks: string[] = [];
    const traced = tracedPool(seen, fallbacks);
    for (let seed = 1; seed <= 80; seed++) {
      const p = problemOf(tinyInstance(seed).raw);
      const bf = bruteForce(p);
      const a = await solveArbitrage(p, { pool: traced });
      const b = await solveArbitrage(p, { pool, noLattice: true });
      expect(a.solution.optimal && b.solution.optimal, `seed ${seed}`).toBe(true);
      expect(a.profit[0], `seed ${seed}`).toBeCloseTo(bf.bestMin, 6);
      expect(b.profit[0], `seed ${seed}`).toBeCloseTo(bf.bestMin, 6);
      expect(checkAnswer(p, a).problems, `seed ${seed}`).toEqual([]);
    }
    // (Instances with count caps, without an arbitrage or with under two integer stakes skip it.)
    expect(seen.filter((info) => info && info.columns >= 2).length).toBeGreaterThanOrEqual(12);
    // The only fallback to the plain model: bound tightening fixed all but one stake.
    expect([...new Set(fallbacks)].filter((f) => !f.startsWith("fewer than two"))).toEqual([]);
  }, 120_000);

  it("never changes the optimum on 100-150-bet count-free models", async () => {
    const seen: (LatticeInfo | null | undefined)[] = [];
    const traced = tracedPool(seen);
    const cases: [bets: number, seed: number, limit: number][] = [
      [100, 702, 1000],
      [150, 704, 500],
      [100, 705, 1000],
    ];
    for (const [bets, seed, limit] of cases) {
      const p = { ...problemOf(generateInstance({ bets, seed, precision: true, wagerLimit: limit, wagerPrecision: 1 })), maxProcessTime: 30 };
      const a = await solveArbitrage(p, { pool: traced });
      const b = await solveArbitrage(p, { pool, noLattice: true });
      expect(a.solution.optimal && b.solution.optimal, `seed ${seed}`).toBe(true);
      // Both are proven within the absolute gap 1e-6 × wager limit of the optimum.
      expect(Math.abs(a.profit[0] - b.profit[0]), `seed ${seed}`).toBeLessThanOrEqual(1e-6 * limit + 1e-9);
      expect(checkAnswer(p, a).problems, `seed ${seed}`).toEqual([]);
    }
    // The proof MIP and the tie-break of each case; used every time (not the fallback), on the
    // stakes the bound tightening left free.
    expect(seen).toHaveLength(2 * cases.length);
    for (const info of seen) expect(info?.columns).toBeGreaterThan(1);
  }, 120_000);
});

describe("every returned answer is feasible over the 0..30 box", () => {
  const cases: [bets: number, precision: boolean, counts: boolean, mode: 1 | 2][] = [];
  for (const bets of [8, 20]) for (const precision of [false, true]) for (const counts of [false, true]) for (const mode of [1, 2] as const) cases.push([bets, precision, counts, mode]);
  it.each(cases)("%i bets, precision %s, counts %s, mode %i", async (bets, precision, counts, mode) => {
    for (const seed of [1, 2, 3]) {
      const raw = { ...generateInstance({ bets, seed, precision, counts, wagerLimit: 1000, wagerPrecision: 5 }), mode };
      const p = problemOf(raw);
      const out = await solveArbitrage(p, { pool });
      const check = checkAnswer(p, out);
      expect(check.problems, `seed ${seed}`).toEqual([]);
      if (mode === 2) {
        const m1 = await solveArbitrage({ ...p, mode: 1 }, { pool });
        expect(out.profit[0]).toBeGreaterThanOrEqual(Math.min(0, m1.profit[0]) - 1e-6);
        expect(out.profit[1]).toBeGreaterThanOrEqual(m1.profit[1] - 1e-6);
      }
    }
  }, 60_000);

  it("a time-limited 200-bet MILP still returns a feasible answer and reports its gap", async () => {
    const p = problemOf({ ...generateInstance({ bets: 200, seed: 2, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }), max_process_time: 0.5 });
    const t0 = performance.now();
    const out = await solveArbitrage(p, { pool });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(checkAnswer(p, out).problems).toEqual([]);
    if (!out.solution.optimal) {
      expect(out.solution.status).toBe("time_limit");
      expect(out.solution.gap).toBeGreaterThan(0);
      expect(out.solution.bound).not.toBeNull();
      expect(out.solution.bound!).toBeGreaterThanOrEqual(out.profit[0] - 1e-6);
    }
  }, 30_000);
});

describe("edge cases", () => {
  it("a precision far finer than the limits is solved continuously and rounded down to it", async () => {
    const raw = { wager_limit: 1e8, wager_precision: 0.01, "no-draw": true, bets: [back("home", 2.1), back("away", 2.1)] };
    const p = problemOf(raw);
    const out = await solveArbitrage(p, { pool });
    expect(out.solution.notes.join(" ")).toMatch(/rounded down/);
    expect(checkAnswer(p, out).problems).toEqual([]);
    expect(out.profit[0]).toBeGreaterThan(4.99e6);
  });

  it("returns no new wager when every bet is blocked, but still reports the previous wagers' profit", async () => {
    const out = await solve({ wager_limit: 10, bets: [back("home", 2, { previous_wager: 10 }), back("away", 3, { volume: 0 })] });
    expect(out.solution.wagers).toEqual([0, 0]);
    expect(out.profit).toEqual([-10, 10]);
    expect(out.solution.notes[0]).toMatch(/no bet can take a new wager/);
  });
});

describe("a real WinWise response (Win-Wise/arbdelta docs/sample-arb.json, quant.md A5 #17)", () => {
  // Bookmaker names mapped to ids (the real request used names); commission 0 as in the response.
  const request = {
    wager_limit: 100,
    bookmakers: [{ id: 1 }, { id: 2 }],
    bets: [
      { bookmaker: 1, bet_type: "AsianHandicap", value: "home 0.0", odds: 1.72 },
      { bookmaker: 2, bet_type: "MatchWinner", value: "Away", odds: 3.5, volume: 5.53 },
      { bookmaker: 1, bet_type: "MatchWinner", value: "draw", odds: 3.1 },
      { bookmaker: 2, bet_type: "MatchWinner", value: "Home", odds: 2.54, volume: 9.79 },
      { bookmaker: 2, bet_type: "MatchWinner", value: "Draw", odds: 3.1, lay: true, volume: 161.82 },
      { bookmaker: 2, bet_type: "MatchWinner", value: "Draw", odds: 3.05, lay: true, volume: 7.0 },
    ],
  };
  const theirWagers = [0.07, 0.05, 6.92, 0.02, 0.02, 6.98];

  it("our settlement reproduces its published profit range [0.111, 0.115] for its wagers", () => {
    const profits = profitsOverBox(problemOf(request), theirWagers);
    expect(Math.min(...profits)).toBeCloseTo(0.111, 9);
    expect(Math.max(...profits)).toBeCloseTo(0.115, 9);
  });

  it("our optimum is at least as good, and feasible", async () => {
    const p = problemOf(request);
    const out = await solveArbitrage(p, { pool });
    expect(out.profit[0]).toBeGreaterThanOrEqual(0.111 - 1e-9);
    expect(checkAnswer(p, out).problems).toEqual([]);
  });
});
