// The parlay flow against the real simulator (real HTTP + Pusher sockets) and a real migrated DB:
// offers, declines, limits under concurrent confirmations, price_probability, settlement, reconcile
// with GET parlay/sp/orders, and a restart mid-flow that loses no order and double-counts nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../test/db.ts";
import { silentLogger } from "../prophetx/rest.ts";
import { startSimulator, type SimulatorHandle } from "../simulator/index.ts";
import { startEngine, type EngineHandle } from "./engine.ts";

// Generous: the simulator, the engine and a database share a 2-core machine with the rest of the suite.
const until = async (cond: () => boolean | Promise<boolean>, label: string | (() => string), timeoutMs = 45_000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof label === "function" ? label() : label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

let sim: SimulatorHandle;
let tdb: TestDb;
let engine: EngineHandle;
const boot = (engineId: string) =>
  startEngine({
    db: tdb.db,
    baseUrl: sim.baseUrl,
    accessKey: sim.credentials.accessKey,
    secretKey: sim.credentials.secretKey,
    engineId,
    logger: silentLogger,
    leaseTtlMs: 1_500,
    leaseRenewMs: 200,
    commandPollMs: 50,
    balancePollMs: 300,
    supportedLinesIntervalMs: 500,
    spOrdersReconcileMs: 2_000,
    cancelAllOnStop: false,
    restOptions: { backoffBaseMs: 5, backoffMaxMs: 50 },
  });

type Line = { line_id: string; market_id: number; outcome_id: number; line: number | null };
const WINNER = new Set([219, 251, 406, 1]);
const winnerLines = () =>
  sim.control
    .events()
    .filter((e) => e.status === "not_started")
    .map((e) => ({ eventId: e.event_id, tournamentId: e.tournament_id, lines: e.lines.filter((l: Line) => WINNER.has(l.market_id)) }));
// "Connected" is not enough: RFQs are broadcast, so the SP channels must be subscribed (healthy) first.
const ready = (e: EngineHandle) =>
  e.isHolder() && e.state.connection.sp === "connected" && e.debug.sockets().sp?.healthy === true && e.debug.balance() !== undefined && e.debug.book.lines.size > 100;
const command = async (type: string, payload: Record<string, unknown>) => {
  const id = engine.enqueueCommand(type, payload);
  await until(async () => ["done", "failed"].includes((await tdb.db.engineCommand.findUnique({ where: { id } }))?.status ?? ""), `command ${type}`);
  return tdb.db.engineCommand.findUnique({ where: { id } });
};

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, port: 0, rfqPerSecond: 0, healthCheckIntervalMs: 250 });
  tdb = await createTestDb("sqlite");
  engine = await boot("P1");
  await until(() => ready(engine), "engine connected, seeded, balance known");
}, 120_000);
afterAll(async () => {
  await engine?.stop();
  await sim?.close();
  await tdb?.drop();
});

