import { afterAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "./index";
import { Api, startTestSimulator } from "./test-support";

/** Everything a client can read about the world, minus wall-clock stamps and live book depth. */
const snapshot = async (sim: SimulatorHandle) => {
  const api = new Api(sim.baseUrl);
  await api.login();
  const strip = (x: unknown): unknown =>
    JSON.parse(JSON.stringify(x, (k, v) => (["updated_at", "sequence_number", "odds", "display_odds", "stake", "value"].includes(k) ? undefined : v)));
  const tournaments = (await api.get("/partner/mm/get_tournaments")).body.data.tournaments;
  const events: any[] = [];
  const markets: Record<string, unknown> = {};
  for (const t of tournaments) {
    const evs = (await api.get(`/partner/mm/get_sport_events?tournament_id=${t.id}`)).body.data.sport_events;
    events.push(...evs);
  }
  const ids = events.map((e) => e.event_id);
  Object.assign(markets, (await api.get(`/partner/v2/mm/get_multiple_markets?event_ids=${ids.join(",")}`)).body.data);
  return {
    partnerId: sim.credentials.partnerId,
    tournaments: strip(tournaments),
    events: strip(events),
    markets: strip(markets),
    truth: sim.truth.events().map((e) => ({ id: e.event_id, result: e.result, kickoff: e.kickoff_model, p: e.lines.map((l) => l.probability) })),
  };
};

describe("seeded determinism", () => {
  const sims: SimulatorHandle[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  it("builds the same world, lines, true probabilities and results for the same seed, and another for another seed", async () => {
    const startTimeMs = Date.UTC(2026, 0, 10, 18, 0, 0);
    // Truth is a function of simulated time; a drift bucket longer than the test keeps both runs at the same step.
    const opts = { startTimeMs, takers: false, liquidity: false, world: { driftBucketMs: 1e9 } } as const;
    const a = await startTestSimulator({ ...opts, seed: 2024 });
    const b = await startTestSimulator({ ...opts, seed: 2024 });
    const c = await startTestSimulator({ ...opts, seed: 2025 });
    sims.push(a, b, c);
    const [sa, sb, sc] = await Promise.all([snapshot(a), snapshot(b), snapshot(c)]);
    expect(sa.events).toHaveLength(20);
    expect(sb).toEqual(sa);
    expect(sc.partnerId).not.toBe(sa.partnerId);
    expect(sc.events).not.toEqual(sa.events);
    expect(sc.truth.map((t) => t.result)).not.toEqual(sa.truth.map((t) => t.result));
    // Settling by force gives the pre-drawn result in both runs.
    const id = sa.truth[3]!.id;
    a.control.settleEvent(id);
    b.control.settleEvent(id);
    expect(a.truth.event(id)!.lines.map((l) => l.result)).toEqual(b.truth.event(id)!.lines.map((l) => l.result));
    expect(a.truth.result(id)).toEqual(sa.truth[3]!.result);
  });

  it("keeps results independent of when time is advanced", async () => {
    const startTimeMs = Date.UTC(2026, 0, 10, 18, 0, 0);
    const a = await startTestSimulator({ seed: 77, startTimeMs, takers: false });
    const b = await startTestSimulator({ seed: 77, startTimeMs, takers: false });
    sims.push(a, b);
    a.control.advanceTime(3 * 3600_000);
    b.control.advanceTime(1800_000);
    b.control.advanceTime(3 * 3600_000 - 1800_000);
    const ra = a.truth.events().map((e) => [e.event_id, e.status, e.result]);
    const rb = b.truth.events().map((e) => [e.event_id, e.status, e.result]);
    expect(rb).toEqual(ra);
    expect(ra.some(([, status]) => status === "ended")).toBe(true);
  });
});
