// Quote latency of the parlay engine, next to a do-nothing handler in the same run (its own process).
//
//   npx tsx [--expose-gc] bench/engine-latency.ts [--rates 10,100,1000] [--seconds 20,15,30] [--warmup 8]
//                                   [--drain 10] [--db sqlite|postgres] [--no-pin] [--seed 3]
//                                   [--in-process]  (else re-run as the engine process runs: bundled, engine V8 flags)
//                                   [--alloc-prof <file> [--alloc-survivors]] [--cpu-prof <file>] [--writer-nice <n>]  (diagnostics)
//   (--expose-gc: the drain also prints memory after a full GC, i.e. what is really retained)
//
// Setup: the simulator runs in a child process (bench/lib/sim-child.ts; pinned to the last core, this
// process's quoting thread to the others; the engine's SQLite writer thread may run anywhere) and generates RFQs at a steady rate (≈1 ms steps) with no rivals and a
// bettor who declines everything, so the only engine work is quoting. The engine (startEngine,
// model pricer, real migrated DB) gets risk limits and a balance far above what the run can use, so
// RFQs are quoted, not declined for caps (the decline histogram is printed to prove it).
//
// Measured per rate, after a warm-up (JIT, connection pool, supported lines):
//   * model: PxSocket callback (price.ask.new) → offers POST handed to the HTTP client (engine's
//     onQuoteSent hook) and → POST headers written to the socket (undici diagnostics channel);
//   * do-nothing: a bare SP client in its own process (bench/lib/nothing-child.ts: same ProphetXClient +
//     PxSocket stack, own account) that answers every RFQ with a fixed offer at once: same two points;
//   * time inside pricer.quote, engine event-loop delay, queue depth, RSS (sampled every 250 ms) and
//     the engine's per-RFQ state (rfqs map, exposure entries, DB rows not yet written).
import { createTestDb } from "../server/test/db.ts";
import { startEngine } from "../server/engine/engine.ts";
import { modelPricer, type ParlayPricer } from "../server/engine/parlay/pricer.ts";
import { startSimProcess, unpinThread } from "./lib/sim-process.ts";
import { startNothingChild } from "./lib/nothing-process.ts";
import { withoutHotWrites } from "./lib/null-persist.ts";
import { benchEngineFlags, benchEngineOptions } from "./lib/bench-engine.ts";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { bundleEngine } from "../server/engine/bundle.ts";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allocationProfiler, cpuProfiler } from "./lib/alloc-prof.ts";
import { arg, argStr, cpuSince, f, gcPauses, histogram, loopDelay, memorySampler, openFds, pct, sleep, sortNum, table, tapOfferPosts, threadCpuMs } from "./lib/measure.ts";

const rates = argStr("rates", "10,100,1000").split(",").map(Number);
const seconds = argStr("seconds", "20,15,30").split(",").map(Number);
const warmup = arg("warmup", 8);
const drainSeconds = arg("drain", 10);
const dbKind = argStr("db", "sqlite") as "sqlite" | "postgres";
const seed = arg("seed", 3);
const persist = argStr("persist", "on"); // "off" = diagnostic: no writes to the per-RFQ tables (bench/lib/null-persist.ts)
// Diagnostic: --alloc-prof <file> samples every allocation (kept or collected) during the last rate's
// phase and writes a .heapprofile (Chrome DevTools → Memory, or any sampling-heap-profile reader).
const allocProfFile = argStr("alloc-prof", "");
const allocProf = allocProfFile ? allocationProfiler(allocProfFile, 16 * 1024, process.argv.includes("--alloc-survivors")) : undefined;
// Diagnostic: --cpu-prof <file> samples the engine process's main thread during the last rate's phase.
const cpuProfFile = argStr("cpu-prof", "");
const cpuProf = cpuProfFile ? cpuProfiler(cpuProfFile) : undefined;
const NOTHING = { accessKey: "bench-nothing", secretKey: "bench-nothing-secret" };

