import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, startTestSimulator, waitFor } from "./test-support";

describe("MM REST", () => {
  let sim: SimulatorHandle;
  let api: Api;
  let ext = 0;
  const nextExt = () => `t-${++ext}`;

  beforeAll(async () => {
    sim = await startTestSimulator({ takers: false, rateLimitPerSecond: 0, initialBalance: 50_000, lpRequoteMs: 1e9, world: { driftBucketMs: 1e9 } });
    api = new Api(sim.baseUrl);
    await api.login();
  });
  afterAll(() => sim.close());

  /** A line and a "safe" price (far better than fair for us, so nothing crosses or takes it). */
  const safeLine = (eventIndex = 0) => {
    const ev = sim.control.events()[eventIndex]!;
    return { event: ev, line: ev.lines[0]!, odds: 900 };
  };

  it("answers balance and the 291-value odds ladder", async () => {
    const b = await api.get("/partner/mm/get_balance");
    expect(b.body.data).toMatchObject({ balance: 50_000, matched_wager_balance: 0, unmatched_wager_balance: 0, unmatched_wager_balance_status: "active" });
    const l = (await api.get("/partner/mm/get_odds_ladder")).body.data as number[];
    expect(l).toHaveLength(291);
    expect(l).toContain(100);
    expect(l).toContain(-101);
    expect(l).not.toContain(-100);
    expect(Math.max(...l)).toBe(10000);
  });

  it("lists tournaments, events and markets with the reference's shapes", async () => {
    const t = (await api.get("/partner/mm/get_tournaments?has_active_events=true")).body.data.tournaments;
    expect(t.map((x: any) => x.id)).toEqual([132, 31, 109, 234, 17]);
    expect(t[0]).toMatchObject({ name: "NBA", sport: { id: 2, name: "Basketball" }, category: { countryCode: "US" } });
    const evs = (await api.get("/partner/mm/get_sport_events?tournament_id=17")).body.data.sport_events;
    expect(evs.length).toBe(4);
    expect(evs[0]).toMatchObject({ tournament_id: 17, tournament_name: "Premier League", sport_name: "Soccer", status: "not_started", type: "match" });
    expect(evs[0].competitors.map((c: any) => c.side)).toEqual(["home", "away"]);
    expect(new Date(evs[0].scheduled).toISOString()).toBe(evs[0].scheduled);
    const byIds = await api.get(`/partner/mm/get_sport_events?event_ids=${evs[0].event_id},${evs[1].event_id}`);
    expect(byIds.body.data.sport_events.map((e: any) => e.event_id)).toEqual([evs[0].event_id, evs[1].event_id]);
    expect((await api.get("/partner/mm/get_sport_events?event_ids=1")).body.data.sport_events).toBeNull();

    const markets = (await api.get(`/partner/mm/get_markets?event_id=${evs[0].event_id}`)).body.data.markets;
    expect(markets.map((m: any) => m.id)).toEqual([1, 16, 18]);
    const ml = markets[0];
    expect(ml.type).toBe("moneyline");
    expect(ml.selections).toHaveLength(3);
    for (const side of ml.selections) {
      expect(side.length).toBeGreaterThan(0);
      expect(side[0].line_id).toMatch(/^[0-9a-f]{32}$/);
      expect(side[0]).toHaveProperty("display_odds");
      expect(side[0].stake).toBeGreaterThan(0);
    }
    expect(ml.selections.map((s: any) => s[0].outcome_id)).toEqual([1, 2, 3]);
    const spread = markets[1];
    expect(spread.type).toBe("spread");
    expect(spread.market_lines.filter((l: any) => l.favourite)).toHaveLength(1);
    expect(spread.market_lines[0].selections.map((s: any) => s[0].outcome_id)).toEqual([1714, 1715]);
    expect(spread).not.toHaveProperty("category_name");
    const v2 = (await api.get(`/partner/v2/mm/get_markets?event_id=${evs[0].event_id}`)).body.data.markets;
    expect(v2[2]).toMatchObject({ id: 18, type: "total", category_name: "Game Lines" });
  });

  it.each([
    ["/partner/mm/get_sport_events", 400, "invalid_param"],
    ["/partner/mm/get_sport_events?tournament_id=999", 404, "data_not_found"],
    ["/partner/mm/get_markets?event_id=123", 404, "sport_event_not_found"],
    ["/partner/mm/get_markets", 400, "invalid_event_id"],
    ["/partner/v2/mm/get_markets?event_id=abc", 400, "invalid_event_id"],
    ["/partner/mm/get_multiple_markets?event_ids=", 400, "market_event_limit_exceeded"],
    [`/partner/mm/get_multiple_markets?event_ids=${Array.from({ length: 51 }, (_, i) => i + 1).join(",")}`, 400, "market_event_limit_exceeded"],
    ["/partner/mm/get_wager/nope", 404, "data_not_found"],
    ["/partner/mm/no_such_thing", 404, "data_not_found"],
  ])("GET %s → %i %s", async (path, status, code) => {
    const r = await api.get(path);
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(code);
  });

  it("answers 405 for a wrong method", async () => {
    expect((await api.post("/partner/mm/get_balance")).status).toBe(405);
  });

  it("returns markets for many events keyed by stringified id (v1 and v2)", async () => {
    const ids = sim.control.events().slice(0, 3).map((e) => e.event_id);
    for (const path of ["/partner/mm/get_multiple_markets", "/partner/v2/mm/get_multiple_markets"]) {
      const r = await api.get(`${path}?event_ids=${ids.join(",")},777`);
      expect(Object.keys(r.body.data).sort()).toEqual(ids.map(String).sort());
      expect(r.body.data[String(ids[0])].length).toBe(3);
    }
  });

  it("places a wager: inactive at once, open after activation, stake reserved, then cancelled and refunded", async () => {
    const { line, odds } = safeLine();
    const external = nextExt();
    const r = await api.post("/partner/mm/place_wager", { external_id: external, line_id: line.line_id, odds, stake: 12.34 });
    expect(r.status).toBe(200);
    const w = r.body.data.wager;
    expect(w).toMatchObject({ external_id: external, line_id: line.line_id, odds, stake: 12.34, status: "inactive", matching_status: "unmatched", winning_status: "tbd" });
    const bal = (await api.get("/partner/mm/get_balance")).body.data;
    expect(bal.balance).toBeCloseTo(50_000 - 12.34, 2);
    expect(bal.unmatched_wager_balance).toBeCloseTo(12.34, 2);
    const opened = await waitFor(async () => {
      const g = (await api.get(`/partner/mm/get_wager/${w.id}`)).body.data.wager;
      return g.status === "open" ? g : undefined;
    });
    expect(opened.unmatched_stake).toBe(12.34);
    const c = await api.post("/partner/mm/cancel_wager", { wager_id: w.id, external_id: external });
    expect(c.status).toBe(200);
    expect(c.body.data.wager.status).toBe("canceled");
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBeCloseTo(50_000, 2);
    const again = await api.post("/partner/mm/cancel_wager", { wager_id: w.id, external_id: external });
    expect(again).toMatchObject({ status: 400, body: { error: "wager_already_cancelled" } });
  });

  it.each([
    [{ odds: 99 }, 400, "wager_invalid_odds"],
    [{ odds: -100 }, 400, "wager_invalid_odds"],
    [{ odds: 10500 }, 400, "wager_invalid_odds"],
    [{ odds: 121 }, 400, "wager_invalid_odds"],
    [{ odds: 150.5 }, 400, "wager_invalid_odds"],
    [{ line_id: "0".repeat(32) }, 400, "invalid_line_id"],
    [{ external_id: "bad id!" }, 400, "invalid_external_id"],
    [{ external_id: "x".repeat(101) }, 400, "invalid_external_id"],
    [{ stake: 0 }, 400, "invalid_stake"],
    [{ stake: -5 }, 400, "invalid_stake"],
    [{ stake: 1.234 }, 400, "invalid_stake"],
    [{ stake: 100_000_001 }, 400, "wager_stake_exceeds_max"],
    [{ stake: 0.01, odds: -10000 }, 400, "wager_invalid_profit"],
    [{ stake: 60_000 }, 403, "insufficient_amount"],
    [{ wager_strategy: "ALO" }, 400, "invalid_param"],
  ])("place_wager with %j → %i %s", async (patch, status, code) => {
    const { line, odds } = safeLine(1);
    const r = await api.post("/partner/mm/place_wager", { external_id: nextExt(), line_id: line.line_id, odds, stake: 5, ...patch });
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(code);
  });

  it("rejects a duplicate external_id, a second wager on a line still activating (opened_retry) and a cancel while placing (wager_is_placing)", async () => {
    const { line, odds } = safeLine(2);
    const external = nextExt();
    const first = await api.post("/partner/mm/place_wager", { external_id: external, line_id: line.line_id, odds, stake: 2 });
    expect(first.status).toBe(200);
    const dup = await api.post("/partner/mm/place_wager", { external_id: external, line_id: line.line_id, odds, stake: 2 });
    expect(dup).toMatchObject({ status: 400, body: { error: "wager_external_id_existed" } });
    const retry = await api.post("/partner/mm/place_wager", { external_id: nextExt(), line_id: line.line_id, odds, stake: 2 });
    expect(retry).toMatchObject({ status: 500, body: { error: "opened_retry" } });
    const placing = await api.post("/partner/mm/cancel_wager", { wager_id: first.body.data.wager.id, external_id: external });
    expect(placing).toMatchObject({ status: 409, body: { error: "wager_is_placing" } });
    await new Promise((r) => setTimeout(r, 120));
    const later = await api.post("/partner/mm/place_wager", { external_id: nextExt(), line_id: line.line_id, odds, stake: 2 });
    expect(later.status).toBe(200);
    const mismatch = await api.post("/partner/mm/cancel_wager", { wager_id: first.body.data.wager.id, external_id: "other" });
    expect(mismatch).toMatchObject({ status: 400, body: { error: "wager_not_matching_external_id" } });
    const missing = await api.post("/partner/mm/cancel_wager", { wager_id: "nope", external_id: "x" });
    expect(missing).toMatchObject({ status: 404, body: { error: "data_not_found" } });
  });

  it("places batches of at most 20 with per-item failures, and cancels in batches, by market, by event and all", async () => {
    const ev = sim.control.events()[3]!;
    const items = ev.lines.slice(0, 6).map((l) => ({ external_id: nextExt(), line_id: l.line_id, odds: 900, stake: 1 }));
    items.push({ external_id: nextExt(), line_id: "f".repeat(32), odds: 900, stake: 1 });
    const tooMany = await api.post("/partner/mm/place_multiple_wagers", { data: Array.from({ length: 21 }, () => items[0]) });
    expect(tooMany).toMatchObject({ status: 400, body: { error: "wager_limit_exceeded" } });
    const r = await api.post("/partner/mm/place_multiple_wagers", { data: items });
    expect(r.status).toBe(200);
    expect(r.body.data.succeed_wagers).toHaveLength(6);
    expect(r.body.data.failed_wagers).toEqual([expect.objectContaining({ error: "invalid_line_id", line_id: "f".repeat(32) })]);
    const placed = r.body.data.succeed_wagers as any[];
    await new Promise((res) => setTimeout(res, 120));
    const batch = await api.post("/partner/mm/cancel_multiple_wagers", {
      data: [{ wager_id: placed[0].id, external_id: placed[0].external_id }, { wager_id: "missing", external_id: "x" }],
    });
    expect(batch.body.data.succeed_cancel_wagers).toHaveLength(1);
    expect(batch.body.data.failed_cancel_wagers[0]).toMatchObject({ wager_id: "missing", error: "data_not_found" });
    const byMarket = await api.post("/partner/mm/cancel_wagers_by_market", { event_id: ev.event_id, market_id: placed[1].market_id, line_id: placed[1].line_id });
    expect(byMarket.body.data.canceled_wagers.map((w: any) => w.id)).toEqual([placed[1].id]);
    const byEvent = await api.post("/partner/mm/cancel_wagers_by_event", { event_id: ev.event_id });
    expect(byEvent.body.data.canceled_wagers).toHaveLength(4);
    const all = await api.post("/partner/mm/cancel_all_wagers", {});
    expect(all.status === 200 || all.status === 404).toBe(true);
    const none = await api.post("/partner/mm/cancel_all_wagers", {});
    expect(none).toMatchObject({ status: 404, body: { error: "no_cancellable_wagers" } });
    expect((await api.post("/partner/mm/cancel_wagers_by_event", { event_id: "x" })).body.error).toBe("invalid_event_id");
  });

  it("pages wager histories and validates the date range", async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await api.get(`/partner/v2/mm/get_wager_histories?from=${now - 3600}&to=${now + 60}&limit=2`);
    expect(r.status).toBe(200);
    expect(r.body.data.wagers).toHaveLength(2);
    expect(r.body.data.next_cursor).toBeTruthy();
    const p2 = await api.get(`/partner/v2/mm/get_wager_histories?from=${now - 3600}&to=${now + 60}&limit=2&cursor=${encodeURIComponent(r.body.data.next_cursor)}`);
    expect(p2.body.data.wagers[0].id).not.toBe(r.body.data.wagers[0].id);
    const canceled = await api.get(`/partner/v2/mm/get_wager_histories?from=${now - 3600}&to=${now + 60}&status=canceled`);
    expect(canceled.body.data.wagers.every((w: any) => w.status === "canceled")).toBe(true);
    for (const [q, code] of [
      ["", "missing_date_range"],
      [`from=${now}&to=${now - 10}`, "from_date_greater_than_to_date"],
      [`from=${now - 8 * 86400}&to=${now}`, "invalid_from_to_range"],
      [`from=${now - 10}&to=${now}&cursor=%%%`, "invalid_cursor"],
    ] as const) {
      const bad = await api.get(`/partner/v2/mm/get_wager_histories?${q}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe(code);
    }
  });

  it("matches wagers that cross the book at activation at the resting price, and lists the matched bets", async () => {
    // The steepest favourite's price and two others: the reported matched odds must be exact even
    // where cents rounding of the profit is coarse (e.g. −1100).
    const candidates: any[] = [];
    for (const ev of sim.control.events().slice(5, 12)) {
      const markets = (await api.get(`/partner/mm/get_markets?event_id=${ev.event_id}`)).body.data.markets;
      for (const ml of markets[1].market_lines) for (const side of ml.selections) candidates.push(side[0]);
    }
    candidates.sort((a, b) => a.odds - b.odds);
    for (const best of [candidates[0], candidates[Math.floor(candidates.length / 2)], candidates.at(-1)]) {
      const r = await api.post("/partner/mm/place_wager", { external_id: nextExt(), line_id: best.line_id, odds: best.odds, stake: 10 });
      expect(r.status).toBe(200);
      const w = await waitFor(async () => {
        const g = (await api.get(`/partner/mm/get_wager/${r.body.data.wager.id}`)).body.data.wager;
        return g.matching_status === "fully_matched" ? g : undefined;
      });
      expect(w.totally_matched_stake).toBe(10);
      expect(w.matched_odds).toBe(best.odds);
      const mb = (await api.get("/partner/mm/get_matched_bets")).body.data.matched_bets;
      expect(mb[0]).toMatchObject({ wager_id: w.id, matched_odds: best.odds, matched_stake: 10, line_id: best.line_id });
    }
    const bal = (await api.get("/partner/mm/get_balance")).body.data;
    expect(bal.matched_wager_balance).toBeGreaterThanOrEqual(30);
  });

  it("serves the websocket connection-config as a bare object", async () => {
    for (const path of ["/partner/websocket/connection-config", "/parlay/sp/websocket/connection-config"]) {
      const r = await api.get(path);
      expect(r.body).toEqual({ key: sim.pusher.key, cluster: "sim", app_id: sim.pusher.appId, service: "pusher", ws_host: "127.0.0.1", ws_port: sim.port, use_tls: false });
    }
  });
});
