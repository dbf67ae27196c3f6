// The parlay RFQ market (service-provider side): bettors' RFQs built from supported lines,
// offers from our accounts and from simulated rival providers, the bettor's choice at the end of
// the offer window, fills across tiers and providers, confirmation with a deadline, finalisation
// (liability reserved from the provider's balance), and settlement from the simulated results.

import { americanToDecimal } from "../../lib/odds/american";
import { negateOdds } from "../../lib/simulation/book";
import {
  allocateParlayStake,
  bettorView,
  parlayOutcome,
  providerLiabilityCents,
  providerProfitCents,
  providerSettlementStatus,
  rivalQuote,
  type BettorProfile,
  type OfferTier,
  type RivalProfile,
} from "../../lib/simulation/parlay";
import type { Rng } from "../../lib/simulation/rng";
import type { Account } from "./accounts";
import { SP_BROADCAST_CHANNEL, spPrivateChannel } from "./channels";
import { ApiError } from "./http";
import type { PusherServer } from "./pusher-server";
import type { TimerHandle, TimerQueue } from "./timer-queue";
import { dollars, msToNs, nowNs, parseNs, toJson } from "./wire";
import type { EventRuntime, LineRef, WorldListener, WorldRuntime } from "./world-runtime";

export interface ParlayOptions {
  rfqPerSecond: number;
  offerWindowMs: number;
  confirmDeadlineMs: number;
  /** Offers must stay valid at least this long after submission (5 s). */
  readonly minValidityMs: number;
  readonly rivals: readonly RivalProfile[];
  readonly maxOrdersRetained: number;
  /** Finished RFQs an account took part in stay visible this long (wall ms). */
  readonly rfqRetentionMs: number;
  /** Back-pressure: no new RFQ while this many are in flight. */
  readonly maxLiveRfqs: number;
}

export interface Leg {
  readonly lineId: string;
  readonly event: EventRuntime;
  readonly bit: number;
  readonly marketId: number;
  readonly outcomeId: number;
  readonly line: number | null;
}

interface TierIn {
  readonly odds: number;
  readonly maxRiskCents: number;
  readonly validUntilNs: bigint;
}

interface SpOffer {
  readonly spId: string;
  readonly account: Account | undefined;
  readonly tiers: readonly TierIn[];
  readonly seq: number;
}

export type RfqStatus = "collecting" | "confirming" | "done";
export type RfqOutcome = "filled" | "partially_filled" | "no_offers" | "declined" | "failed";
export type OrderStatus = "sent_confirmation" | "finalized" | "rejected" | "failed" | "settled";

export interface RivalScript {
  readonly id?: string;
  readonly odds: number;
  /** Dollars. */
  readonly maxRisk: number;
  readonly accept?: boolean;
  readonly delayMs?: number;
}

export type BettorScript = "auto" | "accept-all" | "decline" | { readonly minOdds: number };

export interface TriggerRfqOptions {
  /** Leg line ids; default: random legs from supported lines. */
  readonly legs?: readonly string[];
  readonly legCount?: number;
  /** Dollars. */
  readonly stake?: number;
  readonly creatorId?: string;
  readonly sharp?: boolean;
  /** "auto" = simulated rivals quote; "none"; or fixed offers. */
  readonly rivals?: "auto" | "none" | readonly RivalScript[];
  readonly bettor?: BettorScript;
  readonly offerWindowMs?: number;
  /** Keep the parlay queryable after it is done even if no account took part (triggered RFQs). */
  readonly keep?: boolean;
}

interface Rfq {
  readonly parlayId: string;
  readonly stakeCents: number;
  readonly legs: readonly Leg[];
  readonly creator: BettorProfile;
  readonly createdNs: bigint;
  readonly createdMs: number;
  readonly joint: number;
  readonly independent: number;
  readonly bettor: BettorScript;
  status: RfqStatus;
  outcome: RfqOutcome | undefined;
  readonly offers: Map<string, SpOffer>;
  readonly orders: Order[];
  filledCents: number;
  settled: boolean;
  waiters: Array<(v: ParlayView) => void>;
  involvesAccount: boolean;
}

