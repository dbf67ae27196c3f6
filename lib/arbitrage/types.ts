// Shared types of the arbitrage calculator (WinWise API contract, field names as in the seed).

import type { BetTypeDef, ParsedValue } from "./bet-types";

/** One validation problem, addressed by a JSON path such as `$.bets[2].odds`. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

export type JsonObject = { readonly [key: string]: unknown };

export interface BookmakerInput {
  id: number;
  commission?: number;
  wager_limit?: number;
  ignore_wager_precision?: boolean;
  max_wager_count?: number;
}

export interface BetInput {
  bet_type: number | string;
  value: string;
  odds: number;
  bookmaker?: number;
  lay?: boolean;
  volume?: number;
  previous_wager?: number;
  /** Accepted (a response can be sent back as a request) and ignored. */
  wager?: number;
}

export interface ArbInput {
  wager_limit?: number;
  wager_precision?: number;
  "no-draw"?: boolean;
  max_process_time?: number;
  total_max_wager_count?: number;
  mode?: number | string;
  bookmakers?: BookmakerInput[];
  bets: BetInput[];
}

export interface Bookmaker {
  readonly id: number;
  readonly commission: number;
  /** null = no limit. */
  readonly wagerLimit: number | null;
  readonly ignorePrecision: boolean;
  /** null = no limit. */
  readonly maxWagerCount: number | null;
}

export interface Bet {
  /** Index in the input `bets` array. */
  readonly index: number;
  readonly type: BetTypeDef;
  readonly value: string;
  readonly parsed: ParsedValue;
  readonly odds: number;
  readonly bookmaker: Bookmaker;
  readonly lay: boolean;
  /** Cap on the new stake (backer's stake for a lay); null = no limit. */
  readonly volume: number | null;
  readonly previousWager: number;
}

export type Mode = 1 | 2;

/** A validated request with every default applied. */
export interface ArbProblem {
  readonly input: ArbInput;
  readonly bets: readonly Bet[];
  readonly bookmakers: readonly Bookmaker[];
  /** Effective global limit on total exposure (seed default rule applied). */
  readonly wagerLimit: number;
  readonly wagerLimitSource: "input" | "bookmakers" | "default";
  readonly precision: number;
  readonly noDraw: boolean;
  /** Effective time budget in seconds (clamped to [MIN_PROCESS_TIME_S, MAX_PROCESS_TIME_S]). */
  readonly maxProcessTime: number;
  /** Effective total cap on new wagers; null = none. */
  readonly totalMaxWagerCount: number | null;
  readonly mode: Mode;
}

export interface OutcomeProfit {
  /** Representative final score of this outcome class, e.g. "2:1". */
  readonly label: string;
  /** A few final scores of the class (all scores in the class pay every bet identically). */
  readonly examples: readonly string[];
  readonly profit: number;
}

export interface SolutionInfo {
  readonly status: string;
  /** True when the reported objective is proven optimal (MIP gap within tolerance). */
  readonly optimal: boolean;
  /** Relative MIP gap of the primary objective (0 for a proven optimum). */
  readonly gap: number;
  /** Proven bound on the primary objective (min profit in mode 1, best-outcome profit in mode 2). */
  readonly bound: number | null;
  readonly objective: "max_min_profit" | "max_best_profit";
  readonly solve_time_ms: number;
  readonly effective: {
    readonly wager_limit: number;
    readonly wager_precision: number;
    readonly total_max_wager_count: number | null;
    readonly max_process_time: number;
    readonly mode: Mode;
  };
  /** New wager per input bet, aligned with the request's `bets` (0 when none). */
  readonly wagers: readonly number[];
  readonly total_stake: number;
  readonly total_exposure: number;
  readonly outcomes: readonly OutcomeProfit[];
  readonly model: {
    readonly variables: number;
    readonly integer_variables: number;
    readonly binary_variables: number;
    readonly constraints: number;
    readonly scenarios: number;
    readonly solves: number;
  };
  readonly notes: readonly string[];
}

/** Seed output: the request's shape plus `profit` and per-bet `wager`, plus our `solution`. */
export interface ArbOutput {
  readonly profit: readonly [number, number];
  readonly [key: string]: unknown;
  readonly solution: SolutionInfo;
}
