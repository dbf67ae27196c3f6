import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, startTestSimulator } from "./test-support";

describe("auth: login, refresh, expiry, sessions, rate limit", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ accessTokenTtlMs: 400, maxSessions: 4, rateLimitPerSecond: 50 });
  });
  afterAll(() => sim.close());

  it("logs in with the key pair and returns tokens with unix-second expiry times", async () => {
    const api = new Api(sim.baseUrl);
    const before = Math.floor(Date.now() / 1000);
    const r = await api.login();
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(d.access_token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ partnerType: "mm", type: "access", partnerID: sim.credentials.partnerId, accessKey: "sim-access-key" });
    expect(d.access_expire_time).toBeGreaterThanOrEqual(before);
    expect(d.access_expire_time).toBeLessThan(before + 5);
    expect(d.refresh_expire_time - d.access_expire_time).toBeGreaterThan(3 * 24 * 3600 - 10);
  });

  it.each([
    [{ access_key: "sim-access-key", secret_key: "wrong" }, 401, "unauthorized"],
    [{ access_key: "nobody", secret_key: "sim-secret-key" }, 401, "unauthorized"],
    [{ access_key: "sim-access-key" }, 400, "invalid_request"],
  ])("login %j → %i %s", async (body, status, code) => {
    const r = await new Api(sim.baseUrl).post("/partner/auth/login", body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ error: code });
    expect(typeof r.body.message).toBe("string");
  });

  it("requires a Bearer token and answers 401 unauthorized without or with a forged one", async () => {
    const api = new Api(sim.baseUrl);
    expect((await api.get("/partner/mm/get_balance")).body.error).toBe("unauthorized");
    api.token = "a.b.c";
    const r = await api.get("/partner/mm/get_balance");
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("unauthorized");
  });

  it("expires the access token and refreshes it with the (expired) Bearer of the same session", async () => {
    const api = new Api(sim.baseUrl);
    await api.login();
    expect((await api.get("/partner/mm/get_balance")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.get("/partner/mm/get_balance")).status).toBe(401);
    const noBearer = await new Api(sim.baseUrl).post("/partner/auth/refresh", { refresh_token: api.refreshToken });
    expect(noBearer.status).toBe(401);
    const r = await api.post("/partner/auth/refresh", { refresh_token: api.refreshToken });
    expect(r.status).toBe(200);
    expect(r.body.data.refresh_token).toBe(api.refreshToken);
    api.token = r.body.data.access_token;
    expect((await api.get("/partner/mm/get_balance")).status).toBe(200);
    const bad = await api.post("/partner/auth/refresh", { refresh_token: "nope" });
    expect(bad).toMatchObject({ status: 401, body: { error: "unauthorized" } });
  });

  it("expires tokens early on demand (fault) and refresh tokens too", async () => {
    const api = new Api(sim.baseUrl);
    await api.login();
    expect(sim.faults.expireTokens()).toBeGreaterThan(0);
    expect((await api.get("/partner/mm/get_odds_ladder")).status).toBe(401);
    const r = await api.post("/partner/auth/refresh", { refresh_token: api.refreshToken });
    expect(r.status).toBe(200);
    api.token = r.body.data.access_token;
    sim.faults.expireTokens({ refresh: true });
    expect((await api.post("/partner/auth/refresh", { refresh_token: api.refreshToken })).status).toBe(401);
  });
});

describe("session limit and rate limit", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ maxSessions: 3, rateLimitPerSecond: 50 });
  });
  afterAll(() => sim.close());

  it("refuses the session beyond the limit with 403 session_num_exceed", async () => {
    for (let i = 0; i < 3; i++) expect((await new Api(sim.baseUrl).login()).status).toBe(200);
    const r = await new Api(sim.baseUrl).login();
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("session_num_exceed");
    sim.control.clearSessions();
    expect((await new Api(sim.baseUrl).login()).status).toBe(200);
  });

  it("answers 429 rate_limit_reached above 50 requests per second per token", async () => {
    const api = new Api(sim.baseUrl);
    await api.login();
    const t0 = Date.now();
    const replies = await Promise.all(Array.from({ length: 200 }, () => api.get("/partner/mm/get_odds_ladder")));
    const elapsedS = (Date.now() - t0) / 1000;
    const ok = replies.filter((r) => r.status === 200).length;
    const limited = replies.filter((r) => r.status === 429);
    // A token bucket of 50 allows the burst of 50 plus 50 per second elapsed, never more.
    expect(ok).toBeGreaterThanOrEqual(50);
    expect(ok).toBeLessThanOrEqual(50 + Math.ceil(50 * elapsedS) + 1);
    expect(limited.length).toBe(200 - ok);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body).toMatchObject({ error: "rate_limit_reached" });
    // Another session has its own budget.
    const other = new Api(sim.baseUrl);
    await other.login();
    expect((await other.get("/partner/mm/get_odds_ladder")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await api.get("/partner/mm/get_odds_ladder")).status).toBe(200);
  });
});
