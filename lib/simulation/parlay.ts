// Pure parts of the parlay RFQ market: how rival service providers quote, how bettors judge offers,
// how one confirmed stake is split across price tiers and providers, and how orders settle.
//
// Units: stakes and risks in integer cents; odds American integers (parlay odds need not be on the
// ladder). `max_risk` is the provider's liability on a tier, so a tier at odds o takes a bettor
// stake up to max_risk / (decimal(o) − 1) (protocol-decisions.md, Units).

import { americanToDecimal, probabilityToAmericanFloor } from "../odds/american";
import { profitCentsAtAmerican } from "../money/cents";
import type { LegResult } from "./outcomes";
import type { Rng } from "./rng";

export interface RivalProfile {
  readonly id: string;
  /** Margin added per leg on the probability scale (multiplicative). */
  readonly vigPerLeg: number;
  /** Pricing error: sd of a log-scale multiplier on the fair probability. */
  readonly noiseSd: number;
  /** Prices same-game legs as if independent (mispricing correlated parlays). */
  readonly ignoresCorrelation: boolean;
  readonly quoteProbability: number;
  readonly acceptProbability: number;
  readonly minRiskCents: number;
  readonly maxRiskCents: number;
  /** Delay before answering a confirmation (ms). */
  readonly confirmDelayMs: readonly [number, number];
}

export const DEFAULT_RIVALS: readonly RivalProfile[] = [
  { id: "rival-1", vigPerLeg: 0.035, noiseSd: 0.06, ignoresCorrelation: false, quoteProbability: 0.85, acceptProbability: 0.97, minRiskCents: 20_000, maxRiskCents: 200_000, confirmDelayMs: [20, 300] },
  { id: "rival-2", vigPerLeg: 0.05, noiseSd: 0.12, ignoresCorrelation: true, quoteProbability: 0.75, acceptProbability: 0.92, minRiskCents: 10_000, maxRiskCents: 100_000, confirmDelayMs: [50, 800] },
  { id: "rival-3", vigPerLeg: 0.07, noiseSd: 0.2, ignoresCorrelation: true, quoteProbability: 0.6, acceptProbability: 0.9, minRiskCents: 5_000, maxRiskCents: 50_000, confirmDelayMs: [100, 1500] },
];

export interface QuoteTier {
  readonly odds: number;
  readonly maxRiskCents: number;
}

const clampProbability = (p: number): number => Math.min(0.97, Math.max(0.0005, p));

/** A rival's tiers for a parlay, or null when it does not quote. */
export const rivalQuote = (
  profile: RivalProfile,
  legCount: number,
  jointProbability: number,
  independentProbability: number,
  rng: Rng,
): QuoteTier[] | null => {
  if (!rng.chance(profile.quoteProbability)) return null;
  const base = profile.ignoresCorrelation ? independentProbability : jointProbability;
  const fair = clampProbability(base * Math.exp(rng.normal(0, profile.noiseSd)));
  const offered = clampProbability(fair * (1 + profile.vigPerLeg * legCount));
  const risk = Math.round(rng.float(profile.minRiskCents, profile.maxRiskCents) / 100) * 100;
  const tiers: QuoteTier[] = [{ odds: probabilityToAmericanFloor(offered), maxRiskCents: risk }];
  if (rng.chance(0.5)) {
    const worse = clampProbability(offered * 1.06);
    const odds = probabilityToAmericanFloor(worse);
    if (odds !== tiers[0]!.odds) tiers.push({ odds, maxRiskCents: risk * 3 });
  }
  return tiers;
};

export interface BettorProfile {
  readonly id: string;
  readonly sharp: boolean;
}

export interface BettorView {
  /** The bettor's own probability estimate of the parlay. */
  readonly perceived: number;
  /** Lowest decimal odds the bettor will take (Infinity = walks away). */
  readonly minDecimal: number;
}

