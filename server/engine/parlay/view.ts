// MarketView adapter over the engine's live state (lib/market book + reference data), for
// lib/pricing. No copies of the book: every call reads the live maps. Per-event line lists and
// event infos are cached and rebuilt when `invalidate()` is called (reference data changed).
import type { BookState } from "../../../lib/market/book.ts";
import type { RefState } from "../../../lib/market/reference.ts";
import { LegFairMemo, type EventInfo, type EventStatus, type LineBook, type LineInfo, type MarketView, type Sport } from "../../../lib/pricing/index.ts";

const SPORT_BY_NAME: Record<string, Sport> = {
  basketball: "basketball",
  "american football": "american_football",
  american_football: "american_football",
  nfl: "american_football",
  baseball: "baseball",
  "ice hockey": "ice_hockey",
  ice_hockey: "ice_hockey",
  hockey: "ice_hockey",
  soccer: "soccer",
  football: "soccer",
};

/** Pricing sport of an exchange sport name ("Basketball", "Ice Hockey", ...); undefined if unknown. */
export const sportFromName = (name: string | undefined | null): Sport | undefined => (name ? SPORT_BY_NAME[name.trim().toLowerCase()] : undefined);

const STATUS: Record<string, EventStatus> = {
  not_started: "not_started",
  live: "live",
  in_progress: "live",
  suspended: "suspended",
  ended: "ended",
  closed: "ended",
  settled: "ended",
  cancelled: "cancelled",
  canceled: "cancelled",
};

export type EngineMarketView = MarketView & {
  /** Reference data changed (events, lines, tournaments): rebuild the caches lazily. */
  invalidate(): void;
  sportOfEvent(eventId: string | number): Sport | undefined;
};

export const createEngineMarketView = (book: BookState, ref: RefState): EngineMarketView => {
  let linesByEvent: Map<string, LineInfo[]> | undefined;
  let lineInfos: Map<string, LineInfo> | undefined;
  const events = new Map<string, EventInfo | null>();
  let refLineCount = -1;

  const buildLines = () => {
    linesByEvent = new Map();
    lineInfos = new Map();
    refLineCount = ref.lines.size;
    for (const l of ref.lines.values()) {
      const info: LineInfo = { lineId: l.lineId, eventId: String(l.eventId), marketId: l.marketId, outcomeId: l.outcomeId, ...(l.line !== null ? { line: l.line } : {}) };
      lineInfos.set(l.lineId, info);
      const list = linesByEvent.get(info.eventId);
      if (list) list.push(info);
      else linesByEvent.set(info.eventId, [info]);
    }
  };
  const lines = () => {
    if (!lineInfos || refLineCount !== ref.lines.size) buildLines();
    return { byId: lineInfos!, byEvent: linesByEvent! };
  };

  const eventInfo = (id: string): EventInfo | undefined => {
    const cached = events.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const e = ref.events.get(Number(id));
    let info: EventInfo | null = null;
    if (e) {
      const t = ref.tournaments.get(e.tournamentId);
      const sport = sportFromName(t?.sportName);
      if (sport) {
        let home: string | undefined;
        let away: string | undefined;
        for (const c of e.competitors as { id?: unknown; side?: unknown }[]) {
          if (!c || typeof c !== "object") continue;
          if (c.side === "home" && c.id != null) home = String(c.id);
          if (c.side === "away" && c.id != null) away = String(c.id);
        }
        info = {
          eventId: id,
          sport,
          status: STATUS[e.status] ?? "suspended",
          startsAtMs: Date.parse(e.scheduledAt),
          ...(home ? { homeTeamId: home } : {}),
          ...(away ? { awayTeamId: away } : {}),
        };
      }
    }
    events.set(id, info);
    return info ?? undefined;
  };

  return {
    event: eventInfo,
    line: (lineId) => {
      const l = lines().byId.get(lineId);
      if (l) return l;
      // A line seen on the book stream before its reference message: enough to price it.
      const lb = book.lines.get(lineId);
      if (!lb || lb.outcomeId === undefined) return undefined;
      return { lineId, eventId: String(lb.eventId), marketId: lb.marketId, outcomeId: lb.outcomeId, line: lb.line };
    },
    book: (lineId): LineBook | undefined => {
      const lb = book.lines.get(lineId);
      return lb ? { lineId, backOffers: lb.levels, updatedAtMs: lb.updatedAtMs } : undefined;
    },
    eventLines: (eventId) => lines().byEvent.get(eventId) ?? [],
    invalidate: () => {
      lineInfos = undefined;
      events.clear();
    },
    sportOfEvent: (eventId) => eventInfo(String(eventId))?.sport,
    legFairMemo: new LegFairMemo(),
  };
};