export interface Order {
  readonly orderUuid: string;
  readonly rfq: Rfq;
  readonly spId: string;
  readonly account: Account | undefined;
  readonly odds: number;
  readonly stakeCents: number;
  readonly maxRiskCents: number;
  readonly tierIndex: number;
  status: OrderStatus;
  confirmedStakeCents: number;
  liabilityCents: number;
  settlementStatus: "won" | "lost" | "push" | null;
  profitCents: number | null;
  failReason: string | null;
  readonly createdNs: bigint;
  readonly createdMs: number;
  updatedNs: bigint;
  deadline: TimerHandle | undefined;
  readonly deadlineNs: bigint;
}

export interface ParlayView {
  readonly parlayId: string;
  readonly status: RfqStatus;
  readonly outcome: RfqOutcome | undefined;
  readonly stake: number;
  readonly filledStake: number;
  readonly creatorId: string;
  readonly sharp: boolean;
  readonly jointProbability: number;
  readonly independentProbability: number;
  readonly legs: ReadonlyArray<{ line_id: string; sport_event_id: number; market_id: number; outcome_id: number; line: number | null }>;
  readonly offers: ReadonlyArray<{ sp_id: string; tiers: ReadonlyArray<{ odds: number; max_risk: number }> }>;
  readonly orders: ReadonlyArray<{
    order_uuid: string;
    sp_id: string;
    odds: number;
    stake: number;
    confirmed_stake: number;
    max_risk: number;
    status: OrderStatus;
    settlement_status: string | null;
    profit: number | null;
    fail_reason: string | null;
  }>;
  readonly settled: boolean;
}

const LEG_COUNT_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [2, 30], [3, 25], [4, 18], [5, 10], [6, 7], [7, 5], [8, 5],
];

export class ParlayService implements WorldListener {
  private readonly supported = new Map<string, Set<string>>();
  private readonly rfqs = new Map<string, Rfq>();
  private readonly ordersByUuid = new Map<string, Order>();
  private readonly ordersByAccount = new Map<string, Order[]>();
  /** Parlays with finalized account orders awaiting settlement, per event. */
  private readonly pendingByEvent = new Map<number, Set<Rfq>>();
  private candidates: Map<EventRuntime, LineRef[]> | undefined;
  private accumulator = 0;
  private offerSeq = 0;
  paused = false;
  readonly stats = {
    rfqsCreated: 0,
    rfqsSkipped: 0,
    offersReceived: 0,
    ordersCreated: 0,
    ordersFinalized: 0,
    ordersFailed: 0,
    ordersRejected: 0,
    parlaysSettled: 0,
  };

  constructor(
    private readonly world: WorldRuntime,
    private readonly pusher: PusherServer,
    private readonly timers: TimerQueue,
    private readonly rng: Rng,
    private readonly bettors: readonly BettorProfile[],
    private readonly baseUrl: () => string,
    readonly opts: ParlayOptions,
  ) {}

  // ---- supported lines -------------------------------------------------------------------

  addSupported(account: Account, lineIds: readonly string[]): number {
    let set = this.supported.get(account.partnerId);
    if (!set) {
      set = new Set();
      this.supported.set(account.partnerId, set);
    }
    for (const id of lineIds) set.add(id);
    this.candidates = undefined;
    return set.size;
  }

  removeSupported(account: Account, lineIds: readonly string[] | undefined): number {
    const set = this.supported.get(account.partnerId);
    if (!set) return 0;
    if (lineIds === undefined) set.clear();
    else for (const id of lineIds) set.delete(id);
    this.candidates = undefined;
    return set.size;
  }

  supportedOf(account: Account): string[] {
    return [...(this.supported.get(account.partnerId) ?? [])];
  }

  onListed(): void {
    this.candidates = undefined;
  }

  onEnded(ev: EventRuntime): void {
    this.candidates = undefined;
    const pending = this.pendingByEvent.get(ev.def.eventId);
    if (!pending) return;
    this.pendingByEvent.delete(ev.def.eventId);
    for (const rfq of pending) this.trySettle(rfq);
  }

  onUnlisted(ev: EventRuntime): void {
    this.candidates = undefined;
    for (const set of this.supported.values()) for (const o of ev.def.outcomes) set.delete(o.lineId);
  }

  // ---- RFQ creation ----------------------------------------------------------------------

