// Accumulator conditions: "wins" compared with a value. Several conditions are combined with AND
// (the seed allows a list; e.g. at_least 2 and at_most 3). Only the "wins" type exists today.

export const CONDITION_OPERATORS = [
  "greater_than",
  "at_least",
  "greater_than_or_equal",
  "equals",
  "exactly",
  "less_than",
  "at_most",
  "less_than_or_equal",
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface WinsCondition {
  type: "wins";
  condition: ConditionOperator;
  value: number;
}

export function conditionHolds(c: WinsCondition, wins: number): boolean {
  switch (c.condition) {
    case "greater_than":
      return wins > c.value;
    case "at_least":
    case "greater_than_or_equal":
      return wins >= c.value;
    case "equals":
    case "exactly":
      return wins === c.value;
    case "less_than":
      return wins < c.value;
    case "at_most":
    case "less_than_or_equal":
      return wins <= c.value;
  }
}

export interface WinningCounts {
  /** Numbers of winning legs (0..n) for which the bet pays, ascending. */
  counts: number[];
  min: number;
  max: number;
}

export type CheckResult = { ok: true; value: WinningCounts } | { ok: false; error: string };

const phrase = (c: WinsCondition) => `wins ${c.condition} ${c.value}`;

/**
 * The set of paying win counts for `n` legs, or an error naming the condition that can never hold
 * (or that makes the bet pay whatever happens, which is not a bet).
 */
export function checkConditions(conditions: readonly WinsCondition[], n: number): CheckResult {
  const all = Array.from({ length: n + 1 }, (_, k) => k);
  for (const [i, c] of conditions.entries()) {
    if (!all.some((k) => conditionHolds(c, k))) {
      const why =
        c.condition === "greater_than" || c.condition === "at_least" || c.condition === "greater_than_or_equal" || c.condition === "equals" || c.condition === "exactly"
          ? `there are only ${n} leg${n === 1 ? "" : "s"}`
          : "the number of wins cannot be negative";
      return { ok: false, error: `acca_conditions[${i}]: "${phrase(c)}" is impossible (${why})` };
    }
  }
  const counts = all.filter((k) => conditions.every((c) => conditionHolds(c, k)));
  if (counts.length === 0) return { ok: false, error: "acca_conditions: the conditions can never all hold together" };
  if (counts.length === n + 1) {
    return { ok: false, error: `acca_conditions: the conditions hold whatever happens (every number of wins from 0 to ${n} pays)` };
  }
  return { ok: true, value: { counts, min: counts[0]!, max: counts[counts.length - 1]! } };
}

/** Plain words for the paying set, e.g. "At least 2 of", "All 3 of", "Exactly 1 of". */
export function describeCounts(w: WinningCounts, n: number): string {
  const contiguous = w.max - w.min + 1 === w.counts.length;
  if (!contiguous) return `${w.counts.join(", ")} of`;
  if (w.min === n) return n === 1 ? "" : `All ${n} of`;
  if (w.min === w.max) return w.min === 0 ? `None of` : `Exactly ${w.min} of`;
  if (w.max === n) return `At least ${w.min} of`;
  if (w.min === 0) return `At most ${w.max} of`;
  return `Between ${w.min} and ${w.max} of`;
}
