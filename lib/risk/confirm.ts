// Last look on `price.confirm.new`: re-price from the current book, re-check every limit with all
// accepted orders and other in-flight reservations, and either accept (with the per-leg probabilities
// to send as `price_probability`) or reject. Fail-closed: any doubt or error → reject.

import { americanToDecimal } from "../odds/american.ts";
import { centsToDollars, profitCentsAtAmerican, type Cents } from "../money/cents.ts";
import { priceParlayFair } from "../pricing/parlay.ts";
import type { MarketView, ParlayLeg, PricingConfig, QuoteTier } from "../pricing/types.ts";
import { exposureOf, type OpenOrder } from "./exposure.ts";
import { riskCapacity, type BalanceSnapshot, type RiskLimits } from "./limits.ts";

/** What we offered for this RFQ (kept by the engine from the quote). */
export interface OfferedQuote {
  parlayId: string;
  legs: readonly ParlayLeg[];
  creatorId?: string;
  fairProbability: number;
  tiers: readonly QuoteTier[];
  validUntilMs: number;
}

export interface ConfirmationRequest {
  /** Odds the bettor confirmed (American). */
  odds: number;
  stakeCents: Cents;
  /** `max_risk` of the confirm message, when present (cents). */
  maxRiskCents?: Cents;
}

export interface ConfirmationPolicy {
  /** Reject when the re-priced fair probability moved by more than this (relative, e.g. 0.05). */
  maxFairDrift: number;
  /** Reject when the confirmed odds leave less than this margin (bps) over the re-priced fair. */
  minEdgeBps: number;
  /** Accept confirmations up to this long after valid_until (0 = strict). */
  graceAfterValidUntilMs: number;
}

export const DEFAULT_CONFIRMATION_POLICY: ConfirmationPolicy = { maxFairDrift: 0.05, minEdgeBps: 50, graceAfterValidUntilMs: 0 };

export interface ConfirmationInput {
  nowMs: number;
  offer: OfferedQuote;
  request: ConfirmationRequest;
  market: MarketView;
  pricing: PricingConfig;
  policy: ConfirmationPolicy;
  /** Every open order EXCEPT this offer's own in-flight reservation (accepted + other in-flight). */
  orders: readonly OpenOrder[];
  limits: RiskLimits;
  balance: BalanceSnapshot;
}

export interface WirePriceProbability {
  /** Dollars (wire unit). */
  max_risk: number;
  lines: Array<{ line_id: string; probability: number }>;
}

export type ConfirmRejectReason =
  | "paused"
  | "blocked_creator"
  | "offer_expired"
  | "odds_better_than_offered"
  | "stake_exceeds_offer"
  | "reprice_failed"
  | "price_drift"
  | "insufficient_edge"
  | "risk_limit"
  | "invalid_request"
  | "internal_error";

export type ConfirmationDecision =
  | {
      accept: true;
      /** Our liability on this order (cents): the bettor's profit if the parlay wins. */
      liabilityCents: Cents;
      fairProbability: number;
      /** Wire-ready `price_probability` (max_risk in dollars). */
      priceProbability: WirePriceProbability[];
    }
  | { accept: false; reason: ConfirmRejectReason; detail?: string };

const reject = (reason: ConfirmRejectReason, detail?: string): ConfirmationDecision => ({ accept: false, reason, detail });

/**
 * The order against the offer's terms: odds no better for the bettor than our best tier, and our
 * liability within the tiers at those odds or better (they can fill it). Shared by every
 * confirmation path (model, naive, manual quote).
 */
export function withinOffer(
  offer: Pick<OfferedQuote, "tiers">,
  request: Pick<ConfirmationRequest, "odds" | "stakeCents">,
): { ok: true; requestedDecimal: number; liability: Cents } | { ok: false; decision: ConfirmationDecision } {
  const requestedDecimal = americanToDecimal(request.odds);
  const bestTierDecimal = Math.max(...offer.tiers.map((t) => americanToDecimal(t.odds)));
  if (requestedDecimal > bestTierDecimal + 1e-12) return { ok: false, decision: reject("odds_better_than_offered") };
  const liability = profitCentsAtAmerican(request.stakeCents, request.odds);
  const coverable = offer.tiers.filter((t) => americanToDecimal(t.odds) >= requestedDecimal - 1e-12).reduce((s, t) => s + t.maxRiskCents, 0);
  if (liability > coverable) return { ok: false, decision: reject("stake_exceeds_offer", `${liability} > ${coverable}`) };
  return { ok: true, requestedDecimal, liability };
}

export function checkConfirmation(input: ConfirmationInput): ConfirmationDecision {
  try {
    return checkConfirmationUnsafe(input);
  } catch (e) {
    return reject("internal_error", e instanceof Error ? e.message : String(e));
  }
}

function checkConfirmationUnsafe(input: ConfirmationInput): ConfirmationDecision {
  const { offer, request, limits, policy } = input;
  if (limits.paused) return reject("paused");
  if (offer.creatorId !== undefined && limits.blockedCreators.includes(offer.creatorId)) return reject("blocked_creator");
  if (!(Number.isInteger(request.odds) && Math.abs(request.odds) >= 100)) return reject("invalid_request", "odds");
  if (!(Number.isInteger(request.stakeCents) && request.stakeCents > 0)) return reject("invalid_request", "stake");
  if (offer.tiers.length === 0) return reject("invalid_request", "no tiers offered");
  if (input.nowMs > offer.validUntilMs + policy.graceAfterValidUntilMs) return reject("offer_expired");

  const terms = withinOffer(offer, request);
  if (!terms.ok) return terms.decision;
  const { requestedDecimal, liability } = terms;
  if (request.maxRiskCents !== undefined && liability > request.maxRiskCents + 1) return reject("stake_exceeds_offer", "above confirm max_risk");

  // Re-price from the current book.
  const fair = priceParlayFair(offer.legs, input.market, input.pricing, input.nowMs);
  if (!fair.ok) return reject("reprice_failed", fair.reason);
  const drift = Math.abs(fair.fairProbability / offer.fairProbability - 1);
  if (!(drift <= policy.maxFairDrift)) return reject("price_drift", drift.toFixed(4));
  const offeredProbability = 1 / requestedDecimal;
  if (!(offeredProbability >= fair.fairProbability * (1 + policy.minEdgeBps / 10_000))) return reject("insufficient_edge");

  // Re-check every limit against accepted orders and every other in-flight reservation.
  if (offer.legs.length > limits.maxLegs) return reject("risk_limit", "too_many_legs");
  const capacity = riskCapacity({
    legs: fair.exposureLegs,
    creatorId: offer.creatorId,
    exposure: exposureOf(input.orders),
    limits,
    balance: input.balance,
  });
  if (liability > capacity.capacityCents) return reject("risk_limit", capacity.binding);

  return {
    accept: true,
    liabilityCents: liability,
    fairProbability: fair.fairProbability,
    priceProbability: [
      {
        max_risk: centsToDollars(liability),
        lines: fair.legs.map((l) => ({ line_id: l.leg.lineId, probability: l.fair.fairProbability })),
      },
    ],
  };
}
