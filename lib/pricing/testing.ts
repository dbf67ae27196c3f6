// Builders for tests and benchmarks: a market view from a compact description of games and prices.
// Not used by production code.

import { probabilityToAmericanFloor } from "../odds/american.ts";
import type { EventInfo, LineBook, LineInfo, MarketView, Sport } from "./types.ts";
import { marketViewFromMaps } from "./view.ts";

export interface SideSpec {
  outcomeId: number;
  line?: number;
  /** Best back odds (American) on this side; omit for "no book". */
  odds?: number;
  stakeCents?: number;
  updatedAtMs?: number;
}

export interface MarketSpecInput {
  marketId: number;
  sides: SideSpec[];
}

export interface GameSpec {
  eventId: string;
  sport: Sport;
  startsAtMs: number;
  status?: EventInfo["status"];
  markets: MarketSpecInput[];
}

export const lineIdOf = (eventId: string, marketId: number, outcomeId: number, line?: number): string =>
  `${eventId}:${marketId}:${outcomeId}${line === undefined ? "" : `:${line}`}`;

export function buildView(games: readonly GameSpec[], defaultUpdatedAtMs = 0): MarketView {
  const events = new Map<string, EventInfo>();
  const lines = new Map<string, LineInfo>();
  const books = new Map<string, LineBook>();
  for (const g of games) {
    events.set(g.eventId, {
      eventId: g.eventId,
      sport: g.sport,
      status: g.status ?? "not_started",
      startsAtMs: g.startsAtMs,
      homeTeamId: `${g.eventId}-home`,
      awayTeamId: `${g.eventId}-away`,
    });
    for (const m of g.markets) {
      for (const s of m.sides) {
        const lineId = lineIdOf(g.eventId, m.marketId, s.outcomeId, s.line);
        lines.set(lineId, { lineId, eventId: g.eventId, marketId: m.marketId, outcomeId: s.outcomeId, line: s.line });
        if (s.odds !== undefined) {
          books.set(lineId, {
            lineId,
            backOffers: [{ odds: s.odds, stakeCents: s.stakeCents ?? 100_000 }],
            updatedAtMs: s.updatedAtMs ?? defaultUpdatedAtMs,
          });
        }
      }
    }
  }
  return marketViewFromMaps({ events, lines, books });
}

/** Two-way American prices around a fair probability with `halfSpread` of implied probability per side. */
export function twoWayOdds(pFair: number, halfSpread: number): [number, number] {
  return [probabilityToAmericanFloor(Math.min(0.99, pFair + halfSpread)), probabilityToAmericanFloor(Math.min(0.99, 1 - pFair + halfSpread))];
}
