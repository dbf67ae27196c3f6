// The customer's slip in the acca designer, and its mapping to and from the TE pricing struct
// (always sent as a "Bet Builder" product so legs of any market can be mixed).

export type AccaMarket = "match_winner" | "match_loser" | "draw" | "btts" | "total_goals" | "clean_sheet" | "goalscorer" | "corners" | "cards";

export interface SlipLeg {
  league: string;
  /** "Home vs Away" */
  event: string;
  market: AccaMarket;
  selection?: string;
  player?: string;
  kickoff?: string;
}

export interface BetStruct {
  product?: string;
  matches: Array<{ league: string; event: string; market?: string; selection?: string; player?: string }>;
  acca_conditions?: Array<{ type: string; condition: string; value: number }>;
}

export const legKey = (l: Pick<SlipLeg, "league" | "event" | "market" | "selection" | "player">): string =>
  [l.league, l.event, l.market, (l.selection ?? l.player ?? "").toLowerCase()].join("|");

const sides = (event: string): [string, string] => {
  const i = event.indexOf(" vs ");
  return i < 0 ? [event, ""] : [event.slice(0, i), event.slice(i + 4)];
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Short label for the slip, e.g. "Liverpool to win", "Over 2.5 goals", "Salah to score". */
export function legLabel(l: SlipLeg): string {
  const [home, away] = sides(l.event);
  switch (l.market) {
    case "match_winner":
      return `${l.selection} to win`;
    case "match_loser":
      return `${l.selection} to lose`;
    case "draw":
      return "Draw";
    case "btts":
      return l.selection === "no" ? "Both teams to score: no" : "Both teams to score";
    case "total_goals":
      return `${cap(l.selection ?? "")} goals`;
    case "clean_sheet":
      return `${l.selection} clean sheet`;
    case "goalscorer":
      return `${l.player} to score`;
    case "corners":
      return `${cap(l.selection ?? "")} corners`;
    case "cards":
      return `${cap(l.selection ?? "")} cards`;
    default:
      return `${home} v ${away}`;
  }
}

/** k = how many legs must win (n = all). */
export function toStruct(legs: readonly SlipLeg[], atLeast: number): BetStruct {
  return {
    product: "Bet Builder",
    matches: legs.map((l) => ({
      league: l.league,
      event: l.event,
      market: l.market,
      ...(l.market === "goalscorer" ? { player: l.player } : { selection: l.selection ?? (l.market === "draw" ? "draw" : undefined) }),
    })),
    acca_conditions: [{ type: "wins", condition: "at_least", value: Math.min(Math.max(1, atLeast), legs.length) }],
  };
}

const PRODUCT_MARKETS: Record<string, AccaMarket> = {
  "match winners": "match_winner",
  "match losers": "match_loser",
  draws: "draw",
  "both teams to score": "btts",
  "over/under goals": "total_goals",
  "clean sheets": "clean_sheet",
  goalscorers: "goalscorer",
  corners: "corners",
  cards: "cards",
};

/** The slip (and k) from a stored struct of any product; null if it cannot be shown as a slip. */
export function fromStruct(s: BetStruct): { legs: SlipLeg[]; atLeast: number } | null {
  const productMarket = PRODUCT_MARKETS[(s.product ?? "Match Winners").toLowerCase()];
  const legs: SlipLeg[] = [];
  for (const m of s.matches ?? []) {
    const market = (m.market as AccaMarket | undefined) ?? productMarket;
    if (!market) return null;
    legs.push({ league: m.league, event: m.event, market, ...(market === "goalscorer" ? { player: m.player } : { selection: m.selection ?? (market === "draw" ? "draw" : undefined) }) });
  }
  const n = legs.length;
  let atLeast = n;
  const c = s.acca_conditions?.[0];
  if (c && c.type === "wins") {
    if (c.condition === "greater_than") atLeast = c.value + 1;
    else if (["at_least", "greater_than_or_equal", "equals", "exactly"].includes(c.condition)) atLeast = c.value;
  }
  return { legs, atLeast: Math.min(Math.max(1, atLeast), Math.max(1, n)) };
}
