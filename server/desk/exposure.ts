// Exposure of the parlay book for the desk: worst-case loss by event, line, team and counterparty
// against the limits, realised P&L over time, and the what-if of one pending quote filling. Open
// orders are accepted ParlayOrders not yet settled plus in-flight offers (quoted, still valid).
import { fmtSelection } from "./selection.ts";
import type { Db } from "../db/client.ts";
import { exposureOf, withOrder, type ExposureLeg, type ExposureSnapshot, type OpenOrder } from "../../lib/risk/exposure.ts";
import type { ExposureItem, ExposureLimits, ExposureView, PnlPoint, WhatIf } from "./types.ts";
import { readLimits } from "./settings.ts";
import { currentTiers } from "./rfqs.ts";
import { dayOf } from "./util.ts";

export const OPEN_ORDER_STATUSES = ["finalized", "matched"];
const IN_FLIGHT_REQUEST_STATUSES = ["quoted", "confirming"];
const TOP = 25;

type LegRec = { lineId: string; sportEventId: number };
type Labels = { events: Map<string, string>; lines: Map<string, { name: string; team: string | null }> };

const legsOf = (legs: LegRec[], labels: Labels): ExposureLeg[] =>
  legs.map((l) => {
    const team = labels.lines.get(l.lineId)?.team ?? undefined;
    return { lineId: l.lineId, eventId: String(l.sportEventId), ...(team ? { teamId: team } : {}) };
  });

/** The team a line backs: its name without the line it may carry ("Chelsea -1.5" → "Chelsea"). */
const teamOf = (name: string, line: number | null): string => {
  if (line == null || !Number.isFinite(line)) return name;
  const stripped = name.replace(new RegExp(`\\s+[+\\-\u2212]?${String(Math.abs(line)).replace(".", "\\.")}$`), "").trim();
  return stripped || name;
};

const loadLabels = async (db: Db, lineIds: string[], eventIds: number[]): Promise<Labels> => {
  const [lines, events] = await Promise.all([
    lineIds.length ? db.marketLine.findMany({ where: { lineId: { in: lineIds } }, include: { market: { select: { type: true, name: true } }, } }) : [],
    eventIds.length ? db.sportEvent.findMany({ where: { id: { in: eventIds } }, select: { id: true, displayName: true, name: true } }) : [],
  ]);
  return {
    events: new Map(events.map((e) => [String(e.id), e.displayName || e.name])),
    lines: new Map(
      lines.map((l) => [
        l.lineId,
        { name: `${fmtSelection(l.name, l.line, l.market.type)} · ${l.market.name}`, team: l.market.type === "total" || /draw|tie/i.test(l.name) ? null : teamOf(l.name, l.line) },
      ]),
    ),
  };
};

/** Every open order (accepted and in flight) with its legs, and labels for their keys. */
export const loadOpenOrders = async (db: Db, nowMs: number): Promise<{ orders: OpenOrder[]; labels: Labels; inFlightByParlay: Map<string, OpenOrder> }> => {
  const [accepted, inflight] = await Promise.all([
    db.parlayOrder.findMany({ where: { status: { in: OPEN_ORDER_STATUSES } }, include: { request: { select: { legs: { select: { lineId: true, sportEventId: true } } } } } }),
    db.parlayRequest.findMany({
      where: { status: { in: IN_FLIGHT_REQUEST_STATUSES } },
      include: { legs: { select: { lineId: true, sportEventId: true } }, quotes: { select: { id: true, tier: true, odds: true, maxRiskCents: true, marginBps: true, fairProbability: true, source: true, status: true, validUntilNs: true, sentAt: true } } },
    }),
  ]);
  const allLegs = [...accepted.flatMap((o) => o.request.legs), ...inflight.flatMap((r) => r.legs)];
  const labels = await loadLabels(db, [...new Set(allLegs.map((l) => l.lineId))], [...new Set(allLegs.map((l) => l.sportEventId))]);
  const orders: OpenOrder[] = accepted.map((o) => ({
    orderId: o.orderUuid,
    state: "accepted",
    ...(o.creatorId ? { creatorId: o.creatorId } : {}),
    liabilityCents: Math.max(0, o.riskCents),
    legs: legsOf(o.request.legs, labels),
  }));
  const inFlightByParlay = new Map<string, OpenOrder>();
  for (const r of inflight) {
    const tiers = currentTiers(r.quotes).filter((t) => t.status === "sent" && (t.validUntilMs ?? 0) > nowMs);
    if (tiers.length === 0) continue;
    const o: OpenOrder = {
      orderId: r.parlayId,
      state: "in_flight",
      ...(r.creatorId ? { creatorId: r.creatorId } : {}),
      liabilityCents: tiers.reduce((s, t) => s + Math.max(0, t.maxRiskCents), 0),
      legs: legsOf(r.legs, labels),
    };
    inFlightByParlay.set(r.parlayId, o);
    orders.push(o);
  }
  return { orders, labels, inFlightByParlay };
};

const items = (m: ReadonlyMap<string, number>, label: (k: string) => string, limit: number | null): ExposureItem[] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, cents]) => ({ key, label: label(key), cents, limitCents: limit }));

