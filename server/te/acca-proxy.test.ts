// The acca designer's server-side proxy: passes TE answers through, maps TE errors to the same
// {"status":"error"} shape, hides transport failures, caches reference data and rate-limits pricing.
import { describe, expect, it } from "vitest";
import { createAccaProxy } from "./acca-proxy.ts";
import { TeApiError, type TeClient } from "./client.ts";

function fakeClient(over: Partial<Record<keyof TeClient, (...a: never[]) => unknown>>, calls: string[]): TeClient {
  return new Proxy({} as TeClient, {
    // Not thenable: `await`ing the client must not call a "then" method.
    get: (_t, prop: string) => prop === "then" ? undefined : async (...args: unknown[]) => {
      calls.push(`${prop}(${args.map((a) => JSON.stringify(a)).join(",")})`);
      const f = (over as Record<string, (...a: unknown[]) => unknown>)[prop];
      if (!f) throw new Error(`unexpected call ${prop}`);
      return f(...args);
    },
  });
}

const req = (path: string, init?: RequestInit) => new Request(`http://app.test${path}`, init);

describe("acca proxy", () => {
  it("caches leagues and drops matches that kicked off", async () => {
    const calls: string[] = [];
    let now = Date.parse("2026-11-21T12:00:00Z");
    const client = fakeClient(
      {
        leagues: () => [{ name: "ENG.1", full_name: "English Premier League" }],
        matches: () => [
          { name: "A vs B", kickoff: "2026-11-21T11:00:00Z" },
          { name: "C vs D", kickoff: "2026-11-21T15:00:00Z" },
        ],
      },
      calls,
    );
    const p = createAccaProxy(async () => client, { now: () => now });
    expect(await (await p.leagues(req("/acca/api/leagues"))).json()).toEqual([{ name: "ENG.1", full_name: "English Premier League" }]);
    await p.leagues(req("/acca/api/leagues"));
    expect(calls.filter((c) => c.startsWith("leagues"))).toHaveLength(1);
    expect(await (await p.matches(req("/acca/api/matches?league=ENG.1"))).json()).toEqual([{ name: "C vs D", kickoff: "2026-11-21T15:00:00Z" }]);
    now += 10 * 60_000;
    await p.leagues(req("/acca/api/leagues"));
    expect(calls.filter((c) => c.startsWith("leagues"))).toHaveLength(2);
    const noLeague = await p.matches(req("/acca/api/matches"));
    expect(noLeague.status).toBe(400);
    expect(await noLeague.json()).toEqual({ status: "error", message: "league is required" });
  });

  it("passes pricing through and maps TE validation errors; transport failures become 502", async () => {
    const calls: string[] = [];
    const client = fakeClient(
      {
        price: (s: never) => {
          if ((s as { matches: unknown[] }).matches.length === 0) throw new TeApiError("matches: needs at least 1 item(s)", 400, null);
          if ((s as { matches: { event: string }[] }).matches[0]!.event === "boom") throw new TypeError("fetch failed");
          return { status: "ok", bet_id: "te_x", price: "2.50", fair_probability: 0.38, legs: [] };
        },
      },
      calls,
    );
    const p = createAccaProxy(async () => client);
    const ok = await p.price(req("/acca/api/price", { method: "POST", body: JSON.stringify({ matches: [{ event: "A vs B" }] }) }));
    expect(await ok.json()).toMatchObject({ status: "ok", price: "2.50" });
    const bad = await p.price(req("/acca/api/price", { method: "POST", body: JSON.stringify({ matches: [] }) }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ status: "error", message: "matches: needs at least 1 item(s)" });
    const down = await p.price(req("/acca/api/price", { method: "POST", body: JSON.stringify({ matches: [{ event: "boom" }] }) }));
    expect(down.status).toBe(502);
    expect((await down.json()).message).toMatch(/unavailable/);
    const notJson = await p.price(req("/acca/api/price", { method: "POST", body: "{" }));
    expect(notJson.status).toBe(400);
  });

  it("rate-limits pricing per client address", async () => {
    const client = fakeClient({ price: () => ({ status: "ok", bet_id: "te_x", price: "2.00", fair_probability: 0.5, legs: [] }) }, []);
    const p = createAccaProxy(async () => client, { now: () => 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const r = await p.price(req("/acca/api/price", { method: "POST", headers: { "x-forwarded-for": "10.0.0.1" }, body: JSON.stringify({ matches: [{}] }) }));
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(429);
  });
});
