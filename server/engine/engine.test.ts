// Engine integration against the embedded exchange simulator (real HTTP + Pusher sockets, real
// SQLite): lease exclusivity, kill switch and cancel-on-disconnect down to zero open wagers on BOTH
// sides, the 10-second rule, token expiry and a 429 storm mid-run. Book tests: book.sim.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../simulator/index.ts";
import { silentLogger } from "../prophetx/rest.ts";
import { exchangeOpenWagers, simSession, startTestSim, until } from "../prophetx/sim-test-support.ts";
import { createTestDb, type TestDb } from "../test/db.ts";
import { startEngine, type EngineHandle } from "./engine.ts";

let sim: SimulatorHandle | undefined;
let tdb: TestDb | undefined;
const engines: EngineHandle[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  await sim?.close();
  await tdb?.drop();
  sim = undefined;
  tdb = undefined;
});

const boot = async (extra: Record<string, unknown> = {}) => {
  const e = await startEngine({
    db: tdb!.db,
    baseUrl: sim!.baseUrl,
    accessKey: sim!.credentials.accessKey,
    secretKey: sim!.credentials.secretKey,
    logger: silentLogger,
    leaseTtlMs: 4_000,
    leaseRenewMs: 250,
    statusIntervalMs: 200,
    commandPollMs: 50,
    healthTimeoutMs: 3_000,
    disconnectGraceMs: 1_500, // heartbeats every 250 ms: a loaded machine never gets near this
    activationTimeoutMs: 1_000,
    restOptions: { backoffBaseMs: 5, backoffMaxMs: 50 },
    ...extra,
  });
  engines.push(e);
  return e;
};

const setup = async () => {
  sim = await startTestSim({ takers: false });
  tdb = await createTestDb("sqlite");
};

/** A pre-match line near 50/50: a back at +300 rests unmatched (nobody wants to lay it). */
const restingLine = (s: SimulatorHandle): string => {
  for (const ev of s.truth.events()) {
    if (ev.status !== "not_started") continue;
    const l = ev.lines.find((x) => x.probability > 0.35 && x.probability < 0.65);
    if (l) return l.line_id;
  }
  throw new Error("no line near 50/50");
};

const ready = (a: EngineHandle, lineId: string) =>
  until(() => a.state.connection.mm === "connected" && a.debug.sockets().mm?.healthy === true && a.debug.book.lines.has(lineId), "engine connected and seeded");
const engineOpen = (a: EngineHandle) => [...a.debug.wagers.values()].filter((w) => w.status === "open" || w.status === "inactive" || w.status === "pending_send").length;

