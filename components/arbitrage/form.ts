// Form state of the arbitrage calculator and its conversion to/from the API's JSON. Pure.
// Numeric fields are kept as the text the user typed; an empty field is left out of the request
// (so the API's default applies) and a non-numeric one is sent as typed, so the API reports it
// at its JSON path.

export interface BetRow {
  key: string;
  bet_type: string;
  value: string;
  odds: string;
  bookmaker: string;
  lay: boolean;
  volume: string;
  previous_wager: string;
}

export interface BookmakerRow {
  key: string;
  id: string;
  commission: string;
  wager_limit: string;
  ignore_wager_precision: boolean;
  max_wager_count: string;
}

export interface FormState {
  wager_limit: string;
  wager_precision: string;
  no_draw: boolean;
  max_process_time: string;
  total_max_wager_count: string;
  mode: "1" | "2";
  bookmakers: BookmakerRow[];
  bets: BetRow[];
}

export const BET_TYPE_OPTIONS: readonly { id: number; name: string; example: string }[] = [
  { id: 1, name: "MatchWinner", example: "home" },
  { id: 2, name: "AsianHandicap", example: "home -0.75" },
  { id: 3, name: "Goals_OverUnder", example: "over 2.5" },
  { id: 4, name: "BothTeamsToScore", example: "yes" },
  { id: 5, name: "ExactScore", example: "2:1" },
  { id: 6, name: "DoubleChance", example: "home/draw" },
  { id: 7, name: "Team_OverUnder", example: "home over 1.5" },
  { id: 8, name: "OddEven", example: "odd" },
  { id: 9, name: "Team_OddEven", example: "home odd" },
  { id: 10, name: "Result_BothTeamsScore", example: "home/yes" },
  { id: 11, name: "Result_TotalGoals", example: "home/over 2.5" },
  { id: 12, name: "TeamCleanSheet", example: "home yes" },
  { id: 13, name: "Team_WinToNil", example: "home yes" },
  { id: 14, name: "ExactGoalsNumber", example: "2" },
  { id: 15, name: "Team_ExactGoalsNumber", example: "home 2" },
  { id: 16, name: "Team_ScoreAGoal", example: "home yes" },
  { id: 17, name: "DrawNoBet", example: "home" },
  { id: 18, name: "Team_GoalsRange", example: "home 2-3" },
  { id: 19, name: "BothTeamsToScore_OverUnder", example: "yes over 2.5" },
  { id: 20, name: "TotalGoalsRange", example: "2-3" },
];

let keySeq = 0;
export const newKey = (): string => `k${++keySeq}`;

export const emptyBet = (bookmaker = ""): BetRow => ({
  key: newKey(),
  bet_type: "1",
  value: "",
  odds: "",
  bookmaker,
  lay: false,
  volume: "",
  previous_wager: "",
});

export const emptyBookmaker = (id: string): BookmakerRow => ({
  key: newKey(),
  id,
  commission: "",
  wager_limit: "",
  ignore_wager_precision: false,
  max_wager_count: "",
});

export const emptyForm = (): FormState => ({
  wager_limit: "",
  wager_precision: "",
  no_draw: false,
  max_process_time: "",
  total_max_wager_count: "",
  mode: "1",
  bookmakers: [],
  bets: [emptyBet(), emptyBet()],
});

/** "" -> undefined (use the default); numeric text -> number; anything else is sent as typed. */
const num = (text: string): number | string | undefined => {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};

const put = (obj: Record<string, unknown>, key: string, value: unknown): void => {
  if (value !== undefined) obj[key] = value;
};