  private candidatePool(): Map<EventRuntime, LineRef[]> {
    if (this.candidates) return this.candidates;
    const pool = new Map<EventRuntime, LineRef[]>();
    for (const set of this.supported.values()) {
      for (const id of set) {
        const ref = this.world.line(id);
        if (!ref || ref.event.status === "ended" || ref.line.status !== "active") continue;
        let list = pool.get(ref.event);
        if (!list) {
          list = [];
          pool.set(ref.event, list);
        }
        if (!list.includes(ref)) list.push(ref);
      }
    }
    this.candidates = pool;
    return pool;
  }

  private pickLegCount(): number {
    const total = LEG_COUNT_WEIGHTS.reduce((a, [, w]) => a + w, 0);
    let r = this.rng.next() * total;
    for (const [n, w] of LEG_COUNT_WEIGHTS) {
      r -= w;
      if (r < 0) return n;
    }
    return 2;
  }

  /** Random legs: at most one per (event, market); sharps favour same-game combinations. */
  private pickLegs(count: number, sharp: boolean): LineRef[] | undefined {
    const pool = this.candidatePool();
    if (pool.size === 0) return undefined;
    const events = [...pool.keys()];
    const chosen: LineRef[] = [];
    const usedMarkets = new Set<string>();
    const usedEvents = new Set<EventRuntime>();
    const addFrom = (ev: EventRuntime, max: number) => {
      const refs = this.rng.shuffled(pool.get(ev)!);
      let added = 0;
      for (const ref of refs) {
        if (added >= max || chosen.length >= count) break;
        const key = `${ev.def.eventId}:${ref.line.def.marketId}`;
        if (usedMarkets.has(key)) continue;
        usedMarkets.add(key);
        chosen.push(ref);
        added++;
      }
      usedEvents.add(ev);
    };
    if (this.rng.chance(sharp ? 0.7 : 0.3)) addFrom(this.rng.pick(events), this.rng.int(2, 3));
    for (let guard = 0; chosen.length < count && guard < count * 4; guard++) {
      const fresh = events.filter((e) => !usedEvents.has(e));
      if (fresh.length === 0) break;
      addFrom(this.rng.pick(fresh), 1);
    }
    return chosen.length >= 2 ? chosen : undefined;
  }

  private legOf(ref: LineRef): Leg {
    return {
      lineId: ref.outcome.lineId,
      event: ref.event,
      bit: ref.outcome.bit,
      marketId: ref.line.def.marketId,
      outcomeId: ref.outcome.outcomeId,
      line: ref.outcome.line,
    };
  }

  /** Generate RFQs at the configured rate (called every tick with the elapsed wall time). */
  step(dtMs: number): void {
    if (this.paused || !(this.opts.rfqPerSecond > 0)) {
      this.accumulator = 0;
      return;
    }
    this.accumulator = Math.min(this.accumulator + (this.opts.rfqPerSecond * dtMs) / 1000, this.opts.rfqPerSecond + 1);
    while (this.accumulator >= 1) {
      this.accumulator -= 1;
      try {
        this.createRfq({});
      } catch {
        this.stats.rfqsSkipped++;
      }
    }
  }

