// The ProphetX client (REST session + PxSocket on its Pusher connection) against the embedded exchange simulator over
// real sockets, with the simulator's fault injection (issue 4). Waits are until-conditions with
// generous timeouts; no assertion depends on how fast a loaded machine is.
import { afterEach, describe, expect, it } from "vitest";
import type { SimulatorHandle, SimulatorOptions } from "../simulator/index.ts";
import { ProphetXClient } from "./client.ts";
import { silentLogger } from "./rest.ts";
import { startCorruptingProxy, startTestSim, until, viaProxy, type CorruptingProxy } from "./sim-test-support.ts";
import { PxSocket, type SocketMessage } from "./socket.ts";

let sim: SimulatorHandle | undefined;
let proxy: CorruptingProxy | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await proxy?.close();
  await sim?.close();
  proxy = undefined;
  sim = undefined;
});

const boot = async (opts: SimulatorOptions = {}) => (sim = await startTestSim(opts));
const mkClient = (s: SimulatorHandle, extra: Record<string, unknown> = {}) => {
  const c = new ProphetXClient({ baseUrl: s.baseUrl, accessKey: s.credentials.accessKey, secretKey: s.credentials.secretKey, logger: silentLogger, backoffBaseMs: 5, backoffMaxMs: 50, ...extra });
  cleanups.push(() => c.close());
  return c;
};

describe("ProphetX REST session against the simulator", () => {
  it("logs in once for concurrent callers; an access token expiring mid-run is refreshed once and the call succeeds", async () => {
    const s = await boot({ liquidity: false, takers: false });
    const c = mkClient(s);
    await Promise.all(Array.from({ length: 10 }, () => c.getTournaments()));
    expect(c.rest.counters.logins).toBe(1);
    expect(s.stats.sessions).toBe(1);
    expect(s.faults.expireTokens()).toBeGreaterThan(0);
    const ts = await c.getTournaments();
    expect(ts.length).toBeGreaterThan(0);
    expect(c.rest.counters.unauthorized).toBe(1);
    expect(c.rest.counters.refreshes).toBe(1);
    expect(c.rest.counters.logins).toBe(1);
    // Concurrent callers after the next expiry share one refresh.
    s.faults.expireTokens();
    await Promise.all(Array.from({ length: 5 }, () => c.getBalanceCents()));
    expect(c.rest.counters.refreshes).toBe(2);
    expect(c.rest.counters.logins).toBe(1);
  });

  it("logs in again when the refresh token is dead too", async () => {
    const s = await boot({ liquidity: false, takers: false });
    const c = mkClient(s);
    await c.getTournaments();
    s.faults.expireTokens({ refresh: true });
    await expect(c.getTournaments()).resolves.not.toHaveLength(0);
    expect(c.rest.counters.refreshFailures).toBe(1);
    expect(c.rest.counters.logins).toBe(2);
  });

  it("refreshes proactively before expiry", async () => {
    const s = await boot({ liquidity: false, takers: false, accessTokenTtlMs: 62_000 }); // the client refreshes 60 s before expiry
    const c = mkClient(s);
    c.start();
    await c.getTournaments();
    await until(() => c.rest.counters.refreshes >= 1, "proactive refresh");
    expect(c.rest.counters.logins).toBe(1);
  });

  it("survives a 429 storm and 5xx with bounded retries, and gives up when the bound is hit", async () => {
    const s = await boot({ liquidity: false, takers: false });
    const c = mkClient(s);
    await c.getTournaments();
    s.faults.failHttp({ status: 429, count: 3, pathPrefix: "/partner/mm" });
    s.faults.failHttp({ status: 500, count: 1, pathPrefix: "/partner/mm" });
    await expect(c.getTournaments()).resolves.not.toHaveLength(0);
    expect(c.rest.counters.rateLimited).toBe(3);
    expect(c.rest.counters.serverErrors).toBe(1);
    const retriesBefore = c.rest.counters.retries;
    s.faults.failHttp({ status: 429, count: 100, pathPrefix: "/partner/mm" });
    await expect(c.getTournaments()).rejects.toThrow(/rate_limit_reached/);
    expect(c.rest.counters.retries - retriesBefore).toBe(5); // maxRetries
    s.faults.reset();
    await expect(c.getTournaments()).resolves.not.toHaveLength(0);
  });

  it("keeps under the exchange's rate limit across concurrent callers", async () => {
    const s = await boot({ liquidity: false, takers: false });
    const c = mkClient(s, { rateLimit: 20 });
    await c.getTournaments();
    const started = Date.now();
    await Promise.all(Array.from({ length: 45 }, () => c.getTournaments()));
    // 46 requests at 20 per second need at least two further windows: load only makes this slower.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
    expect(c.rest.limiter.waitedCount).toBeGreaterThan(0);
    expect(s.stats.http.rateLimited).toBe(0); // the exchange never had to refuse one
  });
});

