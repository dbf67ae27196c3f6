// Arbitrage calculator benchmark: `npx tsx bench/arbitrage.ts [--seeds 1,2,3]` (bounded: well under 90 s).
//
// For seeded instances (3-way book, 20 bets, 200 bets; each as a pure LP, with wager precision, and
// with precision plus wager-count caps) it reports the time to a proven optimum of the full answer
// (phase 1 + tie-break, as the API runs it) next to the time of the LP relaxation, and their ratio.
// It then runs the 200-bet seed-2 instance with precision and counts (formerly the hardest) while an
// HTTP server on the same event loop answers pings, to show the main thread stays responsive (HiGHS
// runs in a worker thread). `--seeds` picks the generator seeds of the 20- and 200-bet instances.

import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { generateInstance } from "@/lib/arbitrage/generate";
import { validateArbInput } from "@/lib/arbitrage/input";
import type { ArbInput, ArbOutput, ArbProblem } from "@/lib/arbitrage/types";
import { checkAnswer } from "@/server/arbitrage/check";
import { SolverPool } from "@/server/arbitrage/pool";
import { solveArbitrage } from "@/server/arbitrage/solve";

const BUDGET_S = 20;
const started = performance.now();

const seedsArg = (): number[] => {
  const i = process.argv.indexOf("--seeds");
  if (i < 0) return [1, 2, 3];
  const seeds = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (seeds.length === 0 || seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error("--seeds expects a comma-separated list of integers, e.g. --seeds 1,2,3");
  return seeds;
};
const SEEDS = seedsArg();

const problemOf = (raw: ArbInput): ArbProblem => {
  const v = validateArbInput(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return { ...v.problem, maxProcessTime: BUDGET_S };
};

const greece = (precision: boolean): ArbInput => ({
  bookmakers: [{ id: 1, ...(precision ? {} : { ignore_wager_precision: true }) }],
  bets: [
    { bet_type: 1, value: "home", odds: 2.3, bookmaker: 1 },
    { bet_type: 1, value: "draw", odds: 3.5, bookmaker: 1 },
    { bet_type: 1, value: "away", odds: 4.23, bookmaker: 1 },
  ],
});

interface Case {
  name: string;
  raw: ArbInput;
  repeat: number;
}

const cases: Case[] = [
  { name: "3-way LP", raw: greece(false), repeat: 7 },
  { name: "3-way P=0.01", raw: greece(true), repeat: 7 },
];
for (const seed of SEEDS) {
  cases.push({ name: `20 bets #${seed} LP`, raw: generateInstance({ bets: 20, seed, precision: false, wagerLimit: 1000 }), repeat: 5 });
  cases.push({ name: `20 bets #${seed} P=1`, raw: generateInstance({ bets: 20, seed, precision: true, wagerLimit: 1000, wagerPrecision: 1 }), repeat: 5 });
  cases.push({
    name: `20 bets #${seed} P=1+counts`,
    raw: generateInstance({ bets: 20, seed, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }),
    repeat: 5,
  });
}
for (const seed of SEEDS) {
  cases.push({ name: `200 bets #${seed} LP`, raw: generateInstance({ bets: 200, seed, precision: false, wagerLimit: 1000 }), repeat: 3 });
  cases.push({ name: `200 bets #${seed} P=1`, raw: generateInstance({ bets: 200, seed, precision: true, wagerLimit: 1000, wagerPrecision: 1 }), repeat: 1 });
}
for (const seed of SEEDS.filter((x) => x !== 2)) {
  cases.push({
    name: `200 bets #${seed} P=1+counts`,
    raw: generateInstance({ bets: 200, seed, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }),
    repeat: 1,
  });
}
/**
 * Formerly the hardest seeded instance (unproven at the 20 s budget before the lattice
 * reformulation of the proof MIP); now proven in ~1–2 s. Always run, for the responsiveness check.
 */
const lagCase: Case = {
  name: "200 bets #2 P=1+counts",
  raw: generateInstance({ bets: 200, seed: 2, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }),
  repeat: 1,
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface Row {
  name: string;
  bets: number;
  vars: number;
  ints: number;
  bins: number;
  rows: number;
  lpMs: number;
  fullMs: number;
  status: string;
  gap: number;
  min: number;
  feasible: boolean;
}

const run = async (pool: SolverPool, c: Case): Promise<Row> => {
  const p = problemOf(c.raw);
  const lpTimes: number[] = [];
  const fullTimes: number[] = [];
  let out: ArbOutput | undefined;
  for (let i = 0; i < c.repeat; i++) {
    let t = performance.now();
    await solveArbitrage(p, { pool, relax: true, skipTieBreak: true });
    lpTimes.push(performance.now() - t);
    t = performance.now();
    out = await solveArbitrage(p, { pool });
    fullTimes.push(performance.now() - t);
  }
  const s = out!.solution;
  return {
    name: c.name,
    bets: p.bets.length,
    vars: s.model.variables,
    ints: s.model.integer_variables,
    bins: s.model.binary_variables,
    rows: s.model.constraints,
    lpMs: median(lpTimes),
    fullMs: median(fullTimes),
    status: s.optimal ? "optimal" : s.status,
    gap: s.gap,
    min: out!.profit[0],
    feasible: checkAnswer(p, out!).problems.length === 0,
  };
};

const pad = (s: string, n: number, right = false): string => (right ? s.padStart(n) : s.padEnd(n));

const printTable = (rows: Row[]): void => {
  const head = `${pad("instance", 26)}${pad("bets", 6, true)}${pad("vars", 6, true)}${pad("int", 5, true)}${pad("bin", 5, true)}${pad("rows", 6, true)}${pad("LP ms", 9, true)}${pad("proven ms", 11, true)}${pad("ratio", 8, true)}  ${pad("status", 11)}${pad("gap", 9, true)}${pad("min profit", 12, true)}  ok`;
  console.log(head);
  console.log("-".repeat(head.length));
  for (const r of rows) {
    console.log(
      `${pad(r.name, 26)}${pad(String(r.bets), 6, true)}${pad(String(r.vars), 6, true)}${pad(String(r.ints), 5, true)}${pad(String(r.bins), 5, true)}${pad(String(r.rows), 6, true)}${pad(r.lpMs.toFixed(1), 9, true)}${pad(r.fullMs.toFixed(1), 11, true)}${pad((r.fullMs / Math.max(0.1, r.lpMs)).toFixed(1), 8, true)}  ${pad(r.status, 11)}${pad(r.gap.toExponential(1), 9, true)}${pad(r.min.toFixed(4), 12, true)}  ${r.feasible ? "yes" : "NO"}`,
    );
  }
};

/** Runs `c` while an HTTP server on this event loop answers a ping every 20 ms. */
const responsiveness = async (pool: SolverPool, c: Case) => {
  const server = createServer((_req, res) => res.end("pong"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const ping = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t));
      });
      req.on("error", reject);
      req.end();
    });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const latencies: number[] = [];
  let solving = true;
  const pinger = (async () => {
    while (solving) {
      latencies.push(await ping());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  lag.enable();
  const t0 = performance.now();
  const out = await solveArbitrage(problemOf(c.raw), { pool });
  const solveMs = performance.now() - t0;
  solving = false;
  lag.disable();
  await pinger;
  server.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
  return { out, solveMs, pings: latencies.length, p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1]!, lagP99: lag.percentile(99) / 1e6, lagMax: lag.max / 1e6 };
};

const main = async (): Promise<void> => {
  const pool = new SolverPool({ size: 2, maxQueue: 8 });
  const t = performance.now();
  await pool.warm();
  console.log(`arbitrage benchmark — HiGHS (WASM) in 2 worker threads; warm-up (eager compile) ${(performance.now() - t).toFixed(0)} ms`);
  console.log(`"proven ms": the full API answer (phase 1 proven optimal + tie-break); "LP ms": the LP relaxation alone; medians\n`);
  const rows: Row[] = [];
  for (const c of cases) rows.push(await run(pool, c));
  printTable(rows);

  console.log(`\nresponsiveness during a long solve (${lagCase.name}), HTTP ping every 20 ms on the main event loop:`);
  const r = await responsiveness(pool, lagCase);
  const s = r.out.solution;
  console.log(
    `  solve ${r.solveMs.toFixed(0)} ms (${s.optimal ? "proven optimal" : `${s.status}, gap ${s.gap.toExponential(2)}`}), ${r.pings} pings answered: ` +
      `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; event-loop delay p99 ${r.lagP99.toFixed(1)} ms, max ${r.lagMax.toFixed(1)} ms`,
  );

  const t20 = rows.filter((x) => x.name.startsWith("20 bets") && x.name.endsWith("counts"));
  const worst20 = Math.max(...t20.map((x) => x.fullMs));
  const r200 = rows.filter((x) => x.name.startsWith("200 bets") && !x.name.endsWith("LP"));
  console.log("\ntargets:");
  console.log(`  20 bets with precision and counts proven optimal <= 200 ms: worst ${worst20.toFixed(0)} ms -> ${worst20 <= 200 && t20.every((x) => x.status === "optimal") ? "met" : "NOT met"}`);
  for (const x of [...r200, { name: lagCase.name, fullMs: r.solveMs, status: s.optimal ? "optimal" : s.status } as Row]) {
    console.log(`  ${x.name} proven optimal <= 5 s: ${x.fullMs.toFixed(0)} ms, ${x.status} -> ${x.fullMs <= 5000 && x.status === "optimal" ? "met" : "NOT met"}`);
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await pool.close();
};

void main();
