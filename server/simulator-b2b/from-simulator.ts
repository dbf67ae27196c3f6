// Adapter: the core exchange simulator's world (server/simulator) as a B2bWorld, so the B2B endpoints
// serve the same tournaments/events/lines and user wagers take liquidity from the same order books.
// Takes the pieces of the simulator's internal context (`sim` inside startSimulator): `world` and
// `activity`. Only type imports — nothing of the core simulator runs at import time.
import type { MarketActivity } from "../simulator/market-activity.ts";
import type { LineRuntime, WorldRuntime } from "../simulator/world-runtime.ts";
import type { B2bMarket, B2bSelection, B2bWorld } from "./world.ts";

export type CoreSimParts = {
  world: Pick<WorldRuntime, "tournaments" | "eventsOfTournament" | "events" | "line">;
  activity: Pick<MarketActivity, "execute">;
};

const best = (line: LineRuntime, outcome: number) => (line.status === "active" ? line.book.levels(outcome, 1)[0] : undefined);

/** Selections of one market line with the best bettor price of each outcome (outcomes without liquidity are left out). */
const selectionsOf = (line: LineRuntime): B2bSelection[] =>
  line.def.outcomes.flatMap((o, i) => {
    const lv = best(line, i);
    return lv ? [{ lineId: o.lineId, name: o.name, odds: lv.odds, stake: Math.floor(lv.stakeCents) / 100, line: o.line, outcomeId: o.outcomeId }] : [];
  });

export const fromSimulator = (sim: CoreSimParts): B2bWorld => ({
  tournaments: () => sim.world.tournaments.map((t) => ({ id: t.spec.id, name: t.spec.name, sport: t.sport.sportName })),

  events: (tournamentId) =>
    sim.world
      .eventsOfTournament(tournamentId)
      .filter((ev) => ev.status !== "ended")
      .map((ev) => ({
        eventId: ev.def.eventId,
        name: `${ev.def.away.name} at ${ev.def.home.name}`,
        tournamentId: ev.def.tournamentId,
        scheduled: new Date(ev.def.scheduledMs - ev.shiftMs).toISOString(),
        status: ev.status,
        competitors: [
          { id: ev.def.home.id, name: ev.def.home.name, side: "home" as const },
          { id: ev.def.away.id, name: ev.def.away.name, side: "away" as const },
        ],
      })),

  markets: (eventId) => {
    const ev = sim.world.events.get(eventId);
    if (!ev) return null;
    if (ev.status === "ended") return [];
    const out: B2bMarket[] = [];
    for (const market of ev.def.markets) {
      const lines = ev.lines.filter((l) => l.def.marketId === market.marketId && market.lines.includes(l.def));
      // The main line of spreads/totals (the favourite one); alternates would crowd an odds screen.
      const main = market.type === "moneyline" ? lines.slice(0, 1) : lines.filter((l) => l.def.favourite).slice(0, 1);
      const line = main[0] ?? lines[0];
      if (!line) continue;
      const selections = selectionsOf(line);
      if (selections.length === 0) continue;
      out.push({ id: market.marketId, name: market.type === "moneyline" ? market.name : `${market.name} ${line.def.line ?? ""}`.trim(), type: market.type, selections });
    }
    return out;
  },

  placeUserWager: ({ lineId, odds, stakeCents }) => {
    const ref = sim.world.line(lineId);
    if (!ref) return { ok: false, error: "invalid_line_id", message: `unknown line_id ${lineId}` };
    if (ref.event.status === "ended" || ref.line.status !== "active") return { ok: false, error: "event_not_available", message: "the event is closed for betting" };
    const lv = best(ref.line, ref.outcomeIndex);
    if (!lv) return { ok: false, error: "insufficient_liquidity", message: "nothing is offered on this selection right now" };
    // Same rule as the in-memory world: the play goes through only at the price the user saw.
    if (lv.odds !== odds) return { ok: false, error: "odds_changed", currentOdds: lv.odds, message: `the odds are now ${lv.odds}, not ${odds}` };
    if (lv.stakeCents < stakeCents) return { ok: false, error: "insufficient_liquidity", message: `only $${(Math.floor(lv.stakeCents) / 100).toFixed(2)} is available at ${odds}` };
    const fills = sim.activity.execute(ref.line, ref.outcomeIndex, stakeCents, odds);
    const matched = fills.reduce((a, f) => a + f.takerCents, 0);
    if (matched === 0) return { ok: false, error: "odds_changed", currentOdds: best(ref.line, ref.outcomeIndex)?.odds ?? odds, message: "the price was taken before the play" };
    return { ok: true };
  },
});
