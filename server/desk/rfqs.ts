// Read side of the parlay RFQ screens: the list (newest first, up to 10,000 rows) and one request's
// detail with each leg's names, latest book snapshot and fair probability.
import type { Db } from "../db/client.ts";
import type { LegDetail, RfqDetail, RfqList, RfqOrderSummary, RfqRow, RfqTier } from "./types.ts";
import { displayStatusOf, fairOddsOf, nsToMs, parseDepth, parseJson } from "./util.ts";

export const RFQ_LIST_MAX = 10_000;

type QuoteRec = { id: string; tier: number; odds: number; maxRiskCents: number; marginBps: number; fairProbability: number; source: string; status: string; validUntilNs: string; sentAt: Date };
type OrderRec = { orderUuid: string; status: string; odds: number; confirmedStakeCents: number; riskCents: number; settlementStatus: string | null; profitCents: number | null; createdAt: Date };
type RequestRec = {
  parlayId: string;
  stakeCents: number;
  receivedAt: Date;
  creatorId: string | null;
  status: string;
  declineReason: string | null;
  fairProbability: number | null;
  legs: { idx: number; lineId: string; sportEventId: number; marketId: number; outcomeId: number; line: number | null; fairProbability: number | null; bookOdds: number | null }[];
  quotes: QuoteRec[];
  orders: OrderRec[];
};

const tierOf = (q: QuoteRec): RfqTier => ({
  id: q.id,
  tier: q.tier,
  odds: q.odds,
  maxRiskCents: q.maxRiskCents,
  marginBps: q.marginBps,
  fairProbability: q.fairProbability,
  source: q.source,
  status: q.status,
  validUntilMs: nsToMs(q.validUntilNs),
  sentAt: q.sentAt.toISOString(),
});

const orderOf = (o: OrderRec): RfqOrderSummary => ({
  orderUuid: o.orderUuid,
  status: o.status,
  odds: o.odds,
  confirmedStakeCents: o.confirmedStakeCents,
  riskCents: o.riskCents,
  settlementStatus: o.settlementStatus,
  profitCents: o.profitCents,
});

/** The current offer: the latest batch of non-superseded quotes (same sentAt as the newest), by tier. */
export const currentTiers = (quotes: QuoteRec[]): RfqTier[] => {
  const live = quotes.filter((q) => q.status !== "superseded");
  if (live.length === 0) return [];
  const newest = Math.max(...live.map((q) => q.sentAt.getTime()));
  return live
    .filter((q) => q.sentAt.getTime() === newest)
    .sort((a, b) => a.tier - b.tier)
    .map(tierOf);
};

export const rowOf = (r: RequestRec): RfqRow => {
  const tiers = currentTiers(r.quotes);
  const order = [...r.orders].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const fair = r.fairProbability ?? tiers[0]?.fairProbability ?? null;
  return {
    parlayId: r.parlayId,
    receivedAt: r.receivedAt.toISOString(),
    stakeCents: r.stakeCents,
    status: r.status,
    displayStatus: displayStatusOf(r.status, order?.status),
    declineReason: r.declineReason,
    creatorId: r.creatorId,
    legs: [...r.legs].sort((a, b) => a.idx - b.idx),
    fairProbability: fair,
    fairOdds: fairOddsOf(fair),
    tiers,
    marginBps: tiers[0]?.marginBps ?? null,
    validUntilMs: tiers.length ? Math.min(...tiers.map((t) => t.validUntilMs ?? Infinity).filter(Number.isFinite)) || null : null,
    order: order ? orderOf(order) : null,
  };
};

const INCLUDE = {
  legs: { select: { idx: true, lineId: true, sportEventId: true, marketId: true, outcomeId: true, line: true, fairProbability: true, bookOdds: true } },
  quotes: { select: { id: true, tier: true, odds: true, maxRiskCents: true, marginBps: true, fairProbability: true, source: true, status: true, validUntilNs: true, sentAt: true } },
  orders: { select: { orderUuid: true, status: true, odds: true, confirmedStakeCents: true, riskCents: true, settlementStatus: true, profitCents: true, createdAt: true } },
} as const;