  /** Create and broadcast one RFQ. Throws ApiError for invalid explicit legs. */
  createRfq(opts: TriggerRfqOptions): Rfq | undefined {
    if (this.rfqs.size >= this.opts.maxLiveRfqs) {
      this.stats.rfqsSkipped++;
      return undefined;
    }
    let creator: BettorProfile;
    if (opts.creatorId) creator = { id: opts.creatorId, sharp: opts.sharp ?? false };
    else {
      const pool = opts.sharp === undefined ? this.bettors : this.bettors.filter((b) => b.sharp === opts.sharp);
      creator = pool.length > 0 ? this.rng.pick(pool) : { id: this.rng.uuid(), sharp: opts.sharp ?? false };
    }
    let refs: LineRef[] | undefined;
    if (opts.legs) {
      if (opts.legs.length < 2 || opts.legs.length > 12) throw new ApiError(400, "invalid_param", "a parlay has 2 to 12 legs");
      refs = opts.legs.map((id) => {
        const ref = this.world.line(id);
        if (!ref) throw new ApiError(400, "invalid_line_id", `unknown line_id ${id}`);
        if (ref.event.status === "ended") throw new ApiError(400, "event_not_available", `event of ${id} has ended`);
        return ref;
      });
      if (new Set(opts.legs).size !== opts.legs.length) throw new ApiError(400, "invalid_param", "duplicate legs");
    } else {
      refs = this.pickLegs(opts.legCount ?? this.pickLegCount(), creator.sharp);
      if (!refs) {
        this.stats.rfqsSkipped++;
        return undefined;
      }
    }
    const legs = refs.map((r) => this.legOf(r));
    const lineIds = legs.map((l) => l.lineId);
    const stakeCents =
      opts.stake !== undefined
        ? Math.round(opts.stake * 100)
        : Math.round(Math.min(200_000, Math.max(100, Math.exp(this.rng.normal(Math.log(2500), 1)))));
    if (!(stakeCents > 0)) throw new ApiError(400, "invalid_stake", "stake must be positive");
    const nowMs = Date.now();
    const rfq: Rfq = {
      parlayId: this.rng.uuid(),
      stakeCents,
      legs,
      creator,
      createdNs: nowNs(),
      createdMs: nowMs,
      joint: this.world.jointProbability(lineIds),
      independent: this.world.independentProbability(lineIds),
      bettor: opts.bettor ?? "auto",
      status: "collecting",
      outcome: undefined,
      offers: new Map(),
      orders: [],
      filledCents: 0,
      settled: false,
      waiters: [],
      involvesAccount: opts.keep === true,
    };
    this.addRivalOffers(rfq, opts.rivals ?? "auto");
    this.rfqs.set(rfq.parlayId, rfq);
    this.stats.rfqsCreated++;
    this.publishSp(SP_BROADCAST_CHANNEL, "price.ask.new", {
      parlay_id: rfq.parlayId,
      stake: dollars(stakeCents),
      callback_url: `${this.baseUrl()}/parlay/sp/orders/offers`,
      created_at: rfq.createdNs,
      market_lines: this.marketLines(rfq),
      creator_id: creator.id,
    });
    this.timers.after(opts.offerWindowMs ?? this.opts.offerWindowMs, () => this.decide(rfq));
    return rfq;
  }

  private marketLines(rfq: Rfq) {
    return rfq.legs.map((l) => ({
      line_id: l.lineId,
      market_id: l.marketId,
      outcome_id: l.outcomeId,
      sport_event_id: l.event.def.eventId,
      line: l.line ?? 0,
    }));
  }

  private addRivalOffers(rfq: Rfq, rivals: TriggerRfqOptions["rivals"]): void {
    if (rivals === "none") return;
    const validUntilNs = nowNs() + msToNs(60_000);
    if (rivals === "auto" || rivals === undefined) {
      for (const profile of this.opts.rivals) {
        const tiers = rivalQuote(profile, rfq.legs.length, rfq.joint, rfq.independent, this.rng);
        if (!tiers) continue;
        rfq.offers.set(profile.id, {
          spId: profile.id,
          account: undefined,
          seq: ++this.offerSeq,
          tiers: tiers.map((t) => ({ odds: t.odds, maxRiskCents: t.maxRiskCents, validUntilNs })),
        });
      }
      return;
    }
    rivals.forEach((r, i) => {
      const id = r.id ?? `scripted-rival-${i + 1}`;
      const prev = rfq.offers.get(id);
      const tier = { odds: r.odds, maxRiskCents: Math.round(r.maxRisk * 100), validUntilNs };
      rfq.offers.set(id, { spId: id, account: undefined, seq: prev?.seq ?? ++this.offerSeq, tiers: [...(prev?.tiers ?? []), tier] });
    });
    this.scripted.set(rfq.parlayId, rivals);
  }

  private readonly scripted = new Map<string, readonly RivalScript[]>();

  // ---- offers --------------------------------------------------------------------------

