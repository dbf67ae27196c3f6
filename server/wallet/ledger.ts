// Persistence for the double-entry wallet (rules in lib/ledger/rules.ts). Balances change only via
// `postTransfers`, inside the caller's transaction: each transfer row is inserted and the two
// account counters are bumped with single-row UPDATEs; the debit of a no-overdraft account is
// conditional (`credits − debits >= amount`) and a zero row count aborts the batch, so a racing
// request can never drive customer cash below zero, on SQLite or Postgres.
import { checkTransfer, ledgerViolations, sameTransfer, balanceOf, type Account, type AccountKind, type Transfer, type TransferError } from "../../lib/ledger/rules.ts";
import type { Db } from "../db/client.ts";

export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export const HOUSE_ACCOUNT = "acc_house";
export const FUNDING_ACCOUNT = "acc_funding";

export const customerAccounts = (customerId: string) => ({ cash: `acc_cash_${customerId}`, pending: `acc_pend_${customerId}`, house: HOUSE_ACCOUNT });

export class LedgerError extends Error {
  constructor(
    readonly code: TransferError,
    readonly transferId: string,
  ) {
    super(`transfer ${transferId}: ${code}`);
    this.name = "LedgerError";
  }
}

const openAccount = async (tx: Tx, id: string, kind: AccountKind, customerId: string | null): Promise<void> => {
  const existing = await tx.ledgerAccount.findUnique({ where: { id }, select: { id: true } });
  if (existing) return;
  await tx.ledgerAccount.create({
    data: { id, kind, customerId, debitsMustNotExceedCredits: kind === "customer_cash" || kind === "pending_bets" },
  });
};

export const ensureSystemAccounts = async (tx: Tx): Promise<void> => {
  await openAccount(tx, HOUSE_ACCOUNT, "house", null);
  await openAccount(tx, FUNDING_ACCOUNT, "funding", null);
};

export const openCustomerAccounts = async (tx: Tx, customerId: string): Promise<void> => {
  await ensureSystemAccounts(tx);
  const a = customerAccounts(customerId);
  await openAccount(tx, a.cash, "customer_cash", customerId);
  await openAccount(tx, a.pending, "pending_bets", customerId);
};

/**
 * Posts a batch of transfers inside `tx` (the caller's transaction makes it all-or-nothing).
 * A transfer whose id exists with the same fields is skipped (idempotent retry); with different
 * fields, or breaking a rule, it throws LedgerError and the caller's transaction rolls back.
 * Returns how many transfers were newly created.
 */
export const postTransfers = async (tx: Tx, transfers: Transfer[]): Promise<number> => {
  let created = 0;
  for (const t of transfers) {
    const pre = checkTransfer(t, DUMMY, DUMMY);
    if (pre) throw new LedgerError(pre, t.id);
    const existing = await tx.ledgerTransfer.findUnique({ where: { id: t.id } });
    if (existing) {
      const same = sameTransfer({ ...existing, code: existing.code as Transfer["code"] }, t);
      if (!same) throw new LedgerError("exists_with_different_fields", t.id);
      continue;
    }
    await debit(tx, t);
    await credit(tx, t);
    await tx.ledgerTransfer.create({ data: { id: t.id, debitAccountId: t.debitAccountId, creditAccountId: t.creditAccountId, amount: t.amount, code: t.code, betId: t.betId ?? null } });
    created++;
  }
  return created;
};

/**
 * Row-locks an account until the end of `tx` (Postgres; SQLite serialises writers anyway), by an
 * UPDATE that changes nothing, as that works on both databases. For a consistent lock order: every
 * path that changes a customer's bets or their money takes their cash account first.
 */
export const lockAccount = async (tx: Tx, id: string): Promise<void> => {
  const n = await tx.$executeRaw`UPDATE "LedgerAccount" SET "debitsPosted" = "debitsPosted" WHERE "id" = ${id}`;
  if (n !== 1) throw new Error(`account ${id} not found`);
};

// Placeholder accounts for the field-only checks (amount > 0, distinct accounts).
const DUMMY: Account = { id: "", kind: "house", debitsPosted: 0n, creditsPosted: 0n, debitsMustNotExceedCredits: false };

const debit = async (tx: Tx, t: Transfer): Promise<void> => {
  const n = await tx.$executeRaw`UPDATE "LedgerAccount" SET "debitsPosted" = "debitsPosted" + ${t.amount}
    WHERE "id" = ${t.debitAccountId} AND ("debitsMustNotExceedCredits" = ${false} OR "creditsPosted" - "debitsPosted" >= ${t.amount})`;
  if (n === 1) return;
  const exists = await tx.ledgerAccount.findUnique({ where: { id: t.debitAccountId }, select: { id: true } });
  throw new LedgerError(exists ? "exceeds_credits" : "debit_account_not_found", t.id);
};

const credit = async (tx: Tx, t: Transfer): Promise<void> => {
  const n = await tx.$executeRaw`UPDATE "LedgerAccount" SET "creditsPosted" = "creditsPosted" + ${t.amount} WHERE "id" = ${t.creditAccountId}`;
  if (n !== 1) throw new LedgerError("credit_account_not_found", t.id);
};

/** Deposit from the funding account into a customer's cash (idempotent by transferId). */
export const deposit = async (db: Db, customerId: string, amountCents: bigint, transferId: string): Promise<void> => {
  await db.$transaction(async (tx) => {
    await postTransfers(tx, [{ id: transferId, debitAccountId: FUNDING_ACCOUNT, creditAccountId: customerAccounts(customerId).cash, amount: amountCents, code: "deposit" }]);
  });
};

export const balances = async (db: Tx, customerId: string): Promise<{ cashCents: bigint; pendingCents: bigint }> => {
  const a = customerAccounts(customerId);
  const rows = await db.ledgerAccount.findMany({ where: { id: { in: [a.cash, a.pending] } } });
  const by = new Map(rows.map((r) => [r.id, balanceOf(r)]));
  return { cashCents: by.get(a.cash) ?? 0n, pendingCents: by.get(a.pending) ?? 0n };
};

/** Checks every ledger invariant over the whole database; [] when balanced. */
export const verifyLedger = async (db: Db): Promise<string[]> => {
  const [accounts, transfers] = await Promise.all([
    db.ledgerAccount.findMany(),
    db.ledgerTransfer.findMany({ select: { debitAccountId: true, creditAccountId: true, amount: true } }),
  ]);
  return ledgerViolations(accounts.map((a) => ({ ...a, kind: a.kind as AccountKind })), transfers);
};
