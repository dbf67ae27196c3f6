// Leg specifications: what one leg of an accumulator pays on. Everything the pricer and the settler
// need is here, already resolved against the fixture list (sides, lines, scorer shares).

export type Side = "home" | "away";
export type Direction = "over" | "under";

export type LegSpec =
  | { market: "match_winner"; side: Side }
  | { market: "match_loser"; side: Side }
  | { market: "draw" }
  | { market: "btts"; yes: boolean }
  | { market: "total_goals"; direction: Direction; line: number }
  | { market: "clean_sheet"; side: Side }
  | { market: "goalscorer"; side: Side; player: string; share: number }
  | { market: "corners"; direction: Direction; line: number }
  | { market: "cards"; direction: Direction; line: number };

export type LegMarket = LegSpec["market"];

export const LEG_MARKETS: readonly LegMarket[] = [
  "match_winner",
  "match_loser",
  "draw",
  "btts",
  "total_goals",
  "clean_sheet",
  "goalscorer",
  "corners",
  "cards",
];

/** Legs that are a deterministic function of the final score. */
export type ScoreLeg = Extract<LegSpec, { market: "match_winner" | "match_loser" | "draw" | "btts" | "total_goals" | "clean_sheet" }>;

export const isScoreLeg = (leg: LegSpec): leg is ScoreLeg =>
  leg.market !== "goalscorer" && leg.market !== "corners" && leg.market !== "cards";

/** Whether a score leg wins at final score (h, a). */
export function scoreLegWins(leg: ScoreLeg, h: number, a: number): boolean {
  switch (leg.market) {
    case "match_winner":
      return leg.side === "home" ? h > a : a > h;
    case "match_loser":
      return leg.side === "home" ? h < a : a < h;
    case "draw":
      return h === a;
    case "btts":
      return (h >= 1 && a >= 1) === leg.yes;
    case "total_goals":
      return leg.direction === "over" ? h + a > leg.line : h + a < leg.line;
    case "clean_sheet":
      return leg.side === "home" ? a === 0 : h === 0;
  }
}

/** Whether an over/under leg on a count (corners, cards) wins with `count`. Lines are x.5. */
export const countLegWins = (leg: { direction: Direction; line: number }, count: number): boolean =>
  leg.direction === "over" ? count > leg.line : count < leg.line;

/** A stable key for a leg inside one match, used to refuse duplicates. */
export function legKey(leg: LegSpec): string {
  switch (leg.market) {
    case "match_winner":
    case "match_loser":
    case "clean_sheet":
      return `${leg.market}:${leg.side}`;
    case "draw":
      return "draw";
    case "btts":
      return `btts:${leg.yes ? "yes" : "no"}`;
    case "total_goals":
    case "corners":
    case "cards":
      return `${leg.market}:${leg.direction}:${leg.line}`;
    case "goalscorer":
      return `goalscorer:${leg.side}:${leg.player.toLowerCase()}`;
  }
}