  submitOffers(account: Account, body: Record<string, unknown>): { parlayId: string; offers: number } {
    const parlayId = body.parlay_id;
    if (typeof parlayId !== "string" || !parlayId) throw new ApiError(400, "invalid_param", "parlay_id is required");
    const rfq = this.rfqs.get(parlayId);
    if (!rfq) throw new ApiError(404, "data_not_found", `parlay ${parlayId} not found`);
    if (rfq.status !== "collecting") throw new ApiError(400, "invalid_request", "the offer window of this parlay is closed");
    const offers = body.offers;
    if (!Array.isArray(offers) || offers.length === 0 || offers.length > 10) {
      throw new ApiError(400, "invalid_param", "offers must be an array of 1 to 10 offers");
    }
    const minValidNs = nowNs() + msToNs(this.opts.minValidityMs);
    const legIds = new Set(rfq.legs.map((l) => l.lineId));
    const tiers: TierIn[] = offers.map((raw: unknown, i) => {
      const o = (raw ?? {}) as Record<string, unknown>;
      const odds = o.odds;
      if (typeof odds !== "number" || !Number.isInteger(odds) || Math.abs(odds) < 100) {
        throw new ApiError(400, "invalid_odds", `offers[${i}].odds must be an American integer (|odds| ≥ 100)`);
      }
      const maxRisk = o.max_risk;
      if (typeof maxRisk !== "number" || !Number.isFinite(maxRisk) || maxRisk <= 0 || Math.abs(Math.round(maxRisk * 100) - maxRisk * 100) > 1e-6) {
        throw new ApiError(400, "invalid_param", `offers[${i}].max_risk must be a positive dollar amount`);
      }
      const validUntil = parseNs(o.valid_until);
      if (validUntil === undefined || validUntil < minValidNs) {
        throw new ApiError(400, "invalid_valid_until", `offers[${i}].valid_until must be at least ${this.opts.minValidityMs / 1000} s in the future (ns)`);
      }
      const est = o.estimated_price ?? o.estimated_prices;
      if (est !== undefined && est !== null) {
        if (!Array.isArray(est)) throw new ApiError(400, "invalid_estimated_prices", `offers[${i}].estimated_price must be an array`);
        for (const e of est as unknown[]) {
          const item = (e ?? {}) as Record<string, unknown>;
          if (typeof item.line_id !== "string" || !legIds.has(item.line_id)) {
            throw new ApiError(400, "invalid_estimated_prices", `offers[${i}].estimated_price has a line_id that is not a leg`);
          }
          if (typeof item.odds !== "number" || !Number.isInteger(item.odds) || Math.abs(item.odds) < 100) {
            throw new ApiError(400, "invalid_estimated_prices", `offers[${i}].estimated_price odds must be American integers`);
          }
        }
      }
      return { odds, maxRiskCents: Math.round(maxRisk * 100), validUntilNs: validUntil };
    });
    const prev = rfq.offers.get(account.partnerId);
    rfq.offers.set(account.partnerId, { spId: account.partnerId, account, tiers, seq: prev?.seq ?? ++this.offerSeq });
    rfq.involvesAccount = true;
    this.stats.offersReceived++;
    return { parlayId, offers: tiers.length };
  }

  // ---- decision and confirmations -------------------------------------------------------

  private minDecimalFor(rfq: Rfq): number {
    const b = rfq.bettor;
    if (b === "accept-all") return 0;
    if (b === "decline") return Number.POSITIVE_INFINITY;
    if (typeof b === "object") return americanToDecimal(b.minOdds);
    return bettorView(rfq.creator, rfq.joint, this.rng).minDecimal;
  }

  private decide(rfq: Rfq): void {
    if (rfq.status !== "collecting") return;
    rfq.status = "confirming";
    const now = nowNs();
    const tiers: OfferTier[] = [];
    for (const offer of rfq.offers.values()) {
      offer.tiers.forEach((t, tierIndex) => {
        if (t.validUntilNs >= now) tiers.push({ spId: offer.spId, tierIndex, odds: t.odds, maxRiskCents: t.maxRiskCents, seq: offer.seq });
      });
    }
    if (tiers.length === 0) return this.finish(rfq, "no_offers");
    const allocations = allocateParlayStake(tiers, rfq.stakeCents, this.minDecimalFor(rfq));
    if (allocations.length === 0) return this.finish(rfq, "declined");
    const scripts = this.scripted.get(rfq.parlayId);
    for (const a of allocations) {
      const offer = rfq.offers.get(a.tier.spId)!;
      const order = this.createOrder(rfq, offer, a.tier, a.stakeCents);
      if (offer.account) {
        rfq.involvesAccount = true;
        this.sendConfirmation(order);
      } else {
        const script = scripts?.find((s, i) => (s.id ?? `scripted-rival-${i + 1}`) === offer.spId);
        const profile = this.opts.rivals.find((r) => r.id === offer.spId);
        const accept = script ? script.accept !== false : this.rng.chance(profile?.acceptProbability ?? 0.95);
        const delay = script?.delayMs ?? (profile ? this.rng.int(profile.confirmDelayMs[0], profile.confirmDelayMs[1]) : 50);
        this.timers.after(delay, () => {
          if (order.status !== "sent_confirmation") return;
          if (accept) this.finalize(order, order.stakeCents);
          else this.resolve(order, "rejected", "provider rejected");
        });
      }
    }
  }

