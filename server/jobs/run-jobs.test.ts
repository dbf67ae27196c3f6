// The back-office pass settles an operator bet on a Team Exotics acca once TE has settled it, pays
// the winnings through the ledger, and keeps the ledger balanced — on SQLite and Postgres.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBets } from "../operator/place-bets.ts";
import { customerWithSession, makeBet, makeSlip } from "../operator/testkit.ts";
import { balances, verifyLedger } from "../wallet/ledger.ts";
import type { TeClient } from "../te/client.ts";
import { runJobsOnce } from "./run-jobs.ts";

const unusedTe = new Proxy({}, { get: () => () => Promise.reject(new Error("TE not needed here")) }) as TeClient;

describe.each(testProviders())("back-office jobs on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => t?.drop());

  it("settles a won Team Exotics bet: stake back plus winnings, ledger balanced", async () => {
    const c = await customerWithSession(t.db, 10_000n);
    const teBetId = `te_${randomUUID()}`;
    const slip = makeSlip(c, [makeBet({ marketTypeId: "team_exotics", marketId: teBetId, selectionId: teBetId, decimalPrice: "3.25", stake: 20 })]);
    const placed = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(slip) });
    expect(placed.status).toBe(200);
    expect((await balances(t.db, c.userId)).cashCents).toBe(8_000n);

    // Not settled at TE yet: the bet stays pending.
    await t.db.teBet.create({
      data: { betId: teBetId, productJson: "{}", legsJson: "[]", description: "acca", price: "3.25", fairProbability: 0.3, status: "placed", stakeCents: 2000, expiresAt: new Date(Date.now() + 60_000) },
    });
    let report = await runJobsOnce(t.db, unusedTe);
    expect(report.operatorSettlement).toMatchObject({ unresolved: 1 });
    expect((await t.db.placedBet.findFirst({ where: { selectionId: teBetId } }))?.status).toBe("pending");

    await t.db.teBet.update({ where: { betId: teBetId }, data: { status: "won", settled: true, settledAt: new Date() } });
    report = await runJobsOnce(t.db, unusedTe);
    expect(report.operatorSettlement).toMatchObject({ settled: { won: 1 } });
    expect((await t.db.placedBet.findFirst({ where: { selectionId: teBetId } }))?.status).toBe("won");
    expect(await balances(t.db, c.userId)).toEqual({ cashCents: 8_000n + 6_500n, pendingCents: 0n });
    expect(await verifyLedger(t.db)).toEqual([]);

    // A second pass pays nothing twice.
    await runJobsOnce(t.db, unusedTe);
    expect((await balances(t.db, c.userId)).cashCents).toBe(14_500n);
  });
});
