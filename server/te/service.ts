// The TE service: operator sessions, quotes (guest mode), placement, description, settlement and
// the operator's admin view. Route handlers are thin wrappers around these methods.
//
// Hot path: POST /bets/price touches the database only when a quote is new, close to expiry, or last
// checked more than `recheckMs` ago; sessions and margin settings are cached the same way. That keeps
// a price request well under a millisecond once warm.

import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { DEFAULT_MARGIN, validateMarginSettings, type MarginSettings } from "../../lib/exotics/margin.ts";
import { checkConditions, type WinsCondition } from "../../lib/exotics/conditions.ts";
import { legWins, type MatchOutcome } from "../../lib/exotics/outcome.ts";
import { getMatchById, resultIfFinished, warmCatalog, MATCH_DURATION_MS } from "./catalog.ts";
import { betIdFor, cachedPricedText, marginKey, priceBetStruct, priceVersion, rememberPricedText, toWireLeg, type PricedBet, type StoredLeg } from "./pricing.ts";
import { parseStructText } from "./http.ts";
import { TeFailure, systemClock, type TeClock } from "./errors.ts";
import { sha256Hex } from "../seed.ts";
import { decimalText, decimalToCents, parseDecimal, payoutCents as ledgerPayoutCents } from "../../lib/ledger/decimal.ts";

export const SESSION_TTL_MS = 60 * 60 * 1000;
export const QUOTE_TTL_MS = 10 * 60 * 1000;

const money = (cents: number) => (cents / 100).toFixed(2);
/** Payout in cents of a stake at a decimal price, exact and floored to the cent (lib/ledger). */
export const payoutCents = (stakeCents: number, price: string) => Number(ledgerPayoutCents(BigInt(stakeCents), parseDecimal(price)!));
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export interface TeServiceOptions {
  db: Db;
  clock?: TeClock;
  sessionTtlMs?: number;
  quoteTtlMs?: number;
  /** How long cached sessions, quotes and margins are trusted before the database is asked again. */
  recheckMs?: number;
}

interface CachedSession {
  operatorId: string;
  expiresAtMs: number;
  checkedAtMs: number;
}

interface CachedQuote {
  betId: string;
  expiresAtMs: number;
  checkedAtMs: number;
  /** `expiresAtMs` as ISO text, filled in on first use. */
  expiresAtIso?: string;
}

interface CachedMargin {
  value: MarginSettings;
  checkedAtMs: number;
  /** marginKey(value) and priceVersion(value), computed once per settings object. */
  key: string;
  version: string;
}

const marginEntry = (value: MarginSettings, checkedAtMs: number): CachedMargin => ({ value, checkedAtMs, key: marginKey(value), version: priceVersion(value) });

export type BetStatusWire = "priced" | "pending" | "won" | "lost" | "void";

const statusToWire = (s: string): BetStatusWire => (s === "placed" ? "pending" : (s as BetStatusWire));

export interface LegResult {
  status: "won" | "lost" | "pending";
  score?: string;
  corners?: number;
  cards?: number;
}

/** Each leg's state at `nowMs` (won/lost once its match has finished). */
export function legResults(legs: StoredLeg[], nowMs: number): LegResult[] {
  const outcomes = new Map<string, MatchOutcome | null>();
  return legs.map((l) => {
    if (!outcomes.has(l.match_id)) {
      const m = getMatchById(l.match_id);
      outcomes.set(l.match_id, m ? resultIfFinished(m, nowMs) : null);
    }
    const o = outcomes.get(l.match_id);
    if (!o) return { status: "pending" };
    return { status: legWins(l.spec, o) ? "won" : "lost", score: `${o.home}-${o.away}`, corners: o.corners, cards: o.cards };
  });
}

