// Crash safety of the parlay engine (issue 5: "a crash and restart mid-flow loses no order and
// double-counts nothing"). The engine runs as a real child process (`server/engine/main.ts` under
// tsx) against an in-process simulator and a fresh migrated DB, and is SIGKILLed (no stop(), no
// lease release, no final flush) at nasty moments:
//   A. right after the exchange records our accept, before `order.finalized` is processed
//      (the message is dropped, so only GET parlay/sp/orders can tell the next engine);
//   B. while several accepts are in flight (written ahead, held at the exchange by REST latency);
//   C. after the engine realised P&L of a settled order (and with another order settled while no
//      engine runs).
// After every restart on the same DB (the successor, standby until the dead engine's lease expires —
// main.ts ENGINE_LEASE_TTL_MS keeps that short — then takes it over) the
// DB, the engine's status (EngineLease.statusJson) and the exchange must agree: every order the
// exchange has for our account exists once in ParlayOrder with its status and liability, exposure =
// Σ liabilities of open orders, realised P&L = the exchange's P&L = our balance delta.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { ProphetXClient } from "../prophetx/client.ts";
import { silentLogger } from "../prophetx/rest.ts";
import type { PxSpOrder } from "../prophetx/schemas.ts";
import { startSimulator, type SimulatorHandle } from "../simulator/index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LEASE_TTL_MS = 4_000;
const OPEN = ["accepted", "finalized", "matched"];
const WINNER = new Set([219, 251, 406, 1]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Generous: simulator, engine processes and a database share a 2-core machine.
const until = async (cond: () => boolean | Promise<boolean>, label: string | (() => string | Promise<string>), timeoutMs = 45_000, pollMs = 25) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof label === "function" ? await label() : label}`);
    await sleep(pollMs);
  }
};
const cents = (dollars: unknown) => Math.round((typeof dollars === "number" ? dollars : 0) * 100);

type Engine = { id: string; child: ChildProcess; log: string[]; exited: Promise<number | null> };
type Status = { engineId?: string; role?: string; connection?: { mm?: string; sp?: string }; quotingPaused?: boolean; exposureCents?: number; realisedPnlCents?: number; counters?: Record<string, number>; updatedAt?: string };

describe.each(testProviders())("engine crash and restart (%s)", (provider) => {
  let sim: SimulatorHandle;
  let tdb: TestDb;
  let px: ProphetXClient;
  const engines: Engine[] = [];
  let initialBalanceCents = 0;

  const spawnEngine = (id: string): Engine => {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server/engine/main.ts"], {
      cwd: ROOT,
      // Own process group: tsx runs the script in a child of its own, and SIGKILL must reach both.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: tdb.url,
        PROPHETX_BASE_URL: sim.baseUrl,
        PROPHETX_ACCESS_KEY: sim.credentials.accessKey,
        PROPHETX_SECRET_KEY: sim.credentials.secretKey,
        PROPHETX_TOURNAMENTS: "",
        ENGINE_ID: id,
        ENGINE_LEASE_TTL_MS: String(LEASE_TTL_MS),
        ENGINE_LEASE_RENEW_MS: "400",
        ENGINE_CANCEL_ON_STOP: "0",
      },
    });
    const log: string[] = [];
    const keep = (b: Buffer) => {
      log.push(...b.toString("utf8").split("\n").filter(Boolean));
      if (log.length > 200) log.splice(0, log.length - 200);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const e = { id, child, log, exited };
    engines.push(e);
    return e;
  };
  const groupAlive = (pid: number) => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** SIGKILL the engine's whole process group, wait until nothing of it is left; → its lease's expiry. */
  const crash = async (e: Engine): Promise<Date> => {
    process.kill(-e.child.pid!, "SIGKILL");
    await e.exited;
    await until(() => !groupAlive(e.child.pid!), `engine ${e.id} processes gone`, 10_000);
    const lease = await tdb.db.engineLease.findUnique({ where: { name: "engine" } });
    expect(lease?.holderId, "the dead engine still holds the lease (nothing released it)").toBe(e.id);
    return lease!.expiresAt;
  };
  /** The successor took the lease only once the dead engine's had expired (standby until then). */
  const expectTakeover = async (e: Engine, deadExpiresAt: Date) => {
    const lease = await tdb.db.engineLease.findUnique({ where: { name: "engine" } });
    expect(lease?.holderId).toBe(e.id);
    expect(lease!.acquiredAt.getTime()).toBeGreaterThanOrEqual(deadExpiresAt.getTime());
  };

  const status = async (): Promise<Status> => {
    const row = await tdb.db.engineLease.findUnique({ where: { name: "engine" } });
    return row ? (JSON.parse(row.statusJson) as Status) : {};
  };
  const waitReady = async (e: Engine) =>
    until(
      async () => {
        if (e.child.exitCode !== null) throw new Error(`engine ${e.id} exited (${e.child.exitCode}):\n${e.log.join("\n")}`);
        const s = await status();
        return s.engineId === e.id && s.role === "holder" && s.connection?.sp === "connected" && s.connection?.mm === "connected" && (s.counters?.balancePolls ?? 0) > 0 && (s.counters?.reconciles ?? 0) > 0 && s.quotingPaused === false;
      },
      async () => `engine ${e.id} ready (status ${JSON.stringify(await status()).slice(0, 400)})\n${e.log.slice(-20).join("\n")}`,
    );

  // ── the three views: exchange, DB, engine status ──
  const snapshot = async () => {
    const ex = await px.getSpOrders({ relative: "24h" });
    const rows = await tdb.db.parlayOrder.findMany();
    return { ex, rows, st: await status(), balanceCents: await px.getBalanceCents() };
  };
  type Snap = Awaited<ReturnType<typeof snapshot>>;
  const problems = ({ ex, rows, st }: Snap, engineId: string): string[] => {
    const out: string[] = [];
    const exById = new Map<string, PxSpOrder>(ex.map((o) => [o.order_uuid, o]));
    if (exById.size !== ex.length) out.push("exchange lists an order twice");
    for (const o of ex) {
      const r = rows.filter((x) => x.orderUuid === o.order_uuid);
      if (o.status === "sent_confirmation") out.push(`order ${o.order_uuid} still awaiting confirmation`);
      else if (o.status === "finalized" || o.status === "settled") {
        if (r.length !== 1) {
          out.push(`exchange ${o.status} order ${o.order_uuid} has ${r.length} ParlayOrder rows`);
          continue;
        }
        const row = r[0]!;
        if (row.status !== o.status) out.push(`order ${o.order_uuid}: DB ${row.status}, exchange ${o.status}`);
        if (row.parlayId !== (o.p_id ?? o.parlay_id)) out.push(`order ${o.order_uuid}: parlay ${row.parlayId} ≠ ${o.p_id ?? o.parlay_id}`);
        if (row.riskCents !== cents(o.liability)) out.push(`order ${o.order_uuid}: DB risk ${row.riskCents}, exchange liability ${cents(o.liability)}`);
        if (o.status === "settled" && row.profitCents !== cents(o.profit)) out.push(`order ${o.order_uuid}: DB profit ${row.profitCents}, exchange ${cents(o.profit)}`);
      } else if (r.some((x) => OPEN.includes(x.status))) out.push(`exchange ${o.status} order ${o.order_uuid} is still ${r[0]!.status} in the DB (exposure never released)`);
    }
    for (const r of rows) if (!exById.has(r.orderUuid)) out.push(`ParlayOrder ${r.orderUuid} (${r.status}) unknown to the exchange`);
    const exOpen = ex.filter((o) => o.status === "finalized").reduce((s, o) => s + cents(o.liability), 0);
    const dbOpen = rows.filter((r) => OPEN.includes(r.status)).reduce((s, r) => s + r.riskCents, 0);
    const exPnl = ex.filter((o) => o.status === "settled").reduce((s, o) => s + cents(o.profit), 0);
    const dbPnl = rows.filter((r) => r.status === "settled").reduce((s, r) => s + (r.profitCents ?? 0), 0);
    if (dbOpen !== exOpen) out.push(`DB open risk ${dbOpen} ≠ exchange open liability ${exOpen}`);
    if (dbPnl !== exPnl) out.push(`DB realised ${dbPnl} ≠ exchange P&L ${exPnl}`);
    if (st.engineId !== engineId || st.role !== "holder") out.push(`status is from ${st.engineId} (${st.role}), not ${engineId}`);
    if (st.exposureCents !== exOpen) out.push(`engine exposure ${st.exposureCents} ≠ Σ open liabilities ${exOpen}`);
    if (st.realisedPnlCents !== exPnl) out.push(`engine realised P&L ${st.realisedPnlCents} ≠ exchange P&L ${exPnl}`);
    return out;
  };
  /** Waits until exchange, DB and engine agree; then re-checks on a status written afterwards (no stale pass). */
  const expectConsistent = async (e: Engine, label: string): Promise<Snap> => {
    let last: string[] = [];
    await until(
      async () => {
        if (e.child.exitCode !== null) throw new Error(`engine ${e.id} exited:\n${e.log.join("\n")}`);
        last = problems(await snapshot(), e.id);
        return last.length === 0;
      },
      () => `${label}: exchange, DB and engine to agree; still:\n  ${last.join("\n  ")}\n${e.log.slice(-15).join("\n")}`,
    );
    // A status computed after the DB agreed reflects every handler that wrote it (no stale pass).
    const t = Date.now();
    await until(async () => Date.parse((await status()).updatedAt ?? "") > t, `${label}: a fresh engine status`);
    const snap = await snapshot();
    expect(problems(snap, e.id), label).toEqual([]);
    return snap;
  };

  // ── parlays ──
  type Pair = { legs: string[]; events: number[] };
  let pairs: Pair[] = [];
  const ours = (parlayId: string) => (sim.control.parlay(parlayId)?.orders ?? []).filter((o) => o.sp_id === sim.credentials.partnerId);
  const trigger = (p: Pair) => sim.control.triggerRfq({ legs: p.legs, stake: 20, rivals: "none", bettor: "accept-all" }).parlayId;

  beforeAll(async () => {
    // A 6 s confirmation deadline at the exchange leaves room for held-back confirmations (crash B).
    // A 4 s offer window: a freshly started engine process on a loaded 2-core machine still answers in time.
    // A still market: no pre-match model drift, no takers, liquidity providers requoting at the same price.
    // Crash B holds confirmations ~6.5 s after the offer; a requote's pricing noise or a model drift in that
    // window moved a parlay's fair price by over 5 % about half the time, and the engine rightly rejected
    // it ("price_drift"): that is not what this test is about (lib/risk covers it).
    sim = await startSimulator({ seed: 23, port: 0, rfqPerSecond: 0, healthCheckIntervalMs: 500, confirmDeadlineMs: 6_000, offerWindowMs: 4_000, takers: false, lpNoiseSd: 0, world: { driftBucketMs: 1e12 } });
    tdb = await createTestDb(provider);
    px = new ProphetXClient({ baseUrl: sim.baseUrl, accessKey: sim.credentials.accessKey, secretKey: sim.credentials.secretKey, logger: silentLogger });
    initialBalanceCents = await px.getBalanceCents();
    // Two-leg parlays on winner lines of distinct, not-started events (each pair settles on its own).
    const evs = sim.control
      .events()
      .filter((e) => e.status === "not_started")
      .map((e) => ({ id: e.event_id, line: e.lines.find((l) => WINNER.has(l.market_id))! }))
      .filter((e) => e.line);
    pairs = [];
    for (let i = 0; i + 1 < evs.length && pairs.length < 6; i += 2) pairs.push({ legs: [evs[i]!.line.line_id, evs[i + 1]!.line.line_id], events: [evs[i]!.id, evs[i + 1]!.id] });
    expect(pairs.length).toBe(6);
  }, 60_000);
  afterAll(async () => {
    for (const e of engines) if (e.child.exitCode === null && e.child.signalCode === null && groupAlive(e.child.pid!)) process.kill(-e.child.pid!, "SIGKILL");
    await Promise.all(engines.map((e) => e.exited));
    px?.close();
    await sim?.close();
    await tdb?.drop();
  });

  it("SIGKILL mid-flow loses no order and double-counts nothing", async () => {
    const [p1, pA, ...pB] = pairs as [Pair, Pair, ...Pair[]];

    // ── engine 1: one ordinary order (finalized and processed) ──
    const e1 = spawnEngine("crash-1");
    await waitReady(e1);
    const id1 = trigger(p1);
    const v1 = await sim.control.waitForParlay(id1, 20_000);
    const decisions1 = JSON.stringify(await tdb.db.parlayConfirmation.findMany({ where: { parlayId: id1 }, select: { decision: true, reason: true, latencyMicros: true } }));
    expect(v1.orders.filter((o) => o.sp_id === sim.credentials.partnerId && o.status === "finalized").length, `engine 1 quoted and accepted (outcome ${v1.outcome}; exchange ${JSON.stringify(v1.orders.map((o) => o.status))}; decisions ${decisions1}; log:\n${e1.log.slice(-15).join("\n")})`).toBeGreaterThan(0);
    await expectConsistent(e1, "engine 1, before any crash");

    // ── crash A: the exchange has recorded our accept; order.finalized never reaches the engine ──
    const drop = sim.faults.addMessageRule({ event: "order.finalized", action: "drop", count: Infinity });
    const idA = trigger(pA);
    await until(() => ours(idA).some((o) => o.status === "finalized"), "exchange records our accept of A", 45_000, 2);
    const expires1 = await crash(e1);
    sim.faults.removeMessageRule(drop);
    // The accept was written ahead: the row exists, still "accepted" (finalize was never processed).
    const rowA = await tdb.db.parlayOrder.findMany({ where: { parlayId: idA } });
    expect(rowA.map((r) => r.status)).toEqual(["accepted"]);

    // ── engine 2 takes over once the dead lease expires, recovers A from GET parlay/sp/orders ──
    const e2 = spawnEngine("crash-2"); // usually boots while the dead lease is still valid: standby first
    await waitReady(e2);
    await expectTakeover(e2, expires1);
    await expectConsistent(e2, "engine 2 after crash A");
    // P1 settles while engine 2 runs (order.settled over the socket): realised P&L once.
    for (const ev of p1.events) sim.control.settleEvent(ev);
    await until(() => ours(id1).every((o) => o.status === "settled"), "P1 settled at the exchange");
    await expectConsistent(e2, "engine 2 after P1 settled");

    // ── crash B: some orders just finalized, several accepts in flight ──
    // Two of the four price.confirm.new are held back 2.5 s; the others are accepted at once. Then the
    // exchange holds every confirmation POST 2 s, so the late two are written ahead (DB "accepted") and
    // on the wire when the engine dies: the exchange never takes them (the orders fail at its deadline).
    const hold = sim.faults.addMessageRule({ event: "price.confirm.new", action: "delay", delayMs: 2_500, count: 2 });
    const idsB = pB.map(trigger);
    const exB = () => idsB.flatMap(ours);
    await until(() => exB().length >= idsB.length && exB().filter((o) => o.status !== "sent_confirmation").length >= 2, () => `the undelayed B confirmations answered (${JSON.stringify(exB().map((o) => o.status))})`, 45_000, 5);
    sim.faults.setHttpLatency(2_000, "/parlay/sp/orders/confirmations");
    const heldIds = idsB.filter((id) => ours(id).some((o) => o.status === "sent_confirmation"));
    const finalizedBefore = exB().filter((o) => o.status === "finalized").length;
    await until(
      async () => (await tdb.db.parlayOrder.count({ where: { parlayId: { in: heldIds }, status: "accepted" } })) >= 2,
      async () =>
        `engine 2 writes ahead the held accepts (rows ${JSON.stringify(await tdb.db.parlayOrder.findMany({ where: { parlayId: { in: idsB } }, select: { parlayId: true, status: true } }))}; exchange ${JSON.stringify(exB().map((o) => o.status))}; decisions ${JSON.stringify(await tdb.db.parlayConfirmation.findMany({ where: { parlayId: { in: idsB } }, select: { parlayId: true, decision: true, reason: true, latencyMicros: true } }))})`,
      45_000,
      5,
    );
    const inFlight = exB().filter((o) => o.status === "sent_confirmation").length;
    const expires2 = await crash(e2);
    sim.faults.setHttpLatency(0);
    sim.faults.removeMessageRule(hold);
    expect(finalizedBefore, "B orders finalized before the crash").toBeGreaterThanOrEqual(1);
    expect(inFlight, "confirmations in flight at the crash").toBeGreaterThanOrEqual(2);
    const viewsB = await Promise.all(idsB.map((id) => sim.control.waitForParlay(id, 20_000)));
    // A settles while no engine runs: only GET parlay/sp/orders can tell the next one.
    for (const ev of pA.events) sim.control.settleEvent(ev);
    await until(() => ours(idA).every((o) => o.status === "settled"), "A settled at the exchange");

    // ── engine 3: P1 (settled and counted before the crash) must not be counted again ──
    const e3 = spawnEngine("crash-3");
    await waitReady(e3);
    await expectTakeover(e3, expires2);
    const s3 = await expectConsistent(e3, "engine 3 after crash B");
    const finalizedB = viewsB.flatMap((v) => v.orders.filter((o) => o.sp_id === sim.credentials.partnerId && o.status === "finalized"));
    expect(s3.st.exposureCents).toBe(s3.ex.filter((o) => o.status === "finalized").reduce((s, o) => s + cents(o.liability), 0));

    // ── everything settles: realised P&L = the exchange's P&L = our balance delta, exposure 0 ──
    for (const p of pB) for (const ev of p.events) sim.control.settleEvent(ev);
    await until(() => idsB.every((id) => ours(id).every((o) => o.status !== "finalized")), "B settled at the exchange");
    const end = await expectConsistent(e3, "engine 3 after everything settled");
    const exPnl = end.ex.filter((o) => o.status === "settled").reduce((s, o) => s + cents(o.profit), 0);
    expect(end.st.exposureCents).toBe(0);
    expect(end.st.realisedPnlCents).toBe(exPnl);
    expect(end.balanceCents - initialBalanceCents).toBe(exPnl);
    expect(end.ex.filter((o) => o.status === "settled").length).toBe(2 + finalizedB.length);
    // One accept decision per order, never two.
    const accepts = await tdb.db.parlayConfirmation.findMany({ where: { decision: "accept" } });
    expect(new Set(accepts.map((c) => c.orderUuid)).size).toBe(accepts.length);
  }, 150_000);
});
