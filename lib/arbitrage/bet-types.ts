// Bet types 1–20 of the WinWise arbitrage API: names, value patterns and settlement over a final
// score (h, a). Pure. Settlement follows the research notes (shared/reference/quant.md, A1): whole and half lines
// settle in one piece; quarter lines (x.25, x.75) are two half stakes on the neighbouring
// half-point lines.

export type Team = "home" | "away";
export type MatchResult = "home" | "draw" | "away";

/** Fractions of one unit stake that win, are refunded and lose; they sum to 1. */
export interface Settlement {
  readonly win: number;
  readonly push: number;
  readonly lose: number;
}

/**
 * Where a bet's payoff can change, as half-integer cut points on four linear forms of the score:
 * home goals h, away goals a, total t = h + a and margin d = h − a. Between two consecutive cuts
 * of every form the payoff depends on (h, a) only through the parities of h and a.
 */
export interface Cuts {
  readonly h: readonly number[];
  readonly a: readonly number[];
  readonly t: readonly number[];
  readonly d: readonly number[];
}

export interface ParsedValue {
  settle(h: number, a: number): Settlement;
  readonly cuts: Cuts;
}

export interface BetTypeDef {
  readonly id: number;
  readonly name: string;
  /** Other spellings accepted for `bet_type` (the python client and older docs use them). */
  readonly aliases: readonly string[];
  readonly pattern: RegExp;
  readonly examples: readonly string[];
  readonly description: string;
  /** Parses a value already known to match `pattern`; returns an error message for semantic problems. */
  parse(match: RegExpMatchArray): ParsedValue | string;
}

const WIN: Settlement = Object.freeze({ win: 1, push: 0, lose: 0 });
const LOSE: Settlement = Object.freeze({ win: 0, push: 0, lose: 1 });
const PUSH: Settlement = Object.freeze({ win: 0, push: 1, lose: 0 });
const outcome = (won: boolean): Settlement => (won ? WIN : LOSE);

const emptyCuts = (): { h: number[]; a: number[]; t: number[]; d: number[] } => ({ h: [], a: [], t: [], d: [] });

/** Cut points that separate "x < c", "x = c" and "x > c" on the integers. */
const cutsAround = (c: number): number[] => (Number.isInteger(c) ? [c - 0.5, c + 0.5] : [c]);

const result = (h: number, a: number): MatchResult => (h > a ? "home" : h < a ? "away" : "draw");
const goalsOf = (team: Team, h: number, a: number): number => (team === "home" ? h : a);
const opponentGoals = (team: Team, h: number, a: number): number => (team === "home" ? a : h);

/** Component lines of a handicap/total line: quarter lines split into the two neighbouring half-point lines. */
export const componentLines = (line: number): number[] => {
  const quarters = Math.round(line * 4);
  return Math.abs(quarters % 2) === 1 ? [line - 0.25, line + 0.25] : [line];
};

/** Averages the settlements of `v(line') > 0 win / = 0 push / < 0 lose` over the component lines. */
const settleLine = (line: number, signedAt: (component: number) => number): Settlement => {
  const comps = componentLines(line);
  let win = 0;
  let push = 0;
  let lose = 0;
  for (const c of comps) {
    const v = signedAt(c);
    if (v > 0) win += 1;
    else if (v === 0) push += 1;
    else lose += 1;
  }
  const n = comps.length;
  return { win: win / n, push: push / n, lose: lose / n };
};

const parseLine = (text: string): number => Number(text);
/** Handicap and total lines are capped like every other number in a value (at most 4 digits). */
const MAX_LINE = 9999.75;

const RESULT_CUTS = { d: [-0.5, 0.5] };
const TEAM_SCORED_CUT = 0.5;

const def = (d: BetTypeDef): BetTypeDef => Object.freeze(d);