/** Won/lost once every leg's match has finished; null while any is still to finish. */
export function settleOutcome(productJson: string, legs: StoredLeg[], nowMs: number): "won" | "lost" | null {
  const results = legResults(legs, nowMs);
  if (results.some((r) => r.status === "pending")) return null;
  const wins = results.filter((r) => r.status === "won").length;
  const conditions = (JSON.parse(productJson) as { acca_conditions: WinsCondition[] }).acca_conditions;
  const check = checkConditions(conditions, legs.length);
  if (!check.ok) throw new Error(`stored bet has invalid conditions: ${check.error}`);
  return check.value.counts.includes(wins) ? "won" : "lost";
}

/**
 * Settles every placed, unsettled bet whose matches have all finished at `now` (simulated results).
 * Safe to run concurrently: each row moves from placed to won/lost with a conditional update.
 */
export async function settleDueBets(db: Db, nowMs: number): Promise<{ checked: number; settled: number; won: number; lost: number }> {
  const rows = await db.teBet.findMany({ where: { status: "placed", settled: false }, select: { betId: true, productJson: true, legsJson: true } });
  let settled = 0;
  let won = 0;
  for (const row of rows) {
    const outcome = settleOutcome(row.productJson, JSON.parse(row.legsJson) as StoredLeg[], nowMs);
    if (!outcome) continue;
    const r = await db.teBet.updateMany({ where: { betId: row.betId, status: "placed" }, data: { status: outcome, settled: true, settledAt: new Date(nowMs) } });
    if (r.count === 1) {
      settled++;
      if (outcome === "won") won++;
    }
  }
  return { checked: rows.length, settled, won, lost: settled - won };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "P2002";

function parseAmount(value: unknown, field: string): number {
  if (value === undefined || value === null || value === "") throw new TeFailure(`${field} is required`);
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new TeFailure(`${field} must be a number (got ${JSON.stringify(value)})`);
  return n;
}

/** Stake in whole cents from a wire value (number or decimal string), exactly; refuses ≤ 0 and sub-cent amounts. */
function parseStakeCents(value: unknown): number {
  const n = parseAmount(value, "stake");
  const text = decimalText(value);
  if (text === null || !(n > 0)) throw new TeFailure(`stake must be positive (got ${n})`);
  const cents = decimalToCents(text);
  if (cents === null) throw new TeFailure(`stake must have at most 2 decimal places (got ${text})`);
  if (cents === 0n) throw new TeFailure(`stake must be positive (got ${text})`);
  if (cents > 10_000_000_000n) throw new TeFailure("stake is too large (at most 100000000.00)");
  return Number(cents);
}

export class TeService {
  readonly db: Db;
  readonly clock: TeClock;
  readonly sessionTtlMs: number;
  readonly quoteTtlMs: number;
  readonly recheckMs: number;
  private sessions = new Map<string, CachedSession>();
  private quotes = new Map<string, CachedQuote>();
  private margins = new Map<string, CachedMargin>();

  constructor(o: TeServiceOptions) {
    this.db = o.db;
    this.clock = o.clock ?? systemClock;
    this.sessionTtlMs = o.sessionTtlMs ?? SESSION_TTL_MS;
    this.quoteTtlMs = o.quoteTtlMs ?? QUOTE_TTL_MS;
    this.recheckMs = o.recheckMs ?? 5_000;
    warmCatalog(this.clock.nowMs());
  }

  // ───────────── sessions ─────────────

  async login(apiKey: unknown): Promise<{ token: string; operatorId: string; expiresAtMs: number }> {
    if (typeof apiKey !== "string" || apiKey.trim() === "") throw new TeFailure("api_key is required", 401);
    const operator = await this.db.teOperator.findUnique({ where: { apiKeyHash: sha256Hex(apiKey.trim()) } });
    if (!operator) throw new TeFailure("invalid api_key", 401);
    const now = this.clock.nowMs();
    const token = randomBytes(32).toString("base64url");
    const expiresAtMs = now + this.sessionTtlMs;
    // Only the token's hash is stored, so a database leak does not leak live sessions.
    await this.db.teSession.create({ data: { token: sha256Hex(token), operatorId: operator.id, createdAt: new Date(now), expiresAt: new Date(expiresAtMs) } });
    await this.db.teSession.deleteMany({ where: { expiresAt: { lt: new Date(now - 24 * 60 * 60 * 1000) } } });
    return { token, operatorId: operator.id, expiresAtMs };
  }

  async logout(token: string | null): Promise<void> {
    if (!token) return;
    this.sessions.delete(token);
    await this.db.teSession.deleteMany({ where: { token: sha256Hex(token) } });
  }

  /** The operator id of a live session; 401 "not logged in" / "session expired" otherwise. */
  async authenticate(token: string | null): Promise<string> {
    if (!token) throw new TeFailure("not logged in", 401);
    const now = this.clock.nowMs();
    // Cached by the token itself (process memory only), so a warm check costs one map lookup.
    let s = this.sessions.get(token);
    if (!s || now - s.checkedAtMs > this.recheckMs) {
      const row = await this.db.teSession.findUnique({ where: { token: sha256Hex(token) } });
      if (!row) {
        this.sessions.delete(token);
        throw new TeFailure("not logged in", 401);
      }
      s = { operatorId: row.operatorId, expiresAtMs: row.expiresAt.getTime(), checkedAtMs: now };
      if (this.sessions.size > 10_000) this.sessions.clear();
      this.sessions.set(token, s);
    }
    if (now >= s.expiresAtMs) throw new TeFailure("session expired", 401);
    return s.operatorId;
  }

  // ───────────── margin settings ─────────────

  private marginKey = (operatorId: string) => `te.margin.${operatorId}`;

  async marginFor(operatorId: string): Promise<MarginSettings> {
    return (await this.marginCached(operatorId)).value;
  }

  /** The operator's margin settings with their cache keys (memory, re-read every `recheckMs`). */
  private marginCached(operatorId: string): CachedMargin | Promise<CachedMargin> {
    const now = this.clock.nowMs();
    const hit = this.margins.get(operatorId);
    if (hit && now - hit.checkedAtMs <= this.recheckMs) return hit;
    return this.loadMargin(operatorId, now);
  }

  private async loadMargin(operatorId: string, now: number): Promise<CachedMargin> {
    const row = await this.db.setting.findUnique({ where: { key: this.marginKey(operatorId) } });
    const value = row ? { ...DEFAULT_MARGIN, ...(JSON.parse(row.valueJson) as Partial<MarginSettings>) } : DEFAULT_MARGIN;
    const entry = marginEntry(value, now);
    this.margins.set(operatorId, entry);
    return entry;
  }

  async setMargin(operatorId: string, input: Record<string, unknown>): Promise<MarginSettings> {
    const current = await this.marginFor(operatorId);
    const pick = (wire: string, key: keyof MarginSettings) => (input[wire] === undefined ? current[key] : parseAmount(input[wire], wire));
    const next: MarginSettings = {
      baseMargin: pick("base_margin", "baseMargin"),
      perLegMargin: pick("per_leg_margin", "perLegMargin"),
      minPrice: pick("min_price", "minPrice"),
      maxPrice: pick("max_price", "maxPrice"),
    };
    const unknown = Object.keys(input).filter((k) => !["base_margin", "per_leg_margin", "min_price", "max_price"].includes(k));
    if (unknown.length) throw new TeFailure(`unknown field "${unknown[0]}" (allowed: base_margin, per_leg_margin, min_price, max_price)`);
    const bad = validateMarginSettings(next);
    if (bad) throw new TeFailure(bad);
    const valueJson = JSON.stringify(next);
    await this.db.setting.upsert({
      where: { key: this.marginKey(operatorId) },
      create: { key: this.marginKey(operatorId), valueJson, updatedBy: `te:${operatorId}` },
      update: { valueJson, updatedBy: `te:${operatorId}` },
    });
    this.margins.set(operatorId, marginEntry(next, this.clock.nowMs()));
    return next;
  }

  // ───────────── pricing (guest mode) ─────────────

  async price(operatorId: string, body: unknown) {
    const margin = await this.marginFor(operatorId);
    const r = priceBetStruct(body, this.clock.nowMs(), margin);
    if (!r.ok) throw new TeFailure(r.error, 400);
    return this.quote(operatorId, r.value, margin);
  }

  /**
   * Prices a request body as sent (JSON text) and answers the response JSON text. Identical texts
   * skip parsing and validation, and the fixed part of the answer is serialised once per struct.
   */
  async priceText(operatorId: string, text: string): Promise<string> {
    const mc = this.marginCached(operatorId);
    const m = mc instanceof Promise ? await mc : mc;
    const margin = m.value;
    const now = this.clock.nowMs();
    let p = cachedPricedText(text, now, margin, m.key);
    if (!p) {
      const r = priceBetStruct(parseStructText(text), now, margin);
      if (!r.ok) throw new TeFailure(r.error, 400);
      p = r.value;
      rememberPricedText(text, margin, p, m.key);
    }
    const qr = this.quoteRef(operatorId, p, margin, m.version);
    const q = qr instanceof Promise ? await qr : qr;
    p.wireTail ??= `,${JSON.stringify(this.wireBody(p)).slice(1, -1)}`;
    q.expiresAtIso ??= new Date(q.expiresAtMs).toISOString();
    return `{"status":"ok","bet_id":${JSON.stringify(q.betId)}${p.wireTail},"expires_at":"${q.expiresAtIso}"}`;
  }

  private wireBody(p: PricedBet) {
    return {
      price: p.price,
      fair_probability: Math.round(p.fairProbability * 1e8) / 1e8,
      margin: Math.round(p.margin * 1e6) / 1e6,
      description: p.description,
      legs: p.legs.map(toWireLeg),
    };
  }

  private async quote(operatorId: string, p: PricedBet, margin: MarginSettings) {
    const q = await this.quoteRef(operatorId, p, margin);
    return { status: "ok" as const, bet_id: q.betId, ...this.wireBody(p), expires_at: new Date(q.expiresAtMs).toISOString() };
  }

  /** The bet_id for this operator, struct and price version: from memory, else stored first. */
  private quoteRef(operatorId: string, p: PricedBet, margin: MarginSettings, version = priceVersion(margin)): CachedQuote | Promise<CachedQuote> {
    const now = this.clock.nowMs();
    // The key string is kept on the priced struct, so its hash is computed once, not per request.
    const qk = `${operatorId}\n${version}`;
    let key = p.quoteKeys?.get(qk);
    if (key === undefined) {
      key = `${operatorId}\n${p.canonicalJson}\n${version}`;
      if (!p.quoteKeys || p.quoteKeys.size >= 16) p.quoteKeys = new Map();
      p.quoteKeys.set(qk, key);
    }
    const target = Math.min(now + this.quoteTtlMs, p.firstKickoffMs);
    const q = this.quotes.get(key);
    const stale = !q || now - q.checkedAtMs > this.recheckMs || q.expiresAtMs < Math.min(now + this.quoteTtlMs / 2, p.firstKickoffMs);
    return stale ? this.persistQuote(operatorId, key, p, version, now, target) : q;
  }

  private async persistQuote(operatorId: string, key: string, p: PricedBet, version: string, now: number, target: number): Promise<CachedQuote> {
    for (let seq = 0, attempts = 0; seq < 10_000 && attempts < 10_050; attempts++) {
      const betId = betIdFor(operatorId, p.canonicalJson, version, seq);
      const row = await this.db.teBet.findUnique({ where: { betId }, select: { status: true, expiresAt: true } });
      if (row && row.status !== "priced") {
        seq++;
        continue;
      }
      let expiresAtMs = target;
      if (!row) {
        try {
          await this.db.teBet.create({
            data: {
              betId,
              operatorId,
              productJson: p.canonicalJson,
              legsJson: JSON.stringify(p.legs),
              description: p.description,
              price: p.price,
              fairProbability: p.fairProbability,
              status: "priced",
              createdAt: new Date(now),
              expiresAt: new Date(target),
            },
          });
        } catch (err) {
          if (isUniqueViolation(err)) continue; // another request created it: read it again
          throw err;
        }
      } else if (row.expiresAt.getTime() < target) {
        const u = await this.db.teBet.updateMany({ where: { betId, status: "priced" }, data: { expiresAt: new Date(target) } });
        if (u.count === 0) continue; // placed in the meantime: look again
      } else {
        expiresAtMs = row.expiresAt.getTime();
      }
      const q = { betId, expiresAtMs, checkedAtMs: now };
      if (this.quotes.size > 50_000) this.quotes.clear();
      this.quotes.set(key, q);
      return q;
    }
    throw new TeFailure("could not allocate a bet_id", 500);
  }

  // ───────────── placement (bet mode) ─────────────

  async create(operatorId: string, input: Record<string, unknown>) {
    const betId = input.bet_id;
    if (typeof betId !== "string" || betId.trim() === "") throw new TeFailure("bet_id is required");
    const stakeCents = parseStakeCents(input.stake);
    const sentPrice = parseAmount(input.price, "price");
    const row = await this.db.teBet.findUnique({ where: { betId } });
    if (!row || row.operatorId !== operatorId) throw new TeFailure(`bet_id "${betId}" not found`, 404);
    if (row.status !== "priced") throw new TeFailure(`bet ${betId} has already been placed (status ${statusToWire(row.status)})`, 409);
    const now = this.clock.nowMs();
    if (now >= row.expiresAt.getTime()) {
      throw new TeFailure(`the quote for bet ${betId} expired at ${row.expiresAt.toISOString()}; price the bet again`, 410);
    }
    // Re-price now: a kicked-off match or a margin change since the quote must not slip through.
    const fresh = await this.price(operatorId, JSON.parse(row.productJson)).catch((err: unknown) => {
      if (err instanceof TeFailure) throw new TeFailure(`bet ${betId} can no longer be placed: ${err.message}`, 409);
      throw err;
    });
    if (fresh.price !== row.price || fresh.bet_id !== betId) {
      throw new TeFailure(`the price has changed from ${row.price} to ${fresh.price}; place the new bet_id at the new price`, 409, { price: fresh.price, bet_id: fresh.bet_id });
    }
    if (sentPrice.toFixed(2) !== row.price) {
      throw new TeFailure(`price ${input.price} does not match the quoted price ${row.price}`, 409, { price: row.price, bet_id: betId });
    }
    const u = await this.db.teBet.updateMany({ where: { betId, status: "priced" }, data: { status: "placed", stakeCents, placedAt: new Date(now) } });
    if (u.count !== 1) throw new TeFailure(`bet ${betId} has already been placed`, 409);
    // The next price request for this struct must get a fresh bet_id.
    for (const [k, q] of this.quotes) if (q.betId === betId) this.quotes.delete(k);
    return { status: "ok" as const, bet_id: betId, stake: money(stakeCents), price: row.price, description: row.description };
  }

  private async ownBet(operatorId: string, betId: unknown) {
    if (typeof betId !== "string" || betId.trim() === "") throw new TeFailure("bet_id is required");
    const row = await this.db.teBet.findUnique({ where: { betId } });
    if (!row || row.operatorId !== operatorId) throw new TeFailure(`bet_id "${betId}" not found`, 404);
    return row;
  }

  async show(operatorId: string, betId: unknown) {
    let row = await this.ownBet(operatorId, betId);
    const now = this.clock.nowMs();
    const legs = JSON.parse(row.legsJson) as StoredLeg[];
    // Settle on read as well as from the job, so a status is never staler than the results.
    if (row.status === "placed" && !row.settled) {
      const outcome = settleOutcome(row.productJson, legs, now);
      if (outcome) {
        await this.db.teBet.updateMany({ where: { betId: row.betId, status: "placed" }, data: { status: outcome, settled: true, settledAt: new Date(now) } });
        row = await this.ownBet(operatorId, betId);
      }
    }
    const results = legResults(legs, now);
    const won = row.status === "won";
    return {
      bet_id: row.betId,
      stake: row.stakeCents === null ? null : money(row.stakeCents),
      price: row.price,
      description: row.description,
      settled: row.settled ? ("true" as const) : ("false" as const),
      status: statusToWire(row.status),
      payout: row.stakeCents === null || !row.settled ? null : won ? money(payoutCents(row.stakeCents, row.price)) : "0.00",
      fair_probability: row.fairProbability,
      legs: legs.map((l, i) => ({ ...toWireLeg(l), result: results[i]! })),
      created_at: iso(row.createdAt),
      expires_at: iso(row.expiresAt),
      placed_at: iso(row.placedAt),
      settled_at: iso(row.settledAt),
    };
  }

  /** The canonical struct of a bet, so a UI can restore a slip from a shared bet_id. */
  async struct(operatorId: string, betId: unknown) {
    const row = await this.ownBet(operatorId, betId);
    return {
      status: "ok" as const,
      bet_id: row.betId,
      bet: JSON.parse(row.productJson) as unknown,
      price: row.price,
      description: row.description,
      bet_status: statusToWire(row.status),
      expires_at: iso(row.expiresAt),
      legs: (JSON.parse(row.legsJson) as StoredLeg[]).map(toWireLeg),
    };
  }

  async settle(nowMs = this.clock.nowMs()) {
    return settleDueBets(this.db, nowMs);
  }

  // ───────────── admin ─────────────

  /** Open (placed, unsettled) exposure of this operator: totals and per match. */
  async liabilities(operatorId: string) {
    const rows = await this.db.teBet.findMany({
      where: { operatorId, status: "placed", settled: false },
      select: { betId: true, stakeCents: true, price: true, legsJson: true },
    });
    const byMatch = new Map<string, { match_id: string; league: string; event: string; kickoff: string; open_bets: number; stake_cents: number; liability_cents: number }>();
    let stake = 0;
    let liability = 0;
    let payout = 0;
    for (const r of rows) {
      const s = r.stakeCents ?? 0;
      const pay = payoutCents(s, r.price);
      const lia = pay - s;
      stake += s;
      payout += pay;
      liability += lia;
      const seen = new Set<string>();
      for (const l of JSON.parse(r.legsJson) as StoredLeg[]) {
        if (seen.has(l.match_id)) continue;
        seen.add(l.match_id);
        const m = byMatch.get(l.match_id) ?? { match_id: l.match_id, league: l.league, event: l.event, kickoff: l.kickoff, open_bets: 0, stake_cents: 0, liability_cents: 0 };
        m.open_bets++;
        m.stake_cents += s;
        m.liability_cents += lia;
        byMatch.set(l.match_id, m);
      }
    }
    const matches = [...byMatch.values()]
      .sort((a, b) => b.liability_cents - a.liability_cents || a.kickoff.localeCompare(b.kickoff))
      .map((m) => ({ ...m, stake: money(m.stake_cents), liability: money(m.liability_cents) }));
    return {
      status: "ok" as const,
      as_of: new Date(this.clock.nowMs()).toISOString(),
      margin: wireMargin(await this.marginFor(operatorId)),
      totals: { open_bets: rows.length, stake: money(stake), potential_payout: money(payout), liability: money(liability) },
      matches,
    };
  }

  /** For tests: forget cached sessions/quotes/margins. */
  clearCaches(): void {
    this.sessions.clear();
    this.quotes.clear();
    this.margins.clear();
  }
}

export const wireMargin = (m: MarginSettings) => ({ base_margin: m.baseMargin, per_leg_margin: m.perLegMargin, min_price: m.minPrice, max_price: m.maxPrice });

export { MATCH_DURATION_MS };
