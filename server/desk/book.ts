// Read side of the order-book screen: the tournament → event → market tree, and one market's lines
// with their latest book snapshot, recent matched trades and our wagers on it.
import type { Db } from "../db/client.ts";
import type { BookTree, MarketBook, WagerRow } from "./types.ts";
import { parseDepth } from "./util.ts";

export const OPEN_WAGER_STATUSES = ["pending_send", "inactive", "open"];

export const bookTree = async (db: Db): Promise<BookTree> => {
  const tournaments = await db.tournament.findMany({
    orderBy: [{ sportName: "asc" }, { name: "asc" }],
    include: {
      events: {
        where: { status: { notIn: ["ended", "cancelled"] } },
        orderBy: { scheduledAt: "asc" },
        include: { markets: { orderBy: { marketId: "asc" }, select: { id: true, name: true, type: true, status: true } } },
      },
    },
  });
  return {
    tournaments: tournaments.map((t) => ({
      id: t.id,
      name: t.name,
      sportName: t.sportName,
      events: t.events.map((e) => ({
        id: e.id,
        name: e.displayName || e.name,
        scheduledAt: e.scheduledAt.toISOString(),
        status: e.status,
        markets: e.markets.map((m) => ({ key: m.id, name: m.name, type: m.type, status: m.status })),
      })),
    })),
  };
};

const wagerRow = (w: { externalId: string; wagerId: string | null; lineId: string; odds: number; stakeCents: number; matchedStakeCents: number; status: string; matchingStatus: string; updatedAt: Date }): WagerRow => ({
  externalId: w.externalId,
  wagerId: w.wagerId,
  lineId: w.lineId,
  odds: w.odds,
  stakeCents: w.stakeCents,
  matchedStakeCents: w.matchedStakeCents,
  status: w.status,
  matchingStatus: w.matchingStatus,
  updatedAt: w.updatedAt.toISOString(),
});

export const marketBook = async (db: Db, key: string): Promise<MarketBook | null> => {
  const market = await db.market.findUnique({ where: { id: key }, include: { event: { select: { displayName: true, name: true } }, lines: { orderBy: [{ line: "asc" }, { outcomeId: "asc" }] } } });
  if (!market) return null;
  const lineIds = market.lines.map((l) => l.lineId);
  const [snapshots, trades, openWagers, recentWagers] = await Promise.all([
    Promise.all(lineIds.map((lineId) => db.bookSnapshot.findFirst({ where: { lineId }, orderBy: { capturedAt: "desc" } }))),
    db.matchedTrade.findMany({ where: { eventId: market.eventId, marketId: market.marketId }, orderBy: { matchedAt: "desc" }, take: 50 }),
    db.wager.findMany({ where: { eventId: market.eventId, marketId: market.marketId, status: { in: OPEN_WAGER_STATUSES } }, orderBy: { createdAt: "desc" }, take: 200 }),
    db.wager.findMany({ where: { eventId: market.eventId, marketId: market.marketId, status: { notIn: OPEN_WAGER_STATUSES } }, orderBy: { updatedAt: "desc" }, take: 20 }),
  ]);
  const snapByLine = new Map(snapshots.filter((s) => s != null).map((s) => [s!.lineId, s!]));
  return {
    market: { key: market.id, name: market.name, type: market.type, status: market.status, eventId: market.eventId, eventName: market.event.displayName || market.event.name },
    lines: market.lines.map((l) => {
      const s = snapByLine.get(l.lineId);
      const levels = s ? parseDepth(s.depthJson) : [];
      return {
        lineId: l.lineId,
        name: l.name,
        outcomeId: l.outcomeId,
        line: l.line,
        status: l.status,
        levels: levels.length ? levels : s?.bestOdds != null ? [{ odds: s.bestOdds, stakeCents: s.bestStakeCents }] : [],
        bestOdds: s?.bestOdds ?? null,
        bestStakeCents: s?.bestStakeCents ?? 0,
        capturedAt: s?.capturedAt.toISOString() ?? null,
      };
    }),
    trades: trades.map((t) => ({ id: t.id, lineId: t.lineId, odds: t.odds, stakeCents: t.stakeCents, matchedAt: t.matchedAt.toISOString() })),
    wagers: [...openWagers, ...recentWagers].map(wagerRow),
  };
};
