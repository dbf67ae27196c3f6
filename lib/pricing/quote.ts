// quoteParlay: fair joint probability → margin (grows with legs, same-game legs and book uncertainty)
// → price tiers rounded against us → tier sizes capped by the risk limits and the requested stake.

import { americanProfitPerUnit, probabilityToAmericanFloor } from "../odds/american.ts";
import type { Cents } from "../money/cents.ts";
import { capTierRisk, riskCapacity, type BalanceSnapshot, type RiskLimits } from "../risk/limits.ts";
import type { ExposureSnapshot } from "../risk/exposure.ts";
import { priceParlayFair, type FairParlay } from "./parlay.ts";
import type { MarketView, ParlayLeg, PricingConfig, QuoteDecision, Sport } from "./types.ts";

export interface RiskContext {
  limits: RiskLimits;
  /** Exposure of all open orders: accepted and in-flight reservations (see lib/risk exposureOf). */
  exposure: ExposureSnapshot;
  balance: BalanceSnapshot;
}

export interface QuoteInput {
  legs: readonly ParlayLeg[];
  /** Stake the bettor asked for in the RFQ (cents); 0 = unknown, tiers then use their configured size. */
  stakeCents: Cents;
  creatorId?: string;
  nowMs: number;
  market: MarketView;
  config: PricingConfig;
  risk: RiskContext;
}

/** Highest probability we ever offer (odds no shorter than about −19900). */
const MAX_OFFER_PROBABILITY = 0.995;

/** Margin in bps for a priced parlay (tier 0). Monotone non-decreasing in the number of legs. */
export function marginBps(fair: Pick<FairParlay, "legs" | "games">, config: PricingConfig): number {
  const m = config.margin;
  let bps = m.baseBps;
  let uncertainty = 0;
  for (const l of fair.legs) {
    bps += perLegBps(l.event.sport, l.info.marketId, config);
    uncertainty += l.fair.relativeHalfSpread;
  }
  for (const g of fair.games) bps += m.sameGameExtraLegBps * Math.max(0, g.legs.length - 1);
  bps += m.uncertaintyMultiplier * uncertainty * 10_000;
  return bps;
}

export function perLegBps(sport: Sport, marketId: number, config: PricingConfig): number {
  const m = config.margin;
  return m.perLegBpsByMarket?.[marketId] ?? m.perLegBpsBySport?.[sport] ?? m.perLegBps;
}

/** Offered probability with `bps` margin: p × (1 + bps/10 000), kept below MAX_OFFER_PROBABILITY. */
export const offeredProbability = (fair: number, bps: number): number => Math.min(MAX_OFFER_PROBABILITY, fair * (1 + bps / 10_000));

/** Our liability (cents) if a stake at American `odds` wins. */
export const liabilityCents = (stakeCents: Cents, odds: number): Cents => Math.ceil(stakeCents * americanProfitPerUnit(odds) - 1e-9);

export function quoteParlay(input: QuoteInput): QuoteDecision {
  try {
    return quoteParlayUnsafe(input);
  } catch (e) {
    return { kind: "decline", reason: "internal_error", detail: e instanceof Error ? e.message : String(e) };
  }
}

function quoteParlayUnsafe(input: QuoteInput): QuoteDecision {
  const { config, risk } = input;
  if (risk.limits.paused) return { kind: "decline", reason: "no_risk_capacity", detail: "paused" };
  if (input.creatorId !== undefined && risk.limits.blockedCreators.includes(input.creatorId)) {
    return { kind: "decline", reason: "blocked_creator" };
  }
  if (input.legs.length > risk.limits.maxLegs) return { kind: "decline", reason: "too_many_legs" };
  const fair = priceParlayFair(input.legs, input.market, config, input.nowMs);
  if (!fair.ok) return { kind: "decline", reason: fair.reason, detail: fair.detail };

  const capacity = riskCapacity({
    legs: fair.exposureLegs,
    creatorId: input.creatorId,
    exposure: risk.exposure,
    limits: risk.limits,
    balance: risk.balance,
  });
  if (capacity.capacityCents < config.minTierRiskCents) {
    return { kind: "decline", reason: capacity.binding === "blocked_creator" ? "blocked_creator" : "no_risk_capacity", detail: capacity.binding };
  }

  const bps = marginBps(fair, config);
  const requested = config.tierMaxRiskCents.map((maxRiskCents, i) => ({
    odds: probabilityToAmericanFloor(offeredProbability(fair.fairProbability, bps + i * config.margin.tierStepBps)),
    maxRiskCents,
  }));
  // Rounding can give two tiers the same odds: merge them.
  const merged: typeof requested = [];
  for (const t of requested) {
    const last = merged[merged.length - 1];
    if (last && last.odds === t.odds) last.maxRiskCents += t.maxRiskCents;
    else merged.push({ ...t });
  }
  const stake = input.stakeCents;
  const tiers = capTierRisk(
    merged,
    capacity.capacityCents,
    config.minTierRiskCents,
    stake > 0 ? (odds) => liabilityCents(Math.ceil(stake * config.stakeHeadroom), odds) : undefined,
  );
  if (tiers.length === 0) return { kind: "decline", reason: "no_risk_capacity", detail: capacity.binding };

  return {
    kind: "quote",
    fairProbability: fair.fairProbability,
    tiers,
    legs: fair.legs.map((l) => ({
      lineId: l.leg.lineId,
      fairProbability: l.fair.fairProbability,
      estimatedOdds: probabilityToAmericanFloor(l.fair.fairProbability),
    })),
    inputs: {
      nowMs: input.nowMs,
      devigMethod: config.devigMethod,
      legs: fair.legs.map((l) => ({
        lineId: l.leg.lineId,
        eventId: l.info.eventId,
        sport: l.event.sport,
        marketId: l.info.marketId,
        outcomeId: l.info.outcomeId,
        line: l.info.line ?? null,
        bestOdds: l.fair.bestOdds,
        oppositeBestOdds: l.fair.oppositeBestOdds,
        overround: l.fair.overround,
        fairProbability: l.fair.fairProbability,
        bookAgeMs: l.fair.bookAgeMs,
      })),
      games: fair.games.map((g) => g.record),
      marginBps: bps,
      riskCapacityCents: capacity.capacityCents,
    },
  };
}
