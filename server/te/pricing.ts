// Pricing a pricing struct end to end (pure apart from the in-memory caches): resolve, price with the
// exact k-of-n engine, describe, and derive the bet_id from the canonical struct and price version.

import { createHash } from "node:crypto";
import { priceAcca } from "../../lib/exotics/acca.ts";
import { describeBet, describeLeg } from "../../lib/exotics/describe.ts";
import type { MarginSettings } from "../../lib/exotics/margin.ts";
import type { LegMarket, LegSpec } from "../../lib/exotics/legs.ts";
import { CATALOG_VERSION, matchModelFor } from "./catalog.ts";
import { resolveBet, type CanonicalBet } from "./bet-struct.ts";
import { canonicalJson } from "../../lib/operator/betslip.ts";

/** Bump when the model changes in a way that changes prices. */
export const MODEL_VERSION = "dc-grid-1";

export interface WireLeg {
  league: string;
  event: string;
  market: LegMarket;
  selection: string;
  description: string;
  probability: number;
  kickoff: string;
}

/** What is stored per leg in TeBet.legsJson (enough to settle without the struct). */
export interface StoredLeg extends WireLeg {
  match_id: string;
  spec: LegSpec;
}

export interface PricedBet {
  canonical: CanonicalBet;
  canonicalJson: string;
  description: string;
  fairProbability: number;
  price: string;
  margin: number;
  legs: StoredLeg[];
  /** Numbers of winning legs that pay. */
  winningCounts: number[];
  /** Earliest kickoff among the legs: the quote cannot outlive it. */
  firstKickoffMs: number;
  /** Serialised fixed part of the price response (filled in lazily by the service). */
  wireTail?: string;
  /** The service's quote-cache key per "operator\nprice version" (built once, not per request). */
  quoteKeys?: Map<string, string>;
}

export type PriceOutcome = { ok: true; value: PricedBet } | { ok: false; error: string };

/** Deterministic JSON (sorted keys) so equal structs give equal strings (shared with the operator API). */
export { canonicalJson };

export const marginKey = (m: MarginSettings): string => `${m.baseMargin}/${m.perLegMargin}/${m.minPrice}/${m.maxPrice}`;

/** Everything besides the struct that the price depends on. */
export const priceVersion = (m: MarginSettings): string => `${MODEL_VERSION}|${CATALOG_VERSION}|${marginKey(m)}`;

/**
 * bet_id = "te_" + 24 hex of sha256(operator, canonical struct, price version, seq). Any change to
 * the struct or to the price inputs gives a new id; `seq` moves on when an id has already been
 * placed, so each placement gets an id of its own.
 */
export function betIdFor(operatorId: string, canonical: string, version: string, seq = 0): string {
  const h = createHash("sha256").update(`${operatorId}\n${canonical}\n${version}\n${seq}`).digest("hex");
  return `te_${h.slice(0, 24)}`;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface CachedPrice {
  fairProbability: number;
  price: string;
  margin: number;
  marginals: number[];
  winningCounts: number[];
  error?: string;
}

const priceCache = new Map<string, CachedPrice>();
const PRICE_CACHE_MAX = 20_000;

export function priceBetStruct(body: unknown, nowMs: number, margin: MarginSettings): PriceOutcome {
  const r = resolveBet(body, nowMs);
  if (!r.ok) return r;
  const { legs, conditions, canonical } = r.value;
  const json = canonicalJson(canonical);
  // The price depends only on the canonical struct and the price inputs (kickoff checks ran above).
  const cacheKey = `${json}|${marginKey(margin)}`;
  let c = priceCache.get(cacheKey);
  if (!c) {
    const q = priceAcca(
      legs.map((l) => ({ matchKey: l.match.id, model: matchModelFor(l.match), leg: l.leg })),
      conditions,
      margin,
    );
    c = q.ok
      ? { fairProbability: q.value.fairProbability, price: q.value.price, margin: q.value.margin, marginals: q.value.marginals, winningCounts: q.value.winning.counts }
      : { fairProbability: 0, price: "", margin: 0, marginals: [], winningCounts: [], error: q.error };
    if (priceCache.size >= PRICE_CACHE_MAX) priceCache.delete(priceCache.keys().next().value!);
    priceCache.set(cacheKey, c);
  }
  if (c.error) return { ok: false, error: c.error };
  const described = legs.map((l) => ({ home: l.match.home, away: l.match.away, leg: l.leg }));
  const description = describeBet(described, { counts: c.winningCounts, min: c.winningCounts[0]!, max: c.winningCounts[c.winningCounts.length - 1]! });
  const wireLegs: StoredLeg[] = legs.map((l, i) => ({
    league: l.match.league,
    event: l.match.name,
    market: l.market,
    selection: l.selection,
    description: describeLeg(described[i]!),
    probability: round6(c.marginals[i]!),
    kickoff: new Date(l.match.kickoffMs).toISOString(),
    match_id: l.match.id,
    spec: l.leg,
  }));
  return {
    ok: true,
    value: {
      canonical,
      canonicalJson: json,
      description,
      fairProbability: c.fairProbability,
      price: c.price,
      margin: c.margin,
      legs: wireLegs,
      winningCounts: c.winningCounts,
      firstKickoffMs: Math.min(...legs.map((l) => l.match.kickoffMs)),
    },
  };
}

// Requests repeat the same body text (a UI re-pricing a slip, operators polling): remember the
// priced result per (margin, exact body text). A hit is reused only while every match is still
// to kick off, which is the only time-dependent part of validation (see resolveBet); the season a
// name resolves in cannot change before then.
// Keyed by margin key, then by the body text itself, so a lookup hashes the text as received instead
// of building (and flattening) a longer combined key on every request.
const textCache = new Map<string, Map<string, PricedBet>>();
const TEXT_CACHE_MAX = 5_000;
const TEXT_CACHE_MAX_CHARS = 8_192;

/** `mk` is `marginKey(margin)` when the caller already has it. */
export function cachedPricedText(text: string, nowMs: number, margin: MarginSettings, mk = marginKey(margin)): PricedBet | undefined {
  const hit = textCache.get(mk)?.get(text);
  return hit && nowMs < hit.firstKickoffMs ? hit : undefined;
}

export function rememberPricedText(text: string, margin: MarginSettings, p: PricedBet, mk = marginKey(margin)): void {
  if (text.length > TEXT_CACHE_MAX_CHARS) return;
  let m = textCache.get(mk);
  if (!m) textCache.set(mk, (m = new Map()));
  if (m.size >= TEXT_CACHE_MAX) m.delete(m.keys().next().value!);
  m.set(text, p);
}

export const toWireLeg = (l: StoredLeg): WireLeg => ({
  league: l.league,
  event: l.event,
  market: l.market,
  selection: l.selection,
  description: l.description,
  probability: l.probability,
  kickoff: l.kickoff,
});
