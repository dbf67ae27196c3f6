// The one seam between the engine and the pricing/risk library (issue 5). The engine only calls
// `pricer.quoteParlay` / `pricer.checkConfirmation`; swapping in `lib/pricing` + `lib/risk` is a
// change to this file only. Until then a simple, conservative default is used: per-leg fair
// probability from the two-sided book (proportional de-vig), product over legs, margin per tier.
import { americanToDecimal, americanToProbability, probabilityToAmericanFloor } from "../../../lib/odds/american.ts";

export type PricerLeg = {
  lineId: string;
  eventId: number;
  marketId: number;
  marketType: string;
  eventStatus: string;
  eventStartMs: number;
  /** Best odds a taker gets on this line / on the other side of the same block (undefined = none). */
  bestOdds: number | undefined;
  oppositeBestOdds: number | undefined;
  bookAgeMs: number | undefined;
};
export type TierSetting = { marginBps: number; maxRiskCents: number };
export type PricerSettings = { tiers: TierSetting[]; maxLegs: number; bookStaleMs: number; minConfirmEdgeBps: number; maxRiskPerParlayCents: number; maxTotalExposureCents: number; maxEventExposureCents: number };

export type QuoteInput = { parlayId: string; stakeCents: number; legs: PricerLeg[]; settings: PricerSettings; nowMs: number };
export type QuoteResult =
  | { kind: "quote"; fairProbability: number; tiers: { odds: number; maxRiskCents: number; marginBps: number }[]; legs: { lineId: string; fairProbability: number; estimatedOdds: number }[]; inputs: Record<string, unknown> }
  | { kind: "decline"; reason: string };

export type Exposure = { totalCents: number; byEventCents: Map<number, number> };
export type ConfirmInput = {
  requote: QuoteResult;
  requestedOdds: number;
  stakeCents: number;
  /** What we lose if the parlay wins at the requested odds. */
  riskCents: number;
  /** Current exposure incl. accepted orders and confirmations in flight (excluding this one). */
  exposure: Exposure;
  eventIds: number[];
  settings: PricerSettings;
};
export type ConfirmResult = { accept: true; priceProbability: { maxRiskCents: number; lines: { lineId: string; probability: number }[] }[] } | { accept: false; reason: string };

export interface ParlayPricer {
  quoteParlay(input: QuoteInput): QuoteResult;
  checkConfirmation(input: ConfirmInput): ConfirmResult;
}

/** What the bettor wins per unit staked at American odds, i.e. our loss per unit if the parlay wins. */
export const riskCentsFor = (stakeCents: number, bettorOdds: number): number => Math.ceil(stakeCents * (americanToDecimal(bettorOdds) - 1));

const legFair = (l: PricerLeg): number | undefined => {
  if (l.bestOdds === undefined) return undefined;
  const p = americanToProbability(l.bestOdds);
  if (l.oppositeBestOdds === undefined) return Math.min(0.99, p);
  const q = americanToProbability(l.oppositeBestOdds);
  return p / (p + q);
};

export const defaultPricer: ParlayPricer = {
  quoteParlay({ legs, settings, nowMs }) {
    if (legs.length < 2) return { kind: "decline", reason: "fewer than 2 legs" };
    if (legs.length > settings.maxLegs) return { kind: "decline", reason: `more than ${settings.maxLegs} legs` };
    const events = new Set(legs.map((l) => l.eventId));
    if (events.size !== legs.length) return { kind: "decline", reason: "two legs on one event (correlated)" };
    const out: { lineId: string; fairProbability: number; estimatedOdds: number }[] = [];
    let fair = 1;
    for (const l of legs) {
      if (l.eventStatus !== "not_started" || l.eventStartMs <= nowMs) return { kind: "decline", reason: `event ${l.eventId} started` };
      if (l.bookAgeMs === undefined || l.bookAgeMs > settings.bookStaleMs) return { kind: "decline", reason: `stale or missing book for ${l.lineId}` };
      const p = legFair(l);
      if (p === undefined || !(p > 0 && p < 1)) return { kind: "decline", reason: `no price for ${l.lineId}` };
      fair *= p;
      out.push({ lineId: l.lineId, fairProbability: p, estimatedOdds: probabilityToAmericanFloor(p) });
    }
    if (!(fair > 1e-6)) return { kind: "decline", reason: "fair probability too small" };
    const tiers = settings.tiers
      .map((t) => {
        const offered = Math.min(0.99, fair * (1 + t.marginBps / 10_000));
        return { odds: probabilityToAmericanFloor(offered), maxRiskCents: Math.min(t.maxRiskCents, settings.maxRiskPerParlayCents), marginBps: t.marginBps };
      })
      .filter((t) => t.maxRiskCents > 0);
    if (tiers.length === 0) return { kind: "decline", reason: "no tier within limits" };
    return { kind: "quote", fairProbability: fair, tiers, legs: out, inputs: { legs: legs.map((l) => ({ lineId: l.lineId, best: l.bestOdds, opp: l.oppositeBestOdds })) } };
  },

  checkConfirmation({ requote, requestedOdds, riskCents, exposure, eventIds, settings }) {
    if (requote.kind !== "quote") return { accept: false, reason: `re-price declined: ${requote.reason}` };
    const offeredProb = 1 / americanToDecimal(requestedOdds);
    const edgeBps = (offeredProb / requote.fairProbability - 1) * 10_000;
    if (edgeBps < settings.minConfirmEdgeBps) return { accept: false, reason: `price moved (edge ${edgeBps.toFixed(0)} bps)` };
    if (riskCents > settings.maxRiskPerParlayCents) return { accept: false, reason: `risk ${riskCents} > per-parlay cap ${settings.maxRiskPerParlayCents}` };
    if (exposure.totalCents + riskCents > settings.maxTotalExposureCents) return { accept: false, reason: "total exposure limit" };
    for (const e of eventIds) if ((exposure.byEventCents.get(e) ?? 0) + riskCents > settings.maxEventExposureCents) return { accept: false, reason: `event ${e} exposure limit` };
    return { accept: true, priceProbability: [{ maxRiskCents: riskCents, lines: requote.legs.map((l) => ({ lineId: l.lineId, probability: l.fairProbability })) }] };
  },
};

export const pricer: ParlayPricer = defaultPricer;
