// Operator bet placement throughput on Postgres: placed bets/s with 1, 8 and 64 concurrent clients,
// next to a plain INSERT of the same PlacedBet rows in the same run, then a race of 64 clients on one
// wallet and a full ledger check (zero double spends). Fresh database, dropped afterwards.
//   npx tsx bench/operator.ts            (TEST_POSTGRES_URL to point elsewhere; BENCH_SECONDS per phase)
import { randomUUID } from "node:crypto";
import { createTestDb } from "../server/test/db.ts";
import { placeBets, LIMITS_SETTING_KEY } from "../server/operator/place-bets.ts";
import { balances, verifyLedger } from "../server/wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip, type TestCustomer } from "../server/operator/testkit.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = [1, 8, 64];

const t = await createTestDb("postgres");
const db = t.db;
try {
  await db.setting.create({
    data: { key: LIMITS_SETTING_KEY, valueJson: JSON.stringify({ cooldownMs: 0, maxLiabilityCents: { default: 1e14 } }), updatedBy: "bench" },
  });
  const customers: TestCustomer[] = [];
  for (let i = 0; i < 64; i++) customers.push(await customerWithSession(db, 10n ** 12n));

  const runFor = async (clients: number, op: (client: number) => Promise<boolean>): Promise<{ ok: number; failed: number; perSec: number }> => {
    const end = Date.now() + SECONDS * 1000;
    let ok = 0;
    let failed = 0;
    const start = Date.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (Date.now() < end) (await op(c)) ? ok++ : failed++;
      }),
    );
    return { ok, failed, perSec: ok / ((Date.now() - start) / 1000) };
  };

  const place = async (c: number): Promise<boolean> => {
    const u = customers[c]!;
    const r = await placeBets(db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, [makeBet({ stake: 1, decimalPrice: 2.5 })])) });
    if (r.status !== 200) console.error(r.body);
    return r.status === 200;
  };
  const plain = async (c: number): Promise<boolean> => {
    const b = makeBet({ stake: 1, decimalPrice: 2.5 }) as Record<string, string>;
    await db.placedBet.createMany({
      data: [{ ...(b as object), betId: b.betId!, requestId: randomUUID(), customerId: customers[c]!.userId, decimalPrice: "2.5", stake: undefined, stakeCents: 100, potentialPayoutCents: 250, status: "bench_plain" } as never],
    });
    return true;
  };

  // Warm up both paths (connections, prepared plans).
  await runFor(8, place).catch(() => undefined);
  await runFor(8, plain);

  const rows: string[] = [];
  for (const clients of CLIENTS) {
    const p = await runFor(clients, place);
    const i = await runFor(clients, plain);
    rows.push(
      `${String(clients).padStart(7)}  ${p.perSec.toFixed(0).padStart(12)}  ${i.perSec.toFixed(0).padStart(14)}  ${((100 * p.perSec) / i.perSec).toFixed(0).padStart(5)}%  ${String(p.failed).padStart(7)}`,
    );
  }

  // Race: 64 clients, one wallet with room for exactly 100 bets of 1.00.
  const victim = await customerWithSession(db, 10_000n);
  const results = await Promise.all(
    Array.from({ length: 640 }, () => placeBets(db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(victim, [makeBet({ stake: 1 })])) })),
  );
  const placed = results.filter((r) => r.status === 200).length;
  const bal = await balances(db, victim.userId);
  const violations = await verifyLedger(db);
  const stakesBet = (await db.placedBet.aggregate({ where: { status: "pending" }, _sum: { stakeCents: true } }))._sum.stakeCents ?? 0;
  const pendingTotal = (await db.ledgerAccount.findMany({ where: { kind: "pending_bets" } })).reduce((s, a) => s + (a.creditsPosted - a.debitsPosted), 0n);

  console.log(`operator bet placement on Postgres, ${SECONDS}s per phase, single-bet slips (one customer per client)`);
  console.log(`clients  placed bets/s  plain insert/s  ratio  failed`);
  for (const r of rows) console.log(r);
  console.log(`race: 640 slips of 1.00 on one wallet of 100.00 → placed ${placed}, cash ${bal.cashCents}c, pending ${bal.pendingCents}c`);
  console.log(`ledger: ${violations.length === 0 ? "balanced (sum of credits − debits = 0, no negative cash)" : violations.join("; ")}`);
  console.log(`pending stakes in PlacedBet ${stakesBet}c vs pending_bets accounts ${pendingTotal}c → ${BigInt(stakesBet) === pendingTotal ? "match" : "MISMATCH"}`);
  const ok = violations.length === 0 && placed === 100 && bal.cashCents === 0n && BigInt(stakesBet) === pendingTotal;
  console.log(ok ? "double spends: 0" : "DOUBLE SPEND OR LEDGER ERROR");
  process.exitCode = ok ? 0 : 1;
} finally {
  await t.drop();
}
