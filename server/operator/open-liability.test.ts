// The running open-liability totals (OpenLiability, migration 20261121060000_open_liability) against
// real SQLite and Postgres databases: they always equal the sum over the pending bets, whatever mix of
// placements (both Postgres paths), rejections, replays and settlements came before; the max-liability
// check on them is exact at the cap, also with concurrent requests on one customer; and the migration
// backfills them from the bets already there.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, postgresAdminUrl, testProviders, type TestDb } from "../test/db.ts";
import { createDb, type Db, type DbProvider } from "../db/client.ts";
import { migrate, migrationsDir } from "../db/migrate.ts";
import { placeBets, LIMITS_SETTING_KEY, pgPathStats } from "./place-bets.ts";
import { settleBet } from "./settle.ts";
import { openLiabilityMismatches } from "./open-liability.ts";
import { createCustomer } from "./customers.ts";
import { verifyLedger } from "../wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip, type TestCustomer } from "./testkit.ts";
import type { Outcome } from "../../lib/ledger/rules.ts";

const OUTCOMES: Outcome[] = ["won", "lost", "void"];

const setLimits = (db: Db, v: object) =>
  db.setting.upsert({ where: { key: LIMITS_SETTING_KEY }, create: { key: LIMITS_SETTING_KEY, valueJson: JSON.stringify(v), updatedBy: "test" }, update: { valueJson: JSON.stringify(v) } });

const openCents = async (db: Db, customerId: string, marketTypeId: string): Promise<bigint | undefined> =>
  (await db.openLiability.findUnique({ where: { customerId_marketTypeId: { customerId, marketTypeId } } }))?.openCents;