describe("parlay quoting engine against the simulator", () => {
  it("sends valid, timely offers (American odds, max_risk in dollars, estimated_price per leg, ordered tiers) and persists every tier with its model inputs", async () => {
    const evs = winnerLines();
    const legs = [evs[0]!.lines[0]!.line_id, evs[1]!.lines[0]!.line_id];
    const { parlayId } = sim.control.triggerRfq({ legs, stake: 50, rivals: "none", bettor: "decline" });
    await until(() => engine.debug.rfqs.get(parlayId)?.status === "quoted", () => `quoted (engine has ${JSON.stringify(engine.debug.rfqs.get(parlayId)?.status)}, counters ${JSON.stringify({ declines: engine.state.counters.declines })})`);
    const view = await sim.control.waitForParlay(parlayId, 15_000);
    const ours = view.offers.filter((o) => o.sp_id !== undefined);
    expect(ours.length).toBe(1); // accepted by the exchange (an invalid valid_until/odds would be a 400)
    const tiers = ours[0]!.tiers;
    for (const t of tiers) {
      expect(Number.isInteger(t.odds) && Math.abs(t.odds) >= 100).toBe(true);
      expect(Math.round(t.max_risk * 100)).toBe(t.max_risk * 100);
    }
    for (let i = 1; i < tiers.length; i++) expect(tiers[i]!.odds).toBeLessThan(tiers[i - 1]!.odds);
    expect(engine.state.counters.offerFailures).toBe(0);
    await engine.drain();
    const rows = await tdb.db.parlayQuote.findMany({ where: { parlayId }, orderBy: { tier: "asc" } });
    expect(rows.length).toBe(tiers.length);
    for (const r of rows) {
      expect(BigInt(r.validUntilNs)).toBeGreaterThanOrEqual(BigInt(r.sentAt.getTime() + 5_000) * 1_000_000n);
      const inputs = JSON.parse(r.modelInputsJson);
      expect(inputs.pricer).toBe("model");
      expect(inputs.legs.map((l: { lineId: string }) => l.lineId)).toEqual(legs);
      expect(inputs.marginBps).toBeGreaterThan(0);
    }
    const st = engine.debug.rfqs.get(parlayId)!;
    expect(st.offered?.tiers.length).toBe(tiers.length);
    expect(st.quote?.kind === "quote" && st.quote.legs.every((l) => Number.isInteger(l.estimatedOdds))).toBe(true);
  });

  it("declines forbidden combinations, started events and stale books (settings change audited)", async () => {
    const evs = winnerLines();
    const e0 = evs[2]!;
    const both = e0.lines.filter((l: Line) => l.outcome_id === 4 || l.outcome_id === 5 || l.outcome_id === 1 || l.outcome_id === 3).slice(0, 2).map((l: Line) => l.line_id);
    const opp = sim.control.triggerRfq({ legs: [...both, evs[3]!.lines[0]!.line_id], stake: 20, rivals: "none", bettor: "decline" });
    await until(() => engine.debug.rfqs.get(opp.parlayId)?.status === "declined", "declined opposite sides");
    expect(engine.debug.rfqs.get(opp.parlayId)!.quote).toMatchObject({ kind: "decline", reason: "opposite_sides" });

    const started = evs[evs.length - 1]!;
    sim.control.startEvent(started.eventId);
    await until(() => engine.debug.ref.events.get(started.eventId)?.status === "live", "event live in the engine");
    const s = sim.control.triggerRfq({ legs: [started.lines[0]!.line_id, evs[0]!.lines[0]!.line_id], stake: 20, rivals: "none", bettor: "decline" });
    await until(() => engine.debug.rfqs.get(s.parlayId)?.status === "declined", "declined started event");
    expect((engine.debug.rfqs.get(s.parlayId)!.quote as { reason: string }).reason).toBe("event_started");
    const c = await command("update_settings", { key: "engine", value: { bookStaleMs: 1 } });
    expect(c?.status).toBe("done");
    const stale = sim.control.triggerRfq({ legs: [evs[0]!.lines[0]!.line_id, evs[1]!.lines[0]!.line_id], stake: 20, rivals: "none", bettor: "decline" });
    await until(() => engine.debug.rfqs.get(stale.parlayId)?.status === "declined", "declined stale");
    expect((engine.debug.rfqs.get(stale.parlayId)!.quote as { reason: string }).reason).toBe("stale_book");
    expect((await command("update_settings", { key: "engine", value: { bookStaleMs: 60_000 } }))?.status).toBe("done");
    await engine.drain();
    expect(await tdb.db.auditLog.count({ where: { action: "settings_changed" } })).toBeGreaterThanOrEqual(2);
    expect(JSON.parse((await tdb.db.setting.findUnique({ where: { key: "engine" } }))!.valueJson).bookStaleMs).toBe(60_000);
  });

  it("declines an RFQ that waited too long in its own event queue without pricing it, and records why", async () => {
    const evs = winnerLines();
    const legs = [evs[0]!.lines[0]!, evs[1]!.lines[0]!];
    const parlayId = "par_stale_queue_1";
    const pricedBefore = engine.state.counters.quotes ?? 0;
    const staleBefore = engine.state.counters.rfqsStale ?? 0;
    // The event as the SP socket hands it to the queue, received 5 s ago (a backlog behind it).
    const receivedAtMs = Date.now() - 5_000;
    const payload = {
      parlay_id: parlayId,
      stake: 20,
      callback_url: `${sim.baseUrl}/partner/parlay/sp/offers`,
      market_lines: legs.map((l, i) => ({ line_id: l.line_id, market_id: l.market_id, outcome_id: l.outcome_id, sport_event_id: evs[i]!.eventId, line: l.line })),
    };
    const m = { product: "sp", channel: "private-test", channelKind: "private", event: "price.ask.new", receivedAtMs, timestampNs: undefined, changeType: undefined, op: undefined, payload };
    expect(engine.debug.queue.offer({ type: "socket_message", receivedAtMs, m, hr: performance.now() - 5_000 } as never)).not.toBe("rejected");
    await until(() => engine.debug.rfqs.get(parlayId)?.status === "declined", "stale RFQ declined");
    expect(engine.debug.rfqs.get(parlayId)!.quote).toMatchObject({ kind: "decline", reason: "stale" });
    expect(engine.state.counters.rfqsStale).toBe(staleBefore + 1);
    expect(engine.state.counters.quotes ?? 0).toBe(pricedBefore);
    await engine.drain();
    const row = await tdb.db.parlayRequest.findUnique({ where: { parlayId } });
    expect(row).toMatchObject({ status: "declined" });
    expect(row!.declineReason).toMatch(/^stale: waited \d+ ms in the engine queue$/);
  });

  it("keeps the per-sport event cap under concurrent confirmations, accepts with price_probability, settles and reconciles", async () => {
    const evs = winnerLines();
    const target = evs[0]!;
    const sportId = [...engine.debug.ref.tournaments.values()].find((t) => t.id === target.tournamentId)!.sportId;
    const capCents = 30_000;
    const r = await command("update_settings", { key: `sport.${sportId}`, value: { maxEventExposureCents: capCents, marginBps: 200 } });
    expect(r?.status).toBe("done");
    // The desk reads exactly this row back.
    expect(JSON.parse((await tdb.db.setting.findUnique({ where: { key: `sport.${sportId}` } }))!.valueJson)).toEqual({ maxEventExposureCents: capCents, marginBps: 200 });
    const others = evs.slice(1, 6);
    const ids = others.map((o) => sim.control.triggerRfq({ legs: [target.lines[0]!.line_id, o.lines[0]!.line_id], stake: 60, rivals: "none", bettor: "accept-all" }).parlayId);
    const views = await Promise.all(ids.map((id) => sim.control.waitForParlay(id, 20_000)));
    await until(() => (engine.state.counters.confirms ?? 0) >= views.reduce((s, v) => s + v.orders.length, 0), "confirmations answered");
    await engine.drain();
    const accepted = views.flatMap((v) => v.orders.filter((o) => o.status === "finalized"));
    expect(accepted.length).toBeGreaterThan(0);
    const onEvent = engine.debug.exposure.byEvent.get(String(target.eventId)) ?? 0;
    expect(onEvent).toBeLessThanOrEqual(capCents);
    const liab = accepted.reduce((s, o) => s + Math.round(o.confirmed_stake * 100 * (o.odds > 0 ? o.odds / 100 : 100 / -o.odds)), 0);
    expect(liab).toBeLessThanOrEqual(capCents + accepted.length);
    const cnf = await tdb.db.parlayConfirmation.findMany({ where: { decision: "accept" } });
    expect(cnf.length).toBe(accepted.length);
    for (const c of cnf) {
      const pp = JSON.parse(c.priceProbabilityJson);
      expect(pp[0].lines.length).toBe(2);
      expect(pp[0].lines.every((l: { probability: number }) => l.probability > 0 && l.probability < 1)).toBe(true);
    }
    // Exposure = Σ open orders' liabilities (DB and engine agree).
    await until(async () => (await tdb.db.parlayOrder.count({ where: { status: "finalized" } })) === accepted.length, "orders finalized in DB");
    const open = await tdb.db.parlayOrder.findMany({ where: { status: { in: ["accepted", "finalized"] } } });
    expect(engine.state.exposureCents).toBe(open.reduce((s, o) => s + o.riskCents, 0));

    // Restart mid-flow: stop, start a new engine on the same DB: nothing lost, nothing double-counted.
    await engine.stop();
    engine = await boot("P2");
    await until(() => ready(engine), "restarted engine ready");
    expect(engine.state.exposureCents).toBe(open.reduce((s, o) => s + o.riskCents, 0));

    // Settle every event of the accepted parlays: realised P&L and ParlayOrder rows follow.
    const evIds = new Set(views.filter((v) => v.orders.some((o) => o.status === "finalized")).flatMap((v) => v.legs.map((l) => l.sport_event_id)));
    for (const id of evIds) sim.control.settleEvent(id);
    await until(async () => (await tdb.db.parlayOrder.count({ where: { status: "settled" } })) === accepted.length, "orders settled", 30_000);
    await engine.drain();
    const settled = await tdb.db.parlayOrder.findMany({ where: { status: "settled" } });
    expect(engine.state.realisedPnlCents).toBe(settled.reduce((s, o) => s + (o.profitCents ?? 0), 0));
    expect(engine.state.exposureCents).toBe(0);
    // Reconcile: the exchange's GET parlay/sp/orders agrees with the DB.
    const ex = (await engine.client.getSpOrders({ relative: "24h" })).filter((o) => o.status === "settled");
    expect(new Set(ex.map((o) => o.order_uuid))).toEqual(new Set(settled.map((o) => o.orderUuid)));
    for (const o of ex) expect(settled.find((s) => s.orderUuid === o.order_uuid)!.profitCents).toBe(Math.round((o.profit ?? 0) * 100));
  }, 180_000);
});
