import { describe, expect, it } from "vitest";
import { MemoryLedger, checkTransfer, ledgerViolations, settlementTransfers, stakeTransfer, balanceOf, type Transfer } from "./rules.ts";

const setup = () => {
  const l = new MemoryLedger();
  l.open("funding", "funding");
  l.open("house", "house");
  l.open("cash", "customer_cash");
  l.open("pend", "pending_bets");
  return l;
};
const acct = { cash: "cash", pending: "pend", house: "house" };
const dep = (id: string, amount: bigint): Transfer => ({ id, debitAccountId: "funding", creditAccountId: "cash", amount, code: "deposit" });
const total = (l: MemoryLedger) => [...l.accounts.values()].reduce((s, a) => s + balanceOf(a), 0n);

describe("transfer rules", () => {
  it.each([
    [{ amount: 0n }, "amount_must_be_positive"],
    [{ amount: -5n }, "amount_must_be_positive"],
    [{ creditAccountId: "funding" }, "accounts_must_be_different"],
    [{ debitAccountId: "nope" }, "debit_account_not_found"],
    [{ creditAccountId: "nope" }, "credit_account_not_found"],
  ] as const)("%o → %s", (over, err) => {
    const l = setup();
    const t = { ...dep("t1", 100n), ...over };
    expect(checkTransfer(t, l.accounts.get(t.debitAccountId), l.accounts.get(t.creditAccountId))).toBe(err);
  });

  it("customer cash can never go negative; a failing batch applies nothing", () => {
    const l = setup();
    l.post([dep("d1", 1000n)]);
    const r = l.post([stakeTransfer("b1", 600n, acct), stakeTransfer("b2", 600n, acct)]);
    expect(r.at(-1)).toEqual({ ok: false, error: "exceeds_credits" });
    expect(balanceOf(l.accounts.get("cash")!)).toBe(1000n);
    expect(l.transfers.has("trf_stk_b1")).toBe(false);
    expect(total(l)).toBe(0n);
  });

  it("transfers are idempotent by id; same id with other fields is refused", () => {
    const l = setup();
    expect(l.post([dep("d1", 1000n)])).toEqual([{ ok: true, created: true }]);
    expect(l.post([dep("d1", 1000n)])).toEqual([{ ok: true, created: false }]);
    expect(l.post([dep("d1", 999n)])).toEqual([{ ok: false, error: "exists_with_different_fields" }]);
    expect(balanceOf(l.accounts.get("cash")!)).toBe(1000n);
  });

  it.each([
    // outcome, stake, payout, cash after (from 1000 deposit), house after
    ["won", 100n, 250n, 1150n, -150n],
    ["lost", 100n, 250n, 900n, 100n],
    ["void", 100n, 250n, 1000n, 0n],
    ["won", 100n, 100n, 1000n, 0n], // price so low that payout == stake: no house transfer
  ] as const)("settle %s stake %s payout %s → cash %s, house %s; ledger sums to zero", (outcome, stake, payout, cash, house) => {
    const l = setup();
    l.post([dep("d1", 1000n)]);
    l.post([stakeTransfer("b1", stake, acct)]);
    const ts = settlementTransfers({ betId: "b1", stakeCents: stake, potentialPayoutCents: payout }, outcome, acct).filter((t) => t.amount > 0n);
    expect(l.post(ts).every((r) => r.ok)).toBe(true);
    expect(l.post(ts).every((r) => r.ok && !r.created)).toBe(true); // settling twice is a no-op
    expect(balanceOf(l.accounts.get("cash")!)).toBe(cash);
    expect(balanceOf(l.accounts.get("house")!)).toBe(house);
    expect(balanceOf(l.accounts.get("pend")!)).toBe(0n);
    expect(total(l)).toBe(0n);
    expect(ledgerViolations([...l.accounts.values()], [...l.transfers.values()])).toEqual([]);
  });

  it("ledgerViolations finds drift, negative cash and a non-zero sum", () => {
    const accounts = [
      { id: "cash", kind: "customer_cash" as const, debitsPosted: 5n, creditsPosted: 0n, debitsMustNotExceedCredits: true },
      { id: "house", kind: "house" as const, debitsPosted: 0n, creditsPosted: 0n, debitsMustNotExceedCredits: false },
    ];
    const v = ledgerViolations(accounts, []);
    expect(v.some((s) => s.includes("negative"))).toBe(true);
    expect(v.some((s) => s.includes("sum of"))).toBe(true);
    expect(v.some((s) => s.includes("debitsPosted"))).toBe(true);
  });
});
