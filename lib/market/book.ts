// The live order book, built from `market_selections` messages and repaired from the REST markets
// endpoint. Reducers mutate the given state in place (hot path, no I/O, deterministic): same inputs →
// same state. Money in cents; odds American as the exchange shows them to takers.
import { americanToDecimal } from "../odds/american.ts";

export type Level = { odds: number; stakeCents: number };
export type LineBook = { lineId: string; eventId: number; marketId: number; outcomeId: number | undefined; line: number; side: number; levels: Level[]; updatedAtMs: number };

export type BookState = {
  lines: Map<string, LineBook>;
  /** "<eventId>:<marketId>:<line>" → line ids last seen in that block. */
  groups: Map<string, Set<string>>;
  /** "<eventId>:<marketId>" → last applied sequence_number. */
  seqs: Map<string, number>;
};

export type SelectionLike = { line_id?: string | undefined; outcome_id?: number | undefined; line?: number | null | undefined; odds?: number | null | undefined; stake?: number | null | undefined };
export type MarketSelectionsMsg = { sport_event_id: number; market_id: number; info: { line?: number | null | undefined; sequence_number: number; selections: SelectionLike[][] } };

export type ApplyResult = { status: "applied" | "stale" | "gap"; changedLines: string[] };

export const emptyBook = (): BookState => ({ lines: new Map(), groups: new Map(), seqs: new Map() });
export const marketKey = (eventId: number, marketId: number): string => `${eventId}:${marketId}`;
const groupKey = (eventId: number, marketId: number, line: number | null | undefined): string => `${eventId}:${marketId}:${line ?? 0}`;

const payout = (odds: number): number => {
  try {
    return americanToDecimal(odds);
  } catch {
    return 0;
  }
};

const toCents = (dollars: number): number => Math.round(dollars * 100);

/** Levels per line id from one block's sides; placeholders (no line id) are skipped, zero stakes kept as an empty line. */
const levelsFromSides = (sides: SelectionLike[][]): Map<string, { side: number; outcomeId: number | undefined; line: number | undefined; levels: Level[] }> => {
  const out = new Map<string, { side: number; outcomeId: number | undefined; line: number | undefined; levels: Level[] }>();
  sides.forEach((side, sideIdx) => {
    for (const s of side ?? []) {
      if (!s || !s.line_id) continue;
      let e = out.get(s.line_id);
      if (!e) {
        e = { side: sideIdx, outcomeId: s.outcome_id ?? undefined, line: s.line ?? undefined, levels: [] };
        out.set(s.line_id, e);
      }
      const stakeCents = toCents(s.stake ?? 0);
      if (typeof s.odds === "number" && stakeCents > 0) e.levels.push({ odds: s.odds, stakeCents });
    }
  });
  for (const e of out.values()) {
    // Merge equal odds and sort best (highest payout) first.
    const merged = new Map<number, number>();
    for (const l of e.levels) merged.set(l.odds, (merged.get(l.odds) ?? 0) + l.stakeCents);
    e.levels = [...merged].map(([odds, stakeCents]) => ({ odds, stakeCents })).sort((a, b) => payout(b.odds) - payout(a.odds));
  }
  return out;
};

/** Replaces one block ("<event>:<market>:<line>") with the given sides; returns changed line ids. */
const replaceBlock = (state: BookState, eventId: number, marketId: number, line: number | null | undefined, sides: SelectionLike[][], nowMs: number): string[] => {
  const gk = groupKey(eventId, marketId, line);
  const fresh = levelsFromSides(sides);
  const changed: string[] = [];
  const previous = state.groups.get(gk) ?? new Set<string>();
  for (const lineId of previous) {
    if (!fresh.has(lineId)) {
      const lb = state.lines.get(lineId);
      if (lb && lb.levels.length > 0) {
        lb.levels = [];
        lb.updatedAtMs = nowMs;
        changed.push(lineId);
      }
    }
  }
  for (const [lineId, e] of fresh) {
    const prev = state.lines.get(lineId);
    if (!prev || !levelsEqual(prev.levels, e.levels)) changed.push(lineId);
    state.lines.set(lineId, { lineId, eventId, marketId, outcomeId: e.outcomeId ?? prev?.outcomeId, line: line ?? e.line ?? 0, side: e.side, levels: e.levels, updatedAtMs: nowMs });
  }
  state.groups.set(gk, new Set([...fresh.keys()]));
  return changed;
};

