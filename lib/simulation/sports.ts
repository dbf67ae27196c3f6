// The sports, tournaments and teams of the simulated world, with the score-model constants per sport
// and the Sportradar market/outcome ids the exchange uses (prophetx-protocol.md §2.2).

import type { SportKey, TieRule } from "./score-model";

export interface MarketIds {
  readonly winner: number;
  readonly handicap: number;
  readonly total: number;
}

export interface NormalSportModel {
  readonly family: "normal";
  /** Team rating spread (points); the margin mean is rating difference + home advantage. */
  readonly ratingSd: number;
  readonly homeAdvantage: number;
  readonly marginSd: number;
  readonly totalMean: number;
  readonly totalMeanSd: number;
  readonly totalSd: number;
  /** Pre-match random-walk step sizes per drift bucket. */
  readonly marginDrift: number;
  readonly totalDrift: number;
  readonly handicapStep: number;
  readonly totalStep: number;
}

export interface PoissonSportModel {
  readonly family: "poisson";
  readonly homeRate: number;
  readonly awayRate: number;
  /** Team strength spread on the log-rate scale. */
  readonly ratingSd: number;
  readonly rho: number;
  /** Pre-match random-walk step on log rates per drift bucket. */
  readonly logRateDrift: number;
  readonly totalStep: number;
}

export interface SportSpec {
  readonly key: SportKey;
  readonly sportId: number;
  readonly sportName: string;
  readonly markets: MarketIds;
  readonly threeWay: boolean;
  readonly tieRule: TieRule["kind"];
  readonly handicapName: string;
  readonly model: NormalSportModel | PoissonSportModel;
}

export const SPORTS: Readonly<Record<SportKey, SportSpec>> = {
  basketball: {
    key: "basketball",
    sportId: 2,
    sportName: "Basketball",
    markets: { winner: 219, handicap: 223, total: 225 },
    threeWay: false,
    tieRule: "extra",
    handicapName: "Spread",
    model: {
      family: "normal",
      ratingSd: 4.5,
      homeAdvantage: 2.5,
      marginSd: 12.5,
      totalMean: 226,
      totalMeanSd: 7,
      totalSd: 19,
      marginDrift: 0.25,
      totalDrift: 0.4,
      handicapStep: 2,
      totalStep: 4,
    },
  },
  american_football: {
    key: "american_football",
    sportId: 16,
    sportName: "American Football",
    markets: { winner: 219, handicap: 223, total: 225 },
    threeWay: false,
    tieRule: "extra",
    handicapName: "Spread",
    model: {
      family: "normal",
      ratingSd: 4.5,
      homeAdvantage: 1.8,
      marginSd: 13.5,
      totalMean: 45,
      totalMeanSd: 3.5,
      totalSd: 13,
      marginDrift: 0.2,
      totalDrift: 0.2,
      handicapStep: 3,
      totalStep: 3,
    },
  },
  baseball: {
    key: "baseball",
    sportId: 3,
    sportName: "Baseball",
    markets: { winner: 251, handicap: 256, total: 258 },
    threeWay: false,
    tieRule: "extra",
    handicapName: "Run Line",
    model: { family: "poisson", homeRate: 4.55, awayRate: 4.35, ratingSd: 0.12, rho: 0, logRateDrift: 0.01, totalStep: 1 },
  },
  ice_hockey: {
    key: "ice_hockey",
    sportId: 4,
    sportName: "Ice Hockey",
    markets: { winner: 406, handicap: 410, total: 412 },
    threeWay: false,
    tieRule: "extra",
    handicapName: "Puck Line",
    model: { family: "poisson", homeRate: 3.15, awayRate: 2.9, ratingSd: 0.12, rho: 0, logRateDrift: 0.01, totalStep: 1 },
  },
  soccer: {
    key: "soccer",
    sportId: 1,
    sportName: "Soccer",
    markets: { winner: 1, handicap: 16, total: 18 },
    threeWay: true,
    tieRule: "keep",
    handicapName: "Handicap",
    model: { family: "poisson", homeRate: 1.5, awayRate: 1.15, ratingSd: 0.25, rho: -0.06, logRateDrift: 0.012, totalStep: 1 },
  },
};

