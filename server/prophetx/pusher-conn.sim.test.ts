// PusherConn (our Pusher-protocol client) against the simulator's Pusher server over real sockets:
// handshake, subscribe, events with JSON-string data, ping/pong liveness, close codes, and PxSocket
// reconnecting after each way a connection can end.
import { afterEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../simulator/index.ts";
import { SP_BROADCAST_CHANNEL, spPrivateChannel } from "../simulator/channels.ts";
import { channelAuth } from "../simulator/pusher-server.ts";
import { ProphetXClient } from "./client.ts";
import { PusherConn, pusherUrl, type PusherClose, type PusherConnOptions } from "./pusher-conn.ts";
import { silentLogger } from "./rest.ts";
import { startTestSim, until } from "./sim-test-support.ts";
import { PxSocket } from "./socket.ts";

let sim: SimulatorHandle | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await sim?.close();
  sim = undefined;
});

type Seen = { socketId?: string; events: { channel: string; event: string; data: unknown }[]; subscribed: string[]; subErrors: string[]; closed?: PusherClose; bad: string[] };

const open = (s: SimulatorHandle, o: Partial<PusherConnOptions> & { key?: string } = {}) => {
  const seen: Seen = { events: [], subscribed: [], subErrors: [], bad: [] };
  const conn = new PusherConn({
    url: pusherUrl({ key: o.key ?? s.pusher.key, host: "127.0.0.1", port: s.port, tls: false }),
    activityTimeoutMs: 30_000,
    pongTimeoutMs: 10_000,
    onEstablished: (id) => (seen.socketId = id),
    onEvent: (channel, event, data) => seen.events.push({ channel, event, data }),
    onSubscribed: (ch) => seen.subscribed.push(ch),
    onSubscriptionError: (ch) => seen.subErrors.push(ch),
    onBadFrame: (why) => seen.bad.push(why),
    onClosed: (c) => (seen.closed = c),
    ...o,
  });
  cleanups.push(() => conn.close());
  return { conn, seen };
};

describe("PusherConn against the simulator", () => {
  it("handshakes, refuses a forged auth, subscribes with a real one and delivers events with their data parsed", async () => {
    const s = (sim = await startTestSim({ liquidity: false, takers: false }));
    const { conn, seen } = open(s);
    await until(() => !!seen.socketId, "connection_established");
    expect(seen.socketId).toMatch(/^\d+\.\d+$/);
    conn.subscribe(SP_BROADCAST_CHANNEL, `${s.pusher.key}:deadbeef`);
    await until(() => seen.subErrors.length === 1, "subscription_error for a forged auth");
    conn.subscribe(SP_BROADCAST_CHANNEL, channelAuth(s.pusher, seen.socketId!, SP_BROADCAST_CHANNEL));
    await until(() => seen.subscribed.includes(SP_BROADCAST_CHANNEL), "subscription_succeeded");
    const mine = spPrivateChannel(s.credentials.partnerId);
    conn.subscribe(mine, channelAuth(s.pusher, seen.socketId!, mine));
    await until(() => !!seen.events.find((e) => e.event === "health_check"), "a health_check on the private channel");
    const hc = seen.events.find((e) => e.event === "health_check")!;
    expect(hc.channel).toBe(mine);
    expect(hc.data).toMatchObject({ change_type: expect.any(String) }); // the JSON string was parsed once, as pusher-js would
    expect(seen.closed).toBeUndefined();
  });

  it("pings after the idle timeout and stays up while pongs come back; closes on a missing pong", async () => {
    const s = (sim = await startTestSim({ liquidity: false, takers: false }));
    const { seen } = open(s, { activityTimeoutMs: 150, pongTimeoutMs: 300 });
    await until(() => !!seen.socketId, "connection_established");
    const answered = s.stats.pusher.pingsAnswered;
    await until(() => s.stats.pusher.pingsAnswered >= answered + 3, "three pings answered");
    expect(seen.closed).toBeUndefined();
    s.faults.ignorePings(true);
    await until(() => !!seen.closed, "closed after the pong timeout");
    expect(seen.closed).toEqual({ reason: "pong timeout" });
  });

  it("reports Pusher close codes: a wrong app key (4001) and a server close with 4200", async () => {
    const s = (sim = await startTestSim({ liquidity: false, takers: false }));
    const bad = open(s, { key: "wrong-key" });
    await until(() => !!bad.seen.closed, "refused");
    expect(bad.seen.closed!.code).toBe(4001);
    expect(bad.seen.socketId).toBeUndefined();
    const good = open(s);
    await until(() => !!good.seen.socketId, "connection_established");
    expect(s.faults.dropSockets({ code: 4200, reason: "reconnect now" })).toBeGreaterThan(0);
    await until(() => !!good.seen.closed, "closed by the server");
    expect(good.seen.closed!.code).toBe(4200);
  });
});

describe("PxSocket reconnects on its own connection", () => {
  it("after an abrupt drop and after server closes with 4200 and 4100: new socket_id, registered and subscribed again", async () => {
    const s = (sim = await startTestSim({ liquidity: false, takers: false }));
    const c = new ProphetXClient({ baseUrl: s.baseUrl, accessKey: s.credentials.accessKey, secretKey: s.credentials.secretKey, logger: silentLogger });
    cleanups.push(() => c.close());
    const sp = new PxSocket(c, { product: "sp", logger: silentLogger, onMessage: () => undefined });
    cleanups.push(() => sp.stop());
    await sp.start();
    await until(() => sp.healthy, "subscribed");
    const ids = [sp.socketId];
    for (const drop of [{ terminate: true }, { code: 4200, reason: "reconnect now" }, { code: 4100, reason: "over capacity" }]) {
      expect(s.faults.dropSockets(drop)).toBeGreaterThan(0);
      await until(() => sp.healthy && !ids.includes(sp.socketId), `healthy on a new connection after ${JSON.stringify(drop)}`);
      ids.push(sp.socketId);
    }
    expect(sp.counters.reconnects).toBe(3);
    expect(sp.counters.registers).toBe(4);
  });
});
