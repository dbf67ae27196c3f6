// The live order book, built from `market_selections` messages and repaired from the REST markets
// endpoint. Reducers mutate the given state in place (hot path, no I/O, deterministic): same inputs →
// same state. Money in cents; odds American as the exchange shows them to takers.
import { americanToDecimal } from "../odds/american.ts";

export type Level = { odds: number; stakeCents: number };
export type LineBook = { lineId: string; eventId: number; marketId: number; outcomeId: number | undefined; line: number; side: number; levels: Level[]; updatedAtMs: number };

export type BookState = {
  lines: Map<string, LineBook>;
  /** "<eventId>:<marketId>:<line>" (one market line) → line ids last seen in that block. */
  groups: Map<string, Set<string>>;
  /**
   * "<eventId>:<marketId>:<line>" → last applied sequence_number. The exchange numbers
   * `market_selections` per MARKET LINE (protocol-decisions.md), so the baseline is per block: the
   * lines of one market (three handicaps, say) have independent counters that can even be equal.
   */
  seqs: Map<string, number>;
  /** Same key → when (nowMs) the socket last replaced that block; guards reconciles against older REST data. */
  socketAtMs: Map<string, number>;
};

export type SelectionLike = { line_id?: string | undefined; outcome_id?: number | undefined; line?: number | null | undefined; odds?: number | null | undefined; stake?: number | null | undefined };
export type MarketSelectionsMsg = { sport_event_id: number; market_id: number; info: { id?: string | number | undefined; line?: number | null | undefined; sequence_number: number; selections: SelectionLike[][] } };

export type ApplyResult = { status: "applied" | "stale" | "gap"; changedLines: string[] };

export const emptyBook = (): BookState => ({ lines: new Map(), groups: new Map(), seqs: new Map(), socketAtMs: new Map() });
export const marketKey = (eventId: number, marketId: number): string => `${eventId}:${marketId}`;
/** One market line ("block"): the unit of `market_selections` messages and of their sequence numbers. */
export const groupKey = (eventId: number, marketId: number, line: number | null | undefined): string => `${eventId}:${marketId}:${line ?? 0}`;

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
 * Applies one `market_selections` message. Sequence numbers are per market line: a number not
 * greater than the last one applied to that line (by the socket or by a REST snapshot carrying
 * `sequence_number`) is stale (duplicate or out of order) and ignored; a jump of more than one is
 * applied but reported as a gap so the caller reconciles that event over REST.
 */
export const applyMarketSelections = (state: BookState, msg: MarketSelectionsMsg, nowMs: number): ApplyResult => {
  const gk = groupKey(msg.sport_event_id, msg.market_id, msg.info.line);
  const seq = msg.info.sequence_number;
  const last = state.seqs.get(gk);
  const numbered = Number.isFinite(seq);
  if (numbered && last !== undefined && seq <= last) return { status: "stale", changedLines: [] };
  if (numbered) state.seqs.set(gk, seq);
  else state.seqs.delete(gk); // unusable number: apply, and accept whatever comes next
  state.socketAtMs.set(gk, nowMs);
  const changedLines = replaceBlock(state, msg.sport_event_id, msg.market_id, msg.info.line, msg.info.selections, nowMs);
  return { status: numbered && last !== undefined && seq > last + 1 ? "gap" : "applied", changedLines };
};

type RestLineBlockLike = { line?: number | null | undefined; sequence_number?: number | string | null | undefined; selections?: SelectionLike[][] | null | undefined };
export type RestMarketLike = { id: number; selections?: SelectionLike[][] | null | undefined; market_lines?: RestLineBlockLike[] | null | undefined };
/** A REST markets snapshot by event id; `fetchStartedMs` (same clock as `nowMs`) = when its request was sent. */
export type MarketsSnapshot = Map<number, RestMarketLike[]> & { fetchStartedMs?: number | undefined };

export type RestBlock = { line: number | null | undefined; sides: SelectionLike[][]; sequenceNumber: number | undefined };

const seqOf = (v: number | string | null | undefined): number | undefined => {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};

/**
 * Blocks of one REST market (moneyline: top-level selections; spread/total: one per market line).
 * A moneyline that also lists its line under `market_lines` (the simulator does, with the line's
 * sequence number) yields that block once, from `market_lines`.
 */
export const blocksOfMarket = (m: RestMarketLike): RestBlock[] => {
  const out: RestBlock[] = [];
  const lineKeys = new Set<number>();
  for (const b of m.market_lines ?? []) {
    if (!b.selections) continue;
    out.push({ line: b.line, sides: b.selections, sequenceNumber: seqOf(b.sequence_number) });
    lineKeys.add(b.line ?? 0);
  }
  if (m.selections && m.selections.length > 0 && !lineKeys.has(0)) out.unshift({ line: undefined, sides: m.selections, sequenceNumber: undefined });
  return out;
};

/**
 * Reconciles the book of the given events with a REST snapshot (REST is the truth), except where the
 * socket is provably newer than the snapshot:
 * - a block whose snapshot carries `sequence_number` is replaced unless the socket already applied a
 *   higher number for that market line; after replacing, the snapshot's number is the line's baseline
 *   (so messages older than the snapshot are stale and the next one continues from it);
 * - a block without a number is replaced unless the socket updated it at or after
 *   `snapshot.fetchStartedMs` (a snapshot fetched before a later socket update must not overwrite
 *   it); its baseline is reset (the next message is accepted whatever its number).
 * Blocks REST no longer has are cleared (same guard). Returns the line ids whose levels changed,
 * i.e. what the socket book got wrong.
 */
export const reconcileEvents = (state: BookState, snapshot: MarketsSnapshot, nowMs: number, opts: { fetchStartedMs?: number | undefined } = {}): string[] => {
  const fetchStartedMs = opts.fetchStartedMs ?? snapshot.fetchStartedMs;
  const socketNewer = (gk: string): boolean => {
    if (fetchStartedMs === undefined) return false;
    const at = state.socketAtMs.get(gk);
    return at !== undefined && at >= fetchStartedMs;
  };
  const changed = new Set<string>();
  for (const [eventId, markets] of snapshot) {
    const seen = new Set<string>();
    for (const m of markets) {
      for (const b of blocksOfMarket(m)) {
        const gk = groupKey(eventId, m.id, b.line);
        seen.add(gk);
        const bookSeq = state.seqs.get(gk);
        if (b.sequenceNumber !== undefined) {
          if (bookSeq !== undefined && bookSeq > b.sequenceNumber) continue;
        } else if (socketNewer(gk)) continue;
        for (const l of replaceBlock(state, eventId, m.id, b.line, b.sides, nowMs)) changed.add(l);
        if (b.sequenceNumber !== undefined) state.seqs.set(gk, b.sequenceNumber);
        else state.seqs.delete(gk);
      }
    }
    for (const [gk, ids] of state.groups) {
      if (!gk.startsWith(`${eventId}:`) || seen.has(gk) || socketNewer(gk)) continue;
      state.seqs.delete(gk);
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
