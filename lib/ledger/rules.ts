// Double-entry rules (TigerBeetle's): every movement is one transfer from a debit account to a
// credit account, in integer minor units; an account's balance is credits − debits; customer cash
// carries `debitsMustNotExceedCredits`, so it can never go negative; a transfer id is unique and a
// retry with the same id and fields is a no-op, with different fields an error. Pure: no I/O.

export type AccountKind = "customer_cash" | "pending_bets" | "house" | "funding";
export type TransferCode = "deposit" | "bet_stake" | "bet_win" | "bet_loss" | "bet_void";

export type Account = {
  id: string;
  kind: AccountKind;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsMustNotExceedCredits: boolean;
};

export type Transfer = { id: string; debitAccountId: string; creditAccountId: string; amount: bigint; code: TransferCode; betId?: string | null };

export type TransferError =
  | "amount_must_be_positive"
  | "accounts_must_be_different"
  | "debit_account_not_found"
  | "credit_account_not_found"
  | "exceeds_credits"
  | "exists_with_different_fields";

export const balanceOf = (a: Pick<Account, "debitsPosted" | "creditsPosted">): bigint => a.creditsPosted - a.debitsPosted;

/** Why `t` cannot be applied to these accounts, or null if it can. */
export const checkTransfer = (t: Transfer, debit: Account | undefined, credit: Account | undefined): TransferError | null => {
  if (t.amount <= 0n) return "amount_must_be_positive";
  if (t.debitAccountId === t.creditAccountId) return "accounts_must_be_different";
  if (!debit) return "debit_account_not_found";
  if (!credit) return "credit_account_not_found";
  if (debit.debitsMustNotExceedCredits && debit.debitsPosted + t.amount > debit.creditsPosted) return "exceeds_credits";
  return null;
};

export const sameTransfer = (a: Transfer, b: Transfer): boolean =>
  a.id === b.id &&
  a.debitAccountId === b.debitAccountId &&
  a.creditAccountId === b.creditAccountId &&
  a.amount === b.amount &&
  a.code === b.code &&
  (a.betId ?? null) === (b.betId ?? null);

export type ApplyResult = { ok: true; created: boolean } | { ok: false; error: TransferError };

/**
 * In-memory ledger applying transfers atomically as a batch (all or none), used by tests and as the
 * specification the database code follows.
 */
export class MemoryLedger {
  readonly accounts = new Map<string, Account>();
  readonly transfers = new Map<string, Transfer>();

  open(id: string, kind: AccountKind): Account {
    const a: Account = { id, kind, debitsPosted: 0n, creditsPosted: 0n, debitsMustNotExceedCredits: kind === "customer_cash" || kind === "pending_bets" };
    this.accounts.set(id, a);
    return a;
  }

  /** Applies every transfer or none; returns one result per transfer (first failure stops the batch). */
  post(batch: Transfer[]): ApplyResult[] {
    const snapshot = new Map([...this.accounts].map(([k, v]) => [k, { ...v }]));
    const results: ApplyResult[] = [];
    const created: string[] = [];
    for (const t of batch) {
      const existing = this.transfers.get(t.id);
      if (existing) {
        if (!sameTransfer(existing, t)) {
          results.push({ ok: false, error: "exists_with_different_fields" });
          return this.rollback(snapshot, created, results);
        }
        results.push({ ok: true, created: false });
        continue;
      }
      const debit = this.accounts.get(t.debitAccountId);
      const credit = this.accounts.get(t.creditAccountId);
      const err = checkTransfer(t, debit, credit);
      if (err) {
        results.push({ ok: false, error: err });
        return this.rollback(snapshot, created, results);
      }
      debit!.debitsPosted += t.amount;
      credit!.creditsPosted += t.amount;
      this.transfers.set(t.id, t);
      created.push(t.id);
      results.push({ ok: true, created: true });
    }
    return results;
  }

  private rollback(snapshot: Map<string, Account>, created: string[], results: ApplyResult[]): ApplyResult[] {
    for (const [k, v] of snapshot) this.accounts.set(k, v);
    for (const id of created) this.transfers.delete(id);
    return results;
  }
}

/** Ledger invariants over a full set of accounts and transfers; returns the violations found. */
export const ledgerViolations = (accounts: Account[], transfers: Pick<Transfer, "debitAccountId" | "creditAccountId" | "amount">[]): string[] => {
  const out: string[] = [];
  let net = 0n;
  const debits = new Map<string, bigint>();
  const credits = new Map<string, bigint>();
  for (const t of transfers) {
    debits.set(t.debitAccountId, (debits.get(t.debitAccountId) ?? 0n) + t.amount);
    credits.set(t.creditAccountId, (credits.get(t.creditAccountId) ?? 0n) + t.amount);
  }
  for (const a of accounts) {
    net += balanceOf(a);
    if ((debits.get(a.id) ?? 0n) !== a.debitsPosted) out.push(`${a.id}: debitsPosted ${a.debitsPosted} ≠ sum of debit transfers ${debits.get(a.id) ?? 0n}`);
    if ((credits.get(a.id) ?? 0n) !== a.creditsPosted) out.push(`${a.id}: creditsPosted ${a.creditsPosted} ≠ sum of credit transfers ${credits.get(a.id) ?? 0n}`);
    if (a.debitsMustNotExceedCredits && a.debitsPosted > a.creditsPosted) out.push(`${a.id}: negative balance ${balanceOf(a)}`);
  }
  if (net !== 0n) out.push(`sum of (credits − debits) over all accounts is ${net}, not 0`);
  return out;
};

export type Outcome = "won" | "lost" | "void";

/**
 * Transfers that settle one pending bet (stake held in the customer's pending_bets account):
 * won → stake back to cash + (payout − stake) from house; lost → stake to house; void → stake back.
 * Ids are derived from the bet id, so settling twice is a no-op.
 */
export const settlementTransfers = (
  bet: { betId: string; stakeCents: bigint; potentialPayoutCents: bigint },
  outcome: Outcome,
  acct: { cash: string; pending: string; house: string },
): Transfer[] => {
  const { betId, stakeCents } = bet;
  if (outcome === "won") {
    const winnings = bet.potentialPayoutCents - stakeCents;
    const ts: Transfer[] = [{ id: `trf_win_${betId}`, debitAccountId: acct.pending, creditAccountId: acct.cash, amount: stakeCents, code: "bet_win", betId }];
    if (winnings > 0n) ts.push({ id: `trf_wnn_${betId}`, debitAccountId: acct.house, creditAccountId: acct.cash, amount: winnings, code: "bet_win", betId });
    return ts;
  }
  if (outcome === "lost") return [{ id: `trf_los_${betId}`, debitAccountId: acct.pending, creditAccountId: acct.house, amount: stakeCents, code: "bet_loss", betId }];
  return [{ id: `trf_vod_${betId}`, debitAccountId: acct.pending, creditAccountId: acct.cash, amount: stakeCents, code: "bet_void", betId }];
};

export const stakeTransfer = (betId: string, stakeCents: bigint, acct: { cash: string; pending: string }): Transfer => ({
  id: `trf_stk_${betId}`,
  debitAccountId: acct.cash,
  creditAccountId: acct.pending,
  amount: stakeCents,
  code: "bet_stake",
  betId,
});
