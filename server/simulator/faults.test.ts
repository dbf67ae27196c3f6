import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, connectPusher, decodeMm, findEvents, startTestSimulator, waitFor, type PusherSession } from "./test-support";

describe("fault injection", () => {
  let sim: SimulatorHandle;
  let api: Api;
  let mm: PusherSession;
  let ext = 0;

  beforeAll(async () => {
    sim = await startTestSimulator({ takers: false, lpRequoteMs: 1e9, world: { driftBucketMs: 1e9 }, rateLimitPerSecond: 0, activationDelayMs: 20 });
    api = new Api(sim.baseUrl);
    await api.login();
    mm = await connectPusher(sim, api, "mm");
  });
  afterAll(async () => {
    mm?.close();
    await sim.close();
  });

  /** Cause exactly one market_selections message for a line (place a far-off wager; it rests). */
  const touch = async (lineId: string) => {
    await api.post("/partner/mm/place_wager", { external_id: `f-${++ext}`, line_id: lineId, odds: 7500, stake: 1 });
    await new Promise((r) => setTimeout(r, 60));
  };
  const selectionSeqs = (tournamentId: number, lineId: string) =>
    findEvents(mm, `tournament_${tournamentId}`, (d) => d.change_type === "market_selections")
      .map((e) => decodeMm(e.data))
      .filter((p) => p.info.selections.some((side: any[]) => side.some((s) => s.line_id === lineId)))
      .map((p) => p.info.sequence_number as number);

  it("drops one market_selections message: the client sees a sequence gap", async () => {
    const ev = sim.control.events()[1]!;
    const line = ev.lines[2]!.line_id;
    await touch(line);
    await waitFor(() => selectionSeqs(ev.tournament_id, line).length === 1, 2000, "first");
    sim.faults.addMessageRule({ changeType: "market_selections", action: "drop", count: 1 });
    await touch(line);
    await touch(line);
    await waitFor(() => selectionSeqs(ev.tournament_id, line).length === 2, 2000, "third");
    const [a, b] = selectionSeqs(ev.tournament_id, line);
    expect(b! - a!).toBe(2);
    expect(sim.stats.pusher.framesDroppedByFaults).toBe(1);
  });

  it("duplicates, delays and reorders messages of a chosen type", async () => {
    const ev = sim.control.events()[2]!;
    const line = ev.lines[0]!.line_id;
    sim.faults.addMessageRule({ changeType: "market_selections", action: "duplicate" });
    await touch(line);
    await waitFor(() => selectionSeqs(ev.tournament_id, line).length === 2, 2000, "duplicate");
    const [d1, d2] = selectionSeqs(ev.tournament_id, line);
    expect(d1).toBe(d2);

    sim.faults.addMessageRule({ changeType: "market_selections", action: "reorder" });
    await touch(line);
    await touch(line);
    await waitFor(() => selectionSeqs(ev.tournament_id, line).length === 4, 2000, "reordered pair");
    const s = selectionSeqs(ev.tournament_id, line);
    expect(s[2]! - s[3]!).toBe(1);

    sim.faults.addMessageRule({ changeType: "market_selections", action: "delay", delayMs: 1500 });
    const t0 = Date.now();
    await touch(line);
    await new Promise((r) => setTimeout(r, 150));
    expect(selectionSeqs(ev.tournament_id, line)).toHaveLength(4);
    await waitFor(() => selectionSeqs(ev.tournament_id, line).length === 5, 4000, "delayed");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1450);
    expect(sim.faults.listMessageRules()).toHaveLength(0);
  });

  it("stops and resumes heartbeats", async () => {
    sim.faults.stopHeartbeats();
    await new Promise((r) => setTimeout(r, 100));
    const n = findEvents(mm, "health_check").length;
    await new Promise((r) => setTimeout(r, 700));
    expect(findEvents(mm, "health_check").length).toBe(n);
    sim.faults.resumeHeartbeats();
    await waitFor(() => findEvents(mm, "health_check").length > n, 2000, "heartbeat again");
  });

  it("drops sockets: pusher-js reconnects with a new socket id and re-subscribes", async () => {
    const before = mm.socketId();
    const states: string[] = [];
    mm.pusher.connection.bind("state_change", (s: { current: string }) => states.push(s.current));
    expect(sim.faults.dropSockets()).toBeGreaterThan(0);
    await waitFor(() => mm.pusher.connection.state === "connected" && mm.socketId() !== before, 5000, "reconnect");
    expect(states).toContain("connecting");
    const n = findEvents(mm, "health_check").length;
    await waitFor(() => findEvents(mm, "health_check").length > n, 3000, "heartbeat after reconnect");
    expect(findEvents(mm, "health_check").at(-1)!.channel).toBe(mm.private);
  });

  it("returns bursts of 429 and 500 errors, limited by path, and adds latency", async () => {
    sim.faults.failHttp({ status: 429, count: 2 });
    expect((await api.get("/partner/mm/get_balance")).body).toMatchObject({ error: "rate_limit_reached" });
    expect((await api.get("/partner/mm/get_odds_ladder")).status).toBe(429);
    expect((await api.get("/partner/mm/get_balance")).status).toBe(200);
    sim.faults.failHttp({ status: 500, count: 1, pathPrefix: "/partner/mm/place_wager" });
    expect((await api.get("/partner/mm/get_balance")).status).toBe(200);
    const r = await api.post("/partner/mm/place_wager", { external_id: `f-${++ext}`, line_id: sim.control.events()[0]!.lines[0]!.line_id, odds: 7500, stake: 1 });
    expect(r).toMatchObject({ status: 500, body: { error: "internal_error" } });
    sim.faults.failHttp({ status: 500, count: 1, code: "opened_retry" });
    expect((await api.get("/partner/mm/get_balance")).body.error).toBe("opened_retry");
    sim.faults.setHttpLatency(600);
    const t0 = Date.now();
    await api.get("/partner/mm/get_balance");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(590);
    sim.faults.reset();
    const t1 = Date.now();
    await api.get("/partner/mm/get_balance");
    expect(Date.now() - t1).toBeLessThan(500);
  });
});

