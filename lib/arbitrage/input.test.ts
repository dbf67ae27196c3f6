import { describe, expect, it } from "vitest";
import { DEFAULT_WAGER_LIMIT, MAX_PROCESS_TIME_S, MIN_PROCESS_TIME_S, parseArbJson, validateArbInput } from "./input";
import type { ArbProblem } from "./types";

const ok = (raw: unknown): ArbProblem => {
  const v = validateArbInput(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.problem;
};
const issues = (raw: unknown) => {
  const v = validateArbInput(raw);
  if (v.ok) throw new Error("expected problems");
  return v.issues;
};

const bet = (extra: Record<string, unknown> = {}) => ({ bet_type: 1, value: "home", odds: 2, ...extra });

describe("validation lists every problem by JSON path", () => {
  it("reports type, pattern, odds, bookmaker and unknown-field problems together", () => {
    const got = issues({
      wager_limit: -5,
      wager_precision: 0,
      mode: 3,
      extra: true,
      bookmakers: [{ id: 1, commission: 1.2 }, { id: 1 }, { id: 2, max_wager_count: 1.5 }],
      bets: [
        { bet_type: 42, value: "home", odds: 2, bookmaker: 1 },
        { bet_type: "AsianHandicap", value: "home -0.3", odds: 1.9, bookmaker: 2 },
        { bet_type: 1, value: "home", odds: 1, bookmaker: 1 },
        { bet_type: 1, value: "away", odds: -2, bookmaker: 7 },
        { bet_type: 1, value: "draw", odds: 3 },
        { value: "draw", odds: "3", bookmaker: 1, lay: "yes", colour: "red" },
        { bet_type: 6, value: "home/home", odds: 1.2, bookmaker: 1, volume: -3, previous_wager: -1 },
      ],
    });
    const byPath = Object.fromEntries(got.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining([
        "$.wager_limit",
        "$.wager_precision",
        "$.mode",
        "$.extra",
        "$.bookmakers[0].commission",
        "$.bookmakers[1].id",
        "$.bookmakers[2].max_wager_count",
        "$.bets[0].bet_type",
        "$.bets[1].value",
        "$.bets[2].odds",
        "$.bets[3].odds",
        "$.bets[3].bookmaker",
        "$.bets[4].bookmaker",
        "$.bets[5].bet_type",
        "$.bets[5].odds",
        "$.bets[5].lay",
        "$.bets[5].colour",
        "$.bets[6].value",
        "$.bets[6].volume",
        "$.bets[6].previous_wager",
      ]),
    );
    expect(byPath["$.bets[0].bet_type"]).toMatch(/unknown bet type 42/);
    expect(byPath["$.bets[1].value"]).toMatch(/does not match AsianHandicap/);
    expect(byPath["$.bets[2].odds"]).toMatch(/> 1/);
    expect(byPath["$.bets[3].bookmaker"]).toMatch(/unknown bookmaker id.*bookmaker 7/);
    expect(byPath["$.bets[4].bookmaker"]).toMatch(/uses bookmaker 0/);
    expect(byPath["$.bookmakers[1].id"]).toMatch(/duplicate bookmaker id 1/);
    expect(byPath["$.extra"]).toBe("unknown field");
    expect(byPath["$.bets[6].value"]).toMatch(/must differ/);
    // numeric-aware ordering of paths
    const betPaths = got.map((i) => i.path).filter((p) => p.startsWith("$.bets"));
    expect(betPaths).toEqual([...betPaths].sort((a, b) => a.localeCompare(b, "en", { numeric: true })));
  });

  it.each([
    [null, "$"],
    [[], "$"],
    [{}, "$.bets"],
    [{ bets: [] }, "$.bets"],
    [{ bets: {} }, "$.bets"],
    [{ bets: [5] }, "$.bets[0]"],
    [{ bets: [bet({ odds: 1.0 })] }, "$.bets[0].odds"],
    [{ bets: [bet({ value: 7 })] }, "$.bets[0].value"],
    [{ bets: [bet()], "no-draw": "yes" }, "$.no-draw"],
    [{ bets: [bet()], max_process_time: -1 }, "$.max_process_time"],
    [{ bets: [bet()], total_max_wager_count: -2 }, "$.total_max_wager_count"],
    [{ bets: [bet()], "no-draw": true, no_draw: false }, "$.no_draw"],
    [{ bets: [bet({ bet_type: 1.5 })] }, "$.bets[0].bet_type"],
    [{ bets: [bet({ bet_type: 5, value: "12345:1" })] }, "$.bets[0].value"],
    [{ bets: [bet({ bet_type: 7, value: "home over 2" })] }, "$.bets[0].value"],
  ])("%j -> %s", (raw, path) => {
    expect(issues(raw).map((i) => i.path)).toContain(path);
  });

  it("parses JSON text and reports syntax errors at $", () => {
    expect(parseArbJson("{").ok).toBe(false);
    const bad = parseArbJson("{");
    if (!bad.ok) expect(bad.issues[0]!.path).toBe("$");
    expect(parseArbJson('{"bets": []}')).toEqual({ ok: true, value: { bets: [] } });
  });
});

describe("defaults (seed and docs/arbitrage-api.md)", () => {
  it("applies every default for a minimal request", () => {
    const p = ok({ bets: [bet()] });
    expect(p.wagerLimit).toBe(DEFAULT_WAGER_LIMIT);
    expect(p.wagerLimitSource).toBe("default");
    expect(p.precision).toBe(0.01);
    expect(p.noDraw).toBe(false);
    expect(p.mode).toBe(1);
    expect(p.maxProcessTime).toBe(25);
    expect(p.totalMaxWagerCount).toBeNull();
    expect(p.bookmakers).toEqual([{ id: 0, commission: 0, wagerLimit: null, ignorePrecision: false, maxWagerCount: null }]);
    const b = p.bets[0]!;
    expect([b.lay, b.volume, b.previousWager, b.bookmaker.id]).toEqual([false, null, 0, 0]);
  });

  it("global limit: explicit value, else the sum of the bookmaker limits that are set, else 100", () => {
    const books = [{ id: 1, wager_limit: 300 }, { id: 2 }, { id: 3, wager_limit: 200 }];
    expect(ok({ wager_limit: 50, bookmakers: books, bets: [bet({ bookmaker: 1 })] }).wagerLimit).toBe(50);
    const fromBooks = ok({ bookmakers: books, bets: [bet({ bookmaker: 2 })] });
    expect([fromBooks.wagerLimit, fromBooks.wagerLimitSource]).toEqual([500, "bookmakers"]);
    expect(ok({ wager_limit: -1, bookmakers: [{ id: 1 }], bets: [bet({ bookmaker: 1 })] }).wagerLimit).toBe(100);
    expect(ok({ wager_limit: 0, bets: [bet()] }).wagerLimit).toBe(0);
  });

  it("total wager count: explicit, else the sum of the bookmaker counts that are set, else none", () => {
    const books = [{ id: 1, max_wager_count: 2 }, { id: 2 }, { id: 3, max_wager_count: 1 }];
    expect(ok({ total_max_wager_count: 5, bookmakers: books, bets: [bet({ bookmaker: 1 })] }).totalMaxWagerCount).toBe(5);
    expect(ok({ bookmakers: books, bets: [bet({ bookmaker: 1 })] }).totalMaxWagerCount).toBe(3);
    expect(ok({ bookmakers: [{ id: 1 }], bets: [bet({ bookmaker: 1 })] }).totalMaxWagerCount).toBeNull();
  });

  it("clamps max_process_time to [minimum, 25]", () => {
    expect(ok({ max_process_time: 100, bets: [bet()] }).maxProcessTime).toBe(MAX_PROCESS_TIME_S);
    expect(ok({ max_process_time: 0, bets: [bet()] }).maxProcessTime).toBe(MIN_PROCESS_TIME_S);
    expect(ok({ max_process_time: 3, bets: [bet()] }).maxProcessTime).toBe(3);
  });

  it("accepts names for bet_type and mode, the no_draw alias, and a response sent back as a request", () => {
    const p = ok({
      mode: "MaxProfit",
      no_draw: true,
      profit: [1, 2],
      solution: { anything: true },
      bets: [{ bet_type: "Goals_OverUnder", value: "Over 2.5", odds: 1.9, wager: 12, previous_wager: 3 }],
    });
    expect(p.mode).toBe(2);
    expect(p.noDraw).toBe(true);
    expect(p.bets[0]!.type.id).toBe(3);
    expect(p.bets[0]!.previousWager).toBe(3);
  });
});