export const BET_TYPES: readonly BetTypeDef[] = Object.freeze([
  def({
    id: 1,
    name: "MatchWinner",
    aliases: [],
    pattern: /^(home|draw|away)$/,
    examples: ["home", "draw", "away"],
    description: "The result of the match",
    parse: (m) => {
      const pick = m[1] as MatchResult;
      return { settle: (h, a) => outcome(result(h, a) === pick), cuts: { ...emptyCuts(), ...RESULT_CUTS } };
    },
  }),
  def({
    id: 2,
    name: "AsianHandicap",
    aliases: [],
    pattern: /^(home|away) ([+-]?\d+(?:\.(?:0|25|5|75))?)$/,
    examples: ["home -0.75", "away -3.0", "home 4.25", "away 1.75"],
    description: "The team wins with the handicap applied; quarter lines split the stake over the two neighbouring lines",
    parse: (m) => {
      const team = m[1] as Team;
      const line = parseLine(m[2]!);
      if (Math.abs(line) > MAX_LINE) return `the handicap must be within ±${MAX_LINE}`;
      const sign = team === "home" ? 1 : -1;
      // home: d + L' > 0 <=> d > -L'; away: -d + L' > 0 <=> d < L'.
      const cuts = emptyCuts();
      for (const c of componentLines(line)) cuts.d.push(...cutsAround(-sign * c));
      return { settle: (h, a) => settleLine(line, (c) => sign * (h - a) + c), cuts };
    },
  }),
  def({
    id: 3,
    name: "Goals_OverUnder",
    aliases: ["OverUnder", "Total_OverUnder"],
    pattern: /^(over|under) ([+-]?\d+(?:\.(?:0|25|5|75))?)$/,
    examples: ["over 0.75", "under 3.0", "over 4.25", "under 1.75"],
    description: "Total goals over or under the line; quarter lines split the stake over the two neighbouring lines",
    parse: (m) => {
      const over = m[1] === "over";
      const line = parseLine(m[2]!);
      if (Math.abs(line) > MAX_LINE) return `the line must be within ±${MAX_LINE}`;
      const cuts = emptyCuts();
      for (const c of componentLines(line)) cuts.t.push(...cutsAround(c));
      return { settle: (h, a) => settleLine(line, (c) => (over ? h + a - c : c - (h + a))), cuts };
    },
  }),
  def({
    id: 4,
    name: "BothTeamsToScore",
    aliases: ["BTTS"],
    pattern: /^(yes|no)$/,
    examples: ["yes", "no"],
    description: "Both teams score",
    parse: (m) => {
      const yes = m[1] === "yes";
      return {
        settle: (h, a) => outcome((h >= 1 && a >= 1) === yes),
        cuts: { ...emptyCuts(), h: [TEAM_SCORED_CUT], a: [TEAM_SCORED_CUT] },
      };
    },
  }),
  def({
    id: 5,
    name: "ExactScore",
    aliases: ["CorrectScore"],
    // One score, or several separated by spaces (newer API: any one of them wins).
    pattern: /^(\d{1,4}:\d{1,4}(?: \d{1,4}:\d{1,4})*)$/,
    examples: ["2:1", "1:1 2:2"],
    description: "The final score home:away; several space-separated scores win if any one is the final score",
    parse: (m) => {
      const scores = m[1]!.split(" ").map((s) => s.split(":").map(Number) as [number, number]);
      const keys = new Set(scores.map(([x, y]) => `${x}:${y}`));
      if (keys.size !== scores.length) return "the same score is listed twice";
      const cuts = emptyCuts();
      for (const [x, y] of scores) {
        cuts.h.push(...cutsAround(x));
        cuts.a.push(...cutsAround(y));
      }
      return { settle: (h, a) => outcome(keys.has(`${h}:${a}`)), cuts };
    },
  }),
  def({
    id: 6,
    name: "DoubleChance",
    aliases: [],
    pattern: /^(home|draw|away)\/(home|draw|away)$/,
    examples: ["home/draw", "home/away", "draw/away"],
    description: "Either of two results",
    parse: (m) => {
      const x = m[1] as MatchResult;
      const y = m[2] as MatchResult;
      if (x === y) return "the two results of a double chance must differ";
      return { settle: (h, a) => outcome(result(h, a) === x || result(h, a) === y), cuts: { ...emptyCuts(), ...RESULT_CUTS } };
    },
  }),
  def({
    id: 7,
    name: "Team_OverUnder",
    aliases: ["Team_Total"],
    pattern: /^(home|away) (over|under) (\d{1,4})\.5$/,
    examples: ["home over 2.5", "away under 0.5"],
    description: "A team's goals over or under n.5",
    parse: (m) => {
      const team = m[1] as Team;
      const over = m[2] === "over";
      const line = Number(m[3]) + 0.5;
      const cuts = emptyCuts();
      (team === "home" ? cuts.h : cuts.a).push(line);
      return { settle: (h, a) => outcome(over ? goalsOf(team, h, a) > line : goalsOf(team, h, a) < line), cuts };
    },
  }),
  def({
    id: 8,
    name: "OddEven",
    aliases: [],
    pattern: /^(odd|even)$/,
    examples: ["odd", "even"],
    description: "Total goals odd or even (0 is even)",
    parse: (m) => {
      const odd = m[1] === "odd";
      return { settle: (h, a) => outcome(((h + a) % 2 === 1) === odd), cuts: emptyCuts() };
    },
  }),
  def({
    id: 9,
    name: "Team_OddEven",
    aliases: [],
    pattern: /^(home|away) (odd|even)$/,
    examples: ["home odd", "away even"],
    description: "A team's goals odd or even",
    parse: (m) => {
      const team = m[1] as Team;
      const odd = m[2] === "odd";
      return { settle: (h, a) => outcome((goalsOf(team, h, a) % 2 === 1) === odd), cuts: emptyCuts() };
    },
  }),
  def({
    id: 10,
    name: "Result_BothTeamsScore",
    aliases: [],
    pattern: /^(home|draw|away)\/(yes|no)$/,
    examples: ["home/yes", "draw/no"],
    description: "Result and both-teams-to-score; both parts must hold",
    parse: (m) => {
      const pick = m[1] as MatchResult;
      const yes = m[2] === "yes";
      return {
        settle: (h, a) => outcome(result(h, a) === pick && (h >= 1 && a >= 1) === yes),
        cuts: { ...emptyCuts(), ...RESULT_CUTS, h: [TEAM_SCORED_CUT], a: [TEAM_SCORED_CUT] },
      };
    },
  }),
  def({
    id: 11,
    name: "Result_TotalGoals",
    aliases: ["Result_OverUnder"],
    pattern: /^(home|draw|away)\/(over|under) (\d{1,4})\.5$/,
    examples: ["home/over 2.5", "draw/under 0.5"],
    description: "Result and total goals over/under n.5; both parts must hold",
    parse: (m) => {
      const pick = m[1] as MatchResult;
      const over = m[2] === "over";
      const line = Number(m[3]) + 0.5;
      return {
        settle: (h, a) => outcome(result(h, a) === pick && (over ? h + a > line : h + a < line)),
        cuts: { ...emptyCuts(), ...RESULT_CUTS, t: [line] },
      };
    },
  }),
  def({
    id: 12,
    name: "TeamCleanSheet",
    aliases: [],
    pattern: /^(home|away) (yes|no)$/,
    examples: ["home yes", "away no"],
    description: "The team concedes no goal",
    parse: (m) => {
      const team = m[1] as Team;
      const yes = m[2] === "yes";
      const cuts = emptyCuts();
      (team === "home" ? cuts.a : cuts.h).push(TEAM_SCORED_CUT);
      return { settle: (h, a) => outcome((opponentGoals(team, h, a) === 0) === yes), cuts };
    },
  }),
  def({
    id: 13,
    name: "Team_WinToNil",
    aliases: [],
    pattern: /^(home|away) (yes|no)$/,
    examples: ["home yes", "away no"],
    description: "The team scores and concedes no goal",
    parse: (m) => {
      const team = m[1] as Team;
      const yes = m[2] === "yes";
      return {
        settle: (h, a) => outcome((goalsOf(team, h, a) >= 1 && opponentGoals(team, h, a) === 0) === yes),
        cuts: { ...emptyCuts(), h: [TEAM_SCORED_CUT], a: [TEAM_SCORED_CUT] },
      };
    },
  }),
  def({
    id: 14,
    name: "ExactGoalsNumber",
    aliases: ["TotalGoals"],
    pattern: /^(\d{1,4})$/,
    examples: ["2", "3"],
    description: "Total goals exactly n",
    parse: (m) => {
      const n = Number(m[1]);
      return { settle: (h, a) => outcome(h + a === n), cuts: { ...emptyCuts(), t: cutsAround(n) } };
    },
  }),
  def({
    id: 15,
    name: "Team_ExactGoalsNumber",
    aliases: ["Team_ExactGoals"],
    pattern: /^(home|away) (\d{1,4})$/,
    examples: ["home 2", "away 3"],
    description: "A team's goals exactly n",
    parse: (m) => {
      const team = m[1] as Team;
      const n = Number(m[2]);
      const cuts = emptyCuts();
      (team === "home" ? cuts.h : cuts.a).push(...cutsAround(n));
      return { settle: (h, a) => outcome(goalsOf(team, h, a) === n), cuts };
    },
  }),
  def({
    id: 16,
    name: "Team_ScoreAGoal",
    aliases: [],
    pattern: /^(home|away) (yes|no)$/,
    examples: ["home yes", "away no"],
    description: "The team scores (yes) or does not (no)",
    parse: (m) => {
      const team = m[1] as Team;
      const yes = m[2] === "yes";
      const cuts = emptyCuts();
      (team === "home" ? cuts.h : cuts.a).push(TEAM_SCORED_CUT);
      return { settle: (h, a) => outcome((goalsOf(team, h, a) >= 1) === yes), cuts };
    },
  }),
  def({
    id: 17,
    name: "DrawNoBet",
    aliases: [],
    pattern: /^(home|away)$/,
    examples: ["home", "away"],
    description: "The team wins; a draw refunds the stake (Asian handicap 0.0)",
    parse: (m) => {
      const pick = m[1] as Team;
      return {
        settle: (h, a) => (h === a ? PUSH : outcome(result(h, a) === pick)),
        cuts: { ...emptyCuts(), ...RESULT_CUTS },
      };
    },
  }),
  def({
    id: 18,
    name: "Team_GoalsRange",
    aliases: [],
    pattern: /^(home|away) (\d{1,4})-(\d{1,4})$/,
    examples: ["home 2-3", "away 0-1"],
    description: "A team's goals within lo..hi inclusive",
    parse: (m) => {
      const team = m[1] as Team;
      const lo = Number(m[2]);
      const hi = Number(m[3]);
      if (lo > hi) return "the range must be low-high with low <= high";
      const cuts = emptyCuts();
      (team === "home" ? cuts.h : cuts.a).push(lo - 0.5, hi + 0.5);
      return {
        settle: (h, a) => {
          const g = goalsOf(team, h, a);
          return outcome(g >= lo && g <= hi);
        },
        cuts,
      };
    },
  }),
  def({
    id: 19,
    name: "BothTeamsToScore_OverUnder",
    aliases: [],
    pattern: /^(yes|no) (over|under) (\d{1,4})\.5$/,
    examples: ["yes over 2.5", "no under 1.5"],
    description: "Both-teams-to-score and total goals over/under n.5; both parts must hold",
    parse: (m) => {
      const yes = m[1] === "yes";
      const over = m[2] === "over";
      const line = Number(m[3]) + 0.5;
      return {
        settle: (h, a) => outcome((h >= 1 && a >= 1) === yes && (over ? h + a > line : h + a < line)),
        cuts: { ...emptyCuts(), h: [TEAM_SCORED_CUT], a: [TEAM_SCORED_CUT], t: [line] },
      };
    },
  }),
  def({
    id: 20,
    name: "TotalGoalsRange",
    aliases: [],
    pattern: /^(\d{1,4})-(\d{1,4})$/,
    examples: ["2-3", "0-1"],
    description: "Total goals within lo..hi inclusive",
    parse: (m) => {
      const lo = Number(m[1]);
      const hi = Number(m[2]);
      if (lo > hi) return "the range must be low-high with low <= high";
      return {
        settle: (h, a) => outcome(h + a >= lo && h + a <= hi),
        cuts: { ...emptyCuts(), t: [lo - 0.5, hi + 0.5] },
      };
    },
  }),
]);

