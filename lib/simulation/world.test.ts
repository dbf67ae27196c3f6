import { describe, expect, it } from "vitest";
import { buildWinTable, marginalWinProbabilities, settleOutcome } from "./outcomes";
import { buildScoreGrid } from "./score-model";
import { buildTournaments, DEFAULT_WORLD_OPTIONS, generateEvent, modelAt, scheduleOf, type WorldOptions } from "./world";

const opts = (seed: number): WorldOptions => ({ ...DEFAULT_WORLD_OPTIONS, seed, startTimeMs: 1_700_000_000_000 });

describe("world generation", () => {
  it("is identical for the same seed and different for another seed", () => {
    const a = buildTournaments(opts(5));
    const b = buildTournaments(opts(5));
    const c = buildTournaments(opts(6));
    expect(a).toEqual(b);
    for (const [i, t] of a.entries()) {
      expect(generateEvent(opts(5), t, i)).toEqual(generateEvent(opts(5), b[i]!, i));
    }
    const ea = generateEvent(opts(5), a[0]!, 0);
    const ec = generateEvent(opts(6), c[0]!, 0);
    expect(ea.outcomes.map((o) => o.lineId)).not.toEqual(ec.outcomes.map((o) => o.lineId));
  });

  it.each([
    [132, 219, 223, 225, [4, 5]],
    [31, 219, 223, 225, [4, 5]],
    [109, 251, 256, 258, [4, 5]],
    [234, 406, 410, 412, [4, 5]],
    [17, 1, 16, 18, [1, 2, 3]],
  ])("tournament %i uses markets %i/%i/%i with winner outcomes %j", (tid, winner, handicap, total, winnerOutcomes) => {
    const t = buildTournaments(opts(1)).find((x) => x.spec.id === tid)!;
    const ev = generateEvent(opts(1), t, 2);
    expect(ev.markets.map((m) => m.marketId)).toEqual([winner, handicap, total]);
    expect(ev.markets[0]!.lines[0]!.outcomes.map((o) => o.outcomeId)).toEqual(winnerOutcomes);
    for (const line of ev.markets[1]!.lines) expect(line.outcomes.map((o) => o.outcomeId)).toEqual([1714, 1715]);
    for (const line of ev.markets[2]!.lines) expect(line.outcomes.map((o) => o.outcomeId)).toEqual([12, 13]);
    expect(new Set(ev.outcomes.map((o) => o.lineId)).size).toBe(ev.outcomes.length);
    for (const o of ev.outcomes) expect(o.lineId).toMatch(/^[0-9a-f]{32}$/);
    expect(ev.markets[1]!.lines.filter((l) => l.favourite)).toHaveLength(1);
  });

  it("lists main lines close to even money at listing time", () => {
    for (const t of buildTournaments(opts(3))) {
      for (let k = 0; k < 5; k++) {
        const ev = generateEvent(opts(3), t, k);
        const table = buildWinTable(buildScoreGrid(ev.preMatch[0]!, ev.tieRule), ev.outcomes.map((o) => o.spec));
        const m = marginalWinProbabilities(table);
        for (const market of ev.markets.slice(1)) {
          const main = market.lines.find((l) => l.favourite)!;
          const p = m[main.outcomes[0]!.bit]!;
          expect(p).toBeGreaterThan(0.2);
          expect(p).toBeLessThan(0.8);
        }
      }
    }
  });

  it("schedules listing before kick-off and lists event k when event k − eventsAhead ends", () => {
    const o = opts(2);
    const t = buildTournaments(o)[1]!;
    for (let k = 0; k < 12; k++) {
      const s = scheduleOf(o, t, k);
      expect(s.listedAtMs).toBeLessThanOrEqual(s.scheduledMs);
      expect(s.endMs - s.scheduledMs).toBe(o.gameDurationMs);
      if (k >= o.eventsAhead) expect(s.listedAtMs).toBe(Math.min(s.scheduledMs, scheduleOf(o, t, k - o.eventsAhead).endMs));
      else expect(s.listedAtMs).toBe(o.startTimeMs);
    }
  });

  it("draws results from the kick-off model (home-win rate matches its probability)", () => {
    const o = opts(17);
    const t = buildTournaments(o).find((x) => x.spec.id === 109)!;
    let expected = 0;
    let actual = 0;
    const n = 300;
    for (let k = 0; k < n; k++) {
      const ev = generateEvent(o, t, k);
      const kick = ev.preMatch[ev.preMatch.length - 1]!;
      const m = marginalWinProbabilities(buildWinTable(buildScoreGrid(kick, ev.tieRule), ev.outcomes.map((x) => x.spec)));
      expected += m[0]!;
      if (settleOutcome({ kind: "home_win" }, ev.result) === "won") actual++;
    }
    // Binomial sd ≈ sqrt(300 · 0.25) ≈ 8.7; allow 3.5 sd.
    expect(Math.abs(actual - expected)).toBeLessThan(31);
  });

  it("in play the truth converges to the pre-drawn result", () => {
    const o = opts(23);
    for (const t of buildTournaments(o)) {
      let confident = 0;
      const n = 30;
      for (let k = 0; k < n; k++) {
        const ev = generateEvent(o, t, k);
        const late = modelAt(ev, ev.endMs - 1);
        expect(late.phase).toBe("live");
        const m = marginalWinProbabilities(buildWinTable(buildScoreGrid(late.model, ev.tieRule), ev.outcomes.map((x) => x.spec)));
        const winnerBit = ev.outcomes.findIndex((x) => settleOutcome(x.spec, ev.result) === "won");
        if (m[winnerBit]! > 0.5) confident++;
        expect(modelAt(ev, ev.endMs).phase).toBe("ended");
        expect(modelAt(ev, ev.scheduledMs - 1).phase).toBe("pre_match");
      }
      expect(confident / n).toBeGreaterThan(0.75);
    }
  });

  it("pre-match model steps once per drift bucket and ends at the kick-off model", () => {
    const o = opts(4);
    const ev = generateEvent(o, buildTournaments(o)[0]!, 1);
    const a = modelAt(ev, ev.listedAtMs);
    const b = modelAt(ev, ev.listedAtMs + o.driftBucketMs);
    expect(ev.driftOffsetMs).toBeGreaterThanOrEqual(0);
    expect(ev.driftOffsetMs).toBeLessThan(o.driftBucketMs);
    expect(b.step).toBe(a.step + 1);
    const kickoff = ev.preMatch[ev.preMatch.length - 1];
    expect(modelAt(ev, ev.scheduledMs).model).toEqual(kickoff);
    expect(modelAt(ev, ev.scheduledMs - 1).step).toBeGreaterThanOrEqual(ev.preMatch.length - 2);
    expect(modelAt(ev, ev.listedAtMs + 1e9).phase).not.toBe("pre_match");
  });
});
