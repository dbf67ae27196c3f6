// Match outcomes: settling legs on a final result, and simulating a result from the same model the
// prices come from (used for deterministic settlement of fixtures whose kickoff has passed).

import { type LegSpec, countLegWins, isScoreLeg, scoreLegWins } from "./legs.ts";
import { type MatchModel } from "./match-model.ts";
import { GRID_SIZE, cellIndex } from "./score-model.ts";
import { type Rng, sampleIndex, samplePoisson } from "./prng.ts";

export interface MatchOutcome {
  home: number;
  away: number;
  corners: number;
  cards: number;
  /** Scorer of each goal, in order, by side (a name appears once per goal). */
  homeScorers: string[];
  awayScorers: string[];
}

export function legWins(leg: LegSpec, o: MatchOutcome): boolean {
  if (isScoreLeg(leg)) return scoreLegWins(leg, o.home, o.away);
  switch (leg.market) {
    case "goalscorer": {
      const list = leg.side === "home" ? o.homeScorers : o.awayScorers;
      return list.some((p) => p.toLowerCase() === leg.player.toLowerCase());
    }
    case "corners":
      return countLegWins(leg, o.corners);
    case "cards":
      return countLegWins(leg, o.cards);
  }
}

export interface RosterShare {
  name: string;
  share: number;
}

function assignScorers(goals: number, roster: readonly RosterShare[], rng: Rng): string[] {
  const rest = Math.max(0, 1 - roster.reduce((s, p) => s + p.share, 0));
  const weights = [...roster.map((p) => p.share), rest];
  const out: string[] = [];
  for (let g = 0; g < goals; g++) {
    const i = sampleIndex(weights, rng);
    out.push(i < roster.length ? roster[i]!.name : "Other");
  }
  return out;
}

export function simulateOutcome(model: MatchModel, homeRoster: readonly RosterShare[], awayRoster: readonly RosterShare[], rng: Rng): MatchOutcome {
  const idx = sampleIndex(model.grid, rng);
  const home = Math.floor(idx / GRID_SIZE);
  const away = idx % GRID_SIZE;
  const ci = cellIndex(home, away);
  return {
    home,
    away,
    corners: samplePoisson(model.cornersMeanByCell[ci]!, rng),
    cards: samplePoisson(model.cardsMeanByCell[ci]!, rng),
    homeScorers: assignScorers(home, homeRoster, rng),
    awayScorers: assignScorers(away, awayRoster, rng),
  };
}
