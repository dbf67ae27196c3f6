import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, startTestSimulator } from "./test-support";

describe("the B2B odds-screen module mounted on the simulator", () => {
  let sim: SimulatorHandle;
  let api: Api;
  const aff = { authorization: "sim-affiliate-key" };

  beforeAll(async () => {
    sim = await startTestSimulator({ takers: false, lpRequoteMs: 1e9, world: { driftBucketMs: 1e9 } });
    api = new Api(sim.baseUrl);
    await api.login();
  });
  afterAll(() => sim.close());

  it("serves affiliate data from this world and these books", async () => {
    const evs = (await api.get("/affiliate/get_sport_events?tournament_id=132", aff)).body.data.sport_events;
    expect(evs.map((e: any) => e.event_id)).toEqual(sim.control.events().filter((e) => e.tournament_id === 132).map((e) => e.event_id));
    const id = evs[0].event_id;
    const aMarkets = (await api.get(`/affiliate/get_multiple_markets?event_ids=${id}`, aff)).body.data[String(id)];
    const core = (await api.get(`/partner/mm/get_markets?event_id=${id}`)).body.data.markets;
    const home = aMarkets[0].selections[0];
    expect(home.line_id).toBe(core[0].selections[0][0].line_id);
    expect(home.odds).toBe(core[0].selections[0][0].odds);
  });

  it("lets a located user take liquidity from the core book", async () => {
    const login = await api.post("/api/v1/auth/login", { email: "bettor@prophetx.sim", password: "sim-password" });
    expect(login.status).toBe(200);
    const user = new Api(sim.baseUrl);
    user.token = login.body.accessToken;
    const ev = sim.control.events()[0]!;
    const core = () => api.get(`/partner/mm/get_markets?event_id=${ev.event_id}`).then((r) => r.body.data.markets[0].selections[0][0]);
    const before = await core();
    const noGeo = await user.post("/trade/private/api/v2/wagers", { lineID: before.line_id, odds: before.odds, stake: 5 });
    expect(noGeo).toMatchObject({ status: 403, body: { error: "geolocation_required" } });
    const me = (await user.get("/api/v1/me")).body.data;
    const license = (await user.get("/api/v1/geocomply/license?isSecure=true")).body.data.license;
    const packet = (await user.post("/api/v1/geocomply/sim/sdk", { license, userId: me.id })).body.data.geoPacket;
    expect((await user.post("/api/v1/geocomply/decrypt", { geoPacket: packet })).body.data.isActiveStates).toBe(true);
    const trades = sim.stats.market.takerTrades;
    const r = await user.post("/trade/private/api/v2/wagers", { lineID: before.line_id, odds: before.odds, stake: 5 });
    expect(r.status).toBe(200);
    expect(sim.stats.market.takerTrades).toBe(trades + 1);
    const after = await core();
    expect(after.odds === before.odds ? before.stake - after.stake : 5).toBeCloseTo(5, 2);
  });
});
