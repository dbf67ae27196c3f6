import Pusher from "pusher-js";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MM_BROADCAST_CHANNEL, SP_BROADCAST_CHANNEL, mmPrivateChannel, spPrivateChannel } from "./channels";
import type { SimulatorHandle } from "./index";
import { channelAuth } from "./pusher-server";
import { Api, connectPusher, decodeMm, findEvents, startTestSimulator, waitFor, type PusherSession } from "./test-support";

const rawSocket = (sim: SimulatorHandle, key = sim.pusher.key) =>
  new Promise<{ ws: WebSocket; messages: any[] }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/app/${key}?protocol=7&client=js&version=8.6.0`);
    const messages: any[] = [];
    ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
    ws.on("open", () => resolve({ ws, messages }));
    ws.on("error", reject);
  });

describe("Pusher protocol with pusher-js", () => {
  let sim: SimulatorHandle;
  let api: Api;
  let mm: PusherSession;

  beforeAll(async () => {
    sim = await startTestSimulator({ takers: false, lpRequoteMs: 1e9, world: { driftBucketMs: 1e9 } });
    api = new Api(sim.baseUrl);
    await api.login();
    mm = await connectPusher(sim, api, "mm");
  });
  afterAll(async () => {
    mm?.close();
    await sim.close();
  });

  it("registers sockets: MM binding events are objects, SP binding events strings; form and JSON bodies", async () => {
    const socketId = mm.socketId();
    const r = await api.post("/partner/mm/pusher", { socket_id: socketId });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ success: true, status: "CONNECTED" });
    const [b, p] = r.body.data.authorized_channel;
    expect(b.channel_name).toBe(MM_BROADCAST_CHANNEL);
    expect(p.channel_name).toBe(mmPrivateChannel(sim.credentials.partnerId));
    expect(p.channel_name).not.toContain("-user=" + sim.credentials.partnerId);
    expect(b.binding_events).toContainEqual({ name: "tournament_132", type: "tournament" });
    expect(p.binding_events).toContainEqual({ name: "wagers", type: "wagers" });
    expect(p.auth).toBe(channelAuth(sim.pusher, socketId, p.channel_name));
    const form = await api.request("POST", "/parlay/sp/websocket/register", `socket_id=${socketId}&channel_name=${encodeURIComponent(spPrivateChannel(sim.credentials.partnerId))}`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(200);
    expect(form.body.auth).toBe(channelAuth(sim.pusher, socketId, spPrivateChannel(sim.credentials.partnerId)));
    expect(form.body.data.authorized_channel[0]).toMatchObject({ channel_name: SP_BROADCAST_CHANNEL, binding_events: ["price.ask.new", "order.matched"] });
    expect(form.body.data.authorized_channel[1].binding_events).toContain("price.confirm.new");
    for (const path of ["/parlay/pusher", "/parlay/sp/websocket/auth"]) expect((await api.post(path, { socket_id: socketId })).status).toBe(200);
    expect((await api.post("/partner/mm/pusher", { socket_id: "abc" })).body.error).toBe("invalid_param");
    const other = await api.post("/partner/mm/pusher", { socket_id: socketId, channel_name: "private-service=3-device_type=5-user=someoneelse" });
    expect(other.status).toBe(401);
  });

  it("delivers health_check every interval on the private channel with the documented envelope", async () => {
    const since = Date.now();
    await waitFor(() => findEvents(mm, "health_check").filter((e) => e.atMs >= since).length >= 3, 3000, "3 health checks");
    const hc = findEvents(mm, "health_check").at(-1)!;
    expect(hc.channel).toBe(mm.private);
    expect(hc.data).toMatchObject({ change_type: "private_system_signal", payload: "e30=", op: "u" });
    expect(hc.data.timestamp).toBeGreaterThan(Date.now() * 1e6 - 60e9);
    expect(findEvents(mm, "health_check").every((e) => e.channel === mm.private)).toBe(true);
  });

  it("sends private wagers events for each lifecycle step and market_selections with per-line sequence +1", async () => {
    const ev = sim.control.events()[0]!;
    const line = ev.lines[0]!;
    const tournamentEvent = `tournament_${ev.tournament_id}`;
    const seqs = () =>
      findEvents(mm, tournamentEvent, (d) => d.change_type === "market_selections")
        .map((e) => decodeMm(e.data))
        .filter((p) => p.info.selections.some((side: any[]) => side.some((s) => s.line_id === line.line_id)))
        .map((p) => p.info.sequence_number);
    const placed = await api.post("/partner/mm/place_wager", { external_id: "ws-1", line_id: line.line_id, odds: 900, stake: 3 });
    const id = placed.body.data.wager.id;
    const wagerEvents = () => findEvents(mm, "wagers").map((e) => decodeMm(e.data).info).filter((w) => w.id === id);
    await waitFor(() => wagerEvents().some((w) => w.status === "open"), 3000, "open wager event");
    expect(wagerEvents().map((w) => w.status)).toEqual(["inactive", "open"]);
    const e0 = findEvents(mm, "wagers")[0]!;
    expect(e0.channel).toBe(mm.private);
    expect(e0.data).toMatchObject({ change_type: "wagers", op: "c" });
    expect(wagerEvents()[1]).toMatchObject({ update_type: "status", external_id: "ws-1", line_id: line.line_id, odds: 900, stake: 3, unmatched_stake: 3 });
    await waitFor(() => seqs().length >= 1, 3000, "market_selections after activation");
    await api.post("/partner/mm/cancel_wager", { wager_id: id, external_id: "ws-1" });
    await waitFor(() => wagerEvents().some((w) => w.status === "canceled"), 3000, "canceled event");
    await waitFor(() => seqs().length >= 2, 3000, "market_selections after cancel");
    const s = seqs();
    for (let i = 1; i < s.length; i++) expect(s[i]).toBe(s[i - 1] + 1);
    const snapshot = (await api.get(`/partner/mm/get_markets?event_id=${ev.event_id}`)).body.data.markets[0];
    expect(snapshot.market_lines[0].sequence_number).toBe(s.at(-1));
    const sel = findEvents(mm, tournamentEvent, (d) => d.change_type === "market_selections").at(-1)!;
    expect(sel.channel).toBe(MM_BROADCAST_CHANNEL);
    const payload = decodeMm(sel.data);
    expect(payload).toMatchObject({ sport_event_id: expect.any(Number), market_id: expect.any(Number) });
    expect(payload.info.selections[0].length).toBeLessThanOrEqual(10);
  });

  it("publishes sport_event, market and market_line changes when an event goes live and settles", async () => {
    const ev = sim.control.events().find((e) => e.tournament_id === 109)!;
    const evt = `tournament_${ev.tournament_id}`;
    sim.control.startEvent(ev.event_id);
    await waitFor(() => findEvents(mm, evt, (d) => d.change_type === "sport_event").map((e) => decodeMm(e.data)).find((p) => p.info.event_id === ev.event_id && p.info.status === "live"), 3000, "live");
    sim.control.settleEvent(ev.event_id);
    const ended = await waitFor(
      () => findEvents(mm, evt, (d) => d.change_type === "sport_event" && d.op === "u").map((e) => decodeMm(e.data)).find((p) => p.info.event_id === ev.event_id && p.info.status === "ended"),
      3000,
      "ended",
    );
    expect(ended).toMatchObject({ id: String(ev.event_id), tournament_id: "109" });
    const truth = sim.truth.result(ev.event_id)!;
    expect(ended.info.score).toEqual(truth);
    const markets = findEvents(mm, evt, (d) => d.change_type === "market").map((e) => decodeMm(e.data)).filter((p) => p.info.sport_event_id === ev.event_id);
    expect(markets.map((m) => m.info.status)).toEqual(["settled", "settled", "settled"]);
    const lines = findEvents(mm, evt, (d) => d.change_type === "market_line").map((e) => decodeMm(e.data)).filter((p) => p.info.sport_event_id === ev.event_id);
    expect(lines.length).toBe(ev.lines.length);
    expect((await api.get(`/partner/mm/get_markets?event_id=${ev.event_id}`)).body.data.markets).toBeNull();
  });

  it("refuses a forged channel signature with pusher:subscription_error", async () => {
    const forged = new Pusher(sim.pusher.key, {
      cluster: "sim",
      wsHost: sim.pusher.wsHost,
      wsPort: sim.pusher.wsPort,
      forceTLS: false,
      enabledTransports: ["ws"],
      disableStats: true,
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, cb) => cb(null, { auth: channelAuth({ key: sim.pusher.key, secret: "wrong-secret" }, socketId, channelName) }),
      },
    });
    try {
      const errors: any[] = [];
      let succeeded = false;
      const ch = forged.subscribe(mmPrivateChannel(sim.credentials.partnerId));
      ch.bind("pusher:subscription_error", (e: unknown) => errors.push(e));
      ch.bind("pusher:subscription_succeeded", () => (succeeded = true));
      await waitFor(() => errors.length > 0, 3000, "subscription_error");
      expect(errors[0]).toMatchObject({ type: "AuthError", status: 401 });
      expect(succeeded).toBe(false);
      const before = sim.stats.heartbeats.sent;
      await waitFor(() => sim.stats.heartbeats.sent > before, 2000, "a heartbeat round");
      expect(findEvents(mm, "health_check").length).toBeGreaterThan(0);
    } finally {
      forged.disconnect();
    }
  });

  it("speaks the raw protocol: JSON-string handshake, ping/pong, bad app key refused", async () => {
    const { ws, messages } = await rawSocket(sim);
    await waitFor(() => messages.length > 0, 2000, "handshake");
    expect(messages[0].event).toBe("pusher:connection_established");
    const hs = JSON.parse(messages[0].data);
    expect(hs.socket_id).toMatch(/^\d+\.\d+$/);
    expect(hs.activity_timeout).toBeGreaterThan(0);
    ws.send(JSON.stringify({ event: "pusher:ping", data: {} }));
    await waitFor(() => messages.some((m) => m.event === "pusher:pong"), 2000, "pong");
    ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: SP_BROADCAST_CHANNEL, auth: `${sim.pusher.key}:deadbeef` } }));
    await waitFor(() => messages.some((m) => m.event === "pusher:subscription_error"), 2000, "raw subscription_error");
    ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: SP_BROADCAST_CHANNEL, auth: channelAuth(sim.pusher, hs.socket_id, SP_BROADCAST_CHANNEL) } }));
    await waitFor(() => messages.some((m) => m.event === "pusher_internal:subscription_succeeded" && m.channel === SP_BROADCAST_CHANNEL), 2000, "raw subscribe");
    ws.close();
    const bad = await rawSocket(sim, "wrong-key");
    const code = await new Promise<number>((resolve) => bad.ws.on("close", (c) => resolve(c)));
    expect(code).toBe(4001);
    expect(bad.messages[0]).toMatchObject({ event: "pusher:error", data: { code: 4001 } });
  });
});
