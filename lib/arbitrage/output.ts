// Turning wagers into the seed's response: profit range, echoed parameters, bets with `wager`. Pure.

import { DEFAULTS } from "./input";
import { precisionDecimals, roundTo } from "./model";
import { exposurePerUnit, scenarioClasses } from "./scenarios";
import type { ArbOutput, ArbProblem, OutcomeProfit, SolutionInfo } from "./types";

/** Profits are reported to 1e-6 (removes float noise such as 4.3140000000000001). */
export const PROFIT_DECIMALS = 6;

export interface Evaluation {
  readonly outcomes: OutcomeProfit[];
  readonly min: number;
  readonly max: number;
  readonly totalStake: number;
  readonly totalExposure: number;
}

/** Profit of every outcome class for given new wagers (plus the previous wagers). */
export const evaluateWagers = (problem: ArbProblem, wagers: readonly number[]): Evaluation => {
  const held = problem.bets.filter((b) => (wagers[b.index] ?? 0) > 0 || b.previousWager > 0);
  const { classes } = scenarioClasses(held, problem.noDraw);
  const outcomes = classes.map((c) => {
    const profit = held.reduce((s, b, k) => s + c.r[k]! * ((wagers[b.index] ?? 0) + b.previousWager), 0);
    return { label: c.label, examples: c.examples, profit: roundTo(profit, PROFIT_DECIMALS) };
  });
  const profits = outcomes.map((o) => o.profit);
  const totalStake = problem.bets.reduce((s, b) => s + (wagers[b.index] ?? 0), 0);
  const totalExposure = problem.bets.reduce((s, b) => s + (wagers[b.index] ?? 0) * exposurePerUnit(b), 0);
  return {
    outcomes,
    min: Math.min(...profits),
    max: Math.max(...profits),
    totalStake: roundTo(totalStake, PROFIT_DECIMALS),
    totalExposure: roundTo(totalExposure, PROFIT_DECIMALS),
  };
};

const TOP_LEVEL: readonly (readonly [key: string, dflt: unknown])[] = [
  ["wager_limit", DEFAULTS.wager_limit],
  ["wager_precision", DEFAULTS.wager_precision],
  ["no-draw", DEFAULTS["no-draw"]],
  ["no_draw", DEFAULTS["no-draw"]],
  ["max_process_time", DEFAULTS.max_process_time],
  ["total_max_wager_count", DEFAULTS.total_max_wager_count],
  ["mode", DEFAULTS.mode],
];

export type SolverSummary = Omit<SolutionInfo, "wagers" | "outcomes" | "total_stake" | "total_exposure" | "effective">;

/**
 * The seed's response: `profit` [min, max], the top-level parameters the user set to non-default
 * values, `bookmakers` as given, the bets that have a new wager or a previous wager (as given, with
 * `wager`), and our `solution` block.
 */
export const buildOutput = (problem: ArbProblem, wagers: readonly number[], summary: SolverSummary): ArbOutput => {
  const decimals = precisionDecimals(problem.precision);
  const evaln = evaluateWagers(problem, wagers);
  const input = problem.input as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { profit: [evaln.min, evaln.max] };
  for (const [key, dflt] of TOP_LEVEL) {
    const v = input[key];
    if (v !== undefined && v !== dflt && !(key === "mode" && v === "GuaranteedProfit")) out[key] = v;
  }
  if (input.bookmakers !== undefined) out.bookmakers = input.bookmakers;
  out.bets = problem.input.bets.flatMap((b, i) => {
    const w = wagers[i] ?? 0;
    if (!(w > 0) && !((b.previous_wager ?? 0) > 0)) return [];
    const { wager: _ignored, ...rest } = b;
    return [{ ...rest, wager: problem.bets[i]!.bookmaker.ignorePrecision ? w : roundTo(w, decimals) }];
  });
  const solution: SolutionInfo = {
    ...summary,
    effective: {
      wager_limit: problem.wagerLimit,
      wager_precision: problem.precision,
      total_max_wager_count: problem.totalMaxWagerCount,
      max_process_time: problem.maxProcessTime,
      mode: problem.mode,
    },
    wagers: [...wagers],
    total_stake: evaln.totalStake,
    total_exposure: evaln.totalExposure,
    outcomes: evaln.outcomes,
  };
  out.solution = solution;
  return out as unknown as ArbOutput;
};
