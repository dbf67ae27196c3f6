// B2B odds screen: pure shapes and parsers for the ProphetX affiliate API (get_sport_events,
// get_multiple_markets) and the odds board we show (sport → event → market → selections).
// No I/O, no clock: the server polls, this only turns wire JSON into the board.
import { formatAmerican, isValidAmerican } from "../odds/american.ts";

export type OddsSelection = {
  /** The exchange's line id — what a play is placed on. Kept exactly as received. */
  lineId: string;
  name: string;
  odds: number;
  displayOdds: string;
  /** Liquidity available at this price, dollars. */
  stake: number;
  line: number | null;
};

export type OddsMarket = { id: string; name: string; type: string; selections: OddsSelection[] };

export type OddsEvent = {
  id: string;
  name: string;
  scheduled: string | null;
  status: string;
  tournamentId: string;
  tournamentName: string;
  sportName: string;
  markets: OddsMarket[];
};

export type OddsSport = { name: string; events: OddsEvent[] };

export type OddsBoard = {
  sports: OddsSport[];
  /** ISO time of the last successful poll, or null before the first one. */
  updatedAt: string | null;
  /** Message of the last poll failure while it is still failing, else null. */
  error: string | null;
  /** True when the last poll failed and the data shown is from an earlier one. */
  stale: boolean;
  pollMs: number;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null);
const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};
/** `{data: X}` → X; anything else unchanged (the affiliate API wraps, some docs show it bare). */
const unwrap = (v: unknown): unknown => (isObj(v) && "data" in v ? v.data : v);

/** One selection object → OddsSelection, or null when it is unusable (no line_id, bad odds). */
export const parseSelection = (raw: unknown): OddsSelection | null => {
  if (!isObj(raw)) return null;
  const lineId = str(raw.line_id);
  const odds = num(raw.odds);
  if (!lineId || odds === null || !isValidAmerican(odds)) return null;
  return {
    lineId,
    name: str(raw.display_name) ?? str(raw.name) ?? lineId,
    odds,
    displayOdds: str(raw.display_odds) ?? formatAmerican(odds),
    stake: num(raw.stake) ?? num(raw.value) ?? 0,
    line: num(raw.line),
  };
};

/**
 * Selections of a market, flat (`selections: [sel, sel]`, the affiliate v1/v2 form), nested by side
 * (`selections: [[sel, …], [sel, …]]`, best price first — we take the first of each side), or under
 * `market_lines[].selections`.
 */
export const parseSelections = (market: Obj): OddsSelection[] => {
  const out: OddsSelection[] = [];
  const take = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const sel = Array.isArray(item) ? parseSelection(item[0]) : parseSelection(item);
      if (sel && !out.some((s) => s.lineId === sel.lineId)) out.push(sel);
    }
  };
  take(market.selections);
  if (Array.isArray(market.market_lines)) for (const ml of market.market_lines) if (isObj(ml)) take(ml.selections);
  return out;
};

export const parseMarket = (raw: unknown): OddsMarket | null => {
  if (!isObj(raw)) return null;
  const id = str(raw.id) ?? str(raw.market_id);
  if (!id) return null;
  return { id, name: str(raw.display_name) ?? str(raw.name) ?? `Market ${id}`, type: str(raw.type) ?? "", selections: parseSelections(raw) };
};

/** get_multiple_markets body → markets per event id (object keyed by stringified event id). */
export const parseMultipleMarkets = (body: unknown): Map<string, OddsMarket[]> => {
  const data = unwrap(body);
  const out = new Map<string, OddsMarket[]>();
  if (!isObj(data)) return out;
  const byEvent = isObj(data.markets) ? data.markets : data;
  for (const [eventId, list] of Object.entries(byEvent)) {
    if (!Array.isArray(list)) continue;
    out.set(eventId, list.map(parseMarket).filter((m): m is OddsMarket => m !== null && m.selections.length > 0));
  }
  return out;
};

export type ParsedEvent = Omit<OddsEvent, "markets">;

/** get_sport_events body → events (`data.sport_events` may be null). */
export const parseSportEvents = (body: unknown, fallback: { tournamentId: string; tournamentName?: string; sportName?: string }): ParsedEvent[] => {
  const data = unwrap(body);
  const list = isObj(data) ? data.sport_events : Array.isArray(data) ? data : null;
  if (!Array.isArray(list)) return [];
  const out: ParsedEvent[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    const id = str(e.event_id) ?? str(e.id);
    if (!id) continue;
    out.push({
      id,
      name: str(e.display_name) ?? str(e.name) ?? `Event ${id}`,
      scheduled: str(e.scheduled),
      status: str(e.status) ?? "",
      tournamentId: str(e.tournament_id) ?? fallback.tournamentId,
      tournamentName: str(e.tournament_name) ?? fallback.tournamentName ?? "",
      sportName: str(e.sport_name) ?? fallback.sportName ?? "Other",
    });
  }
  return out;
};

export type ParsedTournament = { id: string; name: string; sportName: string };

/** get_tournaments body → tournaments (`data.tournaments[]` with `sport.name`). */
export const parseTournaments = (body: unknown): ParsedTournament[] => {
  const data = unwrap(body);
  const list = isObj(data) ? data.tournaments : Array.isArray(data) ? data : null;
  if (!Array.isArray(list)) return [];
  const out: ParsedTournament[] = [];
  for (const t of list) {
    if (!isObj(t)) continue;
    const id = str(t.id);
    if (!id) continue;
    out.push({ id, name: str(t.name) ?? `Tournament ${id}`, sportName: (isObj(t.sport) ? str(t.sport.name) : str(t.sport_name)) ?? "Other" });
  }
  return out;
};

/** Sport → events (by start time) with their markets; events without any priced market are left out. */
export const buildSports = (events: ParsedEvent[], markets: Map<string, OddsMarket[]>): OddsSport[] => {
  const bySport = new Map<string, OddsEvent[]>();
  for (const e of events) {
    const ms = markets.get(e.id) ?? [];
    if (ms.length === 0) continue;
    const list = bySport.get(e.sportName) ?? [];
    list.push({ ...e, markets: ms });
    bySport.set(e.sportName, list);
  }
  return [...bySport.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, evs]) => ({ name, events: evs.sort((a, b) => (a.scheduled ?? "").localeCompare(b.scheduled ?? "") || a.name.localeCompare(b.name)) }));
};

/** Every selection on the board by line id (what the server keeps to validate a play's line). */
export const selectionsByLine = (sports: OddsSport[]): Map<string, OddsSelection & { eventName: string; marketName: string }> => {
  const out = new Map<string, OddsSelection & { eventName: string; marketName: string }>();
  for (const s of sports) for (const e of s.events) for (const m of e.markets) for (const sel of m.selections) out.set(sel.lineId, { ...sel, eventName: e.name, marketName: m.name });
  return out;
};
