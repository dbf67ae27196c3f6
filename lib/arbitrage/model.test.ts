import { describe, expect, it } from "vitest";
import { validateArbInput } from "./input";
import { generateInstance } from "./generate";
import { buildModel, floorTol, minProfitOf, precisionDecimals, prepare, roundedStart, roundTo, toLpText, wagersFromColumns, zeroStart } from "./model";
import { buildOutput, evaluateWagers } from "./output";
import type { ArbProblem } from "./types";

const problemOf = (raw: unknown): ArbProblem => {
  const v = validateArbInput(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.problem;
};

describe("column bounds and limits", () => {
  it("integer units of the precision, lay liability, volume and previous exposure shape the bounds", () => {
    const p = problemOf({
      wager_limit: 100,
      wager_precision: 0.5,
      bookmakers: [{ id: 1, wager_limit: 40 }, { id: 2, ignore_wager_precision: true }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.5, bookmaker: 1, previous_wager: 10 }, // book 1: 30 left
        { bet_type: 1, value: "home", odds: 3, bookmaker: 2, lay: true }, // liability 2/unit, global 90 left -> 45
        { bet_type: 1, value: "away", odds: 3, bookmaker: 2, volume: 12.3 },
      ],
    });
    const prep = prepare(p);
    const [b0, b1, b2] = prep.active;
    expect(b0).toMatchObject({ integer: true, unit: 0.5, upper: 60, exposure: 1 });
    expect(b1).toMatchObject({ integer: false, unit: 1, upper: 45, exposure: 2 });
    expect(b2).toMatchObject({ integer: false, unit: 1, upper: 12.3 });
    expect(prep.remainingGlobal).toBe(90);
    expect(prep.remainingByBookmaker.get(1)).toBe(30);
    const model = buildModel(prep, { objective: { kind: "min_profit" } });
    const total = model.rows.find((r) => r.name === "limit_total")!;
    expect(total.upper).toBe(90);
    expect(total.value).toEqual([0.5, 2, 1]);
    expect(model.rows.find((r) => r.name === "limit_b1")).toBeUndefined(); // the bound already enforces it
    expect(model.columns.map((c) => c.integer)).toEqual([true, false, false, false]);
  });

  it("exhausted limits and zero counts leave only previous wagers", () => {
    const p = problemOf({
      wager_limit: 50,
      bookmakers: [{ id: 1, max_wager_count: 0 }, { id: 2 }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.5, bookmaker: 1 },
        { bet_type: 1, value: "away", odds: 2.5, bookmaker: 2, previous_wager: 60 },
      ],
    });
    const prep = prepare(p);
    expect(prep.remainingGlobal).toBe(0);
    expect(prep.active.map((a) => [a.bet.index, a.col])).toEqual([[1, -1]]);
    expect(zeroStart(prep)[prep.tCol]).toBe(-60);
  });

  it("adds binaries with big-M equal to each column's own bound only where a count can bind", () => {
    const p = problemOf({
      bookmakers: [{ id: 1, max_wager_count: 1 }, { id: 2, max_wager_count: 5 }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.5, bookmaker: 1, volume: 20 },
        { bet_type: 1, value: "draw", odds: 3.4, bookmaker: 1 },
        { bet_type: 1, value: "away", odds: 3.1, bookmaker: 2 },
      ],
    });
    const prep = prepare(p);
    expect(prep.binaryCount).toBe(2);
    expect(p.totalMaxWagerCount).toBe(6);
    const model = buildModel(prep, { objective: { kind: "min_profit" } });
    const link = model.rows.find((r) => r.name === "link_0")!;
    expect(link.value).toEqual([1, -2000]);
    expect(model.rows.find((r) => r.name === "count_b1")).toMatchObject({ upper: 1 });
    expect(model.rows.find((r) => r.name === "count_b2")).toBeUndefined();
    expect(model.rows.find((r) => r.name === "count_total")).toBeUndefined();
  });

  it("drops dominated bets: same selection, worse odds, same unconstrained bookmaker", () => {
    const p = problemOf({
      bookmakers: [{ id: 1 }, { id: 2, wager_limit: 50 }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.5, bookmaker: 1 },
        { bet_type: 1, value: "home", odds: 2.4, bookmaker: 1 }, // dominated by bet 0
        { bet_type: 2, value: "home -0.5", odds: 2.45, bookmaker: 2 }, // same payoff as home; dominated by 0 (bet 0's bookmaker is unlimited)
        { bet_type: 1, value: "away", odds: 3, bookmaker: 2 },
        { bet_type: 1, value: "away", odds: 3.1, bookmaker: 2, volume: 10 }, // capped volume: cannot dominate bet 3
      ],
    });
    const prep = prepare(p);
    expect(prep.dominatedCount).toBe(2);
    expect(prep.active.map((a) => a.bet.index)).toEqual([0, 3, 4]);
    expect(prepare(p, { dominance: false }).active).toHaveLength(5);
  });
});