describe("engine against the simulator", () => {
  it("holds the lease exclusively, writes status, and runs place → kill switch to zero open wagers on both sides; B takes over when A stops", async () => {
    await setup();
    const a = await boot({ engineId: "A" });
    const b = await boot({ engineId: "B" });
    expect(a.isHolder()).toBe(true);
    const lineId = restingLine(sim!);
    await ready(a, lineId);
    expect(b.isHolder()).toBe(false);
    expect(b.state.connection.mm).toBe("idle"); // the standby never trades or connects
    await until(async () => JSON.parse((await tdb!.db.engineLease.findUnique({ where: { name: "engine" } }))?.statusJson ?? "{}").connection?.mm === "connected", "status json");
    expect((await tdb!.db.engineLease.findUnique({ where: { name: "engine" } }))?.holderId).toBe("A");

    await tdb!.db.engineCommand.create({ data: { id: "cmd_1", type: "place_wager", payloadJson: JSON.stringify({ wagers: [{ lineId, odds: 301, stakeCents: 500 }, { lineId, odds: 350, stakeCents: 300 }] }), createdBy: "t1" } });
    await until(async () => (await tdb!.db.engineCommand.findUnique({ where: { id: "cmd_1" } }))?.status === "done", "command done");
    // Two wagers on one line in one batch: the exchange refuses the second with opened_retry while the
    // first is inactive; the client re-sends it.
    await until(() => [...a.debug.wagers.values()].filter((w) => w.status === "open").length === 2, "both wagers open via the private channel");
    const api = await simSession(sim!);
    expect(await exchangeOpenWagers(api)).toBe(2);

    await tdb!.db.engineCommand.create({ data: { id: "cmd_2", type: "kill_switch", payloadJson: "{}", createdBy: "t1" } });
    await until(() => engineOpen(a) === 0 && [...a.debug.wagers.values()].every((w) => w.status === "canceled"), "all cancelled (engine view)");
    expect(await exchangeOpenWagers(api)).toBe(0);
    expect(a.state.killSwitch).toBe(true);
    await tdb!.db.engineCommand.create({ data: { id: "cmd_3", type: "place_wager", payloadJson: JSON.stringify({ lineId, odds: 300, stakeCents: 100 }), createdBy: "t1" } });
    await until(async () => (await tdb!.db.engineCommand.findUnique({ where: { id: "cmd_3" } }))?.status === "failed", "place refused while killed");
    await a.drain();
    expect(await tdb!.db.wagerStatusHistory.count()).toBeGreaterThanOrEqual(4);
    expect(await tdb!.db.auditLog.count({ where: { action: "command_kill_switch" } })).toBe(1);
    expect(await exchangeOpenWagers(api)).toBe(0);

    await a.stop();
    await until(() => b.isHolder(), "B takes the lease");
    await ready(b, lineId);
    expect(a.state.role).toBe("stopped");
    expect((await tdb!.db.engineLease.findUnique({ where: { name: "engine" } }))?.holderId).toBe("B");
  });

  it("cancel-on-disconnect: heartbeats stop → all wagers cancelled (zero open on the exchange) and quoting paused; resumes when healthy", async () => {
    await setup();
    const a = await boot();
    const lineId = restingLine(sim!);
    await ready(a, lineId);
    const api = await simSession(sim!);
    a.enqueueCommand("place_wager", { lineId, odds: 300, stakeCents: 200 });
    await until(() => [...a.debug.wagers.values()][0]?.status === "open", "open");
    expect(await exchangeOpenWagers(api)).toBe(1);
    sim!.faults.stopHeartbeats();
    await until(() => a.state.pauseReasons.includes("mm_disconnected") && engineOpen(a) === 0, "cancel on disconnect");
    await until(async () => (await exchangeOpenWagers(api)) === 0, "zero open wagers on the exchange");
    expect(a.state.counters.cancelOnDisconnect).toBe(1);
    sim!.faults.resumeHeartbeats();
    await until(() => !a.state.pauseReasons.includes("mm_disconnected"), "resumed");
  });

  it("applies the 10-second rule: activation message lost → reconnect and poll get_wager", async () => {
    await setup();
    const a = await boot();
    const lineId = restingLine(sim!);
    await ready(a, lineId);
    sim!.faults.addMessageRule({ event: "wagers", action: "drop", count: Infinity });
    a.enqueueCommand("place_wager", { lineId, odds: 300, stakeCents: 200 });
    await until(() => [...a.debug.wagers.values()][0]?.status === "open", "status from the get_wager poll");
    expect(a.state.counters.activationTimeouts).toBe(1);
    await until(() => (a.state.counters.mm_reconnects ?? 0) >= 1, "reconnect after the activation timeout");
    sim!.faults.clearMessageRules();
  });

  it("keeps trading through a token expiry and a 429 storm mid-run", async () => {
    await setup();
    const a = await boot();
    const lineId = restingLine(sim!);
    await ready(a, lineId);
    sim!.faults.expireTokens();
    sim!.faults.failHttp({ status: 429, count: 3, pathPrefix: "/partner/mm/place" });
    a.enqueueCommand("place_wager", { lineId, odds: 300, stakeCents: 200 });
    await until(() => [...a.debug.wagers.values()][0]?.status === "open", "placed and open despite expiry + 429s");
    expect(a.state.counters.rest_refreshes).toBeGreaterThanOrEqual(1);
    expect(a.state.counters.rest_rateLimited).toBe(3);
    expect(a.state.counters.rest_logins).toBe(1);
    const api = await simSession(sim!); // a session of its own, opened after the expiry
    expect(await exchangeOpenWagers(api)).toBe(1);
    await a.stop(); // cancel-all on stop
    expect(await exchangeOpenWagers(api)).toBe(0);
  });
});