export const levelsEqual = (a: Level[], b: Level[]): boolean => a.length === b.length && a.every((l, i) => l.odds === b[i]!.odds && l.stakeCents === b[i]!.stakeCents);

/**
 * Applies one `market_selections` message. A sequence number not greater than the last applied one
 * is stale (duplicate or out of order) and ignored; a jump of more than one is applied but reported
 * as a gap so the caller reconciles that event over REST.
 */
export const applyMarketSelections = (state: BookState, msg: MarketSelectionsMsg, nowMs: number): ApplyResult => {
  const mk = marketKey(msg.sport_event_id, msg.market_id);
  const seq = msg.info.sequence_number;
  const last = state.seqs.get(mk);
  if (last !== undefined && seq <= last) return { status: "stale", changedLines: [] };
  state.seqs.set(mk, seq);
  const changedLines = replaceBlock(state, msg.sport_event_id, msg.market_id, msg.info.line, msg.info.selections, nowMs);
  return { status: last !== undefined && seq > last + 1 ? "gap" : "applied", changedLines };
};

export type RestMarketLike = { id: number; selections?: SelectionLike[][] | null | undefined; market_lines?: { line?: number | null | undefined; selections?: SelectionLike[][] | null | undefined }[] | null | undefined };

/** Blocks of one REST market (moneyline: top-level selections; spread/total: one per market line). */
export const blocksOfMarket = (m: RestMarketLike): { line: number | null | undefined; sides: SelectionLike[][] }[] => {
  const out: { line: number | null | undefined; sides: SelectionLike[][] }[] = [];
  if (m.selections && m.selections.length > 0) out.push({ line: undefined, sides: m.selections });
  for (const b of m.market_lines ?? []) if (b.selections) out.push({ line: b.line, sides: b.selections });
  return out;
};

/**
 * Reconciles the book of the given events with a REST snapshot (REST is the truth): every block of
 * those events is replaced, blocks REST no longer has are cleared, and sequence baselines of those
 * markets are reset. Returns the line ids whose levels differed (i.e. what the socket book got wrong).
 */
export const reconcileEvents = (state: BookState, snapshot: Map<number, RestMarketLike[]>, nowMs: number): string[] => {
  const changed = new Set<string>();
  for (const [eventId, markets] of snapshot) {
    const seen = new Set<string>();
    for (const m of markets) {
      for (const b of blocksOfMarket(m)) {
        seen.add(groupKey(eventId, m.id, b.line));
        for (const l of replaceBlock(state, eventId, m.id, b.line, b.sides, nowMs)) changed.add(l);
      }
      state.seqs.delete(marketKey(eventId, m.id));
    }
    for (const [gk, ids] of state.groups) {
      if (!gk.startsWith(`${eventId}:`) || seen.has(gk)) continue;
      for (const id of ids) {
        const lb = state.lines.get(id);
        if (lb && lb.levels.length > 0) {
          lb.levels = [];
          lb.updatedAtMs = nowMs;
          changed.add(id);
        }
      }
    }
  }
  return [...changed];
};

/** Canonical comparable form of the book (lines with liquidity only), optionally for some events. */
export const bookSignature = (state: BookState, eventIds?: Set<number>): Record<string, Level[]> => {
  const out: Record<string, Level[]> = {};
  for (const id of [...state.lines.keys()].sort()) {
    const lb = state.lines.get(id)!;
    if (lb.levels.length === 0) continue;
    if (eventIds && !eventIds.has(lb.eventId)) continue;
    out[id] = lb.levels;
  }
  return out;
};

export const bestLevel = (state: BookState, lineId: string): Level | undefined => state.lines.get(lineId)?.levels[0];
