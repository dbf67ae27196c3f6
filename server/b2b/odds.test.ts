// The B2B odds screen end to end through its route handlers (Request objects), against the
// standalone B2B simulator over real HTTP, a local tracking capture server, and real SQLite/Postgres.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { SIM_BLOCKED_USER, SIM_USER, createMemoryWorld, startB2bSimulator, type MemoryWorld, type RunningB2bSimulator } from "../simulator-b2b/index.ts";
import { b2bConfigFrom } from "./config.ts";
import { TokenCrypto } from "./crypto.ts";
import { createOddsApp, type OddsApp } from "./http.ts";
import { ACCESS_TTL_MS, REFRESH_TTL_MS } from "./sessions.ts";
import { cookieFrom, oddsRequest, startCaptureServer } from "./testkit.ts";

describe.each(testProviders())("B2B odds screen on %s", (provider) => {
  const clock = { t: Date.parse("2030-06-01T12:00:00Z") };
  const keyHex = randomBytes(32).toString("hex");
  let tdb: TestDb;
  let sim: RunningB2bSimulator;
  let world: MemoryWorld;
  let capture: Awaited<ReturnType<typeof startCaptureServer>>;
  let app: OddsApp;
  const bodies: string[] = [];

  /** Call a handler and keep every body the browser would see. */
  const call = async (h: (r: Request) => Promise<Response>, method: string, path: string, opts: { body?: unknown; cookie?: string | null; origin?: string } = {}) => {
    const res = await h(oddsRequest(method, path, opts));
    const text = await res.clone().text();
    bodies.push(text);
    return { res, status: res.status, json: JSON.parse(text) as any };
  };
  const login = async (u: { email: string; password: string }) => {
    const r = await call(app.session.POST, "POST", "/api/odds/session", { body: { email: u.email, password: u.password } });
    expect(r.status).toBe(200);
    return cookieFrom(r.res)!;
  };
  const redSox = () => world.markets(10902)![0]!.selections[1]!;

  beforeAll(async () => {
    tdb = await createTestDb(provider);
    world = createMemoryWorld();
    sim = await startB2bSimulator({ port: 0, world, now: () => clock.t });
    capture = await startCaptureServer();
    app = createOddsApp({
      db: () => tdb.db,
      config: b2bConfigFrom({ SIM_PORT: String(sim.port), TOKEN_ENCRYPTION_KEY: keyHex, TRACKING_URL: capture.url, TRACKING_AUTHORIZATION: "Basic dGVzdDp0ZXN0", TRACKING_MAX_ATTEMPTS: "3", TRACKING_PLACEMENT_LOCATION: "parlay-desk-test" }),
      now: () => clock.t,
      trackingIntervalMs: 3_600_000, // the tests drive delivery with runOnce()
      trackingBaseDelayMs: 1000,
      loginRateLimit: { perSecond: 100, burst: 100 },
    });
  });

  afterAll(async () => {
    app?.feed.stop();
    app?.worker?.stop();
    await capture?.close();
    await sim?.close();
    await tdb?.drop();
  });

  it("serves the board sport → event → market with line ids from the affiliate API", async () => {
    const r = await call(app.markets.GET, "GET", "/api/odds/markets");
    expect(r.status).toBe(200);
    expect(r.json.sports.map((s: any) => s.name)).toEqual(["Baseball", "Basketball"]);
    const ev = r.json.sports[0].events[1];
    expect(ev.name).toBe("Boston Red Sox at New York Yankees");
    expect(ev.markets[0].selections[1]).toEqual({ lineId: redSox().lineId, name: "Boston Red Sox", odds: 138, displayOdds: "+138", stake: 500, line: null });
    expect(r.json.updatedAt).toBeTruthy();
    expect(app.feed.knowsLine(redSox().lineId)).toBe(true);
  });

  it("logs in with the user's ProphetX credentials, keeps tokens encrypted server-side and sets an HttpOnly cookie", async () => {
    const bad = await call(app.session.POST, "POST", "/api/odds/session", { body: { email: SIM_USER.email, password: "nope" } });
    expect(bad.status).toBe(401);
    expect(bad.json.error.message).toBe("ProphetX did not accept that email and password.");

    const r = await call(app.session.POST, "POST", "/api/odds/session", { body: SIM_USER });
    expect(r.status).toBe(200);
    const setCookie = r.res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^px_odds_session=ses_[0-9a-z]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    expect(r.json.user).toEqual({ email: SIM_USER.email, pxUserId: sim.sim.users.get(SIM_USER.email)!.id, accessExpiresAt: new Date(clock.t + ACCESS_TTL_MS).toISOString(), refreshExpiresAt: new Date(clock.t + REFRESH_TTL_MS).toISOString() });

    const rows = await tdb.db.pxUserSession.findMany();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.accessTokenEnc).toMatch(/^v1\./);
    expect(row.accessTokenEnc).not.toContain("pxa_");
    expect(row.refreshTokenEnc).not.toContain("pxr_");
    const crypto = new TokenCrypto(keyHex);
    expect(crypto.decrypt(row.accessTokenEnc, `${row.id}:access`)).toMatch(/^pxa_/);

    const me = await call(app.session.GET, "GET", "/api/odds/session", { cookie: cookieFrom(r.res) });
    expect(me.json.user.email).toBe(SIM_USER.email);
    const forged = await call(app.session.GET, "GET", "/api/odds/session", { cookie: `px_odds_session=${row.id}.forged` });
    expect(forged.json.user).toBeNull();
    const crossSite = await call(app.session.POST, "POST", "/api/odds/session", { body: SIM_USER, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
  });

  it("extends the session before the access token expires and ends it when the refresh token has expired", async () => {
    const cookie = await login(SIM_USER);
    const extendsBefore = sim.sim.counters.extends;
    clock.t += ACCESS_TTL_MS - 4 * 60_000; // 4 minutes left → renewed on the next use
    const r = await call(app.session.GET, "GET", "/api/odds/session", { cookie });
    expect(sim.sim.counters.extends).toBe(extendsBefore + 1);
    expect(r.json.user.accessExpiresAt).toBe(new Date(clock.t + ACCESS_TTL_MS).toISOString());
    const again = await call(app.session.GET, "GET", "/api/odds/session", { cookie });
    expect(sim.sim.counters.extends).toBe(extendsBefore + 1); // no needless extend
    expect(again.json.user.email).toBe(SIM_USER.email);

    // Idle beyond 30 days: the session is gone and the browser is told to log in again.
    clock.t += REFRESH_TTL_MS + 60_000;
    const gone = await call(app.session.GET, "GET", "/api/odds/session", { cookie });
    expect(gone.json.user).toBeNull();
    expect(gone.json.message).toMatch(/Log in again/);
    expect(gone.res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const play = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(play.status).toBe(401);
  });

  it("blocks a play from a state that is not allowed, with a clear message, and lets the user retry", async () => {
    const cookie = await login(SIM_BLOCKED_USER);
    const geo = await call(app.geoCheck.POST, "POST", "/api/odds/geo", { cookie, body: {} });
    expect(geo.status).toBe(200);
    expect(geo.json.geo).toMatchObject({ ok: false, provider: "simulator", state: "CA", errorCode: 0, isActiveStates: false });
    expect(geo.json.geo.reason).toMatch(/outside a state where ProphetX is available/);

    const wagersBefore = sim.sim.wagers().length;
    const play = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(play.status).toBe(403);
    expect(play.json.error.message).toMatch(/^Location check failed: .*Nothing was placed\. Retry the location check\.$/);
    expect(play.json.error.details.reason).toBe("geolocation_failed");
    expect(sim.sim.wagers().length).toBe(wagersBefore);
    expect(await tdb.db.oddsPlay.count()).toBe(0);

    sim.sim.users.setState(SIM_BLOCKED_USER.email, "NY"); // the user travels
    const retry = await call(app.geoCheck.POST, "POST", "/api/odds/geo", { cookie, body: {} });
    expect(retry.json.geo).toMatchObject({ ok: true, state: "NY", errorCode: 0, isActiveStates: true });
    sim.sim.users.setState(SIM_BLOCKED_USER.email, "CA");
  });

  let placedRef = "";
  let bettorCookie = "";

  it("places a play: geolocation, OddsPlay recorded with the id sent as external id, wager visible in the simulator", async () => {
    bettorCookie = await login(SIM_USER);
    const r = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 2550 } });
    expect(r.status).toBe(200);
    expect(r.json.play).toMatchObject({ id: expect.stringMatching(/^ply_/), lineId: redSox().lineId, odds: 138, stakeCents: 2550, status: "placed", wagerRefId: expect.stringMatching(/^ref_/), error: null });
    placedRef = r.json.play.wagerRefId;

    const row = await tdb.db.oddsPlay.findUniqueOrThrow({ where: { id: r.json.play.id } });
    expect(row).toMatchObject({ status: "placed", wagerRefId: placedRef, pxUserId: sim.sim.users.get(SIM_USER.email)!.id });
    expect(JSON.parse(row.geoJson)).toMatchObject({ ok: true, state: "NJ", isActiveStates: true });

    const simWager = sim.sim.wagers(row.pxUserId).find((w) => w.refId === placedRef)!;
    expect(simWager).toMatchObject({ externalId: row.id, lineId: redSox().lineId, odds: 138, stakeCents: 2550 });

    const list = await call(app.plays.GET, "GET", "/api/odds/plays", { cookie: bettorCookie });
    expect(list.json.plays[0].wagerRefId).toBe(placedRef);
  });

  it("delivers the Bet Placed tracking event exactly once", async () => {
    await app.worker!.runOnce();
    await app.worker!.runOnce();
    const mine = capture.received.filter((c) => (c.body as any)?.data?.wager_id === placedRef);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toEqual({
      path: `/api/v1/customers/${sim.sim.users.get(SIM_USER.email)!.id}/events`,
      authorization: "Basic dGVzdDp0ZXN0",
      body: { name: "Bet Placed", data: { wager_id: placedRef, bet_placement_location: "parlay-desk-test" } },
    });
    const ev = await tdb.db.trackingEvent.findFirstOrThrow({ where: { play: { wagerRefId: placedRef } } });
    expect(ev.deliveredAt).not.toBeNull();
    expect(ev.attempts).toBe(1);
  });

  it("refuses a play whose odds moved between view and click, with the current odds, and places nothing", async () => {
    world.setOdds(redSox().lineId, 145);
    const wagersBefore = sim.sim.wagers().length;
    const r = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toBe("The odds moved from +138 to +145. Nothing was placed; check the new price and try again.");
    expect(r.json.error.details).toMatchObject({ reason: "odds_changed", seenOdds: 138, currentOdds: 145 });
    expect(sim.sim.wagers().length).toBe(wagersBefore);
    const row = await tdb.db.oddsPlay.findUniqueOrThrow({ where: { id: r.json.error.details.playId } });
    expect(row).toMatchObject({ status: "rejected", wagerRefId: null });
    expect(await tdb.db.trackingEvent.count({ where: { playId: row.id } })).toBe(0);
    world.setOdds(redSox().lineId, 138);
  });

  it("never fails a play because tracking is down, and retries in the background with backoff", async () => {
    capture.failNext(2);
    const r = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(r.status).toBe(200);
    const ref = r.json.play.wagerRefId as string;
    await app.worker!.runOnce(); // the kick after the play (attempt 1) fails
    let ev = await tdb.db.trackingEvent.findFirstOrThrow({ where: { playId: r.json.play.id } });
    expect(ev).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "HTTP 503" });
    expect(ev.nextAttemptAt.getTime()).toBe(clock.t + 1000);
    await app.worker!.runOnce(); // not due yet
    expect((await tdb.db.trackingEvent.findFirstOrThrow({ where: { id: ev.id } })).attempts).toBe(1);
    clock.t += 1000;
    await app.worker!.runOnce(); // attempt 2 fails, next in 2 s
    ev = await tdb.db.trackingEvent.findFirstOrThrow({ where: { id: ev.id } });
    expect(ev).toMatchObject({ attempts: 2, deliveredAt: null });
    expect(ev.nextAttemptAt.getTime()).toBe(clock.t + 2000);
    clock.t += 2000;
    await app.worker!.runOnce(); // attempt 3 delivers
    ev = await tdb.db.trackingEvent.findFirstOrThrow({ where: { id: ev.id } });
    expect(ev.deliveredAt).not.toBeNull();
    expect(capture.received.filter((c) => (c.body as any).data.wager_id === ref)).toHaveLength(1);
  });

  it("gives up after the maximum number of tracking attempts", async () => {
    capture.down(true);
    const r = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(r.status).toBe(200);
    for (let i = 0; i < 6; i++) {
      await app.worker!.runOnce();
      clock.t += 10 * 60_000;
    }
    const ev = await tdb.db.trackingEvent.findFirstOrThrow({ where: { playId: r.json.play.id } });
    expect(ev).toMatchObject({ attempts: 3, deliveredAt: null, lastError: "HTTP 503" });
    capture.down(false);
  });

  it("validates plays and refuses unknown lines", async () => {
    const bad = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: redSox().lineId, odds: 50, stakeCents: 10 } });
    expect(bad.status).toBe(400);
    const unknown = await call(app.plays.POST, "POST", "/api/odds/plays", { cookie: bettorCookie, body: { lineId: "f".repeat(32), odds: 138, stakeCents: 1000 } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/no longer offered/);
    const anon = await call(app.plays.POST, "POST", "/api/odds/plays", { body: { lineId: redSox().lineId, odds: 138, stakeCents: 1000 } });
    expect(anon.status).toBe(401);
  });

  it("never puts a ProphetX token in any response the browser sees", () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) {
      expect(b).not.toMatch(/pxa_|pxr_/);
      expect(b).not.toMatch(/accessToken|refreshToken|TokenEnc/);
    }
  });
});
