// Operator bet placement throughput on Postgres: placed bets/s with 1, 8 and 64 concurrent clients,
// next to a plain INSERT of the same PlacedBet rows in the same run, then a race of 64 clients on one
// wallet, a full ledger check (zero double spends) and a check of the running open-liability totals
// against the pending bets. Fresh database, dropped afterwards.
//   npx tsx bench/operator.ts
// Env: TEST_POSTGRES_URL (elsewhere), BENCH_SECONDS per phase (4), BENCH_ROUNDS (2), BENCH_BETS bets
// per slip (1), BENCH_PATH=fast|tx (fast: place_bets() function; tx: the transactional path only),
// BENCH_BATCH=0 sends every slip alone (no group commit, see server/operator/place-batcher.ts),
// BENCH_PG_STATS=1 prints rows inserted/updated per table and how many updates were HOT.
//
// The baseline is kept fair: the plain insert writes exactly the PlacedBet rows a placement writes
// (same columns and values, status pending, computed payout), BENCH_BETS rows per statement like one
// slip, in autocommit through the same Prisma client and pool (20 connections), from the same number
// of concurrent clients; its rows belong to separate customers so that they stay out of the
// placements' customers' state and of the checks at the end (ledger, open-liability totals). Phases
// alternate place, plain, plain, place, … (ABBA) so that drift on a noisy machine (autovacuum,
// checkpoints) hits both equally.
import { randomUUID } from "node:crypto";
import { createTestDb } from "../server/test/db.ts";
import { placeBets, LIMITS_SETTING_KEY } from "../server/operator/place-bets.ts";
import { balances, verifyLedger } from "../server/wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip, type TestCustomer } from "../server/operator/testkit.ts";
import { parseBetslip } from "../lib/operator/betslip.ts";
import { openLiabilityMismatches } from "../server/operator/open-liability.ts";
import { batcherFor } from "../server/operator/place-batcher.ts";

const f1 = (x: number) => x.toFixed(1);

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const BETS = Math.max(1, Math.min(100, Number(process.env.BENCH_BETS ?? 1)));
const FAST = (process.env.BENCH_PATH ?? "fast") !== "tx";
const BATCH = process.env.BENCH_BATCH !== "0";
const CLIENTS = [1, 8, 64];

