// The running open liability per customer and market type (model OpenLiability; migration
// 20261121060000_open_liability): Σ (potentialPayoutCents − stakeCents) over the customer's pending
// bets of the market type, changed in the same transaction as the bets. The Postgres fast path keeps
// it inside place_bets(), the Postgres transactional path in pgWrite; these helpers serve the SQLite
// path and settlement (both providers, through Prisma).
import type { ParsedBet } from "../../lib/operator/betslip.ts";
import type { Tx } from "../wallet/ledger.ts";

/** The liability a slip adds, per market type (in the slip's order of first appearance). */
export const slipLiability = (bets: ParsedBet[]): Map<string, bigint> => {
  const out = new Map<string, bigint>();
  for (const b of bets) out.set(b.wire.marketTypeId, (out.get(b.wire.marketTypeId) ?? 0n) + (b.potentialPayoutCents - b.stakeCents));
  return out;
};

/** The customer's current totals for these market types (absent = no open liability). */
export const readOpenLiability = async (tx: Tx, customerId: string, marketTypes: string[]): Promise<Map<string, bigint>> => {
  const rows = await tx.openLiability.findMany({ where: { customerId, marketTypeId: { in: marketTypes } }, select: { marketTypeId: true, openCents: true } });
  return new Map(rows.map((r) => [r.marketTypeId, r.openCents]));
};

/**
 * Adds `delta` per market type to the customer's totals (negative to release), creating a missing row
 * for a placement. Update first: an upsert would spend a sequence value on every call.
 */
export const addOpenLiability = async (tx: Tx, customerId: string, delta: Map<string, bigint>): Promise<void> => {
  for (const [marketTypeId, cents] of delta) {
    const { count } = await tx.openLiability.updateMany({ where: { customerId, marketTypeId }, data: { openCents: { increment: cents } } });
    if (count === 1) continue;
    if (cents < 0n) throw new Error(`no open liability row for ${customerId} / ${marketTypeId} to release ${-cents} from`);
    await tx.openLiability.create({ data: { customerId, marketTypeId, openCents: cents } });
  }
};

/** Where a running total differs from the sum over the pending bets (either way), for all customers or these; [] when they agree. */
export const openLiabilityMismatches = async (db: Tx, customerIds?: string[]): Promise<string[]> => {
  const where = customerIds ? { customerId: { in: customerIds } } : {};
  const [rows, sums] = await Promise.all([
    db.openLiability.findMany({ where, select: { customerId: true, marketTypeId: true, openCents: true } }),
    db.placedBet.groupBy({ by: ["customerId", "marketTypeId"], where: { ...where, status: "pending" }, _sum: { potentialPayoutCents: true, stakeCents: true } }),
  ]);
  const key = (customerId: string, marketTypeId: string) => JSON.stringify([customerId, marketTypeId]);
  const want = new Map(sums.map((s) => [key(s.customerId, s.marketTypeId), BigInt(s._sum.potentialPayoutCents ?? 0) - BigInt(s._sum.stakeCents ?? 0)]));
  const out: string[] = [];
  for (const r of rows) {
    const k = key(r.customerId, r.marketTypeId);
    const w = want.get(k) ?? 0n;
    if (r.openCents !== w) out.push(`${r.customerId} / ${r.marketTypeId}: running total ${r.openCents} ≠ ${w} over the pending bets`);
    want.delete(k);
  }
  for (const [k, w] of want) if (w !== 0n) out.push(`${(JSON.parse(k) as string[]).join(" / ")}: no running total, ${w} over the pending bets`);
  return out;
};
