// Engine integration: real DB (SQLite), real HTTP + Pusher sockets (test exchange; see
// server/prophetx/test-exchange.ts), short timeouts via options.
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../test/db.ts";
import { silentLogger } from "../prophetx/rest.ts";
import { startTestExchange, type TestExchange } from "../prophetx/test-exchange.ts";
import { startEngine, type EngineHandle } from "./engine.ts";
import { bookSignature, emptyBook, reconcileEvents } from "../../lib/market/book.ts";

const until = async (cond: () => boolean | Promise<boolean>, timeoutMs = 8000, label = "condition") => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const future = new Date(Date.now() + 86_400_000).toISOString();
const EVENTS = [{ event_id: 7, name: "A v B", tournament_id: 132, status: "not_started", scheduled: future }];
const MARKETS = { "7": [{ id: 219, name: "Winner", type: "moneyline", selections: [[{ line_id: "LH", outcome_id: 4, odds: 120, stake: 10 }], [{ line_id: "LA", outcome_id: 5, odds: -140, stake: 10 }]] }] };

let ex: TestExchange | undefined;
let tdb: TestDb | undefined;
const engines: EngineHandle[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  await ex?.close();
  await tdb?.drop();
  ex = undefined;
  tdb = undefined;
});

const boot = async (extra: Record<string, unknown> = {}) => {
  const e = await startEngine({
    db: tdb!.db,
    baseUrl: ex!.baseUrl,
    accessKey: "a",
    secretKey: "s",
    logger: silentLogger,
    leaseTtlMs: 1500,
    leaseRenewMs: 200,
    statusIntervalMs: 200,
    commandPollMs: 50,
    healthTimeoutMs: 2000,
    disconnectGraceMs: 400,
    activationTimeoutMs: 500,
    restOptions: { backoffBaseMs: 5, backoffMaxMs: 50 },
    ...extra,
  });
  engines.push(e);
  return e;
};
const openWagers = () => [...ex!.state.wagers.values()].filter((w) => w.status === "open" || w.status === "inactive").length;