const t = await createTestDb("postgres");
const db = t.db;
try {
  await db.setting.create({
    data: { key: LIMITS_SETTING_KEY, valueJson: JSON.stringify({ cooldownMs: 0, maxLiabilityCents: { default: 1e14 } }), updatedBy: "bench" },
  });
  const customers: TestCustomer[] = [];
  const plainCustomers: TestCustomer[] = [];
  for (let i = 0; i < 64; i++) customers.push(await customerWithSession(db, 10n ** 12n));
  for (let i = 0; i < 64; i++) plainCustomers.push(await customerWithSession(db, 0n));

  type Phase = { ok: number; failed: number; ms: number };
  /** Runs `op` from `clients` concurrent loops for SECONDS; ok counts bets (rows), not requests. */
  const runFor = async (clients: number, op: (client: number) => Promise<boolean>): Promise<Phase> => {
    const end = Date.now() + SECONDS * 1000;
    let ok = 0;
    let failed = 0;
    const start = Date.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (Date.now() < end) (await op(c)) ? (ok += BETS) : failed++;
      }),
    );
    return { ok, failed, ms: Date.now() - start };
  };

  const slipBets = () => Array.from({ length: BETS }, () => makeBet({ stake: 1, decimalPrice: 2.5 }));
  const place = async (c: number): Promise<boolean> => {
    const u = customers[c]!;
    const r = await placeBets(db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(u, slipBets())), pgFastPath: FAST, pgBatch: BATCH });
    if (r.status !== 200) console.error(r.body);
    return r.status === 200;
  };
  // The same PlacedBet rows the placement stores (see pgWrite / place_bets), one statement per slip.
  const COLS = ["betId", "requestId", "customerId", "sportId", "sportName", "sportDisplayName", "eventId", "eventAltId", "eventName", "eventDisplayName", "eventStage",
    "competitionId", "competitionName", "competitionDisplayName", "marketTypeId", "marketId", "marketName", "marketDisplayName", "marketStage", "selectionId",
    "selectionName", "selectionDisplayName", "decimalPrice", "stakeCents", "potentialPayoutCents", "status", "createdAt"] as const;
  const plainSql = (n: number) =>
    `INSERT INTO "PlacedBet" (${COLS.map((c) => `"${c}"`).join(", ")}) VALUES ` +
    Array.from({ length: n }, (_, r) => `(${COLS.map((c, i) => `$${r * COLS.length + i + 1}${c === "stakeCents" || c === "potentialPayoutCents" ? "::int" : c === "createdAt" ? "::timestamptz AT TIME ZONE 'UTC'" : ""}`).join(", ")})`).join(", ");
  const PLAIN_SQL = plainSql(BETS);
  const plain = async (c: number): Promise<boolean> => {
    const slip = parseBetslip(makeSlip(plainCustomers[c]!, slipBets()));
    const now = new Date().toISOString();
    const params = slip.bets.flatMap((b) => {
      const row: Record<(typeof COLS)[number], unknown> = {
        ...(b.wire as unknown as Record<string, string>),
        eventAltId: b.wire.eventAltId ?? null,
        requestId: slip.requestId,
        customerId: slip.userId,
        decimalPrice: b.priceText,
        stakeCents: Number(b.stakeCents),
        potentialPayoutCents: Number(b.potentialPayoutCents),
        status: "pending",
        createdAt: now,
      } as never;
      return COLS.map((k) => row[k]);
    });
    return (await db.$executeRawUnsafe(PLAIN_SQL, ...params)) === BETS;
  };

  // Warm up both paths (connections, plans).
  await runFor(8, place).catch(() => undefined);
  await runFor(8, plain);

  const rows: string[] = [];
  const sum = (ps: Phase[]) => ps.reduce((a, p) => ({ ok: a.ok + p.ok, failed: a.failed + p.failed, ms: a.ms + p.ms }), { ok: 0, failed: 0, ms: 0 });
  for (const clients of CLIENTS) {
    const ps: Phase[] = [];
    const is: Phase[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // ABBA: place, plain, plain, place, …
      if (r % 2 === 0) {
        ps.push(await runFor(clients, place));
        is.push(await runFor(clients, plain));
      } else {
        is.push(await runFor(clients, plain));
        ps.push(await runFor(clients, place));
      }
    }
    const p = sum(ps);
    const i = sum(is);
    const pRate = p.ok / (p.ms / 1000);
    const iRate = i.ok / (i.ms / 1000);
    rows.push(`${String(clients).padStart(7)}  ${pRate.toFixed(0).padStart(13)}  ${iRate.toFixed(0).padStart(14)}  ${((100 * pRate) / iRate).toFixed(0).padStart(5)}%  ${String(p.failed).padStart(6)}`);
  }

  // Race: 64 clients, one wallet with room for exactly 100 bets of 1.00.
  const victim = await customerWithSession(db, 10_000n);
  const results = await Promise.all(
    Array.from({ length: 640 }, () => placeBets(db, { idempotencyKey: randomUUID(), bodyText: JSON.stringify(makeSlip(victim, [makeBet({ stake: 1 })])) })),
  );
  const placed = results.filter((r) => r.status === 200).length;
  const bal = await balances(db, victim.userId);
  const violations = await verifyLedger(db);
  const plainIds = plainCustomers.map((c) => c.userId);
  const stakesBet = (await db.placedBet.aggregate({ where: { status: "pending", customerId: { notIn: plainIds } }, _sum: { stakeCents: true } }))._sum.stakeCents ?? 0;
  const pendingTotal = (await db.ledgerAccount.findMany({ where: { kind: "pending_bets" } })).reduce((s, a) => s + (a.creditsPosted - a.debitsPosted), 0n);
  const liabilityErrors = await openLiabilityMismatches(db, [...customers, victim].map((c) => c.userId));

  console.log(
    `operator bet placement on Postgres (${FAST ? (BATCH ? "place_bets() fast path, group commit" : "place_bets() fast path, one slip per statement") : "transactional path"}), ${ROUNDS}×${SECONDS}s per phase (ABBA), ` +
      `${BETS}-bet slips (one customer per client); plain insert: the same rows, ${BETS} per statement, same pool`,
  );
  console.log(`clients  placed bets/s  plain insert/s  ratio  failed`);
  for (const r of rows) console.log(r);
  if (FAST && BATCH) {
    const b = batcherFor(db).stats;
    console.log(`group commit: ${b.batched} batch statements carried ${b.slipsInBatches} slips (${f1(b.slipsInBatches / Math.max(1, b.batched))} per batch); ${b.alone} slips alone, ${b.rerun} re-run alone after a batch`);
  }
  console.log(`race: 640 slips of 1.00 on one wallet of 100.00 → placed ${placed}, cash ${bal.cashCents}c, pending ${bal.pendingCents}c`);
  console.log(`ledger: ${violations.length === 0 ? "balanced (sum of credits − debits = 0, no negative cash)" : violations.join("; ")}`);
  console.log(`pending stakes in PlacedBet ${stakesBet}c vs pending_bets accounts ${pendingTotal}c → ${BigInt(stakesBet) === pendingTotal ? "match" : "MISMATCH"}`);
  console.log(`open liability: ${liabilityErrors.length === 0 ? "running totals = sums over the pending bets" : liabilityErrors.slice(0, 5).join("; ")}`);
  if (process.env.BENCH_PG_STATS) {
    // Row writes per table, and how many updates were HOT (no index entries written).
    const st = await db.$queryRawUnsafe<{ relname: string; ins: bigint; upd: bigint; hot: bigint }[]>(
      `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 0 ORDER BY relname`,
    );
    console.log(`table stats: ${st.map((r) => `${r.relname} ins ${r.ins} upd ${r.upd} (hot ${r.hot})`).join("; ")}`);
  }
  const ok = violations.length === 0 && placed === 100 && bal.cashCents === 0n && BigInt(stakesBet) === pendingTotal && liabilityErrors.length === 0;
  console.log(ok ? "double spends: 0" : "DOUBLE SPEND OR LEDGER ERROR");
  process.exitCode = ok ? 0 : 1;
} finally {
  await t.drop();
}
