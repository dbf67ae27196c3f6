// Quoting quality against the simulator's truth: our model pricer vs the naive pricer, two engines
// in ONE simulator run (two SP accounts of the same market: both see every RFQ, the bettor fills
// from the best prices across them and the simulated rivals), so they face identical RFQs, books,
// bettors and results. (Two runs with the same seed would not be identical: the simulator's RFQ
// stream uses a runtime RNG.)
//
//   npx tsx bench/engine-quality.ts [--rfqs 10000] [--rate 80] [--seed 7] [--time-scale 10]
//                                   [--rivals auto|none] [--limits wide|default] [--naive-vig 150] [--no-pin]
// ("wide" = 10× the default event/line/team/creator/worst-case caps, so pricing rather than the caps
// decides what fills; "default" = production limits. Both engines always get the same settings.)
//
// The simulator runs in a child process at `--time-scale` (early events start during the run); after
// the last RFQ the simulated clock is advanced 6 h in 5-minute steps, so every listed event ends and
// every accepted order settles before the figures are taken. Printed per engine: RFQs quoted, fill rate, handle, expected margin of the accepted
// orders under the truth (joint probability of each parlay's legs from the truth API when we
// accepted it), realised P&L from the exchange's settlements (with its standard deviation under the
// truth, to judge luck), max exposure, decline/reject reasons; RSS of this process (both engines).
import { z } from "zod";
import { createTestDb } from "../server/test/db.ts";
import { silentLogger } from "../server/prophetx/rest.ts";
import { ProphetXClient } from "../server/prophetx/client.ts";
import { startEngine, type EngineHandle } from "../server/engine/engine.ts";
import { modelPricer, naivePricer, type ParlayPricer } from "../server/engine/parlay/pricer.ts";
import { DEFAULT_RISK_LIMITS } from "../lib/risk/index.ts";
import { startSimProcess, type SimProcess } from "./lib/sim-process.ts";
import { arg, argStr, f, histogram, loopDelay, memorySampler, sleep, table } from "./lib/measure.ts";

const N = arg("rfqs", 10_000);
const rate = arg("rate", 80);
const seed = arg("seed", 7);
const timeScale = arg("time-scale", 10);
const rivals = argStr("rivals", "auto") as "auto" | "none";
const limitsKind = argStr("limits", "wide");
const naiveVig = arg("naive-vig", 150);
const BALANCE = 1_000_000; // dollars per account

type Accepted = { parlayId: string; lines: string[]; truth: Promise<number> };
type Tracked = { label: string; pricer: ParlayPricer; engine?: EngineHandle; declines: string[]; rejects: string[]; accepted: Map<string, Accepted>; maxAccepted: number; maxWithInFlight: number; account: { accessKey: string; secretKey: string } };

const wrap = (t: Tracked, base: ParlayPricer, sim: SimProcess): ParlayPricer => ({
  name: base.name,
  quote: (i) => {
    const d = base.quote(i);
    if (d.kind === "decline") t.declines.push(d.reason === "internal_error" && d.detail ? d.detail : d.reason === "no_risk_capacity" ? `no_risk_capacity(${d.detail ?? ""})` : d.reason);
    return d;
  },
  confirm: (i) => {
    const d = base.confirm(i);
    if (!d.accept) t.rejects.push(d.reason);
    else if (!t.accepted.has(i.offer.parlayId)) {
      const lines = i.offer.legs.map((l) => l.lineId);
      t.accepted.set(i.offer.parlayId, { parlayId: i.offer.parlayId, lines, truth: sim.truth(lines).then((r) => r.joint) });
    }
    return d;
  },
});

const zOrders = z.object({ orders: z.array(z.record(z.string(), z.unknown())).nullish(), token: z.string().nullish() });
type ExOrder = { order_uuid: string; parlay_id: string; status: string; odds: number; confirmed_stake: number; liability: number; profit: number | null; market_lines: { line_id: string; sport_event_id: number }[] };
const exchangeOrders = async (baseUrl: string, acct: { accessKey: string; secretKey: string }): Promise<ExOrder[]> => {
  const c = new ProphetXClient({ baseUrl, ...acct, logger: silentLogger, rateLimit: 1_000_000 });
  c.start();
  const out: ExOrder[] = [];
  let token: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const d = await c.rest.request("GET", "/parlay/sp/orders", zOrders, { query: { limit: 100, relative: "1d", token } });
    out.push(...((d.orders ?? []) as unknown as ExOrder[]));
    if (!d.token || (d.orders ?? []).length === 0) break;
    token = d.token;
  }
  c.close();
  return out;
};