export interface TeamSpec {
  readonly name: string;
  readonly abbreviation: string;
}

export interface TournamentSpec {
  readonly id: number;
  readonly name: string;
  readonly sport: SportKey;
  readonly category: { readonly id: number; readonly name: string; readonly countryCode: string };
  readonly teams: readonly TeamSpec[];
}

const t = (name: string, abbreviation: string): TeamSpec => ({ name, abbreviation });
const USA = { id: 15, name: "USA", countryCode: "US" } as const;

/** Tournament ids as in the 2026 snapshot of the reference (§2.2). */
export const TOURNAMENTS: readonly TournamentSpec[] = [
  {
    id: 132,
    name: "NBA",
    sport: "basketball",
    category: USA,
    teams: [
      t("Boston Celtics", "BOS"), t("Los Angeles Lakers", "LAL"), t("Denver Nuggets", "DEN"),
      t("Milwaukee Bucks", "MIL"), t("Golden State Warriors", "GSW"), t("Phoenix Suns", "PHX"),
      t("Miami Heat", "MIA"), t("New York Knicks", "NYK"), t("Dallas Mavericks", "DAL"),
      t("Philadelphia 76ers", "PHI"), t("Oklahoma City Thunder", "OKC"), t("Minnesota Timberwolves", "MIN"),
    ],
  },
  {
    id: 31,
    name: "NFL",
    sport: "american_football",
    category: USA,
    teams: [
      t("Kansas City Chiefs", "KC"), t("Buffalo Bills", "BUF"), t("Philadelphia Eagles", "PHI"),
      t("San Francisco 49ers", "SF"), t("Dallas Cowboys", "DAL"), t("Baltimore Ravens", "BAL"),
      t("Detroit Lions", "DET"), t("Green Bay Packers", "GB"), t("Miami Dolphins", "MIA"),
      t("Cincinnati Bengals", "CIN"), t("Houston Texans", "HOU"), t("Los Angeles Rams", "LAR"),
    ],
  },
  {
    id: 109,
    name: "MLB",
    sport: "baseball",
    category: USA,
    teams: [
      t("New York Yankees", "NYY"), t("Los Angeles Dodgers", "LAD"), t("Atlanta Braves", "ATL"),
      t("Houston Astros", "HOU"), t("New York Mets", "NYM"), t("Baltimore Orioles", "BAL"),
      t("Philadelphia Phillies", "PHI"), t("Texas Rangers", "TEX"), t("Chicago Cubs", "CHC"),
      t("Seattle Mariners", "SEA"), t("Boston Red Sox", "BOS"), t("San Diego Padres", "SD"),
    ],
  },
  {
    id: 234,
    name: "NHL",
    sport: "ice_hockey",
    category: USA,
    teams: [
      t("Boston Bruins", "BOS"), t("New York Rangers", "NYR"), t("Colorado Avalanche", "COL"),
      t("Edmonton Oilers", "EDM"), t("Florida Panthers", "FLA"), t("Dallas Stars", "DAL"),
      t("Vegas Golden Knights", "VGK"), t("Toronto Maple Leafs", "TOR"), t("Carolina Hurricanes", "CAR"),
      t("Winnipeg Jets", "WPG"), t("Vancouver Canucks", "VAN"), t("Tampa Bay Lightning", "TBL"),
    ],
  },
  {
    id: 17,
    name: "Premier League",
    sport: "soccer",
    category: { id: 1, name: "England", countryCode: "GB" },
    teams: [
      t("Arsenal", "ARS"), t("Manchester City", "MCI"), t("Liverpool", "LIV"), t("Chelsea", "CHE"),
      t("Tottenham Hotspur", "TOT"), t("Manchester United", "MUN"), t("Newcastle United", "NEW"),
      t("Aston Villa", "AVL"), t("Brighton & Hove Albion", "BHA"), t("West Ham United", "WHU"),
      t("Brentford", "BRE"), t("Crystal Palace", "CRY"),
    ],
  },
];
