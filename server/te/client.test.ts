// The TE client against our own handlers (a fetch shim routes requests to them, no sockets).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../test/db.ts";
import { TeApiError, TeClient } from "./client.ts";
import { TE_ROUTES, type TeHandlers } from "./handlers.ts";
import { addOperator, makeTe, PRESEASON_MS } from "./testkit.ts";

function shim(handlers: TeHandlers, log: string[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const name = TE_ROUTES[`${req.method} ${url.pathname}`];
    log.push(`${req.method} ${url.pathname}`);
    if (!name) return new Response(JSON.stringify({ status: "error", message: "no route" }), { status: 404 });
    return handlers[name](req);
  }) as typeof fetch;
}

describe("TeClient", () => {
  let t: TestDb;
  let te: ReturnType<typeof makeTe>;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
    await addOperator(t.db, "op_client", "client-key");
    te = makeTe(t.db);
  });
  afterAll(async () => t?.drop());

  it("logs in lazily, reuses the cookie, and logs in again when the server says the session expired", async () => {
    const log: string[] = [];
    let clientNow = PRESEASON_MS;
    const c = new TeClient({ baseUrl: "http://te.test/te/", apiKey: "client-key", fetch: shim(te.handlers, log), now: () => clientNow });
    expect((await c.leagues()).map((l) => l.name)).toContain("ENG.1");
    await c.teams("ENG.1");
    expect(log).toEqual(["POST /te/api/login", "GET /te/api/leagues", "GET /te/api/teams"]);

    // Server-side expiry the client did not see coming (its clock is behind): 401, re-login, retry.
    te.clock.t = PRESEASON_MS + 61 * 60 * 1000;
    log.length = 0;
    await c.leagues();
    expect(log).toEqual(["GET /te/api/leagues", "POST /te/api/login", "GET /te/api/leagues"]);

    // Proactive renewal: the client's own clock passes the cookie's Max-Age minus a minute.
    clientNow += 60 * 60 * 1000;
    log.length = 0;
    await c.leagues();
    expect(log).toEqual(["POST /te/api/login", "GET /te/api/leagues"]);
    te.clock.t = PRESEASON_MS;
  });

  it("prices, places and shows a bet; errors carry the server's message", async () => {
    const c = new TeClient({ baseUrl: "http://te.test/te", apiKey: "client-key", fetch: shim(te.handlers, []), now: () => te.clock.t });
    const q = await c.price({
      product: "Bet Builder",
      matches: [
        { league: "ENG.1", event: "Man City vs Burnley", market: "match_winner", selection: "Man City" },
        { league: "ENG.1", event: "Man City vs Burnley", market: "goalscorer", player: "Erling Haaland" },
      ],
    });
    expect(q.bet_id).toMatch(/^te_/);
    await c.create({ bet_id: q.bet_id, stake: "5", price: q.price });
    const s = await c.show(q.bet_id);
    expect(s).toMatchObject({ stake: "5.00", price: q.price, settled: "false", status: "pending" });
    expect((await c.struct(q.bet_id)).bet.matches).toHaveLength(2);
    const err = await c.price({ matches: [{ league: "ENG.1", event: "Nobody vs Nothing", selection: "Nobody" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TeApiError);
    expect((err as TeApiError).status).toBe(400);
    expect((err as TeApiError).message).toMatch(/^matches\[0\]\.event: match "Nobody vs Nothing" not found in ENG.1/);
  });

  it("a wrong API key fails with the server's message", async () => {
    const c = new TeClient({ baseUrl: "http://te.test/te", apiKey: "wrong", fetch: shim(te.handlers, []) });
    await expect(c.leagues()).rejects.toThrow("TE login failed: invalid api_key");
  });
});