const main = async () => {
  const wall0 = Date.now();
  const naiveAcct = { accessKey: "bench-naive", secretKey: "bench-naive-secret" };
  const sim = await startSimProcess({ seed, timeScale, rivals: rivals === "none" ? "none" : "default", initialBalance: BALANCE, extraAccounts: [{ ...naiveAcct, balance: BALANCE }], healthCheckIntervalMs: 5_000 });
  const wide = limitsKind === "wide";
  const settings = wide
    ? { maxEventExposureCents: 30_000_000, maxTotalExposureCents: 200_000_000, risk: { maxLineExposureCents: 20_000_000, maxTeamExposureCents: 20_000_000, maxCreatorExposureCents: 10_000_000 } }
    : {};
  const tracked: Tracked[] = [
    { label: "model", pricer: modelPricer, declines: [], rejects: [], accepted: new Map(), maxAccepted: 0, maxWithInFlight: 0, account: sim.ready.accounts[0]! },
    { label: "naive", pricer: naivePricer(naiveVig), declines: [], rejects: [], accepted: new Map(), maxAccepted: 0, maxWithInFlight: 0, account: naiveAcct },
  ];
  const dbs = [];
  for (const t of tracked) {
    const db = await createTestDb("sqlite");
    dbs.push(db);
    t.engine = await startEngine({
      db: db.db,
      baseUrl: sim.ready.baseUrl,
      accessKey: t.account.accessKey,
      secretKey: t.account.secretKey,
      engineId: `quality-${t.label}`,
      logger: silentLogger,
      pricer: wrap(t, t.pricer, sim),
      cancelAllOnStop: false,
      supportedLinesIntervalMs: 1_000,
      restOptions: { rateLimit: 1_000_000 },
      settings,
    });
  }
  const engines = tracked.map((t) => t.engine!);
  const t0 = Date.now();
  while (!engines.every((e) => e.debug.balance() !== undefined && e.state.connection.sp === "connected" && e.state.connection.mm === "connected")) {
    if (Date.now() - t0 > 30_000) throw new Error("engines not ready");
    await sleep(100);
  }
  await sleep(2_500);

  const mem = memorySampler(500);
  const loop = loopDelay();
  const exposureTimer = setInterval(() => {
    for (const t of tracked) {
      const s = t.engine!.state;
      t.maxAccepted = Math.max(t.maxAccepted, s.exposureCents);
      t.maxWithInFlight = Math.max(t.maxWithInFlight, s.exposureCents + (s.counters.parlayInFlightCents ?? 0));
    }
  }, 250);
  mem.setPhase("rfqs");
  sim.gen({ rate, count: N, bettor: "auto", rivals, record: true });
  const genStart = Date.now();
  const progress = setInterval(() => process.stderr.write(`\r  rfqs ${engines[0]!.state.counters.rfqs}/${N}  ${((Date.now() - genStart) / 1000).toFixed(0)} s  `), 5_000);
  const gen = await sim.waitGenDone();
  clearInterval(progress);
  process.stderr.write("\n");
  const rfqSeconds = (Date.now() - genStart) / 1000;
  await sleep(5_000); // offer windows and confirmations finish
  mem.setPhase("settle");
  const simBefore = (await sim.stats()).world.simNowMs;
  await sim.advance(6 * 3_600_000, 5 * 60_000, 40); // every listed event ends within 6 simulated hours
  await sleep(3_000);
  for (const e of engines) await e.drain();
  clearInterval(exposureTimer);
  mem.stop();
  const simStats = await sim.stats();
  const loopMax = loop.read().maxMs;

  // ── accounting ──
  const rfqs = new Map((await sim.rfqs()).map((r) => [r.parlayId, r]));
  const rows: string[][] = [];
  const notes: string[] = [];
  const summary: Record<string, { realised: number; expected: number; margin: number }> = {};
  for (const t of tracked) {
    const e = t.engine!;
    const orders = await exchangeOrders(sim.ready.baseUrl, t.account);
    const filled = orders.filter((o) => o.status === "finalized" || o.status === "settled");
    const settled = filled.filter((o) => o.status === "settled");
    const filledParlays = new Set(filled.map((o) => o.parlay_id));
    let handle = 0, liab = 0, ev = 0, varSum = 0, realised = 0, missingTruth = 0, sgHandle = 0, sgEv = 0, sgRealised = 0;
    for (const o of filled) {
      const a = t.accepted.get(o.parlay_id);
      let p = a ? await a.truth : NaN;
      if (!Number.isFinite(p)) {
        missingTruth++;
        p = rfqs.get(o.parlay_id)?.joint ?? NaN;
      }
      const stake = o.confirmed_stake, l = o.liability;
      const oev = stake * (1 - p) - l * p;
      handle += stake;
      liab += l;
      ev += oev;
      varSum += (stake + l) ** 2 * p * (1 - p);
      if (o.status === "settled") realised += o.profit ?? 0;
      const events = new Set(o.market_lines.map((m) => m.sport_event_id));
      if (events.size < o.market_lines.length) {
        sgHandle += stake;
        sgEv += oev;
        if (o.status === "settled") sgRealised += o.profit ?? 0;
      }
    }
    const quoted = e.state.counters.quotes ?? 0;
    const sd = Math.sqrt(varSum);
    summary[t.label] = { realised, expected: ev, margin: handle > 0 ? ev / handle : NaN };
    rows.push([
      t.label,
      String(e.state.counters.rfqs),
      String(quoted),
      String(filledParlays.size),
      f((100 * filledParlays.size) / Math.max(1, quoted), 1) + "%",
      String(filled.length),
      f(handle, 0),
      f(liab, 0),
      f((100 * ev) / Math.max(1, handle), 2) + "%",
      f(ev, 0),
      f(realised, 0),
      f(sd, 0),
      f(realised / Math.max(1, handle) * 100, 2) + "%",
      `${settled.length}/${filled.length}`,
      f(t.maxAccepted / 100, 0),
      f(t.maxWithInFlight / 100, 0),
      f(sgHandle, 0),
      f(sgHandle > 0 ? (100 * sgEv) / sgHandle : NaN, 2) + "%",
      f(sgRealised, 0),
    ]);
    const engPnl = e.state.realisedPnlCents / 100;
    notes.push(`${t.label}: engine's own realised P&L ${f(engPnl, 2)} vs exchange ${f(realised, 2)}; truth missing at accept for ${missingTruth} orders (creation-time truth used); exchange orders ${histogram(orders.map((o) => o.status)).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    notes.push(`${t.label} declines: ${histogram(t.declines).map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`);
    notes.push(`${t.label} confirmation rejects: ${histogram(t.rejects).map(([k, n]) => `${k} ${n}`).join(", ") || "none"} (accepts ${e.state.counters.accepts}, confirms ${e.state.counters.confirms}, deadline missed ${e.state.counters.confirmDeadlineMissed}); offers POSTed ${e.state.counters.quotes}, failed ${e.state.counters.offerFailures}; socket messages ${e.state.counters.socketMessages}, queue max ${e.state.counters.queueMaxDepth}`);
  }

  console.log(`\nengine-quality  seed ${seed}  rfqs ${gen.made} (failed ${gen.failed}) at ${rate}/s in ${f(rfqSeconds, 0)} s  time scale ${timeScale}  rivals ${rivals}  limits ${wide ? "wide" : "default"}  naive vig ${naiveVig} bps/leg  pinning: ${sim.pinned}`);
  console.log(`simulator: MM messages ${simStats.market.mmMessages}, LP requotes ${simStats.market.lpRequotes}, event-loop max ${f(simStats.loop.maxMs, 0)} ms; engine process event-loop max ${f(loopMax, 0)} ms`);
  console.log(`settlement: simulated clock advanced ${f((simStats.world.simNowMs - simBefore) / 3_600_000, 1)} h after the last RFQ; simulator parlays ${JSON.stringify(simStats.parlays)}`);
  console.log(table(["engine", "rfqs", "quoted", "filled parlays", "fill rate", "orders", "handle $", "liability $", "E[margin] truth", "E[P&L] $", "realised $", "sd(P&L) $", "realised margin", "settled", "max exp $", "max exp+inflight $", "same-game handle $", "SG E[margin]", "SG realised $"], rows));
  for (const n of notes) console.log("  " + n);
  const peak = Math.max(...mem.samples.map((s) => s.rss));
  console.log(`RSS of this process (both engines): start ${f(mem.samples[0]!.rss, 0)} MB, peak ${f(peak, 0)} MB, end ${f(mem.samples[mem.samples.length - 1]!.rss, 0)} MB; simulator child ${f(simStats.rssMb, 0)} MB`);
  const m = summary.model!, nv = summary.naive!;
  console.log(`\ntargets: model expected margin under truth > 0 → ${f(m.margin * 100, 2)}% ${m.margin > 0 ? "MET" : "MISSED"}; realised P&L > 0 → $${f(m.realised, 0)} ${m.realised > 0 ? "MET" : "MISSED"}; model P&L > naive P&L → realised $${f(m.realised, 0)} vs $${f(nv.realised, 0)} ${m.realised > nv.realised ? "MET" : "MISSED"}, expected $${f(m.expected, 0)} vs $${f(nv.expected, 0)} ${m.expected > nv.expected ? "MET" : "MISSED"}`);
  console.log(`wall ${((Date.now() - wall0) / 1000).toFixed(0)} s`);
  for (const e of engines) await e.stop();
  await sim.stop();
  for (const d of dbs) await d.drop();
  process.exit(0);
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
