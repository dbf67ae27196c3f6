// Build a MarketView from plain maps (what an engine keeps in memory).

import type { EventInfo, LineBook, LineInfo, MarketView } from "./types.ts";

export interface MarketMaps {
  events: ReadonlyMap<string, EventInfo>;
  lines: ReadonlyMap<string, LineInfo>;
  books: ReadonlyMap<string, LineBook>;
  /** Line ids per event; derived from `lines` when omitted. */
  linesByEvent?: ReadonlyMap<string, readonly string[]>;
}

export function marketViewFromMaps(maps: MarketMaps): MarketView {
  const byEvent = new Map<string, LineInfo[]>();
  if (maps.linesByEvent) {
    for (const [eventId, ids] of maps.linesByEvent) {
      byEvent.set(eventId, ids.flatMap((id) => (maps.lines.get(id) ? [maps.lines.get(id)!] : [])));
    }
  } else {
    for (const l of maps.lines.values()) {
      const list = byEvent.get(l.eventId);
      if (list) list.push(l);
      else byEvent.set(l.eventId, [l]);
    }
  }
  return {
    event: (id) => maps.events.get(id),
    line: (id) => maps.lines.get(id),
    book: (id) => maps.books.get(id),
    eventLines: (id) => byEvent.get(id) ?? [],
  };
}