describe("scenario rows", () => {
  it("keeps only rows not implied by another and builds the LP text", () => {
    const p = problemOf({ bets: [{ bet_type: 1, value: "home", odds: 2.3 }, { bet_type: 3, value: "over 2.5", odds: 2 }] });
    const prep = prepare(p);
    // classes: home&over, home&under, draw&over, draw&under, away&over, away&under -> for the min, draw/away+under are worst
    expect(prep.scenarios.length).toBe(4);
    expect(prep.minRows.length).toBeLessThan(prep.scenarios.length);
    const lp = toLpText(buildModel(prep, { objective: { kind: "min_profit" } }));
    expect(lp).toMatch(/^Maximize\n obj: 1 t/);
    expect(lp).toContain("General\n x0 x1");
    expect(lp).toContain(" t free");
  });
});

describe("numbers", () => {
  it.each([
    [95.69 / 0.01, 9569],
    [0.3 / 0.1, 3],
    [2.9999, 2],
  ])("floorTol(%d) = %d", (v, want) => expect(floorTol(v)).toBe(want));

  it.each([
    [0.01, 2],
    [10, 0],
    [0.25, 2],
    [0.005, 3],
    [1, 0],
  ])("precisionDecimals(%d) = %d", (p, d) => expect(precisionDecimals(p)).toBe(d));

  it("rounds without float noise", () => {
    expect(roundTo(43.480000000000004, 2)).toBe(43.48);
    expect(roundTo(-0.0000001, 6)).toBe(0);
  });

  it("turns integer columns into exact multiples of the precision", () => {
    const p = problemOf({ bets: [{ bet_type: 1, value: "home", odds: 2.3 }, { bet_type: 1, value: "away", odds: 2.3 }] });
    const prep = prepare(p);
    const x = zeroStart(prep);
    x[prep.active[0]!.col] = 4347.9999996;
    x[prep.active[1]!.col] = 10.0000004;
    expect(wagersFromColumns(prep, x)).toEqual([43.48, 0.1]);
  });
});

describe("output", () => {
  it("echoes non-default top-level fields, bookmakers as given, and only bets with a wager or previous wager", () => {
    const p = problemOf({
      wager_precision: 0.01,
      "no-draw": false,
      mode: 1,
      max_process_time: 10,
      bookmakers: [{ id: 1, commission: 0.05 }],
      bets: [
        { bet_type: 1, value: "home", odds: 2.3, bookmaker: 1, wager: 999 },
        { bet_type: 1, value: "draw", odds: 3.5, bookmaker: 1, previous_wager: 5 },
        { bet_type: 1, value: "away", odds: 4.23, bookmaker: 1 },
      ],
    });
    const out = buildOutput(p, [10, 0, 0], {
      status: "optimal",
      optimal: true,
      gap: 0,
      bound: null,
      objective: "max_min_profit",
      solve_time_ms: 1,
      model: { variables: 0, integer_variables: 0, binary_variables: 0, constraints: 0, scenarios: 0, solves: 0 },
      notes: [],
    });
    expect(Object.keys(out)).toEqual(["profit", "max_process_time", "bookmakers", "bets", "solution"]);
    expect(out.bets).toEqual([
      { bet_type: 1, value: "home", odds: 2.3, bookmaker: 1, wager: 10 },
      { bet_type: 1, value: "draw", odds: 3.5, bookmaker: 1, previous_wager: 5, wager: 0 },
    ]);
    // home wins: 10*1.3*0.95 - 5 = 7.35; draw: 5*2.5*0.95 - 10 = 1.875; away: -15
    expect(out.profit).toEqual([-15, 7.35]);
    expect(evaluateWagers(p, [10, 0, 0]).outcomes.map((o) => o.profit)).toEqual([1.875, 7.35, -15]);
  });
});