  private createOrder(rfq: Rfq, offer: SpOffer, tier: OfferTier, stakeCents: number): Order {
    const nowMs = Date.now();
    const order: Order = {
      orderUuid: this.rng.uuid(),
      rfq,
      spId: offer.spId,
      account: offer.account,
      odds: tier.odds,
      stakeCents,
      maxRiskCents: tier.maxRiskCents,
      tierIndex: tier.tierIndex,
      status: "sent_confirmation",
      confirmedStakeCents: 0,
      liabilityCents: 0,
      settlementStatus: null,
      profitCents: null,
      failReason: null,
      createdNs: nowNs(),
      createdMs: nowMs,
      updatedNs: nowNs(),
      deadline: undefined,
      deadlineNs: nowNs() + msToNs(this.opts.confirmDeadlineMs),
    };
    rfq.orders.push(order);
    this.stats.ordersCreated++;
    if (offer.account) this.remember(order, offer.account);
    return order;
  }

  private remember(order: Order, account: Account): void {
    this.ordersByUuid.set(order.orderUuid, order);
    let list = this.ordersByAccount.get(account.partnerId);
    if (!list) {
      list = [];
      this.ordersByAccount.set(account.partnerId, list);
    }
    list.push(order);
    if (list.length > this.opts.maxOrdersRetained) {
      for (const old of list.splice(0, list.length - this.opts.maxOrdersRetained)) this.ordersByUuid.delete(old.orderUuid);
    }
  }

  private sendConfirmation(order: Order): void {
    const account = order.account!;
    order.deadline = this.timers.after(this.opts.confirmDeadlineMs, () => {
      if (order.status === "sent_confirmation") this.resolve(order, "failed", "confirmation deadline passed");
    });
    this.publishSp(spPrivateChannel(account.partnerId), "price.confirm.new", {
      parlay_id: order.rfq.parlayId,
      order_uuid: order.orderUuid,
      callback_url: `${this.baseUrl()}/parlay/sp/orders/confirmations?order_uuid=${order.orderUuid}`,
      odds: order.odds,
      stake: dollars(order.stakeCents),
      max_risk: dollars(order.maxRiskCents),
      market_lines: this.marketLines(order.rfq),
      created_at: order.createdNs,
      expires_at: order.deadlineNs,
    });
  }

  /** The provider's answer to price.confirm.new. */
  confirm(account: Account, orderUuid: unknown, body: Record<string, unknown>): Order {
    if (typeof orderUuid !== "string" || !orderUuid) throw new ApiError(400, "invalid_param", "order_uuid is required");
    const order = this.ordersByUuid.get(orderUuid);
    if (!order || order.account !== account) throw new ApiError(404, "data_not_found", `order ${orderUuid} not found`);
    if (order.status !== "sent_confirmation") {
      const why = order.failReason === "confirmation deadline passed" ? "confirmation deadline passed; the order failed" : `order is ${order.status}`;
      throw new ApiError(400, "invalid_request", why);
    }
    const action = body.action;
    if (action !== "accept" && action !== "reject") throw new ApiError(400, "invalid_param", 'action must be "accept" or "reject"');
    if (action === "reject") {
      this.resolve(order, "rejected", "provider rejected");
      return order;
    }
    const odds = body.confirmed_odds;
    if (typeof odds !== "number" || !Number.isInteger(odds) || odds !== order.odds) {
      throw new ApiError(400, "invalid_odds", `confirmed_odds must equal the requested odds ${order.odds}`);
    }
    let stakeCents = order.stakeCents;
    const cs = body.confirmed_stake;
    if (cs !== undefined && cs !== null) {
      if (typeof cs !== "number" || !Number.isFinite(cs) || cs <= 0 || Math.round(cs * 100) > order.stakeCents) {
        throw new ApiError(400, "invalid_stake", `confirmed_stake must be positive and at most ${dollars(order.stakeCents)}`);
      }
      stakeCents = Math.round(cs * 100);
    }
    const pp = body.price_probability;
    if (pp !== undefined && pp !== null) {
      const ok =
        Array.isArray(pp) &&
        pp.every((t: unknown) => {
          const tier = (t ?? {}) as Record<string, unknown>;
          return (
            Array.isArray(tier.lines) &&
            (tier.lines as unknown[]).every((l) => {
              const p = ((l ?? {}) as Record<string, unknown>).probability;
              return typeof p === "number" && p >= 0 && p <= 1;
            })
          );
        });
      if (!ok) throw new ApiError(400, "invalid_param", "price_probability must be [{ max_risk, lines: [{ line_id, probability in [0,1] }] }]");
    }
    const liability = providerLiabilityCents(stakeCents, order.odds);
    if (account.balanceCents < liability) {
      this.resolve(order, "failed", "insufficient_amount");
      throw new ApiError(403, "insufficient_amount", "balance does not cover the liability of this order");
    }
    this.finalize(order, stakeCents);
    return order;
  }