export type RfqListQuery = { limit?: number; status?: string; ids?: string[] };

export const listRfqs = async (db: Db, q: RfqListQuery, nowMs: number): Promise<RfqList> => {
  const take = Math.max(1, Math.min(RFQ_LIST_MAX, q.limit ?? 2_000));
  const where = {
    ...(q.status ? { status: { in: q.status.split(",") } } : {}),
    ...(q.ids ? { parlayId: { in: q.ids } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.parlayRequest.findMany({ where, orderBy: [{ receivedAt: "desc" }, { parlayId: "desc" }], take, include: INCLUDE }),
    q.ids ? Promise.resolve(-1) : db.parlayRequest.count({ where }),
  ]);
  const out = rows.map((r) => rowOf(r as unknown as RequestRec));
  return { rows: out, total: total < 0 ? out.length : total, serverTimeMs: nowMs };
};

export const getRfq = async (db: Db, parlayId: string, nowMs: number): Promise<RfqDetail | null> => {
  const r = await db.parlayRequest.findUnique({
    where: { parlayId },
    include: { ...INCLUDE, quotes: true, confirmations: { orderBy: { receivedAt: "asc" } } },
  });
  if (!r) return null;
  const row = rowOf(r as unknown as RequestRec);
  const lineIds = [...new Set(row.legs.map((l) => l.lineId))];
  const eventIds = [...new Set(row.legs.map((l) => l.sportEventId))];
  const [lines, events, snapshots] = await Promise.all([
    db.marketLine.findMany({ where: { lineId: { in: lineIds } }, include: { market: { select: { name: true, type: true } } } }),
    db.sportEvent.findMany({ where: { id: { in: eventIds } }, include: { tournament: { select: { sportName: true } } } }),
    Promise.all(lineIds.map((lineId) => db.bookSnapshot.findFirst({ where: { lineId }, orderBy: { capturedAt: "desc" } }))),
  ]);
  const lineById = new Map(lines.map((l) => [l.lineId, l]));
  const eventById = new Map(events.map((e) => [e.id, e]));
  const snapByLine = new Map(snapshots.filter((s) => s != null).map((s) => [s!.lineId, s!]));
  const legDetails: LegDetail[] = row.legs.map((leg) => {
    const line = lineById.get(leg.lineId);
    const ev = eventById.get(leg.sportEventId);
    const snap = snapByLine.get(leg.lineId);
    return {
      ...leg,
      eventName: ev?.displayName ?? null,
      sportName: ev?.tournament.sportName ?? null,
      marketName: line?.market.name ?? null,
      marketType: line?.market.type ?? null,
      lineName: line?.name ?? null,
      book: snap ? { bestOdds: snap.bestOdds, bestStakeCents: snap.bestStakeCents, levels: parseDepth(snap.depthJson), capturedAt: snap.capturedAt.toISOString() } : null,
    };
  });
  const quotes = (r.quotes as (QuoteRec & { modelInputsJson: string })[]).slice().sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime() || a.tier - b.tier);
  return {
    ...row,
    callbackUrl: r.callbackUrl,
    legDetails,
    allQuotes: quotes.map(tierOf),
    modelInputs: parseJson(quotes.find((q) => q.status !== "superseded")?.modelInputsJson ?? quotes[0]?.modelInputsJson ?? null),
    confirmations: r.confirmations.map((c) => ({
      id: c.id,
      orderUuid: c.orderUuid,
      requestedOdds: c.requestedOdds,
      requestedStakeCents: c.requestedStakeCents,
      decision: c.decision,
      reason: c.reason,
      receivedAt: c.receivedAt.toISOString(),
      latencyMicros: c.latencyMicros,
    })),
    orders: (r.orders as OrderRec[]).map(orderOf),
    serverTimeMs: nowMs,
  };
};
