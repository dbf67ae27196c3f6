// The seam between the engine and the parlay pricing/risk libraries (issue 5). The engine builds a
// `QuoteInput` / `ConfirmationInput` (lib/pricing, lib/risk) from its live state and calls
// `pricer.quote` / `pricer.confirm`; everything else (book adapter, exposure, settings) is in the
// engine. `modelPricer` is production (lib/pricing quoteParlay + lib/risk checkConfirmation);
// `naivePricer` is the comparison quoter of the benchmarks (product of multiplicatively de-vigged
// legs × a fixed vig per leg, same tiers and the same risk limits).
import { probabilityToAmericanFloor } from "../../../lib/odds/american.ts";
import { centsToDollars } from "../../../lib/money/cents.ts";
import {
  legFairProbability,
  legSemantics,
  liabilityCents,
  marketSpec,
  offeredProbability,
  quoteParlay,
  type MarketView,
  type ParlayLeg,
  type PricingConfig,
  type QuoteDecision,
  type QuoteInput,
} from "../../../lib/pricing/index.ts";
import { capTierRisk, checkConfirmation, exposureOf, riskCapacity, withinOffer, type ConfirmationDecision, type ConfirmationInput, type ExposureLeg } from "../../../lib/risk/index.ts";

export type { QuoteInput, QuoteDecision, ConfirmationInput, ConfirmationDecision };

export interface ParlayPricer {
  readonly name: string;
  quote(input: QuoteInput): QuoteDecision;
  confirm(input: ConfirmationInput): ConfirmationDecision;
}

/** Production pricer: lib/pricing + lib/risk, unchanged. */
export const modelPricer: ParlayPricer = { name: "model", quote: quoteParlay, confirm: checkConfirmation };

/** Exposure legs of an RFQ's legs (team = the side the leg backs; totals and draws have none). */
export const exposureLegsFor = (legs: readonly ParlayLeg[], view: MarketView): ExposureLeg[] =>
  legs.map((leg) => {
    const info = view.line(leg.lineId);
    const ev = view.event(info?.eventId ?? leg.sportEventId);
    const side = info ? legSemantics(info)?.side : undefined;
    const teamId = side === "home" ? ev?.homeTeamId : side === "away" ? ev?.awayTeamId : undefined;
    return { lineId: leg.lineId, eventId: info?.eventId ?? leg.sportEventId, ...(teamId ? { teamId } : {}) };
  });

// ── the naive comparison quoter ──
type NaiveFair = { ok: true; fair: number; legs: { lineId: string; p: number }[] } | { ok: false; reason: string };

const naiveFair = (legs: readonly ParlayLeg[], view: MarketView, config: PricingConfig, nowMs: number): NaiveFair => {
  if (legs.length < config.minLegs || legs.length > config.maxLegs) return { ok: false, reason: "leg_count" };
  const cfg: PricingConfig = { ...config, devigMethod: "multiplicative" };
  const seenMarkets = new Set<string>();
  let fair = 1;
  const out: { lineId: string; p: number }[] = [];
  for (const leg of legs) {
    const info = view.line(leg.lineId);
    if (!info) return { ok: false, reason: "unknown_line" };
    const ev = view.event(info.eventId);
    if (!ev) return { ok: false, reason: "unknown_event" };
    if (ev.status !== "not_started" || ev.startsAtMs - nowMs < config.minTimeToStartMs) return { ok: false, reason: "event_started" };
    const spec = marketSpec(info.marketId);
    if (!spec || !spec.sports.includes(ev.sport)) return { ok: false, reason: "unsupported_market" };
    const mk = `${info.eventId}:${info.marketId}`;
    if (seenMarkets.has(mk)) return { ok: false, reason: "same_market_twice" };
    seenMarkets.add(mk);
    const f = legFairProbability(info, view, cfg, nowMs);
    if (!f.ok) return { ok: false, reason: f.reason };
    fair *= f.leg.fairProbability;
    out.push({ lineId: leg.lineId, p: f.leg.fairProbability });
  }
  return { ok: true, fair, legs: out };
};