  private finalize(order: Order, stakeCents: number): void {
    order.deadline?.cancel();
    order.confirmedStakeCents = stakeCents;
    order.liabilityCents = providerLiabilityCents(stakeCents, order.odds);
    if (order.account) order.account.balanceCents -= order.liabilityCents;
    order.status = "finalized";
    order.updatedNs = nowNs();
    order.rfq.filledCents += stakeCents;
    this.stats.ordersFinalized++;
    if (order.account) {
      this.publishSp(spPrivateChannel(order.account.partnerId), "order.finalized", {
        parlay_id: order.rfq.parlayId,
        order_uuid: order.orderUuid,
        confirmed_stake: dollars(stakeCents),
        confirmed_odds: order.odds,
        odds: negateOdds(order.odds),
        liability: dollars(order.liabilityCents),
        status: "finalized",
        updated_at: order.updatedNs,
      });
    }
    this.publishSp(SP_BROADCAST_CHANNEL, "order.matched", {
      parlay_id: order.rfq.parlayId,
      matched_odds: order.odds,
      matched_stake: dollars(stakeCents),
      matched_at: order.updatedNs,
      market_lines: this.marketLines(order.rfq),
    });
    this.afterDecision(order.rfq);
  }

  private resolve(order: Order, status: "rejected" | "failed", reason: string): void {
    order.deadline?.cancel();
    order.status = status;
    order.failReason = reason;
    order.updatedNs = nowNs();
    if (status === "failed") this.stats.ordersFailed++;
    else this.stats.ordersRejected++;
    this.afterDecision(order.rfq);
  }

  private afterDecision(rfq: Rfq): void {
    if (rfq.status !== "confirming" || rfq.orders.some((o) => o.status === "sent_confirmation")) return;
    const filled = rfq.filledCents;
    this.finish(rfq, filled === 0 ? "failed" : filled < rfq.stakeCents ? "partially_filled" : "filled");
  }

  private finish(rfq: Rfq, outcome: RfqOutcome): void {
    rfq.status = "done";
    rfq.outcome = outcome;
    this.scripted.delete(rfq.parlayId);
    const view = this.view(rfq);
    for (const w of rfq.waiters) w(view);
    rfq.waiters = [];
    const accountOrders = rfq.orders.filter((o) => o.account && o.status === "finalized");
    if (accountOrders.length > 0) {
      for (const leg of rfq.legs) {
        let set = this.pendingByEvent.get(leg.event.def.eventId);
        if (!set) {
          set = new Set();
          this.pendingByEvent.set(leg.event.def.eventId, set);
        }
        set.add(rfq);
      }
      this.trySettle(rfq);
      return;
    }
    if (rfq.involvesAccount) this.timers.after(this.opts.rfqRetentionMs, () => this.rfqs.delete(rfq.parlayId));
    else this.rfqs.delete(rfq.parlayId);
  }

  // ---- settlement ------------------------------------------------------------------------