for (const provider of testProviders()) {
  // Postgres has two placement paths: place_bets() (falling back for rejections) and the transactional one.
  const paths = provider === "postgres" ? [true, false] : [false];

  describe(`open-liability running totals (${provider})`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(provider);
    });
    afterEach(async () => {
      expect(await verifyLedger(t.db)).toEqual([]);
      expect(await openLiabilityMismatches(t.db)).toEqual([]);
      await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
    });
    afterAll(async () => t?.drop());

    it("equal the sum over the pending bets after random placements, rejections, replays and settlements", async () => {
      let seed = provider === "postgres" ? 7 : 11;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
      await setLimits(t.db, { minStakeCents: 0, maxLiabilityCents: { default: 6000, totals: 2500 } });
      const users: TestCustomer[] = [];
      for (let i = 0; i < 3; i++) users.push(await customerWithSession(t.db, pick([3_000n, 20_000n])));
      const sent: { key: string; body: string; answer: string }[] = [];
      const usedBetIds: string[] = [];
      const seen = { placed: 0, liability: 0, otherRejections: 0, replays: 0, won: 0, lost: 0, void: 0 };
      for (let step = 0; step < 150; step++) {
        const action = rnd(10);
        if (action < 6 || usedBetIds.length === 0) {
          const bets = Array.from({ length: 1 + rnd(3) }, () =>
            makeBet({
              // now and then an id that is already placed (INVALID_BET_DETAILS)
              betId: rnd(15) === 0 && usedBetIds.length ? pick(usedBetIds) : randomUUID(),
              marketTypeId: pick(["match_odds", "totals", "handicap"]),
              stake: pick([0, 0.01, 1, 3.33, 10, 17.5]),
              decimalPrice: pick([1.01, "2.1", 2.5, 3.333, 7]),
            }),
          );
          const body = JSON.stringify(makeSlip(pick(users), bets));
          const key = randomUUID();
          const r = await placeBets(t.db, { idempotencyKey: key, bodyText: body, pgFastPath: pick(paths) });
          sent.push({ key, body, answer: r.body });
          if (r.status === 200) {
            seen.placed++;
            usedBetIds.push(...bets.map((b) => b.betId as string));
          } else if (JSON.parse(r.body).errorCode === "INVALID_STAKE") seen.liability++;
          else seen.otherRejections++;
        } else if (action < 7) {
          const again = pick(sent);
          const r = await placeBets(t.db, { idempotencyKey: again.key, bodyText: again.body, pgFastPath: pick(paths) });
          expect(r.body).toBe(again.answer);
          if (r.replayed) seen.replays++;
        } else {
          const pending = await t.db.placedBet.findMany({ where: { status: "pending", customerId: { in: users.map((u) => u.userId) } }, select: { betId: true } });
          if (!pending.length) continue;
          const outcome = pick(OUTCOMES);
          expect(await settleBet(t.db, pick(pending).betId, outcome)).toBe(true);
          seen[outcome]++;
        }
        expect(await openLiabilityMismatches(t.db), `after step ${step}`).toEqual([]);
      }
      // Every kind of step happened, often enough to mean something.
      expect(seen.placed).toBeGreaterThan(30);
      expect(seen.liability).toBeGreaterThan(5);
      expect(seen.otherRejections).toBeGreaterThan(5);
      expect(seen.replays).toBeGreaterThan(3);
      expect(Math.min(seen.won, seen.lost, seen.void)).toBeGreaterThan(3);
    });

    for (const fast of paths) {
      it(`enforce the cap exactly at the boundary, and a settlement gives back exactly its room${provider === "postgres" ? (fast ? " (place_bets())" : " (transactional path)") : ""}`, async () => {
        await setLimits(t.db, { minStakeCents: 1, maxLiabilityCents: { default: 1_000_000, match_odds: 3000 } }); // 30.00 on match_odds
        const u = await customerWithSession(t.db, 100_000n);
        const place = async (stake: number | string, marketTypeId = "match_odds") => {
          const bet = makeBet({ stake, decimalPrice: 2.5, marketTypeId });
          const before = { ...pgPathStats };
          const r = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [bet])), pgFastPath: fast });
          const j = JSON.parse(r.body);
          // Accepted by place_bets() itself (no fallback to the transactional path)?
          const viaFunction = pgPathStats.fast - before.fast === 1 && pgPathStats.fallback === before.fallback;
          return { status: r.status, errorCode: j.errorCode as string | undefined, maxStake: j.failedBets?.[0]?.reason?.maxStake as number | undefined, betId: bet.betId as string, viaFunction };
        };
        const a = await place(10); // liability 15.00
        const b = await place(10); // 30.00: exactly the cap
        expect([a.status, b.status]).toEqual([200, 200]);
        expect(b.viaFunction).toBe(fast);
        expect(await openCents(t.db, u.userId, "match_odds")).toBe(3000n);
        // One more cent of liability (0.01 × 2.5 = 0.025 → payout 0.02, liability 0.01) is over.
        expect(await place(0.01)).toMatchObject({ status: 400, errorCode: "INVALID_STAKE", maxStake: 0 });
        expect(await place(1, "totals")).toMatchObject({ status: 200 }); // other market types have their own total
        expect(await settleBet(t.db, a.betId, "won")).toBe(true);
        expect(await openCents(t.db, u.userId, "match_odds")).toBe(1500n);
        // The settled bet's 15.00 is free again, and not a cent more: 10.01 × 2.5 = 25.025 → liability 15.01.
        expect(await place(10.01)).toMatchObject({ status: 400, errorCode: "INVALID_STAKE", maxStake: 10 });
        expect(await place(10)).toMatchObject({ status: 200, viaFunction: fast });
        expect(await openCents(t.db, u.userId, "match_odds")).toBe(3000n);
        expect(await openCents(t.db, u.userId, "totals")).toBe(150n);
      });
    }
  });
}

