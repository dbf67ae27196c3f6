// The Postgres one-round-trip placement (place_bets(), migrations 20261121040000_place_bets_fn,
// 20261121050000_place_bets_lean and 20261121060000_open_liability):
// its payout rounding is exactly lib/ledger/decimal.ts's, and it only ever accepts what the
// transactional path (lib/operator/betslip.ts checkBetslip) accepts — everything else falls back and
// gets the same answer as the transactional path would give.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBets, LIMITS_SETTING_KEY, pgPathStats } from "./place-bets.ts";
import { balances, verifyLedger } from "../wallet/ledger.ts";
import { parseDecimal, payoutCents } from "../../lib/ledger/decimal.ts";
import { customerWithSession, makeBet, makeSlip } from "./testkit.ts";

const PRICES = [
  "1.01", "1.001", "1.1", "1.15", "1.5", "2", "2.1", "2.10", "2.5", "2.675", "3.3", "3.33333333333", "1.00000000001", "1.99999999999",
  "7.77", "10.05", "1000.5", "99999999999.9", "999999999999", "0002.50", "1.0000000001", "4.4444", "1.3", "17.123456789",
];
const STAKES = [0n, 1n, 3n, 7n, 9n, 99n, 101n, 103n, 333n, 1005n, 9999n, 123456789n, 999999999999n, 10n ** 13n];

