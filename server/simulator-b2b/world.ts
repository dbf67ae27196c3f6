// The market world the B2B simulator serves: a small interface (so the core exchange simulator can
// back it through an adapter) and an in-memory implementation used standalone and in tests.
import { createHash } from "node:crypto";

export type B2bSelection = {
  /** 32-hex line id, the thing a play is placed on. */
  lineId: string;
  name: string;
  /** Best American odds a bettor can take right now. */
  odds: number;
  /** Dollars available at that price. */
  stake: number;
  line?: number | null;
  outcomeId?: number;
};

export type B2bMarket = { id: number; name: string; type: string; selections: B2bSelection[] };

export type B2bEvent = {
  eventId: number;
  name: string;
  tournamentId: number;
  /** ISO UTC start time. */
  scheduled: string;
  status: string;
  competitors?: { id: number; name: string; side: "home" | "away" }[];
};

export type B2bTournament = { id: number; name: string; sport: string };

export type B2bPlaceResult =
  | { ok: true }
  | { ok: false; error: "odds_changed"; currentOdds: number; message: string }
  | { ok: false; error: "invalid_line_id" | "insufficient_liquidity" | "event_not_available"; message: string };

export interface B2bWorld {
  tournaments(): B2bTournament[];
  events(tournamentId: number): B2bEvent[];
  /** Markets of an event, or null when the event is unknown. */
  markets(eventId: number): B2bMarket[] | null;
  /**
   * Take the bettor side of `lineId` at exactly `odds` (American) for `stakeCents`, if that is still the
   * current price. Nothing changes when the result is not ok.
   */
  placeUserWager(w: { userId: string; wagerId: string; lineId: string; odds: number; stakeCents: number }): B2bPlaceResult;
}

export const lineIdOf = (...parts: (string | number)[]): string => createHash("md5").update(parts.join("|")).digest("hex");

/** A world you can also steer: move a price, add liquidity. */
export interface MemoryWorld extends B2bWorld {
  setOdds(lineId: string, odds: number): void;
  selection(lineId: string): B2bSelection | undefined;
}

type Fixture = { tournaments: (B2bTournament & { events: (B2bEvent & { markets: B2bMarket[] })[] })[] };

const ml = (eventId: number, home: string, away: string, homeOdds: number, awayOdds: number): B2bMarket => ({
  id: 1,
  name: "Moneyline",
  type: "moneyline",
  selections: [
    { lineId: lineIdOf(eventId, 1, home), name: home, odds: homeOdds, stake: 500, outcomeId: 4 },
    { lineId: lineIdOf(eventId, 1, away), name: away, odds: awayOdds, stake: 500, outcomeId: 5 },
  ],
});

const total = (eventId: number, marketId: number, line: number, overOdds: number, underOdds: number): B2bMarket => ({
  id: marketId,
  name: "Total",
  type: "total",
  selections: [
    { lineId: lineIdOf(eventId, marketId, "over", line), name: `over ${line}`, odds: overOdds, stake: 250, line, outcomeId: 12 },
    { lineId: lineIdOf(eventId, marketId, "under", line), name: `under ${line}`, odds: underOdds, stake: 250, line, outcomeId: 13 },
  ],
});

/** A small deterministic world: MLB (2 events) and NBA (1 event), moneylines and totals. */
export const defaultFixture = (startIso = "2030-06-01T23:05:00.000Z"): Fixture => {
  const at = (h: number) => new Date(Date.parse(startIso) + h * 3_600_000).toISOString();
  return {
    tournaments: [
      {
        id: 109,
        name: "MLB",
        sport: "Baseball",
        events: [
          { eventId: 10901, name: "New York Mets at Baltimore Orioles", tournamentId: 109, scheduled: at(0), status: "not_started", markets: [ml(10901, "Baltimore Orioles", "New York Mets", -121, 111), total(10901, 258, 7.5, -139, 119)] },
          { eventId: 10902, name: "Boston Red Sox at New York Yankees", tournamentId: 109, scheduled: at(1), status: "not_started", markets: [ml(10902, "New York Yankees", "Boston Red Sox", -150, 138)] },
        ],
      },
      {
        id: 132,
        name: "NBA",
        sport: "Basketball",
        events: [{ eventId: 13201, name: "Boston Celtics at Denver Nuggets", tournamentId: 132, scheduled: at(2), status: "not_started", markets: [ml(13201, "Denver Nuggets", "Boston Celtics", 105, -115), total(13201, 225, 221.5, -110, -110)] }],
      },
    ],
  };
};

export const createMemoryWorld = (fixture: Fixture = defaultFixture()): MemoryWorld => {
  const data: Fixture = structuredClone(fixture);
  const lines = new Map<string, B2bSelection>();
  for (const t of data.tournaments) for (const e of t.events) for (const m of e.markets) for (const s of m.selections) lines.set(s.lineId, s);
  return {
    tournaments: () => data.tournaments.map(({ id, name, sport }) => ({ id, name, sport })),
    events: (tournamentId) => (data.tournaments.find((t) => t.id === tournamentId)?.events ?? []).map(({ markets: _m, ...e }) => e),
    markets: (eventId) => {
      for (const t of data.tournaments) for (const e of t.events) if (e.eventId === eventId) return structuredClone(e.markets);
      return null;
    },
    placeUserWager: ({ lineId, odds, stakeCents }) => {
      const sel = lines.get(lineId);
      if (!sel) return { ok: false, error: "invalid_line_id", message: `unknown line_id ${lineId}` };
      if (sel.odds !== odds) return { ok: false, error: "odds_changed", currentOdds: sel.odds, message: `the odds are now ${sel.odds}, not ${odds}` };
      if (stakeCents > Math.round(sel.stake * 100)) return { ok: false, error: "insufficient_liquidity", message: `only $${sel.stake.toFixed(2)} is available at ${odds}` };
      sel.stake = Math.round(sel.stake * 100 - stakeCents) / 100;
      return { ok: true };
    },
    setOdds: (lineId, odds) => {
      const sel = lines.get(lineId);
      if (!sel) throw new Error(`unknown line ${lineId}`);
      sel.odds = odds;
    },
    selection: (lineId) => {
      const s = lines.get(lineId);
      return s ? { ...s } : undefined;
    },
  };
};
