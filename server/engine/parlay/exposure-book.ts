// The engine's open parlay orders (accepted orders + in-flight offer reservations) with their
// exposure maintained incrementally: add/remove are O(legs), and the book itself is the
// `ExposureSnapshot` lib/pricing and lib/risk read (no per-RFQ recomputation over all orders).
// `exposureOf(book.list())` always equals the incremental figures (tested).
import type { Cents } from "../../../lib/money/cents.ts";
import type { ExposureSnapshot, OpenOrder } from "../../../lib/risk/index.ts";

const bump = (m: Map<string, Cents>, k: string, v: Cents): void => {
  const n = (m.get(k) ?? 0) + v;
  if (n === 0) m.delete(k);
  else m.set(k, n);
};

export class ExposureBook implements ExposureSnapshot {
  readonly byLine = new Map<string, Cents>();
  readonly byEvent = new Map<string, Cents>();
  readonly byTeam = new Map<string, Cents>();
  readonly byCreator = new Map<string, Cents>();
  worstCaseCents: Cents = 0;
  inFlightCents: Cents = 0;
  acceptedCents: Cents = 0;
  private readonly orders = new Map<string, OpenOrder>();

  get size(): number {
    return this.orders.size;
  }
  get(orderId: string): OpenOrder | undefined {
    return this.orders.get(orderId);
  }
  has(orderId: string): boolean {
    return this.orders.has(orderId);
  }
  list(): OpenOrder[] {
    return [...this.orders.values()];
  }
  /** Every open order except one (for checkConfirmation: "all orders but this offer's reservation"). */
  listExcept(orderId: string): OpenOrder[] {
    const out: OpenOrder[] = [];
    for (const o of this.orders.values()) if (o.orderId !== orderId) out.push(o);
    return out;
  }

  /** Adds (or replaces) an order. */
  add(o: OpenOrder): void {
    if (!(o.liabilityCents >= 0) || !Number.isFinite(o.liabilityCents)) throw new RangeError(`order ${o.orderId}: bad liability ${o.liabilityCents}`);
    this.remove(o.orderId);
    this.orders.set(o.orderId, o);
    this.apply(o, 1);
  }
  remove(orderId: string): OpenOrder | undefined {
    const o = this.orders.get(orderId);
    if (!o) return undefined;
    this.orders.delete(orderId);
    this.apply(o, -1);
    return o;
  }

  private apply(o: OpenOrder, sign: 1 | -1): void {
    const l = sign * o.liabilityCents;
    this.worstCaseCents += l;
    if (o.state === "in_flight") this.inFlightCents += l;
    else this.acceptedCents += l;
    const lines = new Set<string>();
    const events = new Set<string>();
    const teams = new Set<string>();
    for (const leg of o.legs) {
      lines.add(leg.lineId);
      events.add(leg.eventId);
      if (leg.teamId) teams.add(leg.teamId);
    }
    for (const k of lines) bump(this.byLine, k, l);
    for (const k of events) bump(this.byEvent, k, l);
    for (const k of teams) bump(this.byTeam, k, l);
    if (o.creatorId) bump(this.byCreator, o.creatorId, l);
  }
}