describe("PxSocket against the simulator's Pusher server", () => {
  const mkSocket = (c: ProphetXClient, product: "mm" | "sp", msgs: SocketMessage[], healthTimeoutMs = 3_000) => {
    const s = new PxSocket(c, { product, healthTimeoutMs, logger: silentLogger, onMessage: (m) => msgs.push(m) });
    cleanups.push(() => s.stop());
    return s;
  };
  const selections = (msgs: SocketMessage[]) => msgs.filter((m) => m.changeType === "market_selections");

  it("registers, authorises both channels of both products, decodes base64 payloads and survives malformed frames", async () => {
    const s = await boot();
    proxy = await startCorruptingProxy(s);
    const c = mkClient(s);
    viaProxy(c, proxy);
    const mmMsgs: SocketMessage[] = [];
    const spMsgs: SocketMessage[] = [];
    const mm = mkSocket(c, "mm", mmMsgs);
    const sp = mkSocket(c, "sp", spMsgs);
    await Promise.all([mm.start(), sp.start()]);
    await until(() => mm.healthy && sp.healthy, "both sockets subscribed to broadcast + private");
    expect(mm.subscribed.has("private-broadcast-service=3-device_type=5")).toBe(true);
    expect(mm.subscribed.has(`private-service=3-device_type=5-user=${s.credentials.partnerId.replace(/-/g, "")}`)).toBe(true);
    expect(sp.subscribed.has("private-broadcast-service=4-device_type=5")).toBe(true);
    expect(mm.counters.registers).toBe(1);
    expect(s.stats.pusher.subscriptionErrors).toBe(0);

    // The living market publishes base64 market_selections; they arrive decoded.
    await until(() => selections(mmMsgs).length >= 3, "market_selections from the living market");
    const p = selections(mmMsgs)[0]!.payload as { sport_event_id: number; market_id: number; info: { sequence_number: number; selections: unknown[][] } };
    expect(typeof p.sport_event_id).toBe("number");
    expect(Number.isSafeInteger(p.info.sequence_number)).toBe(true);
    expect(Array.isArray(p.info.selections)).toBe(true);
    await until(() => mm.counters.healthChecks > 0 && sp.counters.healthChecks > 0, "health_check on both private channels");

    // Malformed frames (non-base64 payload, broken JSON) are counted and the socket keeps going.
    const before = selections(mmMsgs).length;
    proxy.corrupt("market_selections", 1, "payload");
    proxy.corrupt("market_selections", 1, "json");
    await until(() => proxy!.corrupted === 2, "two frames corrupted");
    await until(() => mm.counters.malformed >= 2 && selections(mmMsgs).length >= before + 3, "good messages after the malformed ones");
    expect(mm.healthy).toBe(true);
  });

  it("re-registers with a new socket_id after a socket drop, and reconnects when health_check stops", async () => {
    const s = await boot({ liquidity: false, takers: false });
    const c = mkClient(s);
    const msgs: SocketMessage[] = [];
    const mm = mkSocket(c, "mm", msgs, 1_500);
    await mm.start();
    await until(() => mm.healthy, "subscribed");
    const firstId = mm.socketId;
    const regs = mm.counters.registers;
    expect(s.faults.dropSockets()).toBeGreaterThan(0);
    await until(() => mm.healthy && mm.socketId !== undefined && mm.socketId !== firstId, "resubscribed after the drop with a new socket_id");
    expect(mm.counters.registers).toBeGreaterThan(regs);
    await until(() => mm.counters.healthChecks > 0 && (mm.heartbeatAgeMs() ?? 1e9) < 1_000, "heartbeats on the new connection");

    const secondId = mm.socketId;
    s.faults.stopHeartbeats();
    await until(() => mm.counters.healthTimeouts >= 1, "health timeout");
    s.faults.resumeHeartbeats();
    await until(() => mm.healthy && mm.socketId !== secondId && (mm.heartbeatAgeMs() ?? 1e9) < 1_000, "healthy again on a new connection");
    expect(mm.counters.reconnects).toBeGreaterThanOrEqual(1);
  });
});