/** The request body for POST /api/arbitrage. */
export const toRequest = (f: FormState): Record<string, unknown> => {
  const req: Record<string, unknown> = {};
  put(req, "wager_limit", num(f.wager_limit));
  put(req, "wager_precision", num(f.wager_precision));
  if (f.no_draw) req["no-draw"] = true;
  put(req, "max_process_time", num(f.max_process_time));
  put(req, "total_max_wager_count", num(f.total_max_wager_count));
  if (f.mode === "2") req.mode = 2;
  if (f.bookmakers.length > 0) {
    req.bookmakers = f.bookmakers.map((b) => {
      const o: Record<string, unknown> = {};
      put(o, "id", num(b.id) ?? b.id);
      put(o, "commission", num(b.commission));
      put(o, "wager_limit", num(b.wager_limit));
      if (b.ignore_wager_precision) o.ignore_wager_precision = true;
      put(o, "max_wager_count", num(b.max_wager_count));
      return o;
    });
  }
  req.bets = f.bets.map((b) => {
    const o: Record<string, unknown> = {};
    o.bet_type = num(b.bet_type) ?? b.bet_type;
    o.value = b.value;
    o.odds = num(b.odds) ?? b.odds;
    put(o, "bookmaker", num(b.bookmaker));
    if (b.lay) o.lay = true;
    put(o, "volume", num(b.volume));
    put(o, "previous_wager", num(b.previous_wager));
    return o;
  });
  return req;
};

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Loads a request (or a response) into the form; returns an error message for unusable JSON. */
export const fromRequest = (value: unknown): FormState | string => {
  if (!isRecord(value)) return "the JSON must be an object with a \"bets\" array";
  if (!Array.isArray(value.bets)) return "the JSON has no \"bets\" array";
  const typeId = (t: unknown): string => {
    if (typeof t === "number") return String(t);
    const byName = BET_TYPE_OPTIONS.find((o) => o.name.toLowerCase() === String(t).toLowerCase());
    return byName ? String(byName.id) : str(t);
  };
  const noDraw = value["no-draw"] ?? value.no_draw;
  return {
    wager_limit: value.wager_limit === -1 ? "" : str(value.wager_limit),
    wager_precision: str(value.wager_precision),
    no_draw: noDraw === true,
    max_process_time: str(value.max_process_time),
    total_max_wager_count: value.total_max_wager_count === -1 ? "" : str(value.total_max_wager_count),
    mode: value.mode === 2 || value.mode === "MaxProfit" ? "2" : "1",
    bookmakers: Array.isArray(value.bookmakers)
      ? value.bookmakers.filter(isRecord).map((b) => ({
          key: newKey(),
          id: str(b.id),
          commission: str(b.commission),
          wager_limit: b.wager_limit === -1 ? "" : str(b.wager_limit),
          ignore_wager_precision: b.ignore_wager_precision === true,
          max_wager_count: b.max_wager_count === -1 ? "" : str(b.max_wager_count),
        }))
      : [],
    bets: value.bets.filter(isRecord).map((b) => ({
      key: newKey(),
      bet_type: typeId(b.bet_type),
      value: str(b.value),
      odds: str(b.odds),
      bookmaker: str(b.bookmaker),
      lay: b.lay === true,
      volume: b.volume === -1 ? "" : str(b.volume),
      previous_wager: str(b.previous_wager),
    })),
  };
};

export interface Example {
  readonly id: string;
  readonly label: string;
  readonly request: Record<string, unknown>;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: "greece",
    label: "Greece v Ireland 1X2 (2.3 / 3.5 / 4.23, limit 95.69)",
    request: {
      wager_limit: 95.69,
      bookmakers: [{ id: 1 }, { id: 2 }, { id: 3 }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.3, bookmaker: 2 },
        { bet_type: 1, value: "draw", odds: 3.5, bookmaker: 3 },
        { bet_type: 1, value: "away", odds: 4.23, bookmaker: 1 },
      ],
    },
  },
  {
    id: "asian",
    label: "Asian handicap quarter lines with an exchange lay",
    request: {
      wager_limit: 500,
      wager_precision: 1,
      bookmakers: [{ id: 1, wager_limit: 300 }, { id: 2 }, { id: 3, commission: 0.02, ignore_wager_precision: true }],
      bets: [
        { bet_type: 2, value: "home -0.25", odds: 2.1, bookmaker: 1 },
        { bet_type: 2, value: "away +0.25", odds: 2.02, bookmaker: 2 },
        { bet_type: 1, value: "home", odds: 2.5, bookmaker: 3, lay: true, volume: 150 },
      ],
    },
  },
  {
    id: "goals",
    label: "Goals markets, best single outcome (mode 2)",
    request: {
      mode: 2,
      bookmakers: [{ id: 1, max_wager_count: 2 }, { id: 2 }],
      bets: [
        { bet_type: 3, value: "over 2.5", odds: 2.12, bookmaker: 1 },
        { bet_type: 3, value: "under 2.5", odds: 2.02, bookmaker: 2 },
        { bet_type: 4, value: "yes", odds: 1.95, bookmaker: 2 },
        { bet_type: 14, value: "2", odds: 4.4, bookmaker: 1 },
      ],
    },
  },
  {
    id: "hedge",
    label: "Hedge a placed bet (previous_wager)",
    request: {
      wager_limit: 200,
      bets: [
        { bet_type: 1, value: "home", odds: 1.5, previous_wager: 100 },
        { bet_type: 1, value: "draw", odds: 3.2 },
        { bet_type: 1, value: "away", odds: 5 },
      ],
    },
  },
];

/** Field path of a form control, as the API reports it (e.g. `$.bets[2].odds`). */
export const betPath = (i: number, field: string): string => `$.bets[${i}].${field}`;
export const bookmakerPath = (i: number, field: string): string => `$.bookmakers[${i}].${field}`;
