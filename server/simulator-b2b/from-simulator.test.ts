// fromSimulator over the core simulator's real world runtime and order books (server/simulator),
// served by the B2B simulator over HTTP. Liquidity is put into the books by hand instead of the
// simulator's liquidity providers, so prices are known.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_WORLD_OPTIONS } from "../../lib/simulation/world.ts";
import { WorldRuntime, type LineRuntime } from "../simulator/world-runtime.ts";
import { fromSimulator } from "./from-simulator.ts";
import { SIM_AFFILIATE_KEY, SIM_USER, startB2bSimulator, type RunningB2bSimulator } from "./index.ts";

const T0 = Date.parse("2030-06-01T12:00:00Z");
let world: WorldRuntime;
let sim: RunningB2bSimulator;
let ml: LineRuntime;

const get = async (path: string, auth: string) => (await fetch(`${sim.url}${path}`, { headers: { authorization: auth } })).json() as Promise<any>;
const post = async (path: string, body: unknown, auth?: string) => {
  const r = await fetch(`${sim.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as any };
};

beforeAll(async () => {
  world = new WorldRuntime({ ...DEFAULT_WORLD_OPTIONS, seed: 7, startTimeMs: T0 }, 10 * 60_000, () => 1);
  world.advance(T0);
  const ev = world.listedEvents()[0]!;
  ml = ev.lines.find((l) => l.def.marketType === "moneyline")!;
  ml.book.addOffer("lp-0", "lp", 0, 150, 30_000); // takers backing outcome 0 get +150; makers risk $300
  ml.book.addOffer("lp-1", "lp", 1, -170, 30_000);
  const execute = (line: LineRuntime, list: number, stake: number, minOdds: number) => line.book.take(list, stake, minOdds);
  sim = await startB2bSimulator({ port: 0, world: fromSimulator({ world, activity: { execute } as never }) });
});
afterAll(() => sim?.close());

describe("fromSimulator", () => {
  it("serves the core world's tournaments, events and best bettor prices through the affiliate API", async () => {
    const ev = ml.event;
    const tournaments = await get("/affiliate/get_tournaments", SIM_AFFILIATE_KEY);
    expect(tournaments.data.tournaments.map((t: any) => t.id)).toContain(ev.def.tournamentId);
    const events = await get(`/affiliate/get_sport_events?tournament_id=${ev.def.tournamentId}`, SIM_AFFILIATE_KEY);
    expect(events.data.sport_events.map((e: any) => e.event_id)).toContain(ev.def.eventId);
    const markets = await get(`/affiliate/get_multiple_markets?event_ids=${ev.def.eventId}`, SIM_AFFILIATE_KEY);
    const moneyline = markets.data[String(ev.def.eventId)].find((m: any) => m.type === "moneyline");
    expect(moneyline.selections.map((s: any) => [s.line_id, s.odds])).toEqual([
      [ml.def.outcomes[0]!.lineId, 150],
      [ml.def.outcomes[1]!.lineId, -170],
    ]);
    expect(moneyline.selections[0].stake).toBe(200); // $300 maker risk at +150 absorbs $200
  });

  it("places a user wager against the book at the shown price and refuses a moved price", async () => {
    const t = (await post("/api/v1/auth/login", SIM_USER)).body;
    const auth = `Bearer ${t.accessToken}`;
    const lic = (await get("/api/v1/geocomply/license?isSecure=true", auth)).data.license;
    const me = (await get("/api/v1/me", auth)).data.id;
    const packet = (await post("/api/v1/geocomply/sim/sdk", { license: lic, userId: me })).body.data.geoPacket;
    expect((await post("/api/v1/geocomply/decrypt", { geoPacket: packet }, auth)).body.data.isActiveStates).toBe(true);

    const lineId = ml.def.outcomes[0]!.lineId;
    const ok = await post("/trade/private/api/v2/wagers", { lineID: lineId, odds: 150, stake: 50 }, auth);
    expect(ok.status).toBe(200);
    expect(ml.book.levels(0, 1)[0]!.stakeCents).toBe(15_000);

    const moved = await post("/trade/private/api/v2/wagers", { lineID: lineId, odds: 155, stake: 10 }, auth);
    expect(moved).toMatchObject({ status: 400, body: { error: "odds_changed", current_odds: 150 } });
    const tooBig = await post("/trade/private/api/v2/wagers", { lineID: lineId, odds: 150, stake: 500 }, auth);
    expect(tooBig).toMatchObject({ status: 400, body: { error: "insufficient_liquidity" } });
    expect(ml.book.levels(0, 1)[0]!.stakeCents).toBe(15_000);
  });
});
