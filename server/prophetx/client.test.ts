// Client against a Pusher-protocol server over real sockets (see test-exchange.ts for why not yet the
// full simulator).
import { afterEach, describe, expect, it } from "vitest";
import { ProphetXClient } from "./client.ts";
import { silentLogger } from "./rest.ts";
import { PxSocket, type SocketMessage } from "./socket.ts";
import { MM_BC, startTestExchange, type TestExchange } from "./test-exchange.ts";

const until = async (cond: () => boolean, timeoutMs = 5000, label = "condition") => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let ex: TestExchange | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await ex?.close();
  ex = undefined;
});

const mkClient = (e: TestExchange, extra: Record<string, unknown> = {}) => {
  const c = new ProphetXClient({ baseUrl: e.baseUrl, accessKey: "a", secretKey: "s", logger: silentLogger, backoffBaseMs: 5, backoffMaxMs: 50, ...extra });
  cleanups.push(() => c.close());
  return c;
};

describe("ProphetX REST session", () => {
  it("logs in once for concurrent callers and retries once after a 401 with a fresh token", async () => {
    ex = await startTestExchange();
    const c = mkClient(ex);
    await Promise.all(Array.from({ length: 10 }, () => c.getTournaments()));
    expect(ex.state.logins).toBe(1);
    ex.state.revokeTokens(); // token expires mid-run
    const ts = await c.getTournaments();
    expect(ts[0]?.name).toBe("NBA");
    expect(ex.state.refreshes).toBe(1);
    expect(ex.state.logins).toBe(1);
  });

  it("logs in again when refresh fails", async () => {
    ex = await startTestExchange();
    const c = mkClient(ex);
    await c.getTournaments();
    ex.state.revokeTokens();
    ex.state.refreshFails = true;
    await c.getTournaments();
    expect(ex.state.logins).toBe(2);
    expect(c.rest.counters.refreshFailures).toBe(1);
  });

  it("refreshes proactively before expiry", async () => {
    ex = await startTestExchange();
    ex.state.accessTtlS = 62; // refresh window is 60 s before expiry
    const c = mkClient(ex);
    c.start();
    await c.getTournaments();
    await until(() => ex!.state.refreshes >= 1, 4000, "proactive refresh");
  });

  it("survives a 429 storm and 5xx with bounded retries, and gives up when the bound is hit", async () => {
    ex = await startTestExchange();
    const c = mkClient(ex);
    await c.getTournaments();
    ex.state.fail429 = 3;
    ex.state.fail500 = 1;
    await expect(c.getTournaments()).resolves.toHaveLength(1);
    expect(c.rest.counters.rateLimited).toBe(3);
    ex.state.fail429 = 100;
    await expect(c.getTournaments()).rejects.toThrow(/rate_limit_reached/);
    expect(c.rest.counters.retries).toBeLessThanOrEqual(4 + 5);
  });

  it("keeps under the rate limit across concurrent callers", async () => {
    ex = await startTestExchange();
    const c = mkClient(ex, { rateLimit: 20 });
    await c.getTournaments();
    const started = Date.now();
    await Promise.all(Array.from({ length: 45 }, () => c.getTournaments()));
    // 46 requests at 20 per second need at least two further windows: a busy machine can only make
    // this slower, never faster, so the bound is safe under load.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
    expect(c.rest.limiter.waitedCount).toBeGreaterThan(0);
    expect(c.rest.limiter.usage()).toBeLessThanOrEqual(20);
  });
});

describe("ProphetX socket", () => {
  const mkSocket = (e: TestExchange, msgs: SocketMessage[], healthTimeoutMs = 1000) => {
    const c = mkClient(e);
    const s = new PxSocket(c, { product: "mm", healthTimeoutMs, logger: silentLogger, onMessage: (m) => msgs.push(m) });
    cleanups.push(() => s.stop());
    return s;
  };

  it("registers, authorises both channels, decodes base64 and counts malformed messages without dying", async () => {
    ex = await startTestExchange();
    const msgs: SocketMessage[] = [];
    const s = mkSocket(ex, msgs);
    await s.start();
    await until(() => s.healthy, 15000, "subscribed");
    ex.publishMm("market", { id: "7", info: { id: 219, sport_event_id: 7, name: "Winner" } });
    ex.publishRaw(MM_BC, "tournament_132", JSON.stringify({ change_type: "market", payload: "%%%not-base64" }));
    ex.publishRaw(MM_BC, "tournament_132", "{broken json");
    ex.publishMm("market", { id: "8", info: { id: 219, sport_event_id: 8 } });
    await until(() => msgs.filter((m) => m.changeType === "market").length === 2, 15000, "two good messages");
    expect(s.counters.malformed).toBeGreaterThanOrEqual(1);
    expect((msgs.find((m) => m.changeType === "market")!.payload as { info: { sport_event_id: number } }).info.sport_event_id).toBe(7);
    await until(() => s.heartbeatAgeMs() !== undefined && s.counters.healthChecks > 0, 15000, "health checks");
  });

  it("re-registers after a socket drop (new socket_id) and reconnects when health_check stops", async () => {
    ex = await startTestExchange();
    const msgs: SocketMessage[] = [];
    const s = mkSocket(ex, msgs, 600);
    await s.start();
    await until(() => s.healthy, 15000, "subscribed");
    const firstId = s.socketId;
    const regs = ex.state.registers;
    ex.pusher.dropSockets({});
    await until(() => s.healthy && s.socketId !== firstId, 10_000, "resubscribed after drop");
    expect(ex.state.registers).toBeGreaterThan(regs);
    ex.state.healthEnabled = false;
    await until(() => s.counters.healthTimeouts >= 1, 15000, "health timeout");
    ex.state.healthEnabled = true;
    await until(() => s.healthy && (s.heartbeatAgeMs() ?? 1e9) < 500, 10_000, "healthy again");
  });
});
