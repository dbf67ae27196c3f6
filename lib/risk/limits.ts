// Risk limits and the capacity (largest extra liability) a new parlay may take under all of them.

import type { Cents } from "../money/cents.ts";
import type { ExposureLeg, ExposureSnapshot } from "./exposure.ts";

export interface RiskLimits {
  /** Trading switch: when true, decline every RFQ and reject every confirmation. */
  paused: boolean;
  maxLegs: number;
  /** Largest liability of one parlay order (all tiers of one offer together). */
  maxRiskPerParlayCents: Cents;
  maxLineExposureCents: Cents;
  maxEventExposureCents: Cents;
  maxTeamExposureCents: Cents;
  maxCreatorExposureCents: Cents;
  /** Limit on the portfolio worst case (every open order winning). */
  maxWorstCaseLossCents: Cents;
  /** Keep at least this much of the exchange balance free. */
  minFreeBalanceCents: Cents;
  blockedCreators: readonly string[];
  /** Decline RFQs without a creator_id (cannot apply per-counterparty caps). */
  requireCreatorId: boolean;
}

export interface BalanceSnapshot {
  /**
   * Free balance reported by the exchange. Accepted orders' liability is assumed already locked by the
   * exchange (not free); in-flight reservations are not, so they are subtracted here.
   */
  availableCents: Cents;
}

export type CapBinding =
  | "per_parlay"
  | "line"
  | "event"
  | "team"
  | "creator"
  | "worst_case"
  | "balance"
  | "blocked_creator"
  | "missing_creator"
  | "paused"
  | "too_many_legs";

export interface Capacity {
  capacityCents: Cents;
  /** Which limit gives the smallest headroom (for logs and declines). */
  binding: CapBinding;
}

export interface CapacityRequest {
  legs: readonly ExposureLeg[];
  creatorId?: string;
  exposure: ExposureSnapshot;
  limits: RiskLimits;
  balance: BalanceSnapshot;
}

/** Largest liability (cents, ≥ 0) a new parlay with these legs can add without breaking any limit. */
export function riskCapacity(req: CapacityRequest): Capacity {
  const { limits, exposure } = req;
  if (limits.paused) return { capacityCents: 0, binding: "paused" };
  if (req.legs.length > limits.maxLegs) return { capacityCents: 0, binding: "too_many_legs" };
  if (req.creatorId !== undefined && limits.blockedCreators.includes(req.creatorId)) return { capacityCents: 0, binding: "blocked_creator" };
  if (req.creatorId === undefined && limits.requireCreatorId) return { capacityCents: 0, binding: "missing_creator" };
  let cap = limits.maxRiskPerParlayCents;
  let binding: CapBinding = "per_parlay";
  const consider = (headroom: Cents, why: CapBinding): void => {
    if (headroom < cap) {
      cap = headroom;
      binding = why;
    }
  };
  for (const id of new Set(req.legs.map((l) => l.lineId))) consider(limits.maxLineExposureCents - (exposure.byLine.get(id) ?? 0), "line");
  for (const id of new Set(req.legs.map((l) => l.eventId))) consider(limits.maxEventExposureCents - (exposure.byEvent.get(id) ?? 0), "event");
  for (const id of new Set(req.legs.flatMap((l) => (l.teamId ? [l.teamId] : [])))) {
    consider(limits.maxTeamExposureCents - (exposure.byTeam.get(id) ?? 0), "team");
  }
  if (req.creatorId !== undefined) consider(limits.maxCreatorExposureCents - (exposure.byCreator.get(req.creatorId) ?? 0), "creator");
  consider(limits.maxWorstCaseLossCents - exposure.worstCaseCents, "worst_case");
  consider(req.balance.availableCents - exposure.inFlightCents - limits.minFreeBalanceCents, "balance");
  return { capacityCents: Math.max(0, Math.floor(cap)), binding };
}

export interface TierRequest {
  odds: number;
  /** Configured max risk of this tier before capping. */
  maxRiskCents: Cents;
}

/**
 * Cap the tiers (best price first) so that their total max risk fits in `capacityCents` and, when
 * `neededRiskCents` is given, does not exceed what the requested stake needs. Tiers that end below
 * `minTierRiskCents` are dropped. Returns the tiers to offer (possibly none).
 */
export function capTierRisk(
  tiers: readonly TierRequest[],
  capacityCents: Cents,
  minTierRiskCents: Cents,
  neededRiskCents?: (odds: number) => Cents,
): TierRequest[] {
  const out: TierRequest[] = [];
  let used = 0;
  let coveredFraction = 0; // share of the requested stake already covered by earlier tiers
  for (const t of tiers) {
    let risk = Math.min(t.maxRiskCents, capacityCents - used);
    if (neededRiskCents) {
      const need = Math.ceil(neededRiskCents(t.odds) * (1 - coveredFraction));
      risk = Math.min(risk, need);
    }
    risk = Math.floor(risk);
    if (risk < minTierRiskCents || risk <= 0) {
      if (capacityCents - used < minTierRiskCents) break;
      continue;
    }
    out.push({ odds: t.odds, maxRiskCents: risk });
    used += risk;
    if (neededRiskCents) {
      const need = neededRiskCents(t.odds);
      coveredFraction = need > 0 ? Math.min(1, coveredFraction + risk / need) : 1;
      if (coveredFraction >= 1 - 1e-9) break;
    }
  }
  return out;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = {
  paused: false,
  maxLegs: 8,
  maxRiskPerParlayCents: 500_000,
  maxLineExposureCents: 2_000_000,
  maxEventExposureCents: 3_000_000,
  maxTeamExposureCents: 2_000_000,
  maxCreatorExposureCents: 1_000_000,
  maxWorstCaseLossCents: 20_000_000,
  minFreeBalanceCents: 100_000,
  blockedCreators: [],
  requireCreatorId: false,
};
