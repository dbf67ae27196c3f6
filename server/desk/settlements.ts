// Settlement feed: finalized, settled and failed parlay orders, newest activity first, and realised
// P&L (our profitCents on settled orders) by day and by sport.
import type { Db } from "../db/client.ts";
import type { SettlementsView } from "./types.ts";
import { dayOf } from "./util.ts";

export const SETTLEMENT_FEED_STATUSES = ["finalized", "matched", "settled", "failed", "void"];

export const settlementsView = async (db: Db, limit = 500): Promise<SettlementsView> => {
  const [orders, settledAll] = await Promise.all([
    db.parlayOrder.findMany({
      where: { status: { in: SETTLEMENT_FEED_STATUSES } },
      orderBy: [{ updatedAt: "desc" }, { orderUuid: "desc" }],
      take: limit,
      include: { request: { select: { legs: { select: { sportEventId: true } } } } },
    }),
    db.parlayOrder.findMany({
      where: { status: "settled", profitCents: { not: null } },
      select: { settledAt: true, updatedAt: true, profitCents: true, request: { select: { legs: { select: { sportEventId: true } } } } },
    }),
  ]);
  const eventIds = [...new Set([...orders, ...settledAll].flatMap((o) => o.request.legs.map((l) => l.sportEventId)))];
  const events = eventIds.length ? await db.sportEvent.findMany({ where: { id: { in: eventIds } }, select: { id: true, tournament: { select: { sportName: true } } } }) : [];
  const sportOfEvent = new Map(events.map((e) => [e.id, e.tournament.sportName]));
  const sportOf = (legs: { sportEventId: number }[]): string => {
    const s = new Set(legs.map((l) => sportOfEvent.get(l.sportEventId) ?? "Unknown"));
    return s.size === 1 ? [...s][0]! : s.size === 0 ? "Unknown" : "Multi-sport";
  };
  const byDay = new Map<string, { pnlCents: number; count: number }>();
  const bySport = new Map<string, { pnlCents: number; count: number }>();
  let total = 0;
  for (const o of settledAll) {
    const p = o.profitCents ?? 0;
    total += p;
    const d = dayOf(o.settledAt ?? o.updatedAt);
    const bd = byDay.get(d) ?? { pnlCents: 0, count: 0 };
    bd.pnlCents += p;
    bd.count += 1;
    byDay.set(d, bd);
    const sp = sportOf(o.request.legs);
    const bs = bySport.get(sp) ?? { pnlCents: 0, count: 0 };
    bs.pnlCents += p;
    bs.count += 1;
    bySport.set(sp, bs);
  }
  return {
    rows: orders.map((o) => ({
      orderUuid: o.orderUuid,
      parlayId: o.parlayId,
      status: o.status,
      settlementStatus: o.settlementStatus,
      odds: o.odds,
      confirmedStakeCents: o.confirmedStakeCents,
      riskCents: o.riskCents,
      profitCents: o.profitCents,
      sport: sportOf(o.request.legs),
      legs: o.request.legs.length,
      finalizedAt: o.finalizedAt?.toISOString() ?? null,
      settledAt: o.settledAt?.toISOString() ?? null,
      updatedAt: o.updatedAt.toISOString(),
    })),
    byDay: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
    bySport: [...bySport.entries()].sort((a, b) => b[1].pnlCents - a[1].pnlCents).map(([sport, v]) => ({ sport, ...v })),
    totalPnlCents: total,
  };
};
