// POST /acca/api/place end to end on real SQLite and Postgres: the account login handler sets the
// cookie, the place handler re-prices through a real TE client (a fetch shim routes to our own TE
// handlers on the same database), places through the operator's POST /api/operator/bets handler and
// creates the TE bet. Checks the wallet, the ledger and the TE bet's status after every outcome.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { TeApiError, TeClient, type TeBetStruct } from "../te/client.ts";
import { TE_ROUTES, type TeHandlers } from "../te/handlers.ts";
import { addOperator, makeTe } from "../te/testkit.ts";
import { customerWithSession, type TestCustomer } from "../operator/testkit.ts";
import { LIMITS_SETTING_KEY } from "../operator/place-bets.ts";
import { balances, verifyLedger } from "../wallet/ledger.ts";
import { createAccountHandlers } from "./account-http.ts";
import { createAccaPlaceHandler, reconcileAccaPlacements } from "./place.ts";
import { CUSTOMER_COOKIE, decodeSession, encodeSession } from "./session.ts";

const shim = (handlers: TeHandlers): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const name = TE_ROUTES[`${req.method} ${new URL(req.url).pathname}`];
    if (!name) return new Response(JSON.stringify({ status: "error", message: "no route" }), { status: 404 });
    return handlers[name](req);
  }) as typeof fetch;

const STRUCT: TeBetStruct = {
  product: "Bet Builder",
  matches: [
    { league: "ENG.1", event: "Man City vs Burnley", market: "match_winner", selection: "Man City" },
    { league: "ENG.1", event: "Man City vs Burnley", market: "goalscorer", player: "Erling Haaland" },
    { league: "SPA.1", event: "Barcelona vs Real Madrid", market: "total_goals", selection: "over 2.5" },
  ],
  acca_conditions: [{ type: "wins", condition: "at_least", value: 2 }],
};

/** A TE client whose calls can be made to fail (create only). */
const flaky = (real: TeClient, create: (b: { bet_id: string; stake: string; price: string }) => Promise<never> | null): TeClient =>
  new Proxy(real, {
    get: (target, prop, recv) => {
      if (prop === "create") return (b: { bet_id: string; stake: string; price: string }) => create(b) ?? target.create(b);
      return Reflect.get(target, prop, recv) as unknown;
    },
  });