describe.runIf(testProviders().includes("postgres"))("place_bets() (postgres)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgres");
  });
  afterEach(async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
    await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
  });
  afterAll(async () => t?.drop());

  it("bet_payout_cents rounds down to the cent exactly like payoutCents, on awkward prices and stakes", async () => {
    const pairs: [bigint, string][] = [];
    for (const p of PRICES) for (const s of STAKES) pairs.push([s, p]);
    // Plus pseudo-random ones (deterministic): 1–12 digit prices with 0–11 decimals, stakes up to 10^13 cents.
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const digits = 1 + rnd(12);
      let units = String(1 + rnd(9));
      for (let d = 1; d < digits; d++) units += String(rnd(10));
      const scale = rnd(digits);
      const price = scale === 0 ? units : `${units.slice(0, digits - scale)}.${units.slice(digits - scale)}`;
      const stake = BigInt(rnd(2 ** 31)) * BigInt(1 + rnd(4657)) % (10n ** 13n + 1n);
      pairs.push([stake, price]);
    }
    const rows = await t.db.$queryRawUnsafe<{ s: string; p: string; c: string }[]>(
      `SELECT s::text AS s, p, bet_payout_cents(s, p)::text AS c FROM unnest($1::bigint[], $2::text[]) AS x(s, p)`,
      pairs.map(([s]) => s.toString()),
      pairs.map(([, p]) => p),
    );
    expect(rows).toHaveLength(pairs.length);
    const mismatches = rows.filter((r) => BigInt(r.c) !== payoutCents(BigInt(r.s), parseDecimal(r.p)!));
    expect(mismatches).toEqual([]);
    // Spot checks: 1.03 × 2.1 = 2.163 → 2.16; 0.03 × 2.1 = 0.063 → 0.06; 2.675 × 1.00 = 2.675 → 2.67.
    const spot = await t.db.$queryRawUnsafe<{ a: string; b: string; c: string }[]>(
      `SELECT bet_payout_cents(103, '2.1')::text AS a, bet_payout_cents(3, '2.1')::text AS b, bet_payout_cents(100, '2.675')::text AS c`,
    );
    expect(spot[0]).toEqual({ a: "216", b: "6", c: "267" });
  });

  // Each scenario runs on two fresh customers: one through place_bets() (falling back when it must),
  // one on the transactional path only. Same answers, same balances; `fast` says whether the
  // function itself must have accepted (PLACED) every slip.
  type Scenario = { name: string; limits?: string; deposit?: bigint; slips: Record<string, unknown>[][]; fast: boolean };
  const bet = makeBet;
  const scenarios: Scenario[] = [
    { name: "defaults", slips: [[bet(), bet({ stake: 1.03, decimalPrice: "2.1" })]], fast: true },
    { name: "zero stake allowed by minStakeCents 0 (no transfer)", limits: '{"minStakeCents":0}', slips: [[bet({ stake: 0 })]], fast: true },
    { name: "exactly the balance", deposit: 2000n, slips: [[bet({ stake: 10 }), bet({ stake: 10 })]], fast: true },
    { name: "one cent short", deposit: 1999n, slips: [[bet({ stake: 10 }), bet({ stake: 10 })]], fast: false },
    { name: "stake at max", limits: '{"maxStakeCents":1000}', slips: [[bet({ stake: 10 })]], fast: true },
    { name: "stake over max", limits: '{"maxStakeCents":1000}', slips: [[bet({ stake: 10.01 })]], fast: false },
    { name: "stake under min", limits: '{"minStakeCents":1001}', slips: [[bet({ stake: 10 })]], fast: false },
    { name: "liability exactly at the cap", limits: '{"maxLiabilityCents":{"match_odds":1500}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 })]], fast: true },
    { name: "liability one cent over", limits: '{"maxLiabilityCents":{"match_odds":1499}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 })]], fast: false },
    { name: "liability over the cap across two slips", limits: '{"maxLiabilityCents":{"default":2000}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 })], [bet({ stake: 4, decimalPrice: 2.5 })]], fast: false },
    { name: "liability summed within one slip", limits: '{"maxLiabilityCents":{"default":2000}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 }), bet({ stake: 4, decimalPrice: 2.5 })]], fast: false },
    { name: "other market types do not count", limits: '{"maxLiabilityCents":{"default":1500}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 }), bet({ stake: 10, decimalPrice: 2.5, marketTypeId: "totals" })]], fast: true },
    { name: "rounding decides the cap (1.03 × 2.1 → liability 113)", limits: '{"maxLiabilityCents":{"default":113}}', slips: [[bet({ stake: 1.03, decimalPrice: "2.1" })]], fast: true },
    { name: "market cap null → default", limits: '{"maxLiabilityCents":{"match_odds":null,"default":1400}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 })]], fast: false },
    { name: "default cap null → MAX_SAFE_INTEGER", limits: '{"maxLiabilityCents":{"default":null}}', slips: [[bet({ stake: 10, decimalPrice: 1000 })]], fast: true },
    { name: "cap as a string (BigInt(\"1000\") in JS)", limits: '{"maxLiabilityCents":{"match_odds":"1000"}}', slips: [[bet({ stake: 10, decimalPrice: 2.5 })]], fast: false },
    { name: "minStakeCents as a string → default", limits: '{"minStakeCents":"5000"}', slips: [[bet({ stake: 10 })]], fast: true },
    { name: "fractional minStakeCents (JS: 500)", limits: '{"minStakeCents":150.5}', slips: [[bet({ stake: 10 })]], fast: false },
    { name: "maxLiabilityCents not an object", limits: '{"maxLiabilityCents":5}', slips: [[bet()]], fast: false },
    { name: "limits not JSON → defaults", limits: "not json", slips: [[bet()]], fast: false },
    { name: "limits JSON null → defaults", limits: "null", slips: [[bet()]], fast: false },
    { name: "cool-down", limits: '{"cooldownMs":60000}', slips: [[bet()], [bet()]], fast: false },
    { name: "market type named like an Object.prototype member", slips: [[bet({ marketTypeId: "constructor" })]], fast: false },
  ];

  for (const sc of scenarios) {
    it(`same answer on both paths: ${sc.name}`, async () => {
      if (sc.limits !== undefined) {
        await t.db.setting.upsert({ where: { key: LIMITS_SETTING_KEY }, create: { key: LIMITS_SETTING_KEY, valueJson: sc.limits, updatedBy: "test" }, update: { valueJson: sc.limits } });
      }
      const deposit = sc.deposit ?? 100_000n;
      const a = await customerWithSession(t.db, deposit);
      const b = await customerWithSession(t.db, deposit);
      const summary = (r: { status: number; body: string }) => {
        const j = JSON.parse(r.body) as Record<string, any>;
        return { status: r.status, errorCode: j.errorCode, errorMessage: j.errorMessage?.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, "<time>"), failed: j.failedBets?.map((f: any) => f.reason), payouts: j.bets?.map((x: any) => x.potentialPayout) };
      };
      const orig = console.error;
      console.error = () => undefined; // the Object.prototype scenario is a 500 on both paths
      try {
        for (const bets of sc.slips) {
          const mk = (u: { userId: string; sessionToken: string }) => JSON.stringify(makeSlip(u, bets.map((x) => ({ ...x, betId: randomUUID() }))));
          const before = { ...pgPathStats };
          const fast = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: mk(a) });
          const viaFunction = pgPathStats.fast - before.fast === 1 && pgPathStats.fallback === before.fallback;
          const tx = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: mk(b), pgFastPath: false });
          expect(summary(fast)).toEqual(summary(tx));
          if (sc.fast) expect(viaFunction).toBe(true);
          if (fast.status !== 200) expect(viaFunction).toBe(false);
        }
      } finally {
        console.error = orig;
      }
      expect(await balances(t.db, a.userId)).toEqual(await balances(t.db, b.userId));
      expect(await t.db.placedBet.count({ where: { customerId: a.userId } })).toBe(await t.db.placedBet.count({ where: { customerId: b.userId } }));
    });
  }

  it("follows changes of the limits setting: a stale view costs a retry, never a wrong answer", async () => {
    const setLimits = (v: string) =>
      t.db.setting.upsert({ where: { key: LIMITS_SETTING_KEY }, create: { key: LIMITS_SETTING_KEY, valueJson: v, updatedBy: "test" }, update: { valueJson: v } });
    const u = await customerWithSession(t.db, 100_000n);
    const place = async (stake: number) => {
      const before = { ...pgPathStats };
      const r = await placeBets(t.db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [bet({ stake })])) });
      return { status: r.status, code: JSON.parse(r.body).errorCode as string | undefined, viaFunction: pgPathStats.fast - before.fast === 1 && pgPathStats.fallback === before.fallback };
    };
    await setLimits('{"maxStakeCents":1000}');
    expect(await place(10)).toEqual({ status: 200, code: undefined, viaFunction: true });
    // Tightened: the function sees the caller evaluated an older setting, the caller re-plans and hands over.
    await setLimits('{"maxStakeCents":500}');
    expect(await place(10)).toEqual({ status: 400, code: "INVALID_STAKE", viaFunction: false });
    // Loosened: the caller's own view rejects, re-reads the setting and places through the function.
    await setLimits('{"maxStakeCents":2000}');
    expect(await place(15)).toEqual({ status: 200, code: undefined, viaFunction: true });
    // Removed: defaults again (max 10,000.00, liability 100,000.00).
    await t.db.setting.deleteMany({ where: { key: LIMITS_SETTING_KEY } });
    expect(await place(25)).toEqual({ status: 200, code: undefined, viaFunction: true });
    expect(await t.db.placedBet.count({ where: { customerId: u.userId } })).toBe(3);
  });

  it("stores the same rows as the transactional path (bets, transfers, lastBetAt, key)", async () => {
    const a = await customerWithSession(t.db, 100_000n);
    const b = await customerWithSession(t.db, 100_000n);
    const bets = [bet({ stake: 1.03, decimalPrice: "2.1", eventAltId: "alt" }), bet({ stake: 7, decimalPrice: "3.333" })];
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 345);
    const ka = randomUUID();
    const kb = randomUUID();
    const ra = await placeBets(t.db, { idempotencyKey: ka, now: () => now, bodyText: JSON.stringify(makeSlip(a, bets.map((x) => ({ ...x, betId: `a-${x.betId}` })), { requestId: "r" })) });
    const rb = await placeBets(t.db, { idempotencyKey: kb, now: () => now, pgFastPath: false, bodyText: JSON.stringify(makeSlip(b, bets.map((x) => ({ ...x, betId: `b-${x.betId}` })), { requestId: "r" })) });
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const strip = (rows: Record<string, unknown>[], id: string) => rows.map((r) => JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v)).replaceAll(id, "X").replaceAll(/([_"])[ab]-/g, "$1")));
    const betsOf = (id: string) => t.db.placedBet.findMany({ where: { customerId: id }, orderBy: { stakeCents: "asc" } });
    const trfOf = (id: string) => t.db.ledgerTransfer.findMany({ where: { debitAccountId: `acc_cash_${id}`, code: "bet_stake" }, orderBy: { amount: "asc" }, omit: { createdAt: false } });
    expect(strip(await betsOf(a.userId), a.userId)).toEqual(strip(await betsOf(b.userId), b.userId));
    expect(strip(await trfOf(a.userId), a.userId)).toEqual(strip(await trfOf(b.userId), b.userId));
    expect((await betsOf(a.userId))[0]!.createdAt.toISOString()).toBe(now.toISOString());
    expect((await t.db.customer.findUnique({ where: { id: a.userId } }))!.lastBetAt!.toISOString()).toBe(now.toISOString());
    const key = await t.db.idempotencyKey.findUnique({ where: { key: ka } });
    expect(key).toMatchObject({ state: "completed", responseStatus: 200, responseBody: ra.body, scope: "operator.bets" });
    expect(key!.expiresAt.getTime() - now.getTime()).toBe(24 * 60 * 60 * 1000);
  });
});