  private trySettle(rfq: Rfq): void {
    if (rfq.settled || rfq.status !== "done") return;
    const outcome = parlayOutcome(rfq.legs.map((l) => this.world.legResult(l.event, l.bit)));
    if (outcome === "pending") return;
    rfq.settled = true;
    for (const leg of rfq.legs) this.pendingByEvent.get(leg.event.def.eventId)?.delete(rfq);
    const settledNs = nowNs();
    const byAccount = new Map<Account, number>();
    for (const order of rfq.orders) {
      if (order.status !== "finalized") continue;
      order.profitCents = order.account ? providerProfitCents(outcome, order.confirmedStakeCents, order.liabilityCents) : null;
      order.settlementStatus = providerSettlementStatus(outcome);
      order.status = "settled";
      order.updatedNs = settledNs;
      if (!order.account) continue;
      order.account.balanceCents += order.liabilityCents + order.profitCents!;
      byAccount.set(order.account, (byAccount.get(order.account) ?? 0) + order.profitCents!);
      this.publishSp(spPrivateChannel(order.account.partnerId), "order.settled", {
        order_uuid: order.orderUuid,
        parlay_id: rfq.parlayId,
        settlement_status: order.settlementStatus,
        settled_at: settledNs,
        profit: dollars(order.profitCents!),
      });
    }
    for (const [account, profit] of byAccount) {
      this.publishSp(spPrivateChannel(account.partnerId), "parlay.settled", {
        parlay_id: rfq.parlayId,
        settlement_status: providerSettlementStatus(outcome),
        settled_at: settledNs,
        profit: dollars(profit),
      });
    }
    this.stats.parlaysSettled++;
    this.timers.after(this.opts.rfqRetentionMs, () => this.rfqs.delete(rfq.parlayId));
  }

  // ---- wire, views, queries --------------------------------------------------------------

  private publishSp(channel: string, event: string, payload: Record<string, unknown>): void {
    if (!this.pusher.hasSubscribers(channel)) return;
    const envelope = { timestamp: nowNs(), change_type: event, payload, op: "c" };
    this.pusher.publish(channel, event, toJson(envelope), event);
  }

  view(rfq: Rfq): ParlayView {
    return {
      parlayId: rfq.parlayId,
      status: rfq.status,
      outcome: rfq.outcome,
      stake: dollars(rfq.stakeCents),
      filledStake: dollars(rfq.filledCents),
      creatorId: rfq.creator.id,
      sharp: rfq.creator.sharp,
      jointProbability: rfq.joint,
      independentProbability: rfq.independent,
      legs: this.marketLines(rfq),
      offers: [...rfq.offers.values()].map((o) => ({ sp_id: o.spId, tiers: o.tiers.map((t) => ({ odds: t.odds, max_risk: dollars(t.maxRiskCents) })) })),
      orders: rfq.orders.map((o) => ({
        order_uuid: o.orderUuid,
        sp_id: o.spId,
        odds: o.odds,
        stake: dollars(o.stakeCents),
        confirmed_stake: dollars(o.confirmedStakeCents),
        max_risk: dollars(o.maxRiskCents),
        status: o.status,
        settlement_status: o.settlementStatus,
        profit: o.profitCents === null ? null : dollars(o.profitCents),
        fail_reason: o.failReason,
      })),
      settled: rfq.settled,
    };
  }

  parlay(parlayId: string): ParlayView | undefined {
    const rfq = this.rfqs.get(parlayId);
    return rfq ? this.view(rfq) : undefined;
  }

  /** Resolves when the parlay's offer/confirmation phase is over (status "done"). */
  waitForParlay(parlayId: string, timeoutMs: number): Promise<ParlayView> {
    const rfq = this.rfqs.get(parlayId);
    if (!rfq) return Promise.reject(new Error(`parlay ${parlayId} unknown`));
    if (rfq.status === "done") return Promise.resolve(this.view(rfq));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`parlay ${parlayId} not done after ${timeoutMs} ms`)), timeoutMs);
      rfq.waiters.push((v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }

  ordersOf(account: Account): readonly Order[] {
    return this.ordersByAccount.get(account.partnerId) ?? [];
  }

  get liveRfqs(): number {
    return this.rfqs.size;
  }

  orderJson(o: Order) {
    return {
      order_uuid: o.orderUuid,
      p_id: o.rfq.parlayId,
      parlay_id: o.rfq.parlayId,
      status: o.status,
      creator_id: o.rfq.creator.id,
      odds: o.odds,
      stake: dollars(o.stakeCents),
      confirmed_stake: dollars(o.confirmedStakeCents),
      confirmed_odds: o.status === "finalized" || o.status === "settled" ? o.odds : null,
      max_risk: dollars(o.maxRiskCents),
      liability: dollars(o.liabilityCents),
      settlement_status: o.settlementStatus,
      profit: o.profitCents === null ? null : dollars(o.profitCents),
      fail_reason: o.failReason,
      market_lines: this.marketLines(o.rfq),
      created_at: o.createdNs,
      updated_at: o.updatedNs,
    };
  }
}