export const pnlSeries = async (db: Db, days = 60, nowMs = Date.now()): Promise<PnlPoint[]> => {
  const since = new Date(nowMs - days * 86_400_000);
  const settled = await db.parlayOrder.findMany({ where: { settledAt: { gte: since }, profitCents: { not: null } }, select: { settledAt: true, profitCents: true }, orderBy: { settledAt: "asc" } });
  const byDay = new Map<string, number>();
  for (const o of settled) if (o.settledAt) byDay.set(dayOf(o.settledAt), (byDay.get(dayOf(o.settledAt)) ?? 0) + (o.profitCents ?? 0));
  let cum = 0;
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, pnlCents]) => ({ day, pnlCents, cumulativeCents: (cum += pnlCents) }));
};

const whatIfRows = (before: ExposureSnapshot, order: OpenOrder, labels: Labels, limits: ExposureLimits): WhatIf["rows"] => {
  const after = withOrder(before, order);
  const rows: WhatIf["rows"] = [];
  for (const k of new Set(order.legs.map((l) => l.eventId)))
    rows.push({ dimension: "event", key: k, label: labels.events.get(k) ?? `event ${k}`, beforeCents: before.byEvent.get(k) ?? 0, afterCents: after.byEvent.get(k) ?? 0, limitCents: limits.maxEventExposureCents });
  for (const k of new Set(order.legs.map((l) => l.lineId)))
    rows.push({ dimension: "line", key: k, label: labels.lines.get(k)?.name ?? k, beforeCents: before.byLine.get(k) ?? 0, afterCents: after.byLine.get(k) ?? 0, limitCents: limits.maxLineExposureCents });
  for (const k of new Set(order.legs.flatMap((l) => (l.teamId ? [l.teamId] : []))))
    rows.push({ dimension: "team", key: k, label: k, beforeCents: before.byTeam.get(k) ?? 0, afterCents: after.byTeam.get(k) ?? 0, limitCents: limits.maxTeamExposureCents });
  if (order.creatorId)
    rows.push({ dimension: "creator", key: order.creatorId, label: order.creatorId, beforeCents: before.byCreator.get(order.creatorId) ?? 0, afterCents: after.byCreator.get(order.creatorId) ?? 0, limitCents: limits.maxCreatorExposureCents });
  rows.push({ dimension: "worst_case", key: "portfolio", label: "Portfolio worst case", beforeCents: before.worstCaseCents, afterCents: after.worstCaseCents, limitCents: limits.maxWorstCaseLossCents });
  return rows;
};

/** What-if for a pending quote: the exposure if every tier of its current offer were taken. */
export const whatIfFor = async (db: Db, parlayId: string, nowMs: number): Promise<WhatIf | null> => {
  const [{ orders, labels: baseLabels, inFlightByParlay }, limits, req] = await Promise.all([
    loadOpenOrders(db, nowMs),
    readLimits(db),
    db.parlayRequest.findUnique({ where: { parlayId }, include: { legs: { select: { lineId: true, sportEventId: true } }, quotes: { select: { id: true, tier: true, odds: true, maxRiskCents: true, marginBps: true, fairProbability: true, source: true, status: true, validUntilNs: true, sentAt: true } } } }),
  ]);
  if (!req) return null;
  const labels = await loadLabels(db, req.legs.map((l) => l.lineId), req.legs.map((l) => l.sportEventId));
  for (const [k, v] of baseLabels.events) labels.events.set(k, v);
  const others = orders.filter((o) => !(o.state === "in_flight" && o.orderId === parlayId));
  const tiers = currentTiers(req.quotes).filter((t) => t.status !== "failed");
  const liability = inFlightByParlay.get(parlayId)?.liabilityCents ?? tiers.reduce((s, t) => s + Math.max(0, t.maxRiskCents), 0);
  const order: OpenOrder = { orderId: parlayId, state: "in_flight", ...(req.creatorId ? { creatorId: req.creatorId } : {}), liabilityCents: liability, legs: legsOf(req.legs, labels) };
  return { parlayId, liabilityCents: liability, rows: whatIfRows(exposureOf(others), order, labels, limits) };
};

export const exposureView = async (db: Db, nowMs: number, whatIfParlayId?: string): Promise<ExposureView> => {
  const [{ orders, labels }, limits, pnl, whatIf] = await Promise.all([
    loadOpenOrders(db, nowMs),
    readLimits(db),
    pnlSeries(db, 60, nowMs),
    whatIfParlayId ? whatIfFor(db, whatIfParlayId, nowMs) : Promise.resolve(null),
  ]);
  const snap = exposureOf(orders);
  return {
    worstCaseCents: snap.worstCaseCents,
    inFlightCents: snap.inFlightCents,
    acceptedCents: snap.acceptedCents,
    openOrders: orders.length,
    limits,
    byEvent: items(snap.byEvent, (k) => labels.events.get(k) ?? `event ${k}`, limits.maxEventExposureCents),
    byLine: items(snap.byLine, (k) => labels.lines.get(k)?.name ?? k, limits.maxLineExposureCents),
    byTeam: items(snap.byTeam, (k) => k, limits.maxTeamExposureCents),
    byCreator: items(snap.byCreator, (k) => k, limits.maxCreatorExposureCents),
    pnl,
    whatIf,
  };
};
