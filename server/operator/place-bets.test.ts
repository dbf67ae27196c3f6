// Operator bet placement against real SQLite and Postgres databases, through the route handler.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBetsHandler } from "./http.ts";
import { placeBets, LIMITS_SETTING_KEY, IDEMPOTENCY_WINDOW_MS } from "./place-bets.ts";
import { balances, verifyLedger } from "../wallet/ledger.ts";
import { logout } from "./customers.ts";
import { customerWithSession, makeBet, makeSlip, type TestCustomer } from "./testkit.ts";

for (const provider of testProviders()) {
  describe(`POST /api/operator/bets (${provider})`, () => {
    let t: TestDb;
    let handler: (req: Request) => Promise<Response>;
    let user: TestCustomer;

    const post = async (body: unknown, key: string | null = randomUUID()) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (key !== null) headers["x-idempotency-key"] = key;
      const res = await handler(new Request("http://localhost/api/operator/bets", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) as Record<string, any>, replayed: res.headers.get("idempotent-replayed") === "true" };
    };
    const betCount = (userId: string) => t.db.placedBet.count({ where: { customerId: userId } });
    const cash = async (userId: string) => (await balances(t.db, userId)).cashCents;
    const setLimits = (v: object) =>
      t.db.setting.upsert({ where: { key: LIMITS_SETTING_KEY }, create: { key: LIMITS_SETTING_KEY, valueJson: JSON.stringify(v), updatedBy: "test" }, update: { valueJson: JSON.stringify(v) } });

    beforeAll(async () => {
      t = await createTestDb(provider);
      handler = placeBetsHandler(() => t.db);
      user = await customerWithSession(t.db, 100_000n); // 1,000.00
    });
    afterEach(async () => {
      expect(await verifyLedger(t.db)).toEqual([]);
      await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
    });
    afterAll(async () => t?.drop());

    it("places a betslip: every bet pending, stakes moved to pending_bets, exact payout", async () => {
      const u = await customerWithSession(t.db, 10_000n);
      const slip = makeSlip(u, [makeBet({ stake: 10, decimalPrice: 2.5 }), makeBet({ stake: 1.03, decimalPrice: "2.1" })]);
      const r = await post(slip);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ requestId: slip.requestId, userId: u.userId, sessionToken: u.sessionToken, status: "PLACED" });
      expect(r.json.timestamp).toMatch(/^\d+$/);
      expect(r.json.bets).toHaveLength(2);
      expect(r.json.bets[1]).toMatchObject({ betId: slip.bets[1]!.betId, stake: 1.03, decimalPrice: "2.1", potentialPayout: 2.16 }); // 2.163 → 2.16
      const rows = await t.db.placedBet.findMany({ where: { customerId: u.userId }, orderBy: { stakeCents: "desc" } });
      expect(rows.map((b) => [b.status, b.stakeCents, b.potentialPayoutCents, b.decimalPrice])).toEqual([
        ["pending", 1000, 2500, "2.5"],
        ["pending", 103, 216, "2.1"],
      ]);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 10_000n - 1103n, pendingCents: 1103n });
    });

    it("replays the first response byte-for-byte for the same key and body, without placing again", async () => {
      const slip = makeSlip(user, [makeBet()]);
      const key = randomUUID();
      const before = await cash(user.userId);
      const a = await post(slip, key);
      await new Promise((r) => setTimeout(r, 5));
      const b = await post(slip, key);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.text).toBe(a.text);
      expect(b.replayed).toBe(true);
      expect(await cash(user.userId)).toBe(before - 1000n);
      // Key order does not make it a different request.
      const reordered = JSON.parse(JSON.stringify({ bets: slip.bets, timestamp: slip.timestamp, sessionToken: slip.sessionToken, userId: slip.userId, requestId: slip.requestId }));
      expect((await post(reordered, key)).text).toBe(a.text);
    });

    it("refuses the same key with a different body (409 IDEMPOTENCY_KEY_REUSED)", async () => {
      const key = randomUUID();
      expect((await post(makeSlip(user, [makeBet()]), key)).status).toBe(200);
      const n = await betCount(user.userId);
      const r = await post(makeSlip(user, [makeBet()]), key);
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({ status: "FAILURE", errorCode: "IDEMPOTENCY_KEY_REUSED" });
      expect(await betCount(user.userId)).toBe(n);
    });

    it("forgets keys after the window", async () => {
      const key = randomUUID();
      const db = t.db;
      const u = await customerWithSession(t.db, 10_000n);
      await db.customerSession.update({ where: { token: u.sessionToken }, data: { expiresAt: new Date(Date.now() + 3 * IDEMPOTENCY_WINDOW_MS) } });
      const first = await placeBets(db, { idempotencyKey: key, bodyText: JSON.stringify(makeSlip(u, [makeBet()])) });
      expect(first.status).toBe(200);
      const later = () => new Date(Date.now() + IDEMPOTENCY_WINDOW_MS + 60_000);
      const again = await placeBets(db, { idempotencyKey: key, bodyText: JSON.stringify(makeSlip(u, [makeBet()])), now: later });
      expect(again.status).toBe(200);
      expect(again.replayed).toBe(false);
    });

    it.each([
      ["no header", null],
      ["empty header", ""],
      ["not a UUID", "abc"],
    ])("MISSING_PARAMETER for X-Idempotency-Key: %s", async (_n, key) => {
      const r = await post(makeSlip(user, [makeBet()]), key);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ status: "FAILURE", errorCode: "MISSING_PARAMETER" });
    });

    it.each([
      ["userId", (s: any) => delete s.userId],
      ["sessionToken", (s: any) => (s.sessionToken = "")],
      ["timestamp", (s: any) => delete s.timestamp],
      ["bets", (s: any) => delete s.bets],
      ["bets[0].marketId", (s: any) => delete s.bets[0].marketId],
      ["bets[1].stake", (s: any) => (s.bets[1].stake = null)],
    ])("MISSING_PARAMETER when %s is missing; nothing stored", async (_n, mutate) => {
      const s = makeSlip(user, [makeBet(), makeBet()]);
      mutate(s);
      const n = await betCount(user.userId);
      const r = await post(s);
      expect(r.status).toBe(400);
      expect(r.json.errorCode).toBe("MISSING_PARAMETER");
      expect(await betCount(user.userId)).toBe(n);
    });

    it.each([
      ["price not a number", { decimalPrice: "abc" }],
      ["price ≤ 1", { decimalPrice: 1 }],
      ["bad stage", { eventStage: "LIVE" }],
      ["sub-cent stake", { stake: 1.005 }],
      ["negative stake", { stake: -5 }],
      ["non-string id", { eventId: 17 }],
    ])("INVALID_BET_DETAILS for %s; the good bet in the slip is not stored either", async (_n, over) => {
      const n = await betCount(user.userId);
      const r = await post(makeSlip(user, [makeBet(), makeBet(over)]));
      expect(r.status).toBe(400);
      expect(r.json.errorCode).toBe("INVALID_BET_DETAILS");
      expect(await betCount(user.userId)).toBe(n);
    });

    it("INVALID_BET_DETAILS for invalid JSON, an empty slip, a repeated or already placed betId", async () => {
      expect((await post("{nope")).json.errorCode).toBe("INVALID_BET_DETAILS");
      expect((await post(makeSlip(user, []))).json.errorCode).toBe("INVALID_BET_DETAILS");
      const b = makeBet();
      expect((await post(makeSlip(user, [b, b]))).json.errorCode).toBe("INVALID_BET_DETAILS");
      expect((await post(makeSlip(user, [b]))).status).toBe(200);
      const r = await post(makeSlip(user, [makeBet(), b]));
      expect(r.json).toMatchObject({ errorCode: "INVALID_BET_DETAILS" });
      expect(r.json.errorMessage).toContain(b.betId);
    });

    it("INVALID_USER (400), INVALID_SESSION (401), AUTHENTICATION_FAILED (403)", async () => {
      const other = await customerWithSession(t.db, 1000n);
      const cases: [Record<string, unknown>, number, string][] = [
        [{ userId: "cus_nobody" }, 400, "INVALID_USER"],
        [{ sessionToken: "bm9wZQ==" }, 401, "INVALID_SESSION"],
        [{ sessionToken: other.sessionToken }, 403, "AUTHENTICATION_FAILED"],
      ];
      for (const [over, status, code] of cases) {
        const r = await post(makeSlip(user, [makeBet()], over));
        expect([r.status, r.json.errorCode]).toEqual([status, code]);
      }
      // Expired and logged-out sessions.
      const u = await customerWithSession(t.db, 5000n);
      await t.db.customerSession.update({ where: { token: u.sessionToken }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await post(makeSlip(u, [makeBet()]))).json.errorCode).toBe("INVALID_SESSION");
      const v = await customerWithSession(t.db, 5000n);
      await logout(t.db, v.sessionToken);
      const r = await post(makeSlip(v, [makeBet()]));
      expect([r.status, r.json.errorCode]).toEqual([401, "INVALID_SESSION"]);
      // Auth failures are not remembered under the key: the same key works once the session is fixed.
      const key = randomUUID();
      const slip = makeSlip(user, [makeBet()]);
      expect((await post({ ...slip, sessionToken: "bm9wZQ==" }, key)).status).toBe(401);
      expect((await post(slip, key)).status).toBe(200);
    });

    it("INSUFFICIENT_FUNDS for the sum of stakes; nothing stored, nothing moved", async () => {
      const u = await customerWithSession(t.db, 1500n);
      const r = await post(makeSlip(u, [makeBet({ stake: 10 }), makeBet({ stake: 5.01 })]));
      expect([r.status, r.json.errorCode]).toEqual([400, "INSUFFICIENT_FUNDS"]);
      expect(await betCount(u.userId)).toBe(0);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 1500n, pendingCents: 0n });
      expect((await post(makeSlip(u, [makeBet({ stake: 10 }), makeBet({ stake: 5 })]))).status).toBe(200);
      expect(await cash(u.userId)).toBe(0n);
    });

    it("INVALID_STAKE below min / above max with failedBets; one bad bet stores none", async () => {
      await setLimits({ minStakeCents: 200, maxStakeCents: 5000 });
      const u = await customerWithSession(t.db, 100_000n);
      const low = makeBet({ stake: 1.99 });
      const high = makeBet({ stake: 50.01 });
      const r = await post(makeSlip(u, [makeBet({ stake: 2 }), low, high]));
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        status: "FAILURE",
        errorCode: "INVALID_STAKE",
        errorMessage: expect.any(String),
        failedBets: [
          { betId: low.betId, sportId: "1", eventId: "ev-1", marketId: "m-1", selectionId: "s-1", reason: { minStake: 2 } },
          { betId: high.betId, sportId: "1", eventId: "ev-1", marketId: "m-1", selectionId: "s-1", reason: { maxStake: 50 } },
        ],
      });
      expect(await betCount(u.userId)).toBe(0);
      expect(await cash(u.userId)).toBe(100_000n);
    });

    it("INVALID_STAKE when the max liability per market type would be exceeded (maxStake = what still fits)", async () => {
      await setLimits({ maxLiabilityCents: { default: 1_000_000, match_odds: 3000 } }); // 30.00 on match_odds
      const u = await customerWithSession(t.db, 100_000n);
      expect((await post(makeSlip(u, [makeBet({ stake: 10, decimalPrice: 2.5 })]))).status).toBe(200); // liability 15
      const b = makeBet({ stake: 20, decimalPrice: 2.5 }); // +30 > 15 remaining
      const r = await post(makeSlip(u, [makeBet({ stake: 10, marketTypeId: "totals" }), b]));
      expect(r.json.errorCode).toBe("INVALID_STAKE");
      expect(r.json.failedBets).toEqual([expect.objectContaining({ betId: b.betId, reason: { maxStake: 10 } })]);
      expect(await betCount(u.userId)).toBe(1);
      expect((await post(makeSlip(u, [makeBet({ stake: 10, decimalPrice: 2.5 })]))).status).toBe(200); // exactly at the cap
    });

    it("USER_BLOCKED for blocked users and during a cool-down", async () => {
      const blocked = await customerWithSession(t.db, 10_000n, { blocked: true });
      const r = await post(makeSlip(blocked, [makeBet()]));
      expect([r.status, r.json.errorCode]).toEqual([400, "USER_BLOCKED"]);
      await setLimits({ cooldownMs: 60_000 });
      const u = await customerWithSession(t.db, 10_000n);
      expect((await post(makeSlip(u, [makeBet()]))).status).toBe(200);
      const c = await post(makeSlip(u, [makeBet()]));
      expect([c.status, c.json.errorCode]).toEqual([400, "USER_BLOCKED"]);
      expect(c.json.errorMessage).toMatch(/cool-down/);
      expect(await betCount(u.userId)).toBe(1);
    });

    it("business rejections are remembered under the key (a retry replays them)", async () => {
      const u = await customerWithSession(t.db, 500n);
      const key = randomUUID();
      const slip = makeSlip(u, [makeBet({ stake: 10 })]);
      const a = await post(slip, key);
      expect(a.json.errorCode).toBe("INSUFFICIENT_FUNDS");
      const b = await post(slip, key);
      expect(b.text).toBe(a.text);
      expect(b.replayed).toBe(true);
    });

    it("GENERAL_EXCEPTION (500) on an unexpected failure: nothing stored, the key is free for a retry", async () => {
      const u = await customerWithSession(t.db, 10_000n);
      const key = randomUUID();
      const body = JSON.stringify(makeSlip(u, [makeBet(), makeBet()]));
      const orig = console.error;
      console.error = () => undefined;
      const r = await placeBets(t.db, { idempotencyKey: key, bodyText: body, hooks: { afterBets: async () => { throw new Error("boom"); } } }).finally(() => (console.error = orig));
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body).errorCode).toBe("GENERAL_EXCEPTION");
      expect(await betCount(u.userId)).toBe(0);
      expect(await t.db.idempotencyKey.count({ where: { key } })).toBe(0);
      expect((await placeBets(t.db, { idempotencyKey: key, bodyText: body })).status).toBe(200);
    });

    it("a duplicate arriving while the first is in flight waits for it and replays its response", async () => {
      const u = await customerWithSession(t.db, 10_000n);
      const key = randomUUID();
      const body = JSON.stringify(makeSlip(u, [makeBet()]));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const first = placeBets(t.db, { idempotencyKey: key, bodyText: body, hooks: { beforeWrite: async () => { entered(); await gate; } } });
      await inside;
      const second = placeBets(t.db, { idempotencyKey: key, bodyText: body });
      await new Promise((r) => setTimeout(r, 200));
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(a.status).toBe(200);
      expect(b.body).toBe(a.body);
      expect(await betCount(u.userId)).toBe(1);
    });

    if (provider === "postgres") {
      it("REQUEST_TIMED_OUT (503) when the in-flight request with the key takes longer than the wait", async () => {
        const u = await customerWithSession(t.db, 10_000n);
        const key = randomUUID();
        const body = JSON.stringify(makeSlip(u, [makeBet()]));
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let entered!: () => void;
        const inside = new Promise<void>((r) => (entered = r));
        const first = placeBets(t.db, { idempotencyKey: key, bodyText: body, hooks: { beforeWrite: async () => { entered(); await gate; } } });
        await inside;
        const second = await placeBets(t.db, { idempotencyKey: key, bodyText: body, inFlightWaitMs: 150 });
        release();
        expect(second.status).toBe(503);
        expect(JSON.parse(second.body).errorCode).toBe("REQUEST_TIMED_OUT");
        expect((await first).status).toBe(200);
        expect((await placeBets(t.db, { idempotencyKey: key, bodyText: body })).body).toBe((await first).body);
      });
    }

    it("200 concurrent requests with the same key place once and all get the same answer", async () => {
      const u = await customerWithSession(t.db, 100_000n);
      const key = randomUUID();
      const slip = makeSlip(u, [makeBet({ stake: 3 }), makeBet({ stake: 4 })]);
      const rs = await Promise.all(Array.from({ length: 200 }, () => post(slip, key)));
      expect(new Set(rs.map((r) => r.status))).toEqual(new Set([200]));
      expect(new Set(rs.map((r) => r.text)).size).toBe(1);
      expect(await betCount(u.userId)).toBe(2);
      expect(await cash(u.userId)).toBe(100_000n - 700n);
    });

    it("200 concurrent different bets on one wallet never overdraw it", async () => {
      const u = await customerWithSession(t.db, 5_000n); // 50.00: room for exactly 50 bets of 1.00
      const rs = await Promise.all(Array.from({ length: 200 }, () => post(makeSlip(u, [makeBet({ stake: 1 })]))));
      const placed = rs.filter((r) => r.status === 200).length;
      const codes = new Set(rs.filter((r) => r.status !== 200).map((r) => r.json.errorCode));
      expect(placed).toBe(50);
      expect(codes).toEqual(new Set(["INSUFFICIENT_FUNDS"]));
      expect(await betCount(u.userId)).toBe(50);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 0n, pendingCents: 5_000n });
    });
  });
}
