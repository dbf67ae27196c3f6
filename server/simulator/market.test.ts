import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { americanToDecimal, probabilityToAmericanFloor } from "../../lib/odds/american";
import { snapToLadder, tickFrom } from "../../lib/odds/ladder";
import type { SimulatorHandle } from "./index";
import { Api, connectPusher, decodeMm, findEvents, startTestSimulator, waitFor, type PusherSession } from "./test-support";

describe("the living MM market", () => {
  let sim: SimulatorHandle;
  let api: Api;
  let mm: PusherSession;
  let ext = 0;

  beforeAll(async () => {
    sim = await startTestSimulator({
      rateLimitPerSecond: 0,
      taker: { sharpBaseRate: 8, recreationalRatePerLine: 0 },
      lpRequoteMs: 1e9,
      world: { driftBucketMs: 1e9 },
      initialBalance: 10_000,
      fillOrKillMs: 300,
    });
    api = new Api(sim.baseUrl);
    await api.login();
    mm = await connectPusher(sim, api, "mm");
  });
  afterAll(async () => {
    mm?.close();
    await sim.close();
  });

  const wagerEvents = (id: string) => findEvents(mm, "wagers").map((e) => decodeMm(e.data).info).filter((w) => w.id === id);

  /** Best odds a taker can back outcome `lineId` at, from the REST book. */
  const bestTakerOdds = async (eventId: number, lineId: string): Promise<number> => {
    const markets = (await api.get(`/partner/mm/get_markets?event_id=${eventId}`)).body.data.markets;
    for (const m of markets) for (const ml of m.market_lines) for (const side of ml.selections) if (side[0].line_id === lineId) return side[0].odds;
    throw new Error("line not found");
  };

  it("lets sharp takers pick off a wager priced on the wrong side of the truth, but not a generous one", async () => {
    // Find a line where one tick above the best provider price (no crossing) still gives the other
    // side an edge of at least 1.5%.
    let chosen: { eventId: number; tournamentId: number; lineId: string; odds: number; otherLineId: string; pOther: number } | undefined;
    for (const ev of sim.control.events().filter((e) => e.status === "not_started" && e.tournament_id !== 17)) {
      for (const [i, line] of ev.lines.entries()) {
        const partner = ev.lines[i % 2 === 0 ? i + 1 : i - 1]!;
        if (partner.market_id !== line.market_id) continue;
        const p = sim.truth.lineProbability(line.line_id)!;
        const best = await bestTakerOdds(ev.event_id, line.line_id);
        const above = tickFrom(best, 1);
        if (above === undefined || americanToDecimal(above) <= americanToDecimal(best)) continue;
        const edgeForTakers = (1 - p) * americanToDecimal(-above === -100 ? 100 : -above) - 1;
        if (edgeForTakers >= 0.015) {
          chosen = { eventId: ev.event_id, tournamentId: ev.tournament_id, lineId: line.line_id, odds: above, otherLineId: partner.line_id, pOther: sim.truth.lineProbability(partner.line_id)! };
          break;
        }
      }
      if (chosen) break;
    }
    expect(chosen).toBeDefined();
    const c = chosen!;
    const r1 = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: c.lineId, odds: c.odds, stake: 20 });
    const generous = snapToLadder(probabilityToAmericanFloor(c.pOther * 0.8), "down");
    const r2 = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: c.otherLineId, odds: generous, stake: 20 });
    expect(r1.status).toBe(200);
    expect(r2.status).toBe(200);
    const picked = await waitFor(() => wagerEvents(r1.body.data.wager.id).find((w) => w.update_type === "matching"), 6000, "pick-off");
    expect(picked.matched_odds).toBe(c.odds);
    expect(picked.matched_stake).toBeGreaterThan(0);
    const print = await waitFor(
      () => findEvents(mm, `tournament_${c.tournamentId}`, (d) => d.change_type === "matched_bet").map((e) => decodeMm(e.data).info).find((i) => i.line_id === c.lineId),
      3000,
      "matched_bet broadcast",
    );
    expect(print).toMatchObject({ sport_event_id: c.eventId, odds: c.odds, matched_odds: c.odds });
    await new Promise((r) => setTimeout(r, 500));
    expect(wagerEvents(r2.body.data.wager.id).filter((w) => w.update_type === "matching")).toHaveLength(0);
  });

  it("wipes unmatched wagers at kick-off and settles matched ones from the result", async () => {
    const ev = sim.control.events().find((e) => e.tournament_id === 234)!;
    const [home, away] = ev.lines;
    const best = await bestTakerOdds(ev.event_id, home!.line_id);
    const startBalance = (await api.get("/partner/mm/get_balance")).body.data.balance;
    // Crosses the book at once (matched), and a resting one that will be wiped.
    const m = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: home!.line_id, odds: best, stake: 10 });
    const rest = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: away!.line_id, odds: 2000, stake: 7 });
    const mid = m.body.data.wager.id;
    await waitFor(() => wagerEvents(mid).find((w) => w.matching_status === "fully_matched"), 3000, "matched");
    await waitFor(() => wagerEvents(rest.body.data.wager.id).find((w) => w.status === "open"), 3000, "resting open");
    sim.control.startEvent(ev.event_id);
    const wiped = await waitFor(() => wagerEvents(rest.body.data.wager.id).find((w) => w.status === "wiped"), 3000, "wiped");
    expect(wiped.unmatched_stake).toBe(0);
    sim.control.settleEvent(ev.event_id);
    const won = sim.truth.event(ev.event_id)!.lines[0]!.result === "won";
    const final = await waitFor(() => wagerEvents(mid).find((w) => w.status === "closed"), 3000, "closed");
    const matchedProfit = Math.floor(10 * 100 * (americanToDecimal(best) - 1)) / 100;
    expect(final.winning_status).toBe(won ? "won" : "lost");
    if (won) expect(wagerEvents(mid).map((w) => w.status)).toContain("settled");
    expect(final.settled_profit).toBeCloseTo(won ? matchedProfit : -10, 2);
    const endBalance = (await api.get("/partner/mm/get_balance")).body.data.balance;
    expect(endBalance).toBeCloseTo(startBalance + (won ? matchedProfit : -10), 2);
    const placeAfter = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: home!.line_id, odds: 900, stake: 1 });
    expect(placeAfter).toMatchObject({ status: 400, body: { error: "event_not_available" } });
  });

  it("cancels the rest of a fillOrKill wager after the fill window", async () => {
    const ev = sim.control.events().find((e) => e.tournament_id === 17 && e.status === "not_started")!;
    const r = await api.post("/partner/mm/place_wager", { external_id: `m-${++ext}`, line_id: ev.lines[0]!.line_id, odds: 5000, stake: 2, wager_strategy: "fillOrKill" });
    expect(r.body.data.wager.wager_strategy).toBe("fillOrKill");
    const c = await waitFor(() => wagerEvents(r.body.data.wager.id).find((w) => w.status === "canceled"), 4000, "fok cancel");
    expect(c.unmatched_stake).toBe(0);
  });

  it("moves prices when the truth drifts: providers requote and publish market_selections", async () => {
    const s2 = await startTestSimulator({ takers: false, timeScale: 600, world: { driftBucketMs: 60_000 }, lpRequoteMs: 1e9 });
    try {
      const a2 = new Api(s2.baseUrl);
      await a2.login();
      const conn = await connectPusher(s2, a2, "mm");
      try {
        const ev = s2.control.events()[0]!;
        const p0 = s2.truth.lineProbability(ev.lines[0]!.line_id)!;
        await waitFor(() => s2.truth.lineProbability(ev.lines[0]!.line_id) !== p0, 4000, "truth drift");
        await waitFor(() => findEvents(conn, `tournament_${ev.tournament_id}`, (d) => d.change_type === "market_selections").length > 0, 4000, "requote");
        expect(s2.stats.market.lpRequotes).toBeGreaterThan(ev.lines.length);
      } finally {
        conn.close();
      }
    } finally {
      await s2.close();
    }
  });
});