describe("engine", () => {
  it("holds the lease exclusively, writes status, and runs a place/kill-switch command round trip to zero open wagers", async () => {
    ex = await startTestExchange({ events: EVENTS, markets: MARKETS });
    tdb = await createTestDb("sqlite");
    const a = await boot({ engineId: "A" });
    const b = await boot({ engineId: "B" });
    expect(a.isHolder()).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(b.isHolder()).toBe(false);
    await until(() => a.state.connection.mm === "connected" && a.debug.book.lines.has("LH"), 8000, "connected + seeded");
    await until(async () => JSON.parse((await tdb!.db.engineLease.findUnique({ where: { name: "engine" } }))?.statusJson ?? "{}").connection?.mm === "connected", 15000, "status json");
    expect(await tdb.db.marketLine.count()).toBe(2);

    await tdb.db.engineCommand.create({ data: { id: "cmd_1", type: "place_wager", payloadJson: JSON.stringify({ wagers: [{ lineId: "LH", odds: 123, stakeCents: 500 }, { lineId: "LA", odds: -141, stakeCents: 300 }] }), createdBy: "t1" } });
    await until(async () => (await tdb!.db.engineCommand.findUnique({ where: { id: "cmd_1" } }))?.status === "done", 15000, "command done");
    const result = JSON.parse((await tdb.db.engineCommand.findUnique({ where: { id: "cmd_1" } }))!.resultJson!);
    expect(result.odds).toEqual([122, -142]); // snapped to the ladder (+120…+200 by 2; ties go to the smaller payout)
    await until(() => [...a.debug.wagers.values()].every((w) => w.status === "open"), 15000, "wagers open via private channel");
    expect(openWagers()).toBe(2);

    await tdb.db.engineCommand.create({ data: { id: "cmd_2", type: "kill_switch", payloadJson: "{}", createdBy: "t1" } });
    await until(() => openWagers() === 0 && [...a.debug.wagers.values()].every((w) => w.status === "canceled"), 15000, "all cancelled");
    expect(a.state.killSwitch).toBe(true);
    await tdb.db.engineCommand.create({ data: { id: "cmd_3", type: "place_wager", payloadJson: JSON.stringify({ lineId: "LH", odds: 120, stakeCents: 100 }), createdBy: "t1" } });
    await until(async () => (await tdb!.db.engineCommand.findUnique({ where: { id: "cmd_3" } }))?.status === "failed", 15000, "place refused while killed");
    await a.drain();
    expect(await tdb.db.wagerStatusHistory.count()).toBeGreaterThanOrEqual(6);
    expect(await tdb.db.auditLog.count({ where: { action: "command_kill_switch" } })).toBe(1);

    // Failover: A stops (releases the lease), B takes over.
    await a.stop();
    await until(() => b.isHolder(), 15000, "B takes the lease");
  });

  it("cancels all open wagers and pauses quoting when the heartbeat is lost (cancel-on-disconnect), resumes when healthy", async () => {
    ex = await startTestExchange({ events: EVENTS, markets: MARKETS });
    tdb = await createTestDb("sqlite");
    const a = await boot();
    await until(() => a.state.connection.mm === "connected" && a.debug.book.lines.has("LH"), 8000, "connected");
    a.enqueueCommand("place_wager", { lineId: "LH", odds: 150, stakeCents: 200 });
    await until(() => openWagers() === 1 && [...a.debug.wagers.values()][0]?.status === "open", 15000, "open");
    ex.state.healthEnabled = false;
    await until(() => openWagers() === 0 && a.state.pauseReasons.includes("mm_disconnected"), 15000, "cancel on disconnect");
    expect(a.state.counters.cancelOnDisconnect).toBe(1);
    ex.state.healthEnabled = true;
    await until(() => !a.state.pauseReasons.includes("mm_disconnected"), 8000, "resumed");
  });

  it("applies the 10-second rule: no activation → reconnect and poll get_wager", async () => {
    ex = await startTestExchange({ events: EVENTS, markets: MARKETS });
    tdb = await createTestDb("sqlite");
    const a = await boot();
    await until(() => a.state.connection.mm === "connected" && a.debug.book.lines.has("LH"), 8000, "connected");
    ex.state.activationEnabled = false;
    a.enqueueCommand("place_wager", { lineId: "LH", odds: 150, stakeCents: 200 });
    await until(() => ex!.state.wagers.size === 1, 15000, "placed");
    const w = [...ex.state.wagers.values()][0]!;
    w.status = "open"; // activated on the exchange, message lost
    await until(() => [...a.debug.wagers.values()][0]?.status === "open", 15000, "status from poll");
    expect(a.state.counters.activationTimeouts).toBe(1);
    expect(a.state.counters.mm_reconnects).toBeGreaterThanOrEqual(1);
  });

  it("detects a sequence gap in market_selections and repairs the book from REST so it equals the REST book", async () => {
    ex = await startTestExchange({ events: EVENTS, markets: MARKETS });
    tdb = await createTestDb("sqlite");
    const a = await boot();
    await until(() => a.state.connection.mm === "connected" && a.debug.book.lines.has("LH") && a.debug.sockets().mm?.healthy === true, 8000, "connected");
    const sel = (seq: number, odds: number) => ({ sport_event_id: 7, market_id: 219, info: { sequence_number: seq, selections: [[{ line_id: "LH", odds, stake: 10 }], [{ line_id: "LA", odds: -140, stake: 10 }]] } });
    ex.publishMm("market_selections", sel(1, 125));
    await until(() => a.debug.book.lines.get("LH")?.levels[0]?.odds === 125, 15000, "socket update");
    // seq 2 is "missed"; REST now says +130; seq 3 arrives with +130 too → gap → reconcile.
    MARKETS["7"]![0]!.selections![0]![0]!.odds = 130;
    ex.publishMm("market_selections", sel(3, 130));
    await until(() => a.state.counters.bookGaps === 1 && a.state.counters.reconciles! >= 2, 15000, "gap reconciled");
    const restBook = emptyBook();
    reconcileEvents(restBook, new Map([[7, MARKETS["7"]!]]), 0);
    expect(bookSignature(a.debug.book, new Set([7]))).toEqual(bookSignature(restBook));
    expect(a.debug.book.lines.get("LH")?.levels[0]?.odds).toBe(130);
    // Duplicate / out-of-order: seq 5 applied, then seq 5 again and seq 4 are stale.
    MARKETS["7"]![0]!.selections![0]![0]!.odds = 140;
    ex.publishMm("market_selections", sel(5, 140));
    await until(() => a.debug.book.lines.get("LH")?.levels[0]?.odds === 140, 15000, "seq 5 applied");
    const staleBefore = a.state.counters.bookStale;
    ex.publishMm("market_selections", sel(5, 150));
    ex.publishMm("market_selections", sel(4, 160));
    await until(() => a.state.counters.bookStale! >= staleBefore! + 2, 15000, "stale messages ignored");
    expect(a.debug.book.lines.get("LH")?.levels[0]?.odds).toBe(140);
  });
});