const main = async () => {
  const wall0 = Date.now();
  const sim = await startSimProcess({ seed, rivals: "none", initialBalance: 1e9, extraAccounts: [{ ...NOTHING, balance: 1e9 }], healthCheckIntervalMs: 5_000 });
  const testDb = await createTestDb(dbKind);

  // ── engine (model pricer, timed) ──
  const quoteMs: number[] = [];
  const reasons: string[] = [];
  let measuring = false;
  const timed: ParlayPricer = {
    name: "model",
    quote: (i) => {
      const t = performance.now();
      const d = modelPricer.quote(i);
      if (measuring) {
        quoteMs.push(performance.now() - t);
        reasons.push(d.kind === "quote" ? "quote" : `decline:${d.reason}${d.kind === "decline" && d.reason === "no_risk_capacity" ? `(${d.detail ?? ""})` : ""}`);
      }
      return d;
    },
    confirm: modelPricer.confirm,
  };
  const lat = { modelHandoff: [] as number[], modelSent: [] as number[] };
  const cbAt = new Map<string, number>();
  const engine = await startEngine({
    db: persist === "off" ? withoutHotWrites(testDb.db) : testDb.db,
    baseUrl: sim.ready.baseUrl,
    accessKey: sim.ready.accounts[0]!.accessKey,
    secretKey: sim.ready.accounts[0]!.secretKey,
    engineId: "bench-latency",
    ...benchEngineOptions,
    pricer: timed,
    onQuoteSent: (q) => {
      if (!measuring) return;
      lat.modelHandoff.push(q.latencyMs);
      cbAt.set(q.parlayId, performance.now() - q.latencyMs);
    },
  });

  // ── do-nothing handler: same REST + socket stack, fixed offer, no state, in its own process ──
  const nothing = await startNothingChild({ baseUrl: sim.ready.baseUrl, ...NOTHING });

  tapOfferPosts(
    (auth) => (auth === `Bearer ${(engine.client.rest as unknown as { accessToken?: string }).accessToken}` ? "model" : undefined),
    (_label, parlayId, _tFetch, tSent) => {
      if (!measuring) return;
      const t0 = cbAt.get(parlayId);
      if (t0 === undefined) return;
      cbAt.delete(parlayId);
      lat.modelSent.push(tSent - t0);
    },
  );

  // ── wait until the engine trades: sockets, balance, supported lines ──
  const t0 = Date.now();
  while (!(engine.debug.balance() !== undefined && engine.state.connection.sp === "connected" && engine.state.connection.mm === "connected")) {
    if (Date.now() - t0 > 30_000) throw new Error(`engine not ready: ${JSON.stringify(engine.state.connection)}`);
    await sleep(100);
  }
  await sleep(2_500); // supported lines registered (every 1 s here)

  const mem = memorySampler(250, () => ({ rfqs: engine.debug.rfqs.size, exposure: engine.debug.exposure.size, queue: engine.debug.queue.depth, fds: openFds() }));
  const loop = loopDelay();
  const gcs = gcPauses();
  const persistedRows = async () => (persist === "off" ? counter("rfqs") : testDb.db.parlayRequest.count());
  const counter = (k: string) => engine.state.counters[k] ?? 0;

  const m0 = process.memoryUsage();
  const startMem = `rss ${f(m0.rss / 2 ** 20, 0)} MB (heap used ${f(m0.heapUsed / 2 ** 20, 0)}, external+buffers ${f((m0.external + m0.arrayBuffers) / 2 ** 20, 0)})`;
  // Warm-up: JIT, HTTP keep-alive pool, model caches (not measured).
  mem.setPhase("warmup");
  sim.gen({ rate: 100, bettor: "decline", rivals: "none" });
  await sleep(warmup * 1_000);
  sim.gen({ rate: 0 });
  await sleep(1_500);
  await sim.stats();
  // The quoting thread stays on its core; the engine's SQLite writer (started during the warm-up, so
  // pinned with it) may run on any core, like the engine's GC threads (nice 10 either way).
  const writerTid = engine.debug.persister.writerThreadId;
  const writerNice = argStr("writer-nice", ""); // diagnostic: another nice value for the writer thread
  if (writerNice !== "" && writerTid !== undefined) os.setPriority(writerTid, Number(writerNice));
  const writerPlacement =
    writerTid === undefined
      ? "no SQLite writer thread"
      : `SQLite writer thread ${sim.pinned.startsWith("engine") && unpinThread(writerTid) ? "on any cpu" : "with the engine"}, nice ${os.getPriority(writerTid)}`;

  type Row = Record<string, string>;
  const rows: Row[] = [];
  const declineRows: string[] = [];
  const cpuRows: string[] = [];
  for (const [i, rate] of rates.entries()) {
    const secs = seconds[i] ?? seconds[seconds.length - 1]!;
    for (const k of Object.keys(lat) as (keyof typeof lat)[]) lat[k] = [];
    cbAt.clear();
    quoteMs.length = 0;
    reasons.length = 0;
    const before = { rfqs: counter("rfqs"), quotes: counter("quotes"), declines: counter("declines"), offerFailures: counter("offerFailures"), statements: counter("persistStatements"), flushes: counter("persistFlushes"), events: counter("events"), socketMessages: counter("socketMessages"), bookUpdates: counter("bookUpdates") };
    loop.read();
    gcs.read();
    const cpu0 = { engine: threadCpuMs(), nothing: threadCpuMs(nothing.pid ?? 0), sim: threadCpuMs(sim.ready.pid) };
    mem.setPhase(`${rate}/s`);
    measuring = true;
    nothing.measure(true);
    if (allocProf && rate === rates[rates.length - 1]) await allocProf.start();
    if (cpuProf && rate === rates[rates.length - 1]) await cpuProf.start();
    sim.gen({ rate, bettor: "decline", rivals: "none" });
    // Wall-clock phase; ends early if the process collapses (sockets piling up or the loop stalling).
    const phaseStart = performance.now();
    let collapsed = "";
    let maxFds = 0;
    while (performance.now() - phaseStart < secs * 1_000) {
      await sleep(250);
      const fds = openFds();
      maxFds = Math.max(maxFds, fds || 0);
      if (fds > 5_000) collapsed = `${fds} open fds`;
      if (performance.now() - phaseStart > secs * 1_000 * 3) collapsed ||= "phase overran 3× (event loop stalled)";
      if (collapsed) break;
    }
    const phaseSecs = (performance.now() - phaseStart) / 1_000;
    sim.gen({ rate: 0 });
    const loopStats = loop.read();
    const cpu1 = { engine: threadCpuMs(), nothing: threadCpuMs(nothing.pid ?? 0), sim: threadCpuMs(sim.ready.pid) };
    const gcLine = `${rate}/s engine GC pauses: ${gcs.read()}`;
    await sleep(1_500); // in-flight RFQs finish
    measuring = false;
    nothing.measure(false);
    const nothingLat = await nothing.take();
    if (allocProf?.running) await allocProf.stop();
    if (cpuProf?.running) await cpuProf.stop();
    const simStats = await sim.stats();
    const persisted = await persistedRows();
    {
      const n = Math.max(1, counter("rfqs") - before.rfqs);
      const per = (xs: { ms: number }[]) => f((xs.reduce((a, x) => a + x.ms, 0) * 1000) / n, 0);
      const e = cpuSince(cpu0.engine, cpu1.engine);
      const main = e.filter((t) => t.tid === process.pid);
      const writer = e.filter((t) => t.tid === writerTid);
      const rest = e.filter((t) => t.tid !== process.pid && t.tid !== writerTid);
      const nothingMain = cpuSince(cpu0.nothing, cpu1.nothing).filter((t) => t.tid === nothing.pid);
      cpuRows.push(gcLine);
      cpuRows.push(`${rate}/s CPU µs per RFQ (user+sys, 10 ms ticks): engine main thread ${per(main)}, SQLite writer ${per(writer)}, other engine threads ${per(rest)}; do-nothing main thread ${per(nothingMain)}, all ${per(cpuSince(cpu0.nothing, cpu1.nothing))}; simulator ${per(cpuSince(cpu0.sim, cpu1.sim))}`);
    }
    const s = (xs: number[]) => sortNum(xs);
    const mh = s(lat.modelHandoff), ms = s(lat.modelSent), nh = s(nothingLat.handoff), ns = s(nothingLat.sent), q = s(quoteMs);
    const last = mem.samples[mem.samples.length - 1]!;
    rows.push({
      rate: String(rate),
      secs: f(phaseSecs, 1),
      rfqs: String(counter("rfqs") - before.rfqs),
      quoted: String(counter("quotes") - before.quotes),
      declined: String(counter("declines") - before.declines),
      "model p50": f(pct(ms, 50)),
      "model p99": f(pct(ms, 99)),
      "model max": f(pct(ms, 100), 1),
      "nothing p50": f(pct(ns, 50)),
      "nothing p99": f(pct(ns, 99)),
      "p99 ratio": f(pct(ms, 99) / pct(ns, 99), 2),
      "model→client p99": f(pct(mh, 99)),
      "nothing→client p99": f(pct(nh, 99)),
      "pricer p50": f(pct(q, 50)),
      "pricer p99": f(pct(q, 99)),
      "loop p99": f(loopStats.p99Ms, 1),
      "loop max": f(loopStats.maxMs, 1),
      "queue max": String(counter("queueMaxDepth")),
      "rss MB": f(last.rss, 0),
      "heap MB": f(last.heap, 0),
      "rfq states": String(engine.debug.rfqs.size),
      "exposure entries": String(engine.debug.exposure.size),
      "rows behind": String(counter("rfqs") - persisted),
      "sim loop max": f(simStats.loop.maxMs, 1),
      "sim made": String(simStats.generated),
      "max fds": String(maxFds),
      "http conns": String(counter("httpConnections")),
      "db stmts/flush": f((counter("persistStatements") - before.statements) / Math.max(1, counter("persistFlushes") - before.flushes), 1),
      "flush max ms": String(counter("persistMaxFlushMs")),
    });
    if (collapsed) declineRows.push(`${rate}/s: PHASE STOPPED EARLY — ${collapsed}`);
    const r = rows[rows.length - 1]!;
    console.error(`[phase ${rate}/s] ${Object.entries(r).map(([k, v]) => `${k}=${v}`).join(" ")}${collapsed ? ` COLLAPSED: ${collapsed}` : ""}`);
    if (collapsed) break;
    {
      const per = (k: "events" | "socketMessages" | "bookUpdates") => f((counter(k) - before[k]) / Math.max(1, counter("rfqs") - before.rfqs), 2);
      declineRows.push(`${rate}/s engine work per RFQ: ${per("events")} events, ${per("socketMessages")} socket messages, ${per("bookUpdates")} book updates`);
    }
    declineRows.push(`${rate}/s: ${histogram(reasons).map(([k, n]) => `${k} ${n}`).join(", ") || "(no RFQ reached the pricer)"}`);
    if (simStats.triggerFailures > 0) declineRows.push(`  simulator could not create ${simStats.triggerFailures} RFQs (${simStats.lastError})`);
  }

  // Drain: no RFQs; does memory come back / does the DB catch up?
  mem.setPhase("drain");
  const drain: string[] = [];
  for (let s = 0; s < drainSeconds; s += 2) {
    await sleep(2_000);
    const last = mem.samples[mem.samples.length - 1]!;
    drain.push(`t+${s + 2}s rss ${f(last.rss, 0)} MB heap ${f(last.heap, 0)} MB rfq states ${engine.debug.rfqs.size} exposure ${engine.debug.exposure.size} rows behind ${counter("rfqs") - (await persistedRows())}`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const m = process.memoryUsage();
    drain.push(`after a full GC (--expose-gc): rss ${f(m.rss / 2 ** 20, 0)} MB heap used ${f(m.heapUsed / 2 ** 20, 0)} MB (total ${f(m.heapTotal / 2 ** 20, 0)}), external+buffers ${f((m.external + m.arrayBuffers) / 2 ** 20, 0)} MB, rfq states ${engine.debug.rfqs.size}`);
  }
  mem.stop();

  const cols = Object.keys(rows[0] ?? {});
  console.log(`\nengine-latency  seed ${seed}  db ${dbKind}${persist === "off" ? " (per-RFQ writes OFF — diagnostic)" : ""}  pinning: ${sim.pinned} (${writerPlacement})  node ${process.version}`);
  console.log("latency = PxSocket callback (price.ask.new) → offers POST headers written to the socket (ms); '→client' = handed to the HTTP client");
  console.log(table(cols.slice(0, 11), rows.map((r) => cols.slice(0, 11).map((c) => r[c]!))));
  console.log(table(["rate", ...cols.slice(11)], rows.map((r) => [r.rate!, ...cols.slice(11).map((c) => r[c]!)])));
  console.log("\npricer decisions per phase:");
  for (const d of declineRows) console.log("  " + d);
  for (const c of cpuRows) console.log("  " + c);
  const peak = Math.max(...mem.samples.map((x) => x.rss));
  console.log(`\nengine process before any RFQ: ${startMem}`);
  console.log(`RSS: start ${f(mem.samples[0]!.rss, 0)} MB, peak ${f(peak, 0)} MB, end ${f(mem.samples[mem.samples.length - 1]!.rss, 0)} MB; slope per phase (MB/min): ${rates.map((r) => `${r}/s rss ${f(mem.slope(`${r}/s`), 1)} heap ${f(mem.slope(`${r}/s`, "heap"), 1)}`).join("; ")}`);
  for (const d of drain) console.log("  drain " + d);
  const top = rows.find((r) => r.rate === "1000");
  if (top) {
    const p99 = Number(top["model p99"]);
    const ratio = Number(top["p99 ratio"]);
    console.log(`\ntarget at 1,000 RFQs/s: p99 ≤ 2 ms → ${f(p99)} ms ${p99 <= 2 ? "MET" : "MISSED"}; ≤ 5× do-nothing → ${f(ratio, 2)}× ${ratio <= 5 ? "MET" : "MISSED"}; RSS < 300 MB and flat → peak ${f(peak, 0)} MB ${peak < 300 ? "MET" : "MISSED"}`);
  }
  const persister = (engine.debug as unknown as { persister?: { timings: Map<string, { ms: number; rows: number; statements: number }>; counters: Record<string, number> } }).persister;
  if (persister) {
    console.log(`\npersistence (whole run): ${f(persister.counters.dbMs ?? 0, 0)} ms awaiting the DB in ${persister.counters.flushes} flushes, longest statement ${f(persister.counters.maxStatementMs ?? 0, 1)} ms`);
    for (const [k, t] of persister.timings) console.log(`  ${k.padEnd(22)} ${f(t.ms, 0).padStart(7)} ms  ${String(t.rows).padStart(8)} rows  ${String(t.statements).padStart(6)} statements  ${f((t.ms / Math.max(1, t.rows)) * 1000, 1)} µs/row`);
  }
  console.log(`wall ${((Date.now() - wall0) / 1000).toFixed(0)} s`);

  await nothing.stop();
  await engine.stop();
  await sim.stop();
  await testDb.drop();
  process.exit(0);
};

// The engine runs in this process, so the bench runs the way the engine process does (server/engine/
// bundle.ts): from an esbuild bundle under plain node with the engine's V8 flags (ENGINE_NODE_FLAGS="…"
// overrides them). `--in-process` skips that and runs right here (under tsx, with this node's flags).
if (!process.argv.includes("--in-process") && !process.env.ENGINE_LATENCY_BUNDLED) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const argv = await bundleEngine(root, fileURLToPath(import.meta.url), path.join(root, "data", "build", "engine-latency.mjs"));
  const flags = benchEngineFlags(argv);
  const gcFlag = process.execArgv.includes("--expose-gc") ? ["--expose-gc"] : [];
  const r = spawnSync(process.execPath, [...flags, ...gcFlag, argv[argv.length - 1]!, ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, ENGINE_LATENCY_BUNDLED: "1" } });
  process.exit(r.status ?? 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
