import { describe, expect, it } from "vitest";
import { buildWinTable, jointWinProbability, marginalWinProbabilities, settleOutcome, type OutcomeSpec } from "./outcomes";
import { buildScoreGrid, type ScoreGrid } from "./score-model";

describe("settleOutcome", () => {
  it.each<[OutcomeSpec, number, number, string]>([
    [{ kind: "home_win" }, 3, 2, "won"],
    [{ kind: "home_win" }, 2, 2, "lost"],
    [{ kind: "away_win" }, 1, 4, "won"],
    [{ kind: "draw" }, 1, 1, "won"],
    [{ kind: "draw" }, 2, 1, "lost"],
    [{ kind: "home_handicap", line: -5.5 }, 110, 104, "won"],
    [{ kind: "home_handicap", line: -5.5 }, 110, 105, "lost"],
    [{ kind: "home_handicap", line: -5 }, 110, 105, "push"],
    [{ kind: "away_handicap", line: 1.5 }, 4, 3, "won"],
    [{ kind: "away_handicap", line: 1.5 }, 5, 3, "lost"],
    [{ kind: "over", line: 8.5 }, 5, 4, "won"],
    [{ kind: "over", line: 8.5 }, 4, 4, "lost"],
    [{ kind: "under", line: 2.5 }, 1, 1, "won"],
    [{ kind: "under", line: 3 }, 2, 1, "push"],
  ])("%j at %i–%i is %s", (spec, home, away, expected) => {
    expect(settleOutcome(spec, { home, away })).toBe(expected);
  });
});

const bruteJoint = (grid: ScoreGrid, specs: OutcomeSpec[]) => {
  let s = 0;
  for (let i = 0; i < grid.homeCount; i++)
    for (let j = 0; j < grid.awayCount; j++) {
      const score = { home: grid.minHome + i, away: grid.minAway + j };
      if (specs.every((sp) => settleOutcome(sp, score) === "won")) s += grid.probs[i * grid.awayCount + j]!;
    }
  return s;
};

describe("win tables", () => {
  const specs: OutcomeSpec[] = [
    { kind: "home_win" },
    { kind: "away_win" },
    { kind: "home_handicap", line: -4.5 },
    { kind: "away_handicap", line: 4.5 },
    { kind: "over", line: 221.5 },
    { kind: "under", line: 221.5 },
  ];
  const grid = buildScoreGrid({ kind: "normal", marginMean: 4, marginSd: 12, totalMean: 222, totalSd: 18 }, { kind: "extra", homeShare: 0.6 });
  const table = buildWinTable(grid, specs);

  it("compresses the grid into few groups that still sum to 1", () => {
    expect(table.masks.length).toBeLessThan(20);
    expect(table.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it.each([
    [[0], "home win"],
    [[0, 4], "home win and over"],
    [[2, 5], "home −4.5 and under"],
    [[0, 2, 4], "home win, −4.5, over"],
  ])("joint of bits %j (%s) equals brute force over the grid", (bits) => {
    const mask = bits.reduce((m, b) => m | (1 << b), 0);
    expect(jointWinProbability(table, mask)).toBeCloseTo(bruteJoint(grid, bits.map((b) => specs[b]!)), 12);
  });

  it("marginals of two-way outcomes sum to 1 and contradictory legs never win together", () => {
    const m = marginalWinProbabilities(table);
    expect(m[0]! + m[1]!).toBeCloseTo(1, 9);
    expect(m[2]! + m[3]!).toBeCloseTo(1, 9);
    expect(m[4]! + m[5]!).toBeCloseTo(1, 9);
    expect(jointWinProbability(table, 0b110000)).toBe(0);
    expect(jointWinProbability(table, 0)).toBeCloseTo(1, 9);
  });

  it("same-game legs are correlated: winning by 5+ implies winning", () => {
    const m = marginalWinProbabilities(table);
    const joint = jointWinProbability(table, 0b101);
    expect(joint).toBeCloseTo(m[2]!, 9);
    expect(joint).toBeGreaterThan(m[0]! * m[2]!);
  });
});
