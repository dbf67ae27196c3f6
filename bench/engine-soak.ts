// Resident memory of the engine process over a long run (default 10 minutes at 1,000 RFQ/s).
//
//   npx tsx bench/engine-soak.ts [--rate 1000] [--minutes 10] [--warmup 20] [--seed 3] [--no-pin]
//
// The simulator runs in one child process (bench/lib/sim-child.ts, pinned to the last core), the
// engine in another (bench/lib/engine-child.ts: startEngine + model pricer + a migrated SQLite file,
// bundled and started with the same flags as `npm start` starts the engine), so what is sampled —
// VmRSS from /proc every second — is the engine process and nothing else (no bench bookkeeping, no
// do-nothing client). After a warm-up at the target rate, the run is measured: RSS start/peak/end,
// the least-squares slope over the second half (MB/min; "flat" means the slope is within noise, not
// the number of MB), heap after each minute, and whether the DB kept up (rows behind). Target: peak < 300 MB and no upward trend.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDb } from "../server/test/db.ts";
import { bundleEngine } from "../server/engine/bundle.ts";
import { benchEngineFlags } from "./lib/bench-engine.ts";
import type { EngineChildStats } from "./lib/engine-child.ts";
import { startSimProcess } from "./lib/sim-process.ts";
import { arg, f, sleep, table } from "./lib/measure.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const rate = arg("rate", 1000);
const minutes = arg("minutes", 10);
const warmupSeconds = arg("warmup", 20);
const seed = arg("seed", 3);

const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Least-squares slope of y over x. */
const slope = (xs: number[], ys: number[]): number => {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : NaN;
};

const main = async () => {
  const sim = await startSimProcess({ seed, rivals: "none", initialBalance: 1e9, healthCheckIntervalMs: 5_000, maxLiveRfqs: 2_000_000 });
  const testDb = await createTestDb("sqlite");
  const acct = sim.ready.accounts[0]!;
  // The engine process exactly as `npm start` runs it: an esbuild bundle under plain node with the
  // engine's V8 flags (server/engine/bundle.ts); ENGINE_NODE_FLAGS="…" overrides the flags.
  const argv = await bundleEngine(root, path.join(here, "lib", "engine-child.ts"), path.join(root, "data", "build", "engine-soak-child.mjs"));
  const flags = benchEngineFlags(argv);
  const child = fork(argv[argv.length - 1]!, [JSON.stringify({ baseUrl: sim.ready.baseUrl, accessKey: acct.accessKey, secretKey: acct.secretKey, dbUrl: testDb.url })], { execArgv: flags, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pid = child.pid!;
  const stats = () =>
    new Promise<EngineChildStats>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("engine child did not answer stats within 30 s")), 30_000);
      const on = (m: { type: string; stats?: EngineChildStats }) => {
        if (m.type !== "stats") return;
        clearTimeout(t);
        child.off("message", on);
        resolve(m.stats!);
      };
      child.on("message", on);
      child.send({ type: "stats" });
    });
  const t0 = Date.now();
  while (!(await stats()).ready) {
    if (Date.now() - t0 > 60_000) throw new Error("engine child not ready within 60 s");
    await sleep(250);
  }
  await sleep(2_500); // supported lines registered
  const idleRss = rssOf(pid);
  const idle = await stats();
  console.error(`[soak] idle engine: rss ${f(idleRss, 0)} MB, heap used ${f(idle.heapUsed / 2 ** 20, 0)} MB, external+buffers ${f(idle.external / 2 ** 20, 0)} MB`);
  if (minutes <= 0) {
    child.kill("SIGKILL");
    await sim.stop();
    await testDb.drop();
    process.exit(0);
  }

  // Warm-up as a ramp (JIT, connection pool, model caches at 100/s first), then the target rate.
  sim.gen({ rate: Math.min(rate, 100), bettor: "decline", rivals: "none" });
  await sleep(5_000);
  sim.gen({ rate, bettor: "decline", rivals: "none" });
  await sleep(warmupSeconds * 1_000);
  const before = await stats();
  const samples: { t: number; rss: number }[] = [];
  const perMinute: string[][] = [];
  const runStart = Date.now();
  let lastMinute = before;
  for (let s = 1; s <= minutes * 60; s++) {
    await sleep(Math.max(0, runStart + s * 1_000 - Date.now()));
    samples.push({ t: (Date.now() - runStart) / 60_000, rss: rssOf(pid) });
    if (s % 60 === 0) {
      const st = await stats();
      const persisted = await testDb.db.parlayRequest.count();
      const d = (k: string) => (st.counters[k] ?? 0) - (lastMinute.counters[k] ?? 0);
      perMinute.push([String(s / 60), f(samples[samples.length - 1]!.rss, 0), f(Math.max(...samples.slice(-60).map((x) => x.rss)), 0), f(st.heapUsed / 2 ** 20, 0), f(st.external / 2 ** 20, 0), f(d("rfqs") / 60, 0), f(d("quotes") / 60, 0), String(st.rfqStates), String(st.exposure), String((st.counters.rfqs ?? 0) - persisted), String(st.counters.queueMaxDepth ?? 0)]);
      console.error(`[soak] minute ${s / 60}: ${perMinute[perMinute.length - 1]!.join(" ")}`);
      lastMinute = st;
    }
  }
  sim.gen({ rate: 0 });
  const after = await stats();
  const simStats = await sim.stats();

  const rss = samples.map((x) => x.rss);
  const half = samples.slice(Math.floor(samples.length / 2));
  const peak = Math.max(...rss);
  const secondHalfSlope = slope(half.map((x) => x.t), half.map((x) => x.rss));
  const rfqs = (after.counters.rfqs ?? 0) - (before.counters.rfqs ?? 0);
  console.log(`\nengine-soak  ${minutes} min at ${rate} RFQ/s (after ${warmupSeconds} s warm-up)  seed ${seed}  db sqlite  pinning: ${sim.pinned}  node ${process.version}`);
  console.log("engine process only (its own child process): VmRSS sampled every second; per-minute rows from the engine's counters");
  console.log(table(["min", "rss MB", "peak MB", "heap MB", "ext MB", "rfq/s", "quoted/s", "rfq states", "exposure", "rows behind", "queue max"], perMinute));
  const stale = (after.counters.rfqsStale ?? 0) - (before.counters.rfqsStale ?? 0);
  console.log(`\nRFQs in the measured run: ${rfqs} (${f(rfqs / (minutes * 60), 0)}/s), ${stale} declined as stale (waited > 1 s in the engine queue); simulator generated ${simStats.generated}, trigger failures ${simStats.triggerFailures}`);
  console.log(`engine RSS: idle before any RFQ ${f(idleRss, 0)} MB; measured run start ${f(rss[0]!, 0)} MB, peak ${f(peak, 0)} MB, end ${f(rss[rss.length - 1]!, 0)} MB`);
  console.log(`slope over the second half: ${f(secondHalfSlope, 2)} MB/min (${f(secondHalfSlope * 60, 0)} MB/hour if it continued)`);
  console.log(`target: peak < 300 MB — ${peak < 300 ? "MET" : "MISSED"}; flat (second-half slope < 1 MB/min) — ${Math.abs(secondHalfSlope) < 1 ? "MET" : "MISSED"}`);

  child.send({ type: "exit" });
  await new Promise((r) => child.once("exit", r));
  await sim.stop();
  await testDb.drop();
  process.exit(0);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
