// LegFairMemo returns exactly what computing the leg again returns, through book updates, refreshes,
// removals, time passing (books going stale) and config changes; and it is actually used.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICING_CONFIG } from "./config.ts";
import { LegFairMemo, legFairProbability } from "./leg.ts";
import { buildView, type GameSpec } from "./testing.ts";
import type { LineBook, MarketView, PricingConfig } from "./types.ts";

const NOW = 1_000_000_000;
const game = (id: string): GameSpec => ({
  eventId: id,
  sport: "basketball",
  startsAtMs: NOW + 3_600_000,
  markets: [
    { marketId: 219, sides: [{ outcomeId: 4, odds: -250 }, { outcomeId: 5, odds: +205 }] },
    { marketId: 223, sides: [{ outcomeId: 1714, line: -6.5, odds: -110 }, { outcomeId: 1715, line: 6.5, odds: -110 }] },
    { marketId: 225, sides: [{ outcomeId: 12, line: 221.5, odds: -110 }, { outcomeId: 13, line: 221.5, odds: -110 }] },
  ],
});

/** Deterministic PRNG (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe("LegFairMemo", () => {
  it.each([1, 2, 3])("matches the direct computation through 400 random market changes (seed %i)", (seed) => {
    const r = rng(seed);
    const base = buildView([game("g1"), game("g2")], NOW);
    const lines = ["g1", "g2"].flatMap((e) => base.eventLines(e));
    const books = new Map<string, LineBook>(lines.map((l) => [l.lineId, base.book(l.lineId)!]));
    const direct: MarketView = { event: base.event, line: base.line, eventLines: base.eventLines, book: (id) => books.get(id) };
    const memo = new LegFairMemo();
    const memoView: MarketView = { ...direct, legFairMemo: memo };
    const configs: PricingConfig[] = [DEFAULT_PRICING_CONFIG, { ...DEFAULT_PRICING_CONFIG, devigMethod: "shin", staleAfterMs: 5_000 }];
    let config = configs[0]!;
    let now = NOW;
    const ODDS = [-400, -250, -150, -120, -110, -105, 100, 110, 130, 205, 250, 600];
    for (let step = 0; step < 400; step++) {
      const line = lines[Math.floor(r() * lines.length)]!;
      const action = r();
      if (action < 0.25) now += Math.floor(r() * 8_000);
      else if (action < 0.55) {
        const levels = [{ odds: ODDS[Math.floor(r() * ODDS.length)]!, stakeCents: r() < 0.1 ? 1 : 50_000 }];
        books.set(line.lineId, { lineId: line.lineId, backOffers: levels, updatedAtMs: now });
      } else if (action < 0.7) {
        const b = books.get(line.lineId);
        if (b) books.set(line.lineId, { ...b, updatedAtMs: now }); // same offers, confirmed current
      } else if (action < 0.75) books.delete(line.lineId);
      else if (action < 0.8) config = configs[Math.floor(r() * configs.length)]!;
      for (const l of lines) expect(legFairProbability(l, memoView, config, now)).toEqual(legFairProbability(l, direct, config, now));
    }
    expect(memo.hits).toBeGreaterThan(100); // and the memo was really used (most random books fail to price)
  });

  it("answers an unchanged market from the memo, with the book age of the moment", () => {
    const base = buildView([game("g1")], NOW);
    const memo = new LegFairMemo();
    const memoView: MarketView = { ...base, legFairMemo: memo };
    const line = base.eventLines("g1")[2]!;
    const first = legFairProbability(line, memoView, DEFAULT_PRICING_CONFIG, NOW + 1_000);
    const second = legFairProbability(line, memoView, DEFAULT_PRICING_CONFIG, NOW + 3_000);
    expect([memo.misses, memo.hits]).toEqual([1, 1]);
    expect(first).toMatchObject({ ok: true, leg: { bookAgeMs: 1_000 } });
    expect(second).toEqual(legFairProbability(line, base, DEFAULT_PRICING_CONFIG, NOW + 3_000));
    expect(second).toMatchObject({ ok: true, leg: { bookAgeMs: 3_000 } });
  });

  it("reports a line whose book went stale exactly as the direct computation", () => {
    const base = buildView([game("g1")], NOW);
    const memoView: MarketView = { ...base, legFairMemo: new LegFairMemo() };
    const line = base.eventLines("g1")[0]!;
    expect(legFairProbability(line, memoView, DEFAULT_PRICING_CONFIG, NOW).ok).toBe(true);
    const later = NOW + DEFAULT_PRICING_CONFIG.staleAfterMs + 1;
    const r = legFairProbability(line, memoView, DEFAULT_PRICING_CONFIG, later);
    expect(r).toEqual(legFairProbability(line, base, DEFAULT_PRICING_CONFIG, later));
    expect(r).toMatchObject({ ok: false, reason: "stale_book" });
  });
});