describe.each(testProviders())("POST /acca/api/place (%s)", (provider) => {
  let t: TestDb;
  let te: ReturnType<typeof makeTe>;
  let client: TeClient;
  let teFor: () => TeClient;
  let accounts: ReturnType<typeof createAccountHandlers>;
  let place: ReturnType<typeof createAccaPlaceHandler>;

  beforeAll(async () => {
    t = await createTestDb(provider);
    await addOperator(t.db, "op_house", "house-key");
    te = makeTe(t.db);
    client = new TeClient({ baseUrl: "http://te.test/te", apiKey: "house-key", fetch: shim(te.handlers), now: () => te.clock.t });
    teFor = () => client;
    accounts = createAccountHandlers({ db: () => t.db });
    place = createAccaPlaceHandler({ db: () => t.db, te: async () => teFor() });
  });
  afterAll(async () => t?.drop());
  afterEach(async () => {
    teFor = () => client;
    await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  const signIn = async (c: TestCustomer): Promise<string> => {
    const res = await accounts.login(
      new Request("http://app.test/account/api/login", { method: "POST", headers: { "content-type": "application/json", origin: "http://app.test" }, body: JSON.stringify({ email: c.email, password: c.password }) }),
    );
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie")!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(await res.json()).toEqual({ status: "ok", userId: c.userId }); // no token in the body
    return set.split(";")[0]!;
  };

  const post = async (body: unknown, cookie?: string) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (cookie) headers.cookie = cookie;
    const res = await place(new Request("http://app.test/acca/api/place", { method: "POST", headers, body: JSON.stringify(body) }));
    return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
  };

  const quote = () => client.price(STRUCT);
  const betsOf = (userId: string) => t.db.placedBet.findMany({ where: { customerId: userId } });
  const cash = async (userId: string) => (await balances(t.db, userId)).cashCents;

  it("places the acca: one team_exotics operator bet, wallet debited, TE bet placed, ledger balanced", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    const r = await post({ bet_id: q.bet_id, price: q.price, stake: "12.50", idempotency_key: randomUUID() }, cookie);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", replayed: false, balance: "987.50", bet: { teBetId: q.bet_id, stake: "12.50", price: q.price } });
    const payoutCents = Math.floor((1250 * Math.round(Number(q.price) * 100)) / 100);
    expect(r.body.bet.potentialPayout).toBe((payoutCents / 100).toFixed(2));

    const bets = await betsOf(c.userId);
    expect(bets).toHaveLength(1);
    expect(bets[0]).toMatchObject({ betId: r.body.bet.betId, marketTypeId: "team_exotics", selectionId: q.bet_id, marketId: q.bet_id, status: "pending", stakeCents: 1250, sportId: "football", eventStage: "PRE_PLAY", marketStage: "PRE_PLAY" });
    expect(Number(bets[0]!.decimalPrice)).toBe(Number(q.price));
    expect(bets[0]!.eventName).toBe(q.description!.length <= 200 ? q.description : expect.any(String));
    expect(bets[0]!.betId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await cash(c.userId)).toBe(98_750n);
    const show = await client.show(q.bet_id);
    expect(show).toMatchObject({ status: "pending", stake: "12.50", price: q.price });
    // The account view lists it.
    const me = await accounts.me(new Request("http://app.test/account/api/me", { headers: { cookie } }));
    const meBody = (await me.json()) as Record<string, any>;
    expect(meBody).toMatchObject({ signedIn: true, userId: c.userId, balance: 987.5 });
    expect(meBody.openBets.map((b: { betId: string }) => b.betId)).toEqual([r.body.bet.betId]);
    expect(JSON.stringify(meBody)).not.toContain(c.sessionToken);
  });

  it("a changed price places nothing anywhere and answers the new price", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    await client.setMargin({ base_margin: 0.09 });
    try {
      const r = await post({ bet_id: q.bet_id, price: q.price, stake: "10", idempotency_key: randomUUID() }, cookie);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe("PRICE_CHANGED");
      expect(r.body.bet_id).not.toBe(q.bet_id);
      expect(Number(r.body.price)).toBeLessThan(Number(q.price));
      expect(r.body.message).toContain(r.body.price);
      expect(await betsOf(c.userId)).toHaveLength(0);
      expect(await cash(c.userId)).toBe(100_000n);
      expect((await client.show(q.bet_id)).status).toBe("priced");
    } finally {
      await client.setMargin({ base_margin: 0.05 });
    }
    // A stale price sent by the browser (quote unchanged) is refused the same way.
    const q2 = await quote();
    const stale = await post({ bet_id: q2.bet_id, price: (Number(q2.price) + 0.5).toFixed(2), stake: "10", idempotency_key: randomUUID() }, cookie);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "PRICE_CHANGED", price: q2.price, bet_id: q2.bet_id });
    expect(await betsOf(c.userId)).toHaveLength(0);
    expect((await client.show(q2.bet_id)).status).toBe("priced");
  });

  it("insufficient funds: nothing placed, and the TE bet is not left placed", async () => {
    const c = await customerWithSession(t.db, 500n);
    const cookie = await signIn(c);
    const q = await quote();
    const r = await post({ bet_id: q.bet_id, price: q.price, stake: "10.00", idempotency_key: randomUUID() }, cookie);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "INSUFFICIENT_FUNDS", balance: "5.00" });
    expect(r.body.message).toMatch(/Insufficient funds/);
    expect(await betsOf(c.userId)).toHaveLength(0);
    expect(await cash(c.userId)).toBe(500n);
    expect((await client.show(q.bet_id)).status).toBe("priced");
  });

  it("stake limits come back as clear messages with the limit", async () => {
    await t.db.setting.create({ data: { key: LIMITS_SETTING_KEY, valueJson: JSON.stringify({ maxStakeCents: 5000, minStakeCents: 200 }), updatedBy: "test" } });
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    const high = await post({ bet_id: q.bet_id, price: q.price, stake: "60", idempotency_key: randomUUID() }, cookie);
    expect(high.status).toBe(400);
    expect(high.body).toMatchObject({ code: "INVALID_STAKE", maxStake: "50.00" });
    expect(high.body.message).toContain("50.00");
    const low = await post({ bet_id: q.bet_id, price: q.price, stake: "1", idempotency_key: randomUUID() }, cookie);
    expect(low.body).toMatchObject({ code: "INVALID_STAKE", minStake: "2.00" });
    expect(await betsOf(c.userId)).toHaveLength(0);
    expect((await client.show(q.bet_id)).status).toBe("priced");
  });

  it("double submit with the same key places once (concurrent and sequential)", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    const body = { bet_id: q.bet_id, price: q.price, stake: "20", idempotency_key: randomUUID() };
    const [a, b] = await Promise.all([post(body, cookie), post(body, cookie)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.bet.betId).toBe(a.body.bet.betId);
    const again = await post(body, cookie);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, balance: "980.00", bet: { betId: a.body.bet.betId } });
    expect(await betsOf(c.userId)).toHaveLength(1);
    expect(await cash(c.userId)).toBe(98_000n);
    expect((await client.show(q.bet_id)).stake).toBe("20.00");
    // A second confirmation (new key) of the same, now used, quote is told to confirm the fresh one.
    const second = await post({ ...body, idempotency_key: randomUUID() }, cookie);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("PRICE_CHANGED");
    expect(second.body.bet_id).not.toBe(q.bet_id);
    expect(await betsOf(c.userId)).toHaveLength(1);
  });

  it("anonymous or dead cookie → 401, nothing placed", async () => {
    const q = await quote();
    const body = { bet_id: q.bet_id, price: q.price, stake: "10", idempotency_key: randomUUID() };
    const anon = await post(body);
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe("SIGNED_OUT");
    const junk = await post(body, `${CUSTOMER_COOKIE}=garbage`);
    expect(junk.status).toBe(401);
    expect(junk.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    // A well-formed cookie whose session was logged out: the operator says INVALID_SESSION → re-login.
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const out = await accounts.logout(new Request("http://app.test/account/api/logout", { method: "POST", headers: { cookie } }));
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const dead = await post(body, cookie);
    expect(dead.status).toBe(401);
    expect(dead.body.code).toBe("SESSION_EXPIRED");
    expect(dead.body.message).toMatch(/Sign in again/);
    expect(await betsOf(c.userId)).toHaveLength(0);
    expect((await client.show(q.bet_id)).status).toBe("priced");
    // Cross-site POSTs are refused outright.
    const cross = await place(new Request("http://app.test/acca/api/place", { method: "POST", headers: { cookie, origin: "https://evil.example", "content-type": "application/json" }, body: JSON.stringify(body) }));
    expect(cross.status).toBe(403);
  });

  it("TE refuses the create after the operator bet: the operator bet is voided and the stake returned", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    teFor = () => flaky(client, () => Promise.reject(new TeApiError("the price has changed from 1 to 2", 409, { status: "error", price: "2.00", bet_id: "te_000000000000000000000000" })));
    const r = await post({ bet_id: q.bet_id, price: q.price, stake: "10", idempotency_key: randomUUID() }, cookie);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "PRICE_CHANGED", price: "2.00", balance: "1000.00" });
    const bets = await betsOf(c.userId);
    expect(bets).toHaveLength(1);
    expect(bets[0]!.status).toBe("void");
    expect(await cash(c.userId)).toBe(100_000n);
    expect((await balances(t.db, c.userId)).pendingCents).toBe(0n);
    expect((await client.show(q.bet_id)).status).toBe("priced");
  });

  it("TE unreachable at create: stake held, then reconciliation creates the TE bet", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    teFor = () => flaky(client, () => Promise.reject(new TypeError("fetch failed")));
    const r = await post({ bet_id: q.bet_id, price: q.price, stake: "10", idempotency_key: randomUUID() }, cookie);
    expect(r.status).toBe(502);
    expect(r.body.code).toBe("PENDING_CONFIRMATION");
    expect((await betsOf(c.userId))[0]!.status).toBe("pending");
    expect(await cash(c.userId)).toBe(99_000n);
    const rep = await reconcileAccaPlacements(t.db, client, { olderThanMs: -1000 });
    expect(rep.confirmed).toBeGreaterThanOrEqual(1);
    expect(rep.voided).toBe(0);
    expect(await client.show(q.bet_id)).toMatchObject({ status: "pending", stake: "10.00" });
    expect((await betsOf(c.userId))[0]!.status).toBe("pending");
  });

  it("a transient TE failure at create is retried within the request", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const q = await quote();
    let fails = 1;
    teFor = () => flaky(client, () => (fails-- > 0 ? Promise.reject(new TypeError("socket hang up")) : null));
    const r = await post({ bet_id: q.bet_id, price: q.price, stake: "10", idempotency_key: randomUUID() }, cookie);
    expect(r.status).toBe(200);
    expect((await client.show(q.bet_id)).status).toBe("pending");
  });

  it("refreshes a session that is about to expire and re-sets the cookie", async () => {
    const c = await customerWithSession(t.db, 100_000n);
    const cookie = await signIn(c);
    const v = decodeSession(cookie.split("=")[1])!;
    const later = createAccountHandlers({ db: () => t.db, now: () => v.e - 60_000 });
    const res = await later.me(new Request("http://app.test/account/api/me", { headers: { cookie } }));
    expect((await res.json()).signedIn).toBe(true);
    const set = res.headers.get("set-cookie")!;
    const nv = decodeSession(set.split(";")[0]!.split("=")[1])!;
    expect(nv.s).not.toBe(v.s);
    expect(nv.u).toBe(c.userId);
    // The old refresh token is spent; the old session is revoked, the new one works.
    const old = await accounts.me(new Request("http://app.test/account/api/me", { headers: { cookie } }));
    expect((await old.json()).signedIn).toBe(false);
    const fresh = await accounts.me(new Request("http://app.test/account/api/me", { headers: { cookie: `${CUSTOMER_COOKIE}=${encodeSession({ userId: nv.u, sessionToken: nv.s, refreshToken: nv.r, expiresAt: new Date(nv.e).toISOString(), refreshExpiresAt: new Date(nv.re).toISOString() })}` } }));
    expect((await fresh.json()).signedIn).toBe(true);
  });

  it("login: wrong password is a clear 401 and sets no cookie", async () => {
    const c = await customerWithSession(t.db, 0n);
    const res = await accounts.login(new Request("http://app.test/account/api/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: c.email, password: "nope" }) }));
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await res.json()).message).toBe("Wrong email or password.");
  });
});
