// Settlement job: results pending bets, releases their liability from the customer's running
// open-liability total (OpenLiability) and moves the money (lib/ledger/rules.ts settlementTransfers).
// Team Exotics bets (marketTypeId "team_exotics", selectionId = TE bet_id) get their result from the
// TE service; every other bet from an injected results provider. Each bet is settled in its own
// transaction, guarded by `status = 'pending'` and by transfer ids derived from the bet id, so
// running the job twice (or concurrently) never pays twice.
import type { Db } from "../db/client.ts";
import { settlementTransfers, type Outcome } from "../../lib/ledger/rules.ts";
import { customerAccounts, lockAccount, postTransfers } from "../wallet/ledger.ts";
import { addOpenLiability } from "./open-liability.ts";

export const TEAM_EXOTICS_MARKET_TYPE = "team_exotics";

export type PendingBet = { betId: string; customerId: string; marketTypeId: string; marketId: string; eventId: string; selectionId: string };

export type SettleDeps = {
  /** Result of a Team Exotics bet by its TE bet_id; null while unresolved. */
  teResult: (teBetId: string) => Promise<Outcome | null>;
  /** Result of any other bet; null while unresolved. */
  results: (bet: PendingBet) => Promise<Outcome | null>;
  now?: () => Date;
  /** At most this many bets per run (default 500). */
  batchSize?: number;
};

export type SettleReport = { examined: number; settled: Record<Outcome, number>; unresolved: number; failed: { betId: string; error: string }[] };

/** TE results from our own TE service tables (TeBet.status won | lost | void once settled). */
export const teResultFromDb =
  (db: Db) =>
  async (teBetId: string): Promise<Outcome | null> => {
    const b = await db.teBet.findUnique({ where: { betId: teBetId }, select: { status: true, settled: true } });
    if (!b || !b.settled) return null;
    return b.status === "won" || b.status === "lost" || b.status === "void" ? b.status : null;
  };

/** Settles one bet; false when it was no longer pending (already settled by someone else). */
export const settleBet = async (db: Db, betId: string, outcome: Outcome, now = new Date()): Promise<boolean> =>
  db.$transaction(
    async (tx) => {
      const claimed = await tx.placedBet.updateMany({ where: { betId, status: "pending" }, data: { status: outcome, settledAt: now } });
      if (claimed.count !== 1) return false;
      const bet = await tx.placedBet.findUniqueOrThrow({ where: { betId } });
      const acct = customerAccounts(bet.customerId);
      // Placement's lock order (cash account, open liability, pending account), so the two never deadlock.
      await lockAccount(tx, acct.cash);
      await addOpenLiability(tx, bet.customerId, new Map([[bet.marketTypeId, -BigInt(bet.potentialPayoutCents - bet.stakeCents)]]));
      await postTransfers(
        tx,
        settlementTransfers({ betId, stakeCents: BigInt(bet.stakeCents), potentialPayoutCents: BigInt(bet.potentialPayoutCents) }, outcome, acct).filter((t) => t.amount > 0n),
      );
      return true;
    },
    { maxWait: 10_000, timeout: 10_000 },
  );

export const settlePendingBets = async (db: Db, deps: SettleDeps): Promise<SettleReport> => {
  const now = deps.now ?? (() => new Date());
  const report: SettleReport = { examined: 0, settled: { won: 0, lost: 0, void: 0 }, unresolved: 0, failed: [] };
  const pending = await db.placedBet.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    take: deps.batchSize ?? 500,
    select: { betId: true, customerId: true, marketTypeId: true, marketId: true, eventId: true, selectionId: true },
  });
  for (const bet of pending) {
    report.examined++;
    try {
      const outcome = bet.marketTypeId === TEAM_EXOTICS_MARKET_TYPE ? await deps.teResult(bet.selectionId) : await deps.results(bet);
      if (!outcome) {
        report.unresolved++;
        continue;
      }
      if (await settleBet(db, bet.betId, outcome, now())) report.settled[outcome]++;
    } catch (e) {
      report.failed.push({ betId: bet.betId, error: (e as Error).message });
    }
  }
  return report;
};
