import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, connectPusher, findEvents, startTestSimulator, waitFor, type PusherSession } from "./test-support";

const inNs = (ms: number) => (BigInt(Date.now() + ms) * 1_000_000n).toString();

describe("parlay RFQ flow (service provider)", () => {
  let sim: SimulatorHandle;
  let api: Api;
  let sp: PusherSession;
  let legs: string[];
  let eventIds: number[];

  beforeAll(async () => {
    // Windows long enough for a loaded CI machine to answer in time.
    sim = await startTestSimulator({ takers: false, offerWindowMs: 700, confirmDeadlineMs: 1500, rateLimitPerSecond: 0, initialBalance: 1_000 });
    api = new Api(sim.baseUrl);
    await api.login();
    sp = await connectPusher(sim, api, "sp");
    const evs = sim.control.events();
    const a = evs.find((e) => e.tournament_id === 132)!;
    const b = evs.find((e) => e.tournament_id === 31)!;
    eventIds = [a.event_id, b.event_id];
    legs = [a.lines.find((l) => l.outcome_id === 4)!.line_id, b.lines.find((l) => l.outcome_id === 12)!.line_id];
    const all = [...a.lines, ...b.lines].map((l) => l.line_id);
    const r = await api.post("/parlay/sp/supported-lines", { supported_lines: all });
    expect(r.body.data.supported_lines_count).toBe(all.length);
  });
  afterAll(async () => {
    sp?.close();
    await sim.close();
  });
  beforeEach(() => sim.control.setBalance(1_000));

  const askFor = (parlayId: string) => waitFor(() => findEvents(sp, "price.ask.new", (d) => d.payload.parlay_id === parlayId)[0], 3000, "price.ask.new");
  const confirmFor = (parlayId: string, n = 1) =>
    waitFor(() => {
      const list = findEvents(sp, "price.confirm.new", (d) => d.payload.parlay_id === parlayId);
      return list.length >= n ? list.map((e) => e.data.payload) : undefined;
    }, 3000, "price.confirm.new");

  it("manages supported lines (POST, GET, DELETE) and rejects unknown ids", async () => {
    const got = await api.get("/parlay/sp/supported-lines");
    expect(got.body.data.supported_lines).toEqual(expect.arrayContaining(legs));
    const extra = sim.control.events()[2]!.lines[0]!.line_id;
    expect((await api.post("/parlay/sp/supported-lines", { supported_lines: [extra] })).body.data.supported_lines_count).toBe(got.body.data.total + 1);
    const del = await api.del("/parlay/sp/supported-lines", { supported_lines: [extra] });
    expect(del.body.data.supported_lines_count).toBe(got.body.data.total);
    expect(await api.post("/parlay/sp/supported-lines", { supported_lines: ["nope"] })).toMatchObject({ status: 400, body: { error: "invalid_line_id" } });
    expect((await api.post("/parlay/sp/supported-lines", { supported_lines: "x" })).body.error).toBe("invalid_param");
  });

  it("runs RFQ → offer → confirmation → finalization → settlement with real P&L", async () => {
    const { parlayId } = sim.control.triggerRfq({ legs, stake: 10, rivals: "none", bettor: "accept-all" });
    const ask = await askFor(parlayId);
    expect(ask.channel).toBe(sp.broadcast);
    expect(ask.data).toMatchObject({ change_type: "price.ask.new", op: "c" });
    const p = ask.data.payload;
    expect(p).toMatchObject({ parlay_id: parlayId, stake: 10, creator_id: expect.any(String) });
    expect(p.callback_url).toBe(`${sim.baseUrl}/parlay/sp/orders/offers`);
    expect(p.market_lines.map((l: any) => l.line_id)).toEqual(legs);
    expect(p.market_lines[0]).toMatchObject({ market_id: 219, outcome_id: 4, sport_event_id: eventIds[0] });
    expect(p.market_lines[1]).toMatchObject({ market_id: 225, outcome_id: 12, sport_event_id: eventIds[1] });

    const offer = await api.post(p.callback_url.replace(sim.baseUrl, ""), {
      parlay_id: parlayId,
      offers: [{ valid_until: inNs(10_000), odds: 250, max_risk: 100, estimated_price: legs.map((l) => ({ line_id: l, odds: 58 + 100 })) }],
    });
    expect(offer).toMatchObject({ status: 200, body: { data: { success: true, offers: 1 } } });

    const [confirm] = await confirmFor(parlayId);
    expect(confirm).toMatchObject({ parlay_id: parlayId, odds: 250, stake: 10, max_risk: 100 });
    expect(confirm.callback_url).toBe(`${sim.baseUrl}/parlay/sp/orders/confirmations?order_uuid=${confirm.order_uuid}`);
    const ok = await api.post(confirm.callback_url.replace(sim.baseUrl, ""), {
      action: "accept",
      confirmed_odds: 250,
      order_uuid: confirm.order_uuid,
      price_probability: [{ max_risk: 100, lines: legs.map((l) => ({ line_id: l, probability: 0.55 })) }],
    });
    expect(ok).toMatchObject({ status: 200, body: { data: { status: "finalized" } } });
    const fin = await waitFor(() => findEvents(sp, "order.finalized", (d) => d.payload.order_uuid === confirm.order_uuid)[0], 3000, "order.finalized");
    expect(fin.channel).toBe(sp.private);
    expect(fin.data.payload).toMatchObject({ parlay_id: parlayId, confirmed_stake: 10, odds: -250, status: "finalized" });
    const matched = await waitFor(() => findEvents(sp, "order.matched", (d) => d.payload.parlay_id === parlayId)[0], 3000, "order.matched");
    expect(matched.channel).toBe(sp.broadcast);
    expect(matched.data.payload).toMatchObject({ matched_odds: 250, matched_stake: 10 });
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(975);
    const orders = (await api.get("/parlay/sp/orders?limit=5")).body.data.orders;
    expect(orders[0]).toMatchObject({ order_uuid: confirm.order_uuid, p_id: parlayId, status: "finalized", stake: 10, odds: 250, liability: 25 });

    const view = await sim.control.waitForParlay(parlayId);
    expect(view).toMatchObject({ status: "done", outcome: "filled", filledStake: 10 });
    for (const id of eventIds) sim.control.settleEvent(id);
    const won = legs.every((l, i) => sim.truth.event(eventIds[i]!)!.lines.find((x) => x.line_id === l)!.result === "won");
    const settled = await waitFor(() => findEvents(sp, "order.settled", (d) => d.payload.order_uuid === confirm.order_uuid)[0], 3000, "order.settled");
    expect(settled.data.payload).toMatchObject({ parlay_id: parlayId, settlement_status: won ? "lost" : "won", profit: won ? -25 : 10 });
    const ps = await waitFor(() => findEvents(sp, "parlay.settled", (d) => d.payload.parlay_id === parlayId)[0], 3000, "parlay.settled");
    expect(ps.data.payload.profit).toBe(won ? -25 : 10);
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(won ? 975 : 1_010);
    expect((await api.get(`/parlay/sp/orders?status=settled`)).body.data.orders[0]).toMatchObject({ order_uuid: confirm.order_uuid, settlement_status: won ? "lost" : "won" });
  });

  /** Two legs from events no other test uses (so settling in one test does not disturb another). */
  let used = 0;
  const freshLegs = () => {
    const evs = sim.control.events().filter((e) => !eventIds.includes(e.event_id) && e.status === "not_started");
    const a = evs[used++]!;
    const b = evs[used++]!;
    return [a.lines.find((l) => l.market_id === a.lines[0]!.market_id)!.line_id, b.lines.at(-1)!.line_id];
  };

  const offerAndWaitConfirm = async (parlayId: string, offers: Array<{ odds: number; max_risk: number }>, n = 1) => {
    const r = await api.post("/parlay/sp/orders/offers", { parlay_id: parlayId, offers: offers.map((o) => ({ ...o, valid_until: inNs(8_000) })) });
    expect(r.status).toBe(200);
    return confirmFor(parlayId, n);
  };

  it("fails an order whose confirmation misses the deadline, and refuses the late answer", async () => {
    const { parlayId } = sim.control.triggerRfq({ legs: freshLegs(), stake: 5, rivals: "none", bettor: "accept-all" });
    const [c] = await offerAndWaitConfirm(parlayId, [{ odds: 300, max_risk: 50 }]);
    const view = await sim.control.waitForParlay(parlayId, 3000);
    expect(view.outcome).toBe("failed");
    expect(view.orders[0]).toMatchObject({ order_uuid: c.order_uuid, status: "failed", fail_reason: "confirmation deadline passed" });
    const late = await api.post(`/parlay/sp/orders/confirmations?order_uuid=${c.order_uuid}`, { action: "accept", confirmed_odds: 300 });
    expect(late).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(late.body.message).toContain("deadline");
    expect((await api.get("/parlay/sp/orders?status=failed")).body.data.orders.map((o: any) => o.order_uuid)).toContain(c.order_uuid);
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(1_000);
    expect(findEvents(sp, "order.finalized", (d) => d.payload.order_uuid === c.order_uuid)).toHaveLength(0);
  });

  it("records a rejection and validates the confirmation body", async () => {
    const { parlayId } = sim.control.triggerRfq({ legs: freshLegs(), stake: 5, rivals: "none", bettor: "accept-all" });
    const [c] = await offerAndWaitConfirm(parlayId, [{ odds: 300, max_risk: 50 }]);
    const path = `/parlay/sp/orders/confirmations?order_uuid=${c.order_uuid}`;
    expect((await api.post(path, { action: "maybe" })).body.error).toBe("invalid_param");
    expect((await api.post(path, { action: "accept", confirmed_odds: 299 })).body.error).toBe("invalid_odds");
    expect((await api.post(path, { action: "accept", confirmed_odds: 300, confirmed_stake: 6 })).body.error).toBe("invalid_stake");
    expect((await api.post(path, { action: "accept", confirmed_odds: 300, price_probability: [{ lines: [{ line_id: "x", probability: 2 }] }] })).body.error).toBe("invalid_param");
    expect((await api.post("/parlay/sp/orders/confirmations?order_uuid=nope", { action: "reject" })).status).toBe(404);
    expect((await api.post(path, { action: "reject", confirmed_odds: 300 })).status).toBe(200);
    const view = await sim.control.waitForParlay(parlayId, 3000);
    expect(view.orders[0]!.status).toBe("rejected");
    expect(view.outcome).toBe("failed");
  });

  it("fills one confirmed stake across tiers and providers, best odds first, and refunds what no tier covers", async () => {
    const { parlayId } = sim.control.triggerRfq({
      legs: freshLegs(),
      stake: 100,
      rivals: [{ id: "rival-x", odds: 450, maxRisk: 90, accept: true, delayMs: 20 }],
      bettor: "accept-all",
    });
    const confirms = await offerAndWaitConfirm(parlayId, [{ odds: 500, max_risk: 100 }, { odds: 400, max_risk: 1000 }], 2);
    expect(confirms.map((c) => [c.odds, c.stake])).toEqual([[500, 20], [400, 60]]);
    for (const c of confirms) {
      const r = await api.post(`/parlay/sp/orders/confirmations?order_uuid=${c.order_uuid}`, { action: "accept", confirmed_odds: c.odds });
      expect(r.status).toBe(200);
    }
    const view = await sim.control.waitForParlay(parlayId, 3000);
    expect(view).toMatchObject({ outcome: "filled", filledStake: 100 });
    expect(view.orders.map((o) => [o.sp_id, o.odds, o.stake, o.status])).toEqual([
      [sim.credentials.partnerId, 500, 20, "finalized"],
      ["rival-x", 450, 20, "finalized"],
      [sim.credentials.partnerId, 400, 60, "finalized"],
    ]);
    await waitFor(() => findEvents(sp, "order.matched", (d) => d.payload.parlay_id === parlayId).length === 3, 3000, "3 order.matched");
    expect(findEvents(sp, "order.finalized", (d) => d.payload.parlay_id === parlayId)).toHaveLength(2);
    // Liability reserved: 20 × 5 + 60 × 4 = 340.
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(660);

    const big = sim.control.triggerRfq({ legs: freshLegs(), stake: 1_000, rivals: "none", bettor: "accept-all" });
    const [c1] = await offerAndWaitConfirm(big.parlayId, [{ odds: 300, max_risk: 60 }]);
    expect(c1.stake).toBe(20);
    // The provider may confirm less than asked.
    await api.post(`/parlay/sp/orders/confirmations?order_uuid=${c1.order_uuid}`, { action: "accept", confirmed_odds: 300, confirmed_stake: 5 });
    const v2 = await sim.control.waitForParlay(big.parlayId, 3000);
    expect(v2).toMatchObject({ outcome: "partially_filled", filledStake: 5 });
    const fin = await waitFor(() => findEvents(sp, "order.finalized", (d) => d.payload.order_uuid === c1.order_uuid)[0], 3000, "finalized");
    expect(fin.data.payload.confirmed_stake).toBe(5);
  });

  it("fails the order with 403 insufficient_amount when the balance cannot cover the liability", async () => {
    sim.control.setBalance(10);
    const { parlayId } = sim.control.triggerRfq({ legs: freshLegs(), stake: 10, rivals: "none", bettor: "accept-all" });
    const [c] = await offerAndWaitConfirm(parlayId, [{ odds: 500, max_risk: 100 }]);
    const r = await api.post(`/parlay/sp/orders/confirmations?order_uuid=${c.order_uuid}`, { action: "accept", confirmed_odds: 500 });
    expect(r).toMatchObject({ status: 403, body: { error: "insufficient_amount" } });
    expect((await sim.control.waitForParlay(parlayId, 3000)).orders[0]!.status).toBe("failed");
    expect((await api.get("/partner/mm/get_balance")).body.data.balance).toBe(10);
  });

  it("validates offers and closes the window", async () => {
    const { parlayId } = sim.control.triggerRfq({ legs: freshLegs(), stake: 5, rivals: "none", bettor: "decline", offerWindowMs: 1500 });
    const legIds = sim.control.parlay(parlayId)!.legs.map((l) => l.line_id);
    const post = (offer: Record<string, unknown>, path = "/parlay/sp/orders/offers") =>
      api.post(path, { parlay_id: parlayId, offers: [{ valid_until: inNs(8_000), odds: 300, max_risk: 10, ...offer }] });
    for (const [offer, code] of [
      [{ valid_until: inNs(1_000) }, "invalid_valid_until"],
      [{ valid_until: "soon" }, "invalid_valid_until"],
      [{ odds: 50 }, "invalid_odds"],
      [{ odds: 2.5 }, "invalid_odds"],
      [{ max_risk: 0 }, "invalid_param"],
      [{ max_risk: 1.234 }, "invalid_param"],
      [{ estimated_price: [{ line_id: "zzz", odds: 150 }] }, "invalid_estimated_prices"],
    ] as const) {
      const r = await post(offer);
      expect(r.status, JSON.stringify(offer)).toBe(400);
      expect(r.body.error).toBe(code);
    }
    expect((await api.post("/parlay/sp/orders/offers", { parlay_id: parlayId, offers: [] })).body.error).toBe("invalid_param");
    expect((await api.post("/parlay/sp/orders/offers", { parlay_id: "nope", offers: [{ odds: 300, max_risk: 1, valid_until: inNs(8000) }] })).status).toBe(404);
    expect((await post({ estimated_prices: legIds.map((l) => ({ line_id: l, odds: 150 })) }, "/parlay/sp/order/offers")).status).toBe(200);
    const view = await sim.control.waitForParlay(parlayId, 3000);
    expect(view.outcome).toBe("declined");
    expect(view.offers[0]!.sp_id).toBe(sim.credentials.partnerId);
    expect((await post({})).body).toMatchObject({ error: "invalid_request" });
  });

  it("pages the orders list with a cursor and filters it", async () => {
    const first = await api.get("/parlay/sp/orders?limit=2");
    expect(first.body.data.orders).toHaveLength(2);
    expect(first.body.data.token).toBeTruthy();
    const second = await api.get(`/parlay/sp/orders?limit=2&token=${encodeURIComponent(first.body.data.token)}`);
    expect(second.body.data.orders[0].order_uuid).not.toBe(first.body.data.orders[0].order_uuid);
    const all = (await api.get("/parlay/sp/orders?limit=100&relative=1h")).body.data.orders;
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.map((o: any) => o.created_at)).toEqual([...all.map((o: any) => o.created_at)].sort((a: number, b: number) => b - a));
    expect((await api.get("/parlay/sp/orders?limit=100&relative=1h&status=rejected")).body.data.orders.every((o: any) => o.status === "rejected")).toBe(true);
    expect((await api.get(`/parlay/sp/orders?from=${Math.floor(Date.now() / 1000) + 60}`)).body.data.orders).toEqual([]);
    for (const [q, code] of [["limit=101", "invalid_param"], ["token=%%", "invalid_cursor"], ["relative=soon", "invalid_param"]] as const) {
      expect((await api.get(`/parlay/sp/orders?${q}`)).body.error).toBe(code);
    }
  });

  it("generates RFQs at the configured rate from supported lines, with rivals and bettors trading", async () => {
    const open = sim.control.events().filter((e) => e.status === "not_started").slice(-6);
    await api.post("/parlay/sp/supported-lines", { supported_lines: open.flatMap((e) => e.lines.map((l) => l.line_id)) });
    const supported = new Set((await api.get("/parlay/sp/supported-lines")).body.data.supported_lines as string[]);
    const since = Date.now();
    sim.control.setRfqRate(25);
    await new Promise((r) => setTimeout(r, 800));
    sim.control.pauseRfqs();
    const asks = findEvents(sp, "price.ask.new").filter((e) => e.atMs >= since);
    expect(asks.length).toBeGreaterThanOrEqual(8);
    for (const a of asks) {
      const lines = a.data.payload.market_lines as any[];
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.length).toBeLessThanOrEqual(8);
      for (const l of lines) expect(supported.has(l.line_id)).toBe(true);
      expect(new Set(lines.map((l) => `${l.sport_event_id}:${l.market_id}`)).size).toBe(lines.length);
      expect(a.data.payload.creator_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    await waitFor(() => findEvents(sp, "order.matched", (d) => d.matched_at !== 0).filter((e) => e.atMs >= since).length > 0, 4000, "rival fills");
    const countAfterPause = findEvents(sp, "price.ask.new").length;
    await new Promise((r) => setTimeout(r, 300));
    expect(findEvents(sp, "price.ask.new").length).toBe(countAfterPause);
    sim.control.resumeRfqs();
    sim.control.setRfqRate(0);
  });
});