const BY_ID = new Map(BET_TYPES.map((t) => [t.id, t]));
const normName = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, "");
const BY_NAME = new Map<string, BetTypeDef>();
for (const t of BET_TYPES) for (const n of [t.name, ...t.aliases]) BY_NAME.set(normName(n), t);

/** Looks a bet type up by id (1–20), by a digit string, or by name/alias (case, `_` and spaces ignored). */
export const findBetType = (betType: number | string): BetTypeDef | undefined => {
  if (typeof betType === "number") return Number.isInteger(betType) ? BY_ID.get(betType) : undefined;
  const trimmed = betType.trim();
  if (/^\d+$/.test(trimmed)) return BY_ID.get(Number(trimmed));
  return BY_NAME.get(normName(trimmed));
};

/** Normalises a value string the way the python client does (lower case), also trimming and collapsing spaces. */
export const normalizeValue = (value: string): string => value.trim().replace(/\s+/g, " ").toLowerCase();

/** Parses `value` for `type`: a settlement closure, or an error message naming the expected format. */
export const parseBetValue = (type: BetTypeDef, value: string): ParsedValue | string => {
  const m = normalizeValue(value).match(type.pattern);
  if (!m) {
    return `"${value}" does not match ${type.name} (bet_type ${type.id}) pattern ${type.pattern.source}, e.g. ${type.examples
      .map((e) => `"${e}"`)
      .join(", ")}`;
  }
  return type.parse(m);
};
