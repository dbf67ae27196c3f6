import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { customerHandlers } from "./customer-http.ts";
import { ensureDemoCustomer } from "./seed.ts";
import { verifyLedger } from "../wallet/ledger.ts";
import { makeBet, makeSlip } from "./testkit.ts";

for (const provider of testProviders()) {
  describe(`customer sessions and the real route module (${provider})`, () => {
    let t: TestDb;
    let h: ReturnType<typeof customerHandlers>;
    beforeAll(async () => {
      t = await createTestDb(provider);
      h = customerHandlers(() => t.db);
    });
    afterAll(async () => t?.drop());

    const call = async (fn: (r: Request) => Promise<Response>, init: { body?: unknown; token?: string; method?: string }) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      const res = await fn(new Request("http://localhost/api/customer/x", { method: init.method ?? "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }));
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };

    it("demo customer: login → me → bet through app/api/operator/bets → refresh rotates → logout revokes", async () => {
      const demo = await ensureDemoCustomer(t.db);
      await ensureDemoCustomer(t.db); // idempotent: funded once
      expect((await call(h.login, { body: { email: demo.email, password: "wrong" } })).status).toBe(401);
      expect((await call(h.login, { body: { email: demo.email } })).json.errorCode).toBe("MISSING_PARAMETER");
      const s = await call(h.login, { body: { email: demo.email, password: demo.password } });
      expect(s.status).toBe(200);
      expect(s.json).toMatchObject({ userId: demo.userId, sessionToken: expect.any(String), refreshToken: expect.any(String) });

      // The real route module, bound to getDb() through DATABASE_URL.
      const prev = process.env.DATABASE_URL;
      process.env.DATABASE_URL = t.url;
      try {
        const { POST } = await import("../../app/api/operator/bets/route.ts");
        const slip = makeSlip({ userId: demo.userId, sessionToken: s.json.sessionToken }, [makeBet({ stake: 12.5, decimalPrice: 2 })]);
        const res = await POST(new Request("http://localhost/api/operator/bets", { method: "POST", headers: { "x-idempotency-key": randomUUID() }, body: JSON.stringify(slip) }));
        expect(res.status).toBe(200);
        expect(((await res.json()) as { status: string }).status).toBe("PLACED");
      } finally {
        if (prev === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = prev;
      }

      const me = await call(h.me, { token: s.json.sessionToken, method: "GET" });
      expect(me.json).toMatchObject({ userId: demo.userId, balance: 987.5, pendingStakes: 12.5 });
      expect(me.json.openBets).toHaveLength(1);

      const r = await call(h.refresh, { body: { refreshToken: s.json.refreshToken } });
      expect(r.status).toBe(200);
      expect(r.json.sessionToken).not.toBe(s.json.sessionToken);
      expect((await call(h.me, { token: s.json.sessionToken, method: "GET" })).status).toBe(401); // old one revoked
      expect((await call(h.refresh, { body: { refreshToken: s.json.refreshToken } })).status).toBe(401); // single use
      expect((await call(h.logout, { token: r.json.sessionToken })).status).toBe(200);
      expect((await call(h.me, { token: r.json.sessionToken, method: "GET" })).json.errorCode).toBe("INVALID_SESSION");
      expect(await verifyLedger(t.db)).toEqual([]);
    });
  });
}