describe.runIf(testProviders().includes("postgres"))("open-liability running totals under concurrency (postgres)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgres");
  });
  afterEach(async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
    expect(await openLiabilityMismatches(t.db)).toEqual([]);
    await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
  });
  afterAll(async () => t?.drop());

  it("64 concurrent slips on one customer, both paths: exactly the cap's worth is placed", async () => {
    await setLimits(t.db, { maxLiabilityCents: { default: 15_000 } }); // room for exactly 10 bets of liability 15.00
    const u = await customerWithSession(t.db, 10n ** 9n);
    const rs = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [makeBet({ stake: 10, decimalPrice: 2.5 })])), pgFastPath: i % 2 === 0 }),
      ),
    );
    expect(rs.filter((r) => r.status === 200)).toHaveLength(10);
    expect(new Set(rs.filter((r) => r.status !== 200).map((r) => JSON.parse(r.body).errorCode))).toEqual(new Set(["INVALID_STAKE"]));
    expect(await openCents(t.db, u.userId, "match_odds")).toBe(15_000n);
  });

  it("placements and settlements racing on one customer: no deadlock, no failure, the total stays exact", async () => {
    await setLimits(t.db, { maxLiabilityCents: { default: 1_000_000_000 } });
    const u = await customerWithSession(t.db, 10n ** 9n);
    const slip = (i: number) => JSON.stringify(makeSlip(u, [makeBet({ stake: 1 + (i % 7), decimalPrice: "2.1" }), makeBet({ stake: 2, decimalPrice: 3, marketTypeId: "totals" })]));
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: slip(i) })));
    expect(first.every((r) => r.status === 200)).toBe(true);
    const pending = await t.db.placedBet.findMany({ where: { customerId: u.userId }, select: { betId: true } });
    const [placed, settled] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, (_, i) => placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: slip(i), pgFastPath: i % 3 !== 0 }))),
      Promise.all(pending.map((b, i) => settleBet(t.db, b.betId, OUTCOMES[i % 3]!))),
    ]);
    expect(placed.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(settled).toEqual(Array(pending.length).fill(true));
    expect(await t.db.placedBet.count({ where: { customerId: u.userId, status: "pending" } })).toBe(80);
  });
});

// Apply the migrations before 20261121060000_open_liability, write bets, then the rest: the table is
// filled from the pending bets already there.
describe.each(testProviders())("migration 20261121060000_open_liability backfill (%s)", (provider: DbProvider) => {
  const MIGRATION = "20261121060000_open_liability";
  let root = "";
  let url = "";
  let db: Db | undefined;
  let dropDb = async () => {};
  afterAll(async () => {
    await db?.$disconnect();
    await dropDb();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("sums the pending bets per customer and market type, leaving settled bets out", async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "desk-backfill-"));
    const from = migrationsDir(provider);
    const to = migrationsDir(provider, root);
    for (const name of readdirSync(from)) if (name < MIGRATION) cpSync(path.join(from, name), path.join(to, name), { recursive: true });
    if (provider === "sqlite") {
      url = `file:${path.join(root, "backfill.db")}`;
    } else {
      const name = `desk_backfill_${Date.now()}_${randomUUID().slice(0, 8)}`;
      const admin = new pg.Client({ connectionString: postgresAdminUrl() });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const u = new URL(postgresAdminUrl());
      u.pathname = `/${name}`;
      url = u.toString();
      dropDb = async () => {
        const c = new pg.Client({ connectionString: postgresAdminUrl() });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      };
    }
    expect((await migrate(url, root)).applied).not.toContain(MIGRATION);
    db = createDb(url);
    const customers: string[] = [];
    for (let i = 0; i < 3; i++) customers.push((await createCustomer(db, { email: `backfill${i}-${randomUUID()}@example.com`, name: "B", password: "pw" })).id);
    // Bets as placement stores them (ledger left out: the migration only reads PlacedBet).
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const rows = Array.from({ length: 60 }, () => {
      const { stake: _stake, decimalPrice: _price, ...wire } = makeBet();
      const stakeCents = rnd(5000);
      const status = ["pending", "pending", "won", "lost", "void"][rnd(5)]!;
      return {
        ...wire,
        requestId: randomUUID(),
        customerId: customers[rnd(3)]!,
        marketTypeId: ["match_odds", "totals", "team_exotics"][rnd(3)]!,
        decimalPrice: "2.5",
        stakeCents,
        potentialPayoutCents: stakeCents + rnd(100_000),
        status,
        settledAt: status === "pending" ? null : new Date(),
      };
    });
    await db.placedBet.createMany({ data: rows as never });

    expect((await migrate(url)).applied).toContain(MIGRATION);
    const want = new Map<string, bigint>();
    for (const r of rows) {
      if (r.status !== "pending") continue;
      const k = `${r.customerId} ${r.marketTypeId}`;
      want.set(k, (want.get(k) ?? 0n) + BigInt(r.potentialPayoutCents - r.stakeCents));
    }
    const got = await db.openLiability.findMany();
    expect(new Map(got.map((o) => [`${o.customerId} ${o.marketTypeId}`, o.openCents]))).toEqual(want);
    expect(want.size).toBeGreaterThan(5);
    expect(await openLiabilityMismatches(db)).toEqual([]);
  });
});