/** Naive quoter: Π multiplicative de-vig × (1 + vigPerLegBps × legs), same tiers and risk limits. */
export const naivePricer = (vigPerLegBps = 150): ParlayPricer => ({
  name: "naive",
  quote(input) {
    const { config, risk } = input;
    const f = naiveFair(input.legs, input.market, config, input.nowMs);
    if (!f.ok) return { kind: "decline", reason: "internal_error", detail: f.reason };
    if (f.fair < config.minParlayProbability) return { kind: "decline", reason: "parlay_probability_too_low" };
    const cap = riskCapacity({ legs: exposureLegsFor(input.legs, input.market), ...(input.creatorId ? { creatorId: input.creatorId } : {}), exposure: risk.exposure, limits: risk.limits, balance: risk.balance });
    const bps = vigPerLegBps * input.legs.length;
    const tiers = capTierRisk(
      config.tierMaxRiskCents.map((maxRiskCents, i) => ({ odds: probabilityToAmericanFloor(offeredProbability(f.fair, bps + i * config.margin.tierStepBps)), maxRiskCents })),
      cap.capacityCents,
      config.minTierRiskCents,
      input.stakeCents > 0 ? (odds) => liabilityCents(Math.ceil(input.stakeCents * config.stakeHeadroom), odds) : undefined,
    );
    if (tiers.length === 0) return { kind: "decline", reason: "no_risk_capacity", detail: cap.binding };
    return {
      kind: "quote",
      fairProbability: f.fair,
      tiers,
      legs: f.legs.map((l) => ({ lineId: l.lineId, fairProbability: l.p, estimatedOdds: probabilityToAmericanFloor(l.p) })),
      inputs: { nowMs: input.nowMs, devigMethod: "multiplicative", legs: [], games: [], marginBps: bps, riskCapacityCents: cap.capacityCents },
    };
  },
  confirm(input) {
    try {
      const { offer, request, limits } = input;
      if (limits.paused) return { accept: false, reason: "paused" };
      if (input.nowMs > offer.validUntilMs + input.policy.graceAfterValidUntilMs) return { accept: false, reason: "offer_expired" };
      const terms = withinOffer(offer, request);
      if (!terms.ok) return terms.decision;
      const { requestedDecimal: dec, liability } = terms;
      const f = naiveFair(offer.legs, input.market, input.pricing, input.nowMs);
      if (!f.ok) return { accept: false, reason: "reprice_failed", detail: f.reason };
      if (Math.abs(f.fair / offer.fairProbability - 1) > input.policy.maxFairDrift) return { accept: false, reason: "price_drift" };
      if (!(1 / dec >= f.fair * (1 + input.policy.minEdgeBps / 10_000))) return { accept: false, reason: "insufficient_edge" };
      const cap = riskCapacity({ legs: exposureLegsFor(offer.legs, input.market), ...(offer.creatorId ? { creatorId: offer.creatorId } : {}), exposure: exposureOf(input.orders), limits, balance: input.balance });
      if (liability > cap.capacityCents) return { accept: false, reason: "risk_limit", detail: cap.binding };
      return { accept: true, liabilityCents: liability, fairProbability: f.fair, priceProbability: [{ max_risk: centsToDollars(liability), lines: f.legs.map((l) => ({ line_id: l.lineId, probability: l.p })) }] };
    } catch (e) {
      return { accept: false, reason: "internal_error", detail: String(e) };
    }
  },
});

/**
 * Confirmation of a trader's manual quote: the price is the trader's (no re-price, drift or edge
 * check), everything else is checked as for a model quote — expiry, odds, size, open events and every
 * risk limit against all other open orders. Fail-closed.
 */
export const manualConfirm = (input: ConfirmationInput): ConfirmationDecision => {
  try {
    const { offer, request, limits } = input;
    if (limits.paused) return { accept: false, reason: "paused" };
    if (offer.creatorId !== undefined && limits.blockedCreators.includes(offer.creatorId)) return { accept: false, reason: "blocked_creator" };
    if (!(Number.isInteger(request.odds) && Math.abs(request.odds) >= 100) || !(request.stakeCents > 0)) return { accept: false, reason: "invalid_request" };
    if (input.nowMs > offer.validUntilMs + input.policy.graceAfterValidUntilMs) return { accept: false, reason: "offer_expired" };
    const terms = withinOffer(offer, request);
    if (!terms.ok) return terms.decision;
    const { requestedDecimal: dec, liability } = terms;
    if (request.maxRiskCents !== undefined && liability > request.maxRiskCents + 1) return { accept: false, reason: "stake_exceeds_offer", detail: "above confirm max_risk" };
    const lines: { line_id: string; probability: number }[] = [];
    for (const leg of offer.legs) {
      const info = input.market.line(leg.lineId);
      const ev = info ? input.market.event(info.eventId) : undefined;
      if (!info || !ev) return { accept: false, reason: "reprice_failed", detail: `unknown ${leg.lineId}` };
      if (ev.status !== "not_started" || ev.startsAtMs <= input.nowMs) return { accept: false, reason: "reprice_failed", detail: "event_started" };
      const f = legFairProbability(info, input.market, input.pricing, input.nowMs);
      lines.push({ line_id: leg.lineId, probability: f.ok ? f.leg.fairProbability : Math.pow(1 / dec, 1 / offer.legs.length) });
    }
    if (offer.legs.length > limits.maxLegs) return { accept: false, reason: "risk_limit", detail: "too_many_legs" };
    const cap = riskCapacity({ legs: exposureLegsFor(offer.legs, input.market), ...(offer.creatorId ? { creatorId: offer.creatorId } : {}), exposure: exposureOf(input.orders), limits, balance: input.balance });
    if (liability > cap.capacityCents) return { accept: false, reason: "risk_limit", detail: cap.binding };
    return { accept: true, liabilityCents: liability, fairProbability: offer.fairProbability, priceProbability: [{ max_risk: centsToDollars(liability), lines }] };
  } catch (e) {
    return { accept: false, reason: "internal_error", detail: String(e) };
  }
};
