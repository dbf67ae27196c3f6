// Group commit on Postgres (place-batcher.ts, place_bets_batch()): slips sent together share one
// statement, and each is still answered exactly as if it had been sent alone — placed, replayed,
// refused — with the ledger balanced and nothing of a refused slip stored.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBets, type PlaceResult } from "./place-bets.ts";
import { PgPlaceBatcher, batcherFor } from "./place-batcher.ts";
import { balances, customerAccounts, verifyLedger } from "../wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip, type TestCustomer } from "./testkit.ts";
import type { Db } from "../db/client.ts";

const code = (r: PlaceResult) => (JSON.parse(r.body) as { errorCode?: string }).errorCode ?? "OK";

describe.runIf(testProviders().includes("postgres"))("group commit (postgres)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgres");
  });
  afterEach(async () => expect(await verifyLedger(t.db)).toEqual([]));
  afterAll(async () => t?.drop());

  const send = (db: Db, u: TestCustomer, bets: Record<string, unknown>[], key: string = randomUUID(), over: Record<string, unknown> = {}) => {
    const body = JSON.stringify(makeSlip(u, bets, over));
    return { key, body, result: placeBets(db, { idempotencyKey: key, bodyText: body }) };
  };

  it("a batch answers every slip as if it had been sent alone", async () => {
    const rich = await customerWithSession(t.db, 1_000_000n);
    const other = await customerWithSession(t.db, 1_000_000n);
    const poor = await customerWithSession(t.db, 500n);
    const blocked = await customerWithSession(t.db, 1_000_000n, { blocked: true });
    const before = { ...batcherFor(t.db).stats };

    const good = Array.from({ length: 12 }, (_, i) => send(t.db, i % 2 ? rich : other, [makeBet({ stake: 1 + i }), makeBet({ stake: 2, marketTypeId: "totals" })]));
    const twiceKey = randomUUID();
    const twiceBody = JSON.stringify(makeSlip(rich, [makeBet({ stake: 3 })]));
    const twice = [0, 1].map(() => placeBets(t.db, { idempotencyKey: twiceKey, bodyText: twiceBody }));
    const reusedKey = randomUUID();
    const reused = [send(t.db, other, [makeBet({ stake: 4 })], reusedKey), send(t.db, other, [makeBet({ stake: 5 })], reusedKey)];
    const poorSlips = [send(t.db, poor, [makeBet({ stake: 3 })]), send(t.db, poor, [makeBet({ stake: 3 })])];
    const refused = {
      blocked: send(t.db, blocked, [makeBet({ stake: 1 })]),
      wrongSession: send(t.db, rich, [makeBet({ stake: 1 })], randomUUID(), { sessionToken: other.sessionToken }),
      noSession: send(t.db, rich, [makeBet({ stake: 1 })], randomUUID(), { sessionToken: "no-such-session" }),
      noUser: send(t.db, rich, [makeBet({ stake: 1 })], randomUUID(), { userId: "no-such-user" }),
    };

    const goodR = await Promise.all(good.map((g) => g.result));
    const twiceR = await Promise.all(twice);
    const reusedR = await Promise.all(reused.map((g) => g.result));
    const poorR = await Promise.all(poorSlips.map((g) => g.result));
    const refusedR = Object.fromEntries(await Promise.all(Object.entries(refused).map(async ([k, v]) => [k, code(await v.result)] as const)));

    const after = batcherFor(t.db).stats;
    // Most of these were sent to the database together (the first few alone, while nothing was running).
    expect(after.slipsInBatches - before.slipsInBatches).toBeGreaterThanOrEqual(10);

    expect(goodR.map(code)).toEqual(goodR.map(() => "OK"));
    // Same key, same body: placed once, the other gets the very same response.
    expect(twiceR.map((r) => r.status)).toEqual([200, 200]);
    expect(twiceR[0]!.body).toBe(twiceR[1]!.body);
    expect(twiceR.filter((r) => r.replayed)).toHaveLength(1);
    // Same key, other body: one placed, the other refused.
    expect(reusedR.map(code).sort()).toEqual(["IDEMPOTENCY_KEY_REUSED", "OK"]);
    // 5.00 on the wallet, two slips of 3.00: exactly one fits.
    expect(poorR.map(code).sort()).toEqual(["INSUFFICIENT_FUNDS", "OK"]);
    expect(refusedR).toEqual({ blocked: "USER_BLOCKED", wrongSession: "AUTHENTICATION_FAILED", noSession: "INVALID_SESSION", noUser: "INVALID_USER" });

    // Stored: exactly the bets of the placed slips; stakes moved exactly once.
    const placedSlips = [...good.map((g, i) => [g.body, goodR[i]!] as const), [twiceBody, twiceR[0]!] as const, ...reused.map((g, i) => [g.body, reusedR[i]!] as const), ...poorSlips.map((g, i) => [g.body, poorR[i]!] as const)]
      .filter(([, r]) => code(r) === "OK")
      .map(([b]) => JSON.parse(b) as { bets: { betId: string }[] });
    const expectedIds = placedSlips.flatMap((s) => s.bets.map((b) => b.betId)).sort();
    const stored = await t.db.placedBet.findMany({ where: { customerId: { in: [rich.userId, other.userId, poor.userId, blocked.userId] } }, select: { betId: true } });
    expect(stored.map((b) => b.betId).sort()).toEqual(expectedIds);
    expect(await balances(t.db, poor.userId)).toMatchObject({ cashCents: 200n, pendingCents: 300n });
    expect(await balances(t.db, blocked.userId)).toMatchObject({ cashCents: 1_000_000n, pendingCents: 0n });
  });

  it("a slip waiting on a busy customer does not hold the batch: it runs again alone and is placed", async () => {
    const busy = await customerWithSession(t.db, 100_000n);
    const others = await Promise.all(Array.from({ length: 6 }, () => customerWithSession(t.db, 100_000n)));
    const batcher = new PgPlaceBatcher(t.db, { maxInFlight: 1, maxBatch: 32, maxQueued: 100 });
    const place = (u: TestCustomer) => {
      const slip = makeSlip(u, [makeBet({ stake: 1 })]);
      return placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(slip), batcher });
    };
    // Another transaction holds the busy customer's cash account until the other slips are answered.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.db.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(`SELECT 1 FROM "LedgerAccount" WHERE "id" = $1 FOR UPDATE`, customerAccounts(busy.userId).cash);
        locked();
        await released;
      },
      { timeout: 20_000 },
    );
    await isLocked;
    const first = place(others[0]!); // alone: the batcher was idle
    const batch = [place(busy), ...others.slice(1).map(place)];
    const t0 = Date.now();
    const rest = await Promise.all(batch.slice(1));
    const restMs = Date.now() - t0;
    setTimeout(release, 0);
    const [busyR] = await Promise.all([batch[0]!, first, holder]);
    expect(rest.map(code)).toEqual(rest.map(() => "OK"));
    expect(code(busyR!)).toBe("OK");
    // The others were answered while the holder still held the lock: the busy slip's wait in the batch
    // gave up after BATCH_LOCK_TIMEOUT_MS (100 ms), not the request's 5 s.
    expect(restMs).toBeLessThan(1_500);
    expect(batcher.stats.batched).toBeGreaterThanOrEqual(1);
    expect(batcher.stats.rerun).toBeGreaterThanOrEqual(1);
    expect(await balances(t.db, busy.userId)).toMatchObject({ cashCents: 99_900n, pendingCents: 100n });
  });

  it("a batch statement that fails as a whole re-runs every slip alone", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => customerWithSession(t.db, 100_000n)));
    // The same database, except that the batch function cannot be called.
    const broken = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === "$queryRawUnsafe")
          return (sql: string, ...args: unknown[]) => (sql.includes("place_bets_batch") ? Promise.reject(new Error("connection reset")) : target.$queryRawUnsafe(sql, ...args));
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    const batcher = new PgPlaceBatcher(broken, { maxInFlight: 1, maxBatch: 32, maxQueued: 100 });
    const rs = await Promise.all(users.map((u) => placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [makeBet({ stake: 2 })])), batcher })));
    expect(rs.map(code)).toEqual(rs.map(() => "OK"));
    expect(batcher.stats.batched).toBe(1);
    expect(batcher.stats.rerun).toBe(4);
    for (const u of users) expect(await balances(t.db, u.userId)).toMatchObject({ cashCents: 99_800n, pendingCents: 200n });
  });

  it("is bounded: beyond maxQueued a slip runs alone at once", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => customerWithSession(t.db, 100_000n)));
    const batcher = new PgPlaceBatcher(t.db, { maxInFlight: 1, maxBatch: 2, maxQueued: 2 });
    const rs = await Promise.all(users.map((u) => placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [makeBet({ stake: 1 })])), batcher })));
    expect(rs.map(code)).toEqual(rs.map(() => "OK"));
    // 1 alone (idle), 2 queued, 3 over the bound → alone at once; the queue went out in batches of ≤ 2.
    expect(batcher.stats.alone).toBeGreaterThanOrEqual(4);
    expect(batcher.stats.slipsInBatches).toBeLessThanOrEqual(2 * batcher.stats.batched);
  });
});
