// Exposure of the parlay book: "what we lose if this line / event / team wins", aggregated over every
// open parlay order (accepted orders and in-flight offer reservations). A parlay order contributes its
// full liability to each of its legs' lines, to each distinct event and team it touches, and to its
// creator. Pure functions over plain data.

import type { Cents } from "../money/cents.ts";

export interface ExposureLeg {
  lineId: string;
  eventId: string;
  /** Team the leg backs (winner/handicap legs); undefined for totals and draws. */
  teamId?: string;
}

export type OrderState = "in_flight" | "accepted";

export interface OpenOrder {
  /** Order uuid for accepted orders, parlay id (or offer id) for in-flight reservations. */
  orderId: string;
  state: OrderState;
  creatorId?: string;
  /** What we lose if the parlay wins (for in-flight offers: the sum of the tiers' max risk). */
  liabilityCents: Cents;
  legs: readonly ExposureLeg[];
}

export interface ExposureSnapshot {
  byLine: ReadonlyMap<string, Cents>;
  byEvent: ReadonlyMap<string, Cents>;
  byTeam: ReadonlyMap<string, Cents>;
  byCreator: ReadonlyMap<string, Cents>;
  /**
   * Portfolio worst-case loss: every open order wins at once. An upper bound (ignores that legs of
   * different orders can be mutually exclusive) — deliberately conservative.
   */
  worstCaseCents: Cents;
  inFlightCents: Cents;
  acceptedCents: Cents;
}

const add = (m: Map<string, Cents>, k: string, v: Cents): void => {
  m.set(k, (m.get(k) ?? 0) + v);
};

export function exposureOf(orders: readonly OpenOrder[]): ExposureSnapshot {
  const byLine = new Map<string, Cents>();
  const byEvent = new Map<string, Cents>();
  const byTeam = new Map<string, Cents>();
  const byCreator = new Map<string, Cents>();
  let worstCase = 0;
  let inFlight = 0;
  let accepted = 0;
  for (const o of orders) {
    const l = o.liabilityCents;
    if (!(l >= 0) || !Number.isFinite(l)) throw new RangeError(`order ${o.orderId}: bad liability ${l}`);
    worstCase += l;
    if (o.state === "in_flight") inFlight += l;
    else accepted += l;
    for (const k of new Set(o.legs.map((x) => x.lineId))) add(byLine, k, l);
    for (const k of new Set(o.legs.map((x) => x.eventId))) add(byEvent, k, l);
    for (const k of new Set(o.legs.flatMap((x) => (x.teamId ? [x.teamId] : [])))) add(byTeam, k, l);
    if (o.creatorId) add(byCreator, o.creatorId, l);
  }
  return { byLine, byEvent, byTeam, byCreator, worstCaseCents: worstCase, inFlightCents: inFlight, acceptedCents: accepted };
}

export const EMPTY_EXPOSURE: ExposureSnapshot = exposureOf([]);

/** The snapshot after adding one more order (for "what if this fills" checks), without mutating. */
export function withOrder(snapshot: ExposureSnapshot, order: OpenOrder): ExposureSnapshot {
  const clone = (m: ReadonlyMap<string, Cents>): Map<string, Cents> => new Map(m);
  const byLine = clone(snapshot.byLine);
  const byEvent = clone(snapshot.byEvent);
  const byTeam = clone(snapshot.byTeam);
  const byCreator = clone(snapshot.byCreator);
  const l = order.liabilityCents;
  for (const k of new Set(order.legs.map((x) => x.lineId))) add(byLine, k, l);
  for (const k of new Set(order.legs.map((x) => x.eventId))) add(byEvent, k, l);
  for (const k of new Set(order.legs.flatMap((x) => (x.teamId ? [x.teamId] : [])))) add(byTeam, k, l);
  if (order.creatorId) add(byCreator, order.creatorId, l);
  return {
    byLine,
    byEvent,
    byTeam,
    byCreator,
    worstCaseCents: snapshot.worstCaseCents + l,
    inFlightCents: snapshot.inFlightCents + (order.state === "in_flight" ? l : 0),
    acceptedCents: snapshot.acceptedCents + (order.state === "accepted" ? l : 0),
  };
}
