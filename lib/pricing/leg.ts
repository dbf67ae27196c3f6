// Fair probability of one line from its market's live exchange book: take the best back price on every
// outcome of the market (this line and its opposite(s)), refuse missing/stale/too-wide/crossed books,
// and de-vig with the configured method.

import { americanToDecimal } from "../odds/american.ts";
import { devig } from "./devig.ts";
import { isOppositeOf, marketSpec } from "./markets.ts";
import type { DeclineReason, LineBook, LineInfo, MarketView, PriceLevel, PricingConfig } from "./types.ts";

export interface LegFair {
  lineId: string;
  fairProbability: number;
  /** Best back odds on this line and on each opposite line (same order as `oppositeLineIds`). */
  bestOdds: number;
  oppositeBestOdds: number[];
  oppositeLineIds: string[];
  overround: number;
  /** Half the overround relative to the fair probability: the leg's price uncertainty. */
  relativeHalfSpread: number;
  bookAgeMs: number;
}

export type LegFairResult = { ok: true; leg: LegFair } | { ok: false; reason: DeclineReason; detail?: string };

type BestResult = { ok: true; odds: number; updatedAtMs: number } | { ok: false; reason: DeclineReason; detail?: string };

function bestPrice(book: LineBook | undefined, lineId: string, config: PricingConfig, nowMs: number): BestResult {
  if (!book) return { ok: false, reason: "no_book", detail: lineId };
  if (nowMs - book.updatedAtMs > config.staleAfterMs) return { ok: false, reason: "stale_book", detail: lineId };
  let best: number | undefined;
  let bestDecimal = 0;
  for (const level of book.backOffers) {
    if (level.stakeCents < config.minBestStakeCents) continue;
    const d = americanToDecimal(level.odds);
    if (d > bestDecimal) {
      bestDecimal = d;
      best = level.odds;
    }
  }
  if (best === undefined) return { ok: false, reason: "no_book", detail: lineId };
  return { ok: true, odds: best, updatedAtMs: book.updatedAtMs };
}

/** The lines that, together with `line`, make up its market (all outcomes at the matching line value). */
export function oppositeLines(line: LineInfo, view: MarketView): LineInfo[] {
  return view.eventLines(line.eventId).filter((o) => isOppositeOf(line, o));
}

/**
 * Fair probability of one line. With a `legFairMemo` on the view, an answer is reused while the line,
 * its event's line list, every book of its market (offers array and update time) and the config are
 * the same objects as when it was computed; the result is identical to computing it again.
 */
export function legFairProbability(line: LineInfo, view: MarketView, config: PricingConfig, nowMs: number): LegFairResult {
  return view.legFairMemo ? view.legFairMemo.fair(line, view, config, nowMs) : computeLegFair(line, view, config, nowMs);
}

type MemoEntry = {
  line: LineInfo;
  config: PricingConfig;
  eventLines: readonly LineInfo[];
  /** This line's and each opposite line's book at the time: offers array and update time. */
  books: { lineId: string; offers: readonly PriceLevel[]; updatedAtMs: number }[];
  leg: LegFair;
  oldestMs: number;
};

/** Cache of successful leg prices by line id (bounded; see legFairProbability). */
export class LegFairMemo {
  private readonly byLine = new Map<string, MemoEntry>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 20_000) {}

  fair(line: LineInfo, view: MarketView, config: PricingConfig, nowMs: number): LegFairResult {
    const e = this.byLine.get(line.lineId);
    // Every book fresh now (the only time-dependent check): the rest of the computation is unchanged.
    if (e && e.line === line && e.config === config && e.eventLines === view.eventLines(line.eventId) && nowMs - e.oldestMs <= config.staleAfterMs && this.sameBooks(e, view)) {
      this.hits++;
      return { ok: true, leg: { ...e.leg, bookAgeMs: nowMs - e.oldestMs } };
    }
    this.misses++;
    const r = computeLegFair(line, view, config, nowMs);
    if (r.ok) {
      const books: MemoEntry["books"] = [];
      for (const id of [line.lineId, ...r.leg.oppositeLineIds]) {
        const b = view.book(id)!;
        books.push({ lineId: id, offers: b.backOffers, updatedAtMs: b.updatedAtMs });
      }
      if (this.byLine.size >= this.maxEntries) this.byLine.clear();
      this.byLine.set(line.lineId, { line, config, eventLines: view.eventLines(line.eventId), books, leg: r.leg, oldestMs: nowMs - r.leg.bookAgeMs });
    } else this.byLine.delete(line.lineId);
    return r;
  }

  private sameBooks(e: MemoEntry, view: MarketView): boolean {
    for (const b of e.books) {
      const now = view.book(b.lineId);
      if (!now || now.backOffers !== b.offers || now.updatedAtMs !== b.updatedAtMs) return false;
    }
    return true;
  }
}

function computeLegFair(line: LineInfo, view: MarketView, config: PricingConfig, nowMs: number): LegFairResult {
  const spec = marketSpec(line.marketId);
  if (!spec) return { ok: false, reason: "unsupported_market", detail: String(line.marketId) };
  const opposite = oppositeLines(line, view);
  if (opposite.length !== spec.outcomes.length - 1) return { ok: false, reason: "no_book", detail: `market of ${line.lineId} incomplete` };
  // Keep the market's outcome order so 3-way de-vig sees a consistent vector.
  opposite.sort((a, b) => spec.outcomes.indexOf(a.outcomeId) - spec.outcomes.indexOf(b.outcomeId));
  const own = bestPrice(view.book(line.lineId), line.lineId, config, nowMs);
  if (!own.ok) return own;
  const others: number[] = [];
  let oldest = own.updatedAtMs;
  for (const o of opposite) {
    const b = bestPrice(view.book(o.lineId), o.lineId, config, nowMs);
    if (!b.ok) return b;
    others.push(b.odds);
    oldest = Math.min(oldest, b.updatedAtMs);
  }
  const decimals = [americanToDecimal(own.odds), ...others.map(americanToDecimal)];
  const result = devig(decimals, config.devigMethod);
  if (result.overround > config.maxOverround) return { ok: false, reason: "book_too_wide", detail: line.lineId };
  if (result.overround < -config.maxUnderround) return { ok: false, reason: "book_crossed", detail: line.lineId };
  const p = result.probabilities[0]!;
  if (!(p >= config.minLegProbability && p <= 1 - config.minLegProbability)) {
    return { ok: false, reason: "leg_probability_out_of_range", detail: line.lineId };
  }
  return {
    ok: true,
    leg: {
      lineId: line.lineId,
      fairProbability: p,
      bestOdds: own.odds,
      oppositeBestOdds: others,
      oppositeLineIds: opposite.map((o) => o.lineId),
      overround: result.overround,
      relativeHalfSpread: Math.max(0, result.overround) / 2 / p,
      bookAgeMs: nowMs - oldest,
    },
  };
}