describe("admin API", () => {
  let sim: SimulatorHandle;
  let api: Api;
  const admin = () => ({ "x-sim-admin-key": sim.adminKey });

  beforeAll(async () => {
    sim = await startTestSimulator({ takers: false, adminKey: "test-admin" });
    api = new Api(sim.baseUrl);
    await api.login();
  });
  afterAll(() => sim.close());

  it("requires the admin key (health excepted)", async () => {
    expect((await api.get("/__sim/health")).body.ok).toBe(true);
    expect((await api.get("/__sim/state")).status).toBe(401);
    expect((await api.get("/__sim/state", { "x-sim-admin-key": "wrong" })).status).toBe(401);
    const s = await api.get("/__sim/state", admin());
    expect(s.status).toBe(200);
    expect(s.body.data.world.events).toBe(20);
  });

  it("reveals the truth and controls the scenario", async () => {
    const events = (await api.get("/__sim/events", admin())).body.data;
    const ev = events[0];
    const t = (await api.get(`/__sim/truth?event_id=${ev.event_id}`, admin())).body.data;
    expect(t.lines).toHaveLength(ev.lines.length);
    expect(t.lines[0].probability).toBeGreaterThan(0);
    expect(t.result).toEqual(sim.truth.result(ev.event_id));
    const lp = (await api.get(`/__sim/truth/lines?line_ids=${ev.lines[0].line_id},nope`, admin())).body.data;
    expect(lp[ev.lines[0].line_id]).toBeCloseTo(t.lines[0].probability, 12);
    expect(lp.nope).toBeNull();
    const joint = (await api.post("/__sim/truth/parlay", { line_ids: [ev.lines[0].line_id, ev.lines.at(-1).line_id] }, admin())).body.data;
    expect(joint.joint_probability).toBeGreaterThan(0);
    expect(joint.independent_probability).toBeCloseTo(sim.truth.independentProbability([ev.lines[0].line_id, ev.lines.at(-1).line_id]), 12);

    const settled = await api.post("/__sim/control/settle-event", { event_id: ev.event_id }, admin());
    expect(settled.body.data.status).toBe("ended");
    expect(settled.body.data.lines.every((l: any) => l.result !== null)).toBe(true);
    expect((await api.post("/__sim/control/settle-event", { event_id: 1 }, admin())).status).toBe(400);

    const time = await api.post("/__sim/control/time", { time_scale: 30, advance_ms: 60_000 }, admin());
    expect(time.body.data.time_scale).toBe(30);
    expect(time.body.data.sim_now_ms).toBeGreaterThan(Date.now() + 59_000);
    const rfqs = await api.post("/__sim/control/rfqs", { paused: true, per_second: 3 }, admin());
    expect(rfqs.body.data).toEqual({ paused: true, per_second: 3 });

    const other = events[1];
    const rfq = await api.post("/__sim/control/rfq", { legs: [other.lines[0].line_id, events[2].lines[0].line_id], stake: 12, rivals: [{ odds: 400, max_risk: 100 }], bettor: "accept-all", offer_window_ms: 100 }, admin());
    expect(rfq.status).toBe(200);
    const view = await sim.control.waitForParlay(rfq.body.data.parlayId, 3000);
    expect(view.orders[0]).toMatchObject({ sp_id: "scripted-rival-1", odds: 400 });
    const viaHttp = await api.get(`/__sim/parlays/${rfq.body.data.parlayId}`, admin());
    expect(viaHttp.body.data.outcome).toBe(view.outcome);

    expect((await api.post("/__sim/faults/http", { status: 503, count: 1 }, admin())).status).toBe(200);
    expect((await api.get("/partner/mm/get_balance")).body.error).toBe("reporting_not_available");
    const rule = await api.post("/__sim/faults/messages", { change_type: "market_selections", action: "drop", count: "infinity" }, admin());
    expect(rule.body.data.id).toMatch(/^rule-/);
    expect((await api.get("/__sim/faults/messages", admin())).body.data).toHaveLength(1);
    expect((await api.request("DELETE", "/__sim/faults/messages", undefined, admin())).status).toBe(200);
    expect((await api.post("/__sim/faults/messages", { action: "explode" }, admin())).status).toBe(400);
    expect((await api.post("/__sim/faults/expire-tokens", {}, admin())).body.data.expired).toBeGreaterThan(0);
    expect((await api.get("/partner/mm/get_balance")).status).toBe(401);
    expect((await api.post("/__sim/control/balance", { balance: 123.45 }, admin())).status).toBe(200);
    await api.login();
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(123.45);
    expect((await api.post("/__sim/faults/drop-sockets", {}, admin())).body.data.dropped).toBe(0);
    expect((await api.post("/__sim/faults/heartbeats", { enabled: false }, admin())).body.data.enabled).toBe(false);
    expect(sim.stats.heartbeats.enabled).toBe(false);
    expect((await api.post("/__sim/faults/reset", {}, admin())).status).toBe(200);
    expect(sim.stats.heartbeats.enabled).toBe(true);
  });
});
