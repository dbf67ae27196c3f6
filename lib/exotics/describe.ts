// Plain-words descriptions of legs and bets, e.g.
// "At least 2 of: Liverpool to beat Everton; Real Madrid to win at Barcelona; Napoli to win at Juventus".

import { type LegSpec } from "./legs.ts";
import { type WinningCounts, describeCounts } from "./conditions.ts";

export interface DescribedLeg {
  home: string;
  away: string;
  leg: LegSpec;
}

const fmtLine = (line: number) => (Number.isInteger(line) ? line.toFixed(0) : String(line));
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function describeLeg({ home, away, leg }: DescribedLeg): string {
  const match = `${home} vs ${away}`;
  switch (leg.market) {
    case "match_winner":
      return leg.side === "home" ? `${home} to beat ${away}` : `${away} to win at ${home}`;
    case "match_loser":
      return leg.side === "home" ? `${home} to lose to ${away}` : `${away} to lose at ${home}`;
    case "draw":
      return `${match} to be a draw`;
    case "btts":
      return leg.yes ? `Both teams to score in ${match}` : `Not both teams to score in ${match}`;
    case "total_goals":
      return `${cap(leg.direction)} ${fmtLine(leg.line)} goals in ${match}`;
    case "clean_sheet":
      return leg.side === "home" ? `${home} to keep a clean sheet against ${away}` : `${away} to keep a clean sheet at ${home}`;
    case "goalscorer":
      return `${leg.player} (${leg.side === "home" ? home : away}) to score in ${match}`;
    case "corners":
      return `${cap(leg.direction)} ${fmtLine(leg.line)} corners in ${match}`;
    case "cards":
      return `${cap(leg.direction)} ${fmtLine(leg.line)} cards in ${match}`;
  }
}

export function describeBet(legs: readonly DescribedLeg[], winning: WinningCounts): string {
  const parts = legs.map(describeLeg);
  if (legs.length === 1) {
    return winning.counts.includes(1) ? parts[0]! : `Not: ${parts[0]!}`;
  }
  return `${describeCounts(winning, legs.length)}: ${parts.join("; ")}`;
}
