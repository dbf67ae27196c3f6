import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBets } from "./place-bets.ts";
import { settlePendingBets, teResultFromDb } from "./settle.ts";
import { balances, verifyLedger, HOUSE_ACCOUNT } from "../wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip } from "./testkit.ts";
import type { Outcome } from "../../lib/ledger/rules.ts";

for (const provider of testProviders()) {
  describe(`settlement (${provider})`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(provider);
    });
    afterEach(async () => expect(await verifyLedger(t.db)).toEqual([]));
    afterAll(async () => t?.drop());

    it("won pays stake + winnings from the house, lost pays the house, void refunds; TE bets via the TE lookup; idempotent", async () => {
      const u = await customerWithSession(t.db, 10_000n); // 100.00
      const won = makeBet({ stake: 10, decimalPrice: 2.5, marketId: "won" });
      const lost = makeBet({ stake: 20, decimalPrice: 3, marketId: "lost" });
      const voided = makeBet({ stake: 5, decimalPrice: 1.9, marketId: "void" });
      const open = makeBet({ stake: 1, decimalPrice: 2, marketId: "open" });
      const te = makeBet({ stake: 4, decimalPrice: "5.25", marketTypeId: "team_exotics", selectionId: "tebet_1" });
      const r = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [won, lost, voided, open, te])) });
      expect(r.status).toBe(200);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 6_000n, pendingCents: 4_000n });

      await t.db.teBet.create({
        data: { betId: "tebet_1", productJson: "{}", legsJson: "[]", description: "x", price: "5.25", fairProbability: 0.2, status: "won", settled: true, expiresAt: new Date() },
      });
      const byMarket: Record<string, Outcome | null> = { won: "won", lost: "lost", void: "void", open: null };
      const deps = { teResult: teResultFromDb(t.db), results: async (b: { marketId: string }) => byMarket[b.marketId] ?? null };
      const rep = await settlePendingBets(t.db, deps);
      expect(rep).toEqual({ examined: 5, settled: { won: 2, lost: 1, void: 1 }, unresolved: 1, failed: [] });
      // cash 60 + won 25 + void 5 + TE 21 = 111; pending keeps the open 1.00
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 11_100n, pendingCents: 100n });
      const house = await t.db.ledgerAccount.findUniqueOrThrow({ where: { id: HOUSE_ACCOUNT } });
      expect(house.creditsPosted - house.debitsPosted).toBe(2_000n - 1_500n - 1_700n);
      const statuses = Object.fromEntries((await t.db.placedBet.findMany({ where: { customerId: u.userId } })).map((b) => [b.marketId, b.status]));
      expect(statuses).toMatchObject({ won: "won", lost: "lost", void: "void", open: "pending" });

      // Running again (even concurrently) settles nothing twice.
      const again = await Promise.all([settlePendingBets(t.db, deps), settlePendingBets(t.db, deps)]);
      expect(again.map((a) => a.settled)).toEqual([{ won: 0, lost: 0, void: 0 }, { won: 0, lost: 0, void: 0 }]);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 11_100n, pendingCents: 100n });
    });
  });
}