describe("continuous stakes", () => {
  it("are rounded to 1e-6, but down when rounding to nearest would break an exposure limit", () => {
    const p = problemOf({
      wager_limit: 10,
      bookmakers: [{ id: 1, ignore_wager_precision: true }],
      bets: [
        { bet_type: 1, value: "home", odds: 3.5, bookmaker: 1, lay: true }, // 2.5 exposure per unit
        { bet_type: 1, value: "home", odds: 2, bookmaker: 1 },
      ],
    });
    const prep = prepare(p);
    const [lay, backed] = prep.active;
    const x = new Array<number>(prep.numCols).fill(0);
    // Exactly at the limit: 2.5 × 2.0000006 + 4.9999985 = 10; to nearest it would be 10.0000015.
    x[lay!.col] = 2.0000006;
    x[backed!.col] = 4.9999985;
    const w = wagersFromColumns(prep, x);
    expect(2.5 * w[0]! + w[1]!).toBeLessThanOrEqual(10);
    expect(w).toEqual([2, 4.999998]);
    // Away from the limit they stay rounded to nearest.
    x[backed!.col] = 3.0000007;
    expect(wagersFromColumns(prep, x)).toEqual([2.000001, 3.000001]);
  });
});

describe("rounded start", () => {
  it("rounds an LP answer down to the precision grid and repairs it greedily: feasible, and no worse than rounding alone", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const p = problemOf(generateInstance({ bets: 30 + seed * 7, seed: 900 + seed, precision: true, wagerLimit: 300 + 50 * seed, wagerPrecision: seed % 3 === 0 ? 0.5 : 1 }));
      const prep = prepare(p);
      // A fractional point well inside the bounds stands in for an LP answer.
      const lpX = new Array<number>(prep.numCols).fill(0);
      for (const a of prep.active) if (a.col >= 0) lpX[a.col] = (a.upper * ((a.col * 7919) % 13)) / 400 + 0.37;
      const x = roundedStart(prep, lpX);
      const floorOnly = lpX.map((v, j) => (prep.active.some((a) => a.col === j && a.integer) ? Math.floor(Math.min(v, prep.active.find((a) => a.col === j)!.upper)) : v));
      expect(x[prep.tCol]).toBeCloseTo(minProfitOf(prep, x), 9);
      expect(x[prep.tCol]!).toBeGreaterThanOrEqual(minProfitOf(prep, floorOnly) - 1e-9);
      const model = buildModel(prep, { objective: { kind: "min_profit" } });
      model.columns.forEach((c, j) => {
        if (j === prep.tCol) return;
        if (c.integer) expect(Number.isInteger(x[j])).toBe(true);
        expect(x[j]!).toBeGreaterThanOrEqual(c.lower);
        expect(x[j]!).toBeLessThanOrEqual(c.upper + 1e-9);
      });
      for (const r of model.rows) {
        const act = r.index.reduce((s, j, q) => s + r.value[q]! * x[j]!, 0);
        expect(act, `seed ${seed} ${r.name}`).toBeGreaterThanOrEqual(r.lower - 1e-7);
        expect(act, `seed ${seed} ${r.name}`).toBeLessThanOrEqual(r.upper + 1e-7);
      }
    }
  });
});