/**
 * Sharp bettors know the truth closely and only take offers with a positive edge for them;
 * recreational bettors have a rough view, accept a large margin and sometimes walk away.
 */
export const bettorView = (bettor: BettorProfile, jointProbability: number, rng: Rng): BettorView => {
  if (bettor.sharp) {
    const perceived = clampProbability(jointProbability * Math.exp(rng.normal(0, 0.03)));
    return { perceived, minDecimal: 1.01 / perceived };
  }
  const perceived = clampProbability(jointProbability * Math.exp(rng.normal(0, 0.3)));
  if (rng.chance(0.1)) return { perceived, minDecimal: Number.POSITIVE_INFINITY };
  return { perceived, minDecimal: 0.7 / perceived };
};

export interface OfferTier {
  readonly spId: string;
  /** Position of the tier in the provider's offer list. */
  readonly tierIndex: number;
  readonly odds: number;
  readonly maxRiskCents: number;
  /** Arrival order; earlier wins ties. */
  readonly seq: number;
}

export interface Allocation {
  readonly tier: OfferTier;
  readonly stakeCents: number;
}

/** Bettor stake a tier can absorb: max_risk / (decimal − 1), floored to cents. */
export const tierCapacityCents = (odds: number, maxRiskCents: number): number => {
  const per = americanToDecimal(odds) - 1;
  if (!(per > 0)) return 0;
  let cap = Math.floor(maxRiskCents / per);
  // Floating error must never let the provider's liability exceed its max_risk.
  while (cap > 0 && profitCentsAtAmerican(cap, odds) > maxRiskCents) cap--;
  return cap;
};

/**
 * Fill `stakeCents` from the best-paying tiers first (ties: earliest offer), across tiers and
 * providers, using only tiers paying at least `minDecimal`. What is left unfilled is refunded.
 */
export const allocateParlayStake = (tiers: readonly OfferTier[], stakeCents: number, minDecimal: number): Allocation[] => {
  const sorted = tiers
    .filter((t) => americanToDecimal(t.odds) >= minDecimal - 1e-12 && t.maxRiskCents > 0)
    .sort((a, b) => americanToDecimal(b.odds) - americanToDecimal(a.odds) || a.seq - b.seq);
  const out: Allocation[] = [];
  let remaining = Math.floor(stakeCents);
  for (const tier of sorted) {
    if (remaining <= 0) break;
    const take = Math.min(remaining, tierCapacityCents(tier.odds, tier.maxRiskCents));
    if (take <= 0) continue;
    out.push({ tier, stakeCents: take });
    remaining -= take;
  }
  return out;
};

export type ParlayOutcome = "won" | "lost" | "push" | "pending";

/**
 * The bettor's parlay outcome from its legs: lost as soon as any leg loses, won when all legs are
 * decided and at least one won (push legs drop out), push when every leg pushed.
 */
export const parlayOutcome = (legs: ReadonlyArray<LegResult | "pending">): ParlayOutcome => {
  if (legs.some((l) => l === "lost")) return "lost";
  if (legs.some((l) => l === "pending")) return "pending";
  if (legs.every((l) => l === "push")) return "push";
  return "won";
};

/** The provider's liability for a bettor stake at the bettor's odds (cents). */
export const providerLiabilityCents = (stakeCents: number, odds: number): number => profitCentsAtAmerican(stakeCents, odds);

/** Provider P&L in cents for a settled parlay outcome (bettor perspective in, provider out). */
export const providerProfitCents = (outcome: Exclude<ParlayOutcome, "pending">, stakeCents: number, liabilityCents: number): number =>
  outcome === "won" ? -liabilityCents : outcome === "lost" ? stakeCents : 0;

/** Settlement status reported to the provider, from its own side ("won" = the bettor lost). */
export const providerSettlementStatus = (outcome: Exclude<ParlayOutcome, "pending">): "won" | "lost" | "push" =>
  outcome === "won" ? "lost" : outcome === "lost" ? "won" : "push";
