// Domain types of the parlay pricer. Everything here is plain data: the engine builds a `MarketView`
// from its in-memory book, calls `quoteParlay`, and persists `QuoteDecision.inputs` for audit.
// Money is integer cents; odds are American integers; time is epoch milliseconds passed in (`nowMs`).

import type { Cents } from "../money/cents.ts";
import type { LegFairMemo } from "./leg.ts";

export type Sport = "basketball" | "american_football" | "baseball" | "ice_hockey" | "soccer";

/** How the final score decides a leg. */
export type MarketKind = "winner" | "handicap" | "total";

/** One leg of an RFQ, as received in `price.ask.new.market_lines[]` (ids kept as strings). */
export interface ParlayLeg {
  lineId: string;
  marketId: number;
  outcomeId: number;
  sportEventId: string;
  /** Handicap for that side (handicap markets) or the total (total markets). */
  line?: number;
}

/** One price level a bettor can back on the exchange: American odds and the stake available there. */
export interface PriceLevel {
  odds: number;
  stakeCents: Cents;
}

/** The exchange book of one line (one outcome at one line value). */
export interface LineBook {
  lineId: string;
  /** Offers a bettor can take to back this outcome, best (longest odds) first. */
  backOffers: readonly PriceLevel[];
  /** When this line's book last changed or was confirmed current (epoch ms). */
  updatedAtMs: number;
}

/** Static description of a line: which event, market, outcome and line value it is. */
export interface LineInfo {
  lineId: string;
  eventId: string;
  marketId: number;
  outcomeId: number;
  line?: number;
}

export type EventStatus = "not_started" | "live" | "suspended" | "ended" | "cancelled";

export interface EventInfo {
  eventId: string;
  sport: Sport;
  status: EventStatus;
  startsAtMs: number;
  homeTeamId?: string;
  awayTeamId?: string;
}

/**
 * Read-only view of everything the engine knows. `eventLines` must return every line of the event
 * that the engine tracks (all markets and line values): the joint model is fitted to them.
 */
export interface MarketView {
  event(eventId: string): EventInfo | undefined;
  line(lineId: string): LineInfo | undefined;
  book(lineId: string): LineBook | undefined;
  eventLines(eventId: string): readonly LineInfo[];
  /** Optional cache of leg prices (see legFairProbability); results are the same with or without. */
  legFairMemo?: LegFairMemo;
}

export type DevigMethod = "multiplicative" | "power" | "shin" | "additive" | "mid";

/** Per-sport parameters of the same-game model. */
export interface SportModelParams {
  /** Normal model (basketball, american_football): sd of the home-minus-away margin. */
  marginSd: number;
  /** Normal model: sd of the total points. */
  totalSd: number;
  /** Normal model: correlation between margin and total. */
  marginTotalCorrelation: number;
  /** Poisson model (baseball, ice_hockey, soccer): largest score per side on the grid. */
  maxScore: number;
  /** Poisson model: Dixon–Coles rho (soccer-style low-score correction; 0 = independent Poisson). */
  dixonColesRho: number;
}

export interface MarginConfig {
  /** Margin on every parlay, in basis points of probability (offered p = fair p × (1 + m)). */
  baseBps: number;
  /** Added per leg; overridable per sport and per market id. */
  perLegBps: number;
  perLegBpsBySport?: Partial<Record<Sport, number>>;
  perLegBpsByMarket?: Readonly<Record<number, number>>;
  /** Added for each same-game leg beyond the first of its game (model risk of the joint model). */
  sameGameExtraLegBps: number;
  /** Multiplier on the summed relative half-spread of the legs (book uncertainty), × 10 000 bps. */
  uncertaintyMultiplier: number;
  /** Extra bps for each further tier (tier i gets i × tierStepBps on top). */
  tierStepBps: number;
}

export interface PricingConfig {
  devigMethod: DevigMethod;
  /** A leg whose book is older than this is stale → decline. */
  staleAfterMs: number;
  /** Decline if the leg's market overround (sum of implied − 1) exceeds this. */
  maxOverround: number;
  /** Decline if the market is crossed by more than this (sum of implied < 1 − x). */
  maxUnderround: number;
  /** Best offer on each side needs at least this much stake to count as a price. */
  minBestStakeCents: Cents;
  /** Decline legs whose fair probability is outside [minLegProbability, 1 − minLegProbability]. */
  minLegProbability: number;
  /** Decline parlays whose fair probability is below this (huge odds). */
  minParlayProbability: number;
  maxLegs: number;
  minLegs: number;
  /** Decline if the event starts within this many ms (or has started). */
  minTimeToStartMs: number;
  /** Allow two legs of one game in the same market (e.g. two totals); priced jointly when allowed. */
  allowSameMarketTwice: boolean;
  /** Allow moneyline + handicap of one game (priced jointly by the model). */
  allowWinnerWithHandicap: boolean;
  margin: MarginConfig;
  /** Max risk (our liability, cents) of each tier before risk capping; tier 0 is the best price. */
  tierMaxRiskCents: readonly Cents[];
  /**
   * Tiers are sized to cover at most stakeHeadroom × the RFQ stake (the bettor may confirm a little
   * more than asked); the rest of the configured size is not offered, so it is not reserved.
   */
  stakeHeadroom: number;
  /** Tiers whose capped max risk falls below this are dropped. */
  minTierRiskCents: Cents;
  sportModel: Record<Sport, SportModelParams>;
}

export interface LegQuote {
  lineId: string;
  /** De-vigged probability of the leg from its own market. */
  fairProbability: number;
  /** `fairProbability` as American odds (the `estimated_price` of the offer). */
  estimatedOdds: number;
}

export interface QuoteTier {
  odds: number;
  maxRiskCents: Cents;
}

/** What went into the price; persist it with the offer (JSON-serialisable). */
export interface QuoteInputsRecord {
  nowMs: number;
  devigMethod: DevigMethod;
  legs: Array<{
    lineId: string;
    eventId: string;
    sport: Sport;
    marketId: number;
    outcomeId: number;
    line: number | null;
    bestOdds: number;
    oppositeBestOdds: number[];
    overround: number;
    fairProbability: number;
    bookAgeMs: number;
  }>;
  games: Array<{
    eventId: string;
    sport: Sport;
    model: "normal" | "poisson";
    params: Record<string, number>;
    legIds: string[];
    independentProbability: number;
    modelJointProbability: number;
    modelIndependentProbability: number;
    jointProbability: number;
  }>;
  marginBps: number;
  riskCapacityCents: Cents;
}

export type DeclineReason =
  | "too_few_legs"
  | "too_many_legs"
  | "duplicate_leg"
  | "unknown_line"
  | "line_mismatch"
  | "unknown_event"
  | "unsupported_market"
  | "event_started"
  | "event_not_open"
  | "no_book"
  | "stale_book"
  | "book_too_wide"
  | "book_crossed"
  | "leg_probability_out_of_range"
  | "opposite_sides"
  | "same_market_twice"
  | "winner_with_handicap"
  | "contradictory_legs"
  | "model_fit_failed"
  | "unsupported_line"
  | "parlay_probability_too_low"
  | "blocked_creator"
  | "no_risk_capacity"
  | "internal_error";

export type QuoteDecision =
  | {
      kind: "quote";
      fairProbability: number;
      tiers: QuoteTier[];
      legs: LegQuote[];
      inputs: QuoteInputsRecord;
    }
  | { kind: "decline"; reason: DeclineReason; detail?: string };
