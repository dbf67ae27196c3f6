// The B2B simulator over real HTTP: affiliate auth and shapes, session lifetimes (injected clock),
// the geolocation flow, wagers (geo required, odds moved, idempotency), tracking capture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_TTL_MS, REFRESH_TTL_MS, SIM_AFFILIATE_KEY, SIM_BLOCKED_USER, SIM_USER, createMemoryWorld, startB2bSimulator, type MemoryWorld, type RunningB2bSimulator } from "./index.ts";

let sim: RunningB2bSimulator;
let world: MemoryWorld;
const clock = { t: Date.parse("2030-06-01T12:00:00Z") };

const req = async (method: string, path: string, opts: { auth?: string; body?: unknown } = {}) => {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { ...(opts.auth ? { authorization: opts.auth } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

const login = async (u: { email: string; password: string } = SIM_USER) => {
  const r = await req("POST", "/api/v1/auth/login", { body: { email: u.email, password: u.password } });
  expect(r.status).toBe(200);
  return r.body as { accessToken: string; refreshToken: string };
};

const geo = async (access: string) => {
  const lic = await req("GET", "/api/v1/geocomply/license?isSecure=true", { auth: `Bearer ${access}` });
  const me = await req("GET", "/api/v1/me", { auth: `Bearer ${access}` });
  const sdk = await req("POST", "/api/v1/geocomply/sim/sdk", { body: { license: lic.body.data.license, userId: me.body.data.id } });
  return req("POST", "/api/v1/geocomply/decrypt", { auth: `Bearer ${access}`, body: { geoPacket: sdk.body.data.geoPacket } });
};

beforeAll(async () => {
  world = createMemoryWorld();
  sim = await startB2bSimulator({ port: 0, world, now: () => clock.t });
});
afterAll(() => sim.close());

describe("affiliate API", () => {
  it("takes the raw key and refuses Bearer or a wrong key", async () => {
    expect((await req("GET", "/affiliate/get_sport_events?tournament_id=109", { auth: SIM_AFFILIATE_KEY })).status).toBe(200);
    expect((await req("GET", "/affiliate/get_sport_events?tournament_id=109", { auth: `Bearer ${SIM_AFFILIATE_KEY}` })).status).toBe(401);
    expect((await req("GET", "/affiliate/get_sport_events?tournament_id=109")).status).toBe(401);
  });

  it("lists tournaments, events and markets with selections carrying line ids", async () => {
    const t = await req("GET", "/affiliate/get_tournaments", { auth: SIM_AFFILIATE_KEY });
    expect(t.body.data.tournaments.map((x: any) => x.id)).toEqual([109, 132]);
    const ev = await req("GET", "/affiliate/get_sport_events?tournament_id=109", { auth: SIM_AFFILIATE_KEY });
    expect(ev.body.data.sport_events).toHaveLength(2);
    expect(ev.body.data.sport_events[0]).toMatchObject({ event_id: 10901, tournament_id: 109, sport_name: "Baseball" });
    const none = await req("GET", "/affiliate/get_sport_events?tournament_id=999", { auth: SIM_AFFILIATE_KEY });
    expect(none.body.data.sport_events).toBeNull();
    const mk = await req("GET", "/affiliate/get_multiple_markets?event_ids=10901,10902", { auth: SIM_AFFILIATE_KEY });
    expect(Object.keys(mk.body.data).sort()).toEqual(["10901", "10902"]);
    const totalMarket = mk.body.data["10901"].find((m: any) => m.type === "total");
    expect(totalMarket.selections[1]).toEqual({ line_id: expect.stringMatching(/^[0-9a-f]{32}$/), name: "under 7.5", display_name: "under 7.5", display_odds: "+119", odds: 119, stake: 250, line: 7.5, outcome_id: 13 });
    expect((await req("GET", "/affiliate/get_multiple_markets?event_ids=", { auth: SIM_AFFILIATE_KEY })).body.error).toBe("market_event_limit_exceeded");
  });
});

describe("user session", () => {
  it("logs in, answers /me, expires the access token after 1 h and extends the session with the refresh token", async () => {
    expect((await req("POST", "/api/v1/auth/login", { body: { email: SIM_USER.email, password: "wrong" } })).status).toBe(401);
    const t = await login();
    const me = await req("GET", "/api/v1/me", { auth: `Bearer ${t.accessToken}` });
    expect(me.body.data).toMatchObject({ id: sim.sim.users.get(SIM_USER.email)!.id, email: SIM_USER.email });
    expect((await req("GET", "/api/v1/me", { auth: `Bearer ${t.refreshToken}` })).status).toBe(401); // wrong kind
    expect((await req("GET", "/api/v1/me", { auth: t.accessToken })).status).toBe(401); // no Bearer

    clock.t += ACCESS_TTL_MS + 1;
    const expired = await req("GET", "/api/v1/me", { auth: `Bearer ${t.accessToken}` });
    expect(expired).toMatchObject({ status: 401, body: { error: "token_expired" } });

    const ext = await req("POST", "/api/v1/auth/extend-session", { auth: `Bearer ${t.refreshToken}` });
    expect(ext.status).toBe(200);
    expect(ext.body.refreshToken).not.toBe(t.refreshToken);
    expect((await req("GET", "/api/v1/me", { auth: `Bearer ${ext.body.accessToken}` })).status).toBe(200);
    // The old refresh token was rolled over.
    expect((await req("POST", "/api/v1/auth/extend-session", { auth: `Bearer ${t.refreshToken}` })).status).toBe(401);

    clock.t += REFRESH_TTL_MS + 1;
    expect((await req("POST", "/api/v1/auth/extend-session", { auth: `Bearer ${ext.body.refreshToken}` })).body.error).toBe("token_expired");
  });
});

describe("geolocation", () => {
  it("passes in an allowed state: error_code 0 and isActiveStates true", async () => {
    const r = await geo((await login()).accessToken);
    expect(r.body.data.result).toContain("<error_code>0</error_code>");
    expect(r.body.data.isActiveStates).toBe(true);
    expect(r.body.data.state).toBe("NJ");
  });

  it("blocks a user in a state that is not allowed, and follows admin changes", async () => {
    const t = await login(SIM_BLOCKED_USER);
    const r = await geo(t.accessToken);
    expect(r.body.data.result).toContain("<error_code>0</error_code>");
    expect(r.body.data.isActiveStates).toBe(false);
    await req("POST", "/__b2b/admin/geo", { body: { email: SIM_BLOCKED_USER.email, state: "NY" } });
    expect((await geo(t.accessToken)).body.data.isActiveStates).toBe(true);
    await req("POST", "/__b2b/admin/geo", { body: { email: SIM_BLOCKED_USER.email, state: null } });
    const unknown = await geo(t.accessToken);
    expect(unknown.body.data.result).toContain("<error_code>604</error_code>");
    sim.sim.users.setState(SIM_BLOCKED_USER.email, "CA");
  });

  it("licenses are one-time", async () => {
    const t = await login();
    const lic = await req("GET", "/api/v1/geocomply/license?isSecure=true", { auth: `Bearer ${t.accessToken}` });
    const me = await req("GET", "/api/v1/me", { auth: `Bearer ${t.accessToken}` });
    const sdk = await req("POST", "/api/v1/geocomply/sim/sdk", { body: { license: lic.body.data.license, userId: me.body.data.id } });
    expect((await req("POST", "/api/v1/geocomply/decrypt", { auth: `Bearer ${t.accessToken}`, body: { geoPacket: sdk.body.data.geoPacket } })).body.data.isActiveStates).toBe(true);
    const again = await req("POST", "/api/v1/geocomply/decrypt", { auth: `Bearer ${t.accessToken}`, body: { geoPacket: sdk.body.data.geoPacket } });
    expect(again.body.data.result).toContain("<error_code>621</error_code>");
    expect(again.body.data.isActiveStates).toBe(false);
  });
});

describe("wagers", () => {
  const line = () => world.markets(10902)![0]!.selections[1]!; // Boston Red Sox +138

  it("needs a passed geolocation check (within the last 10 minutes)", async () => {
    clock.t += 11 * 60_000;
    const t = await login();
    const r = await req("POST", "/trade/private/api/v2/wagers", { auth: `Bearer ${t.accessToken}`, body: { lineID: line().lineId, odds: 138, stake: 10 } });
    expect(r).toMatchObject({ status: 403, body: { error: "geolocation_required" } });
  });

  it("places at the current odds, is idempotent on external_id, and refuses moved odds with the current price", async () => {
    const t = await login();
    await geo(t.accessToken);
    const auth = `Bearer ${t.accessToken}`;
    const before = sim.sim.wagers().length;
    const ok = await req("POST", "/trade/private/api/v2/wagers", { auth, body: { lineID: line().lineId, odds: 138, stake: 10.5, external_id: "ply_test_1" } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.wager).toMatchObject({ refId: expect.stringMatching(/^ref_/), lineID: line().lineId, odds: 138, stake: 10.5, status: "placed" });
    const dup = await req("POST", "/trade/private/api/v2/wagers", { auth, body: { lineID: line().lineId, odds: 138, stake: 10.5, external_id: "ply_test_1" } });
    expect(dup.body.data.wager.refId).toBe(ok.body.data.wager.refId);
    expect(sim.sim.wagers().length).toBe(before + 1);
    expect(line().stake).toBe(489.5);

    world.setOdds(line().lineId, 145);
    const moved = await req("POST", "/trade/private/api/v2/wagers", { auth, body: { lineID: line().lineId, odds: 138, stake: 10 } });
    expect(moved).toMatchObject({ status: 400, body: { error: "odds_changed", current_odds: 145, display_odds: "+145" } });
    expect(sim.sim.wagers().length).toBe(before + 1);
    expect((await req("POST", "/trade/private/api/v2/wagers", { auth, body: { lineID: line().lineId, odds: 138, stake: 10.001 } })).body.error).toBe("invalid_stake");
    expect((await req("POST", "/trade/private/api/v2/wagers", { auth, body: { lineID: "nope", odds: 138, stake: 10 } })).status).toBe(404);
    const listed = await req("GET", `/__b2b/admin/wagers?email=${encodeURIComponent(SIM_USER.email)}`);
    expect(listed.body.data.wagers.map((w: any) => w.refId)).toContain(ok.body.data.wager.refId);
  });
});

describe("tracking capture and mounting", () => {
  it("records Customer.io-shaped events, can simulate an outage, and leaves other paths alone", async () => {
    sim.sim.failNextTracking(1);
    const body = { name: "Bet Placed", data: { wager_id: "ref_1", bet_placement_location: "x" } };
    expect((await req("POST", "/track/api/v1/customers/u1/events", { body })).status).toBe(503);
    expect((await req("POST", "/track/api/v1/customers/u1/events", { body })).status).toBe(200);
    expect(sim.sim.tracked()).toEqual([expect.objectContaining({ userId: "u1", body })]);
    expect(sim.sim.handles("/partner/mm/get_balance")).toBe(false);
    expect(sim.sim.handles("/api/v1/me")).toBe(true);
  });
});
