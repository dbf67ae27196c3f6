// Deterministic random arbitrage instances (benchmark and tests). Pure: the seed is the only input.
//
// Prices come from a Poisson score model: each bookmaker quotes fair odds shaded by its margin and
// some noise, so that across several bookmakers some combinations are arbitrages, as in practice.

import { mulberry32 } from "../random/mulberry32.ts";
import { findBetType, parseBetValue } from "./bet-types";
import type { ArbInput, BetInput, BookmakerInput } from "./types";

/** Seeded uniforms for generated instances (mulberry32). */
export const rng = mulberry32;

const poisson = (lambda: number, k: number): number => {
  let p = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) p *= lambda / i;
  return p;
};

const MAX_GOALS = 12;

/** Fair decimal odds of a selection under independent Poisson goals (pushes refund). */
export const fairOdds = (betType: number, value: string, lh: number, la: number): number => {
  const type = findBetType(betType)!;
  const parsed = parseBetValue(type, value);
  if (typeof parsed === "string") throw new Error(parsed);
  let win = 0;
  let push = 0;
  for (let h = 0; h <= MAX_GOALS; h++) {
    for (let a = 0; a <= MAX_GOALS; a++) {
      const p = poisson(lh, h) * poisson(la, a);
      const s = parsed.settle(h, a);
      win += p * s.win;
      push += p * s.push;
    }
  }
  return win <= 1e-9 ? 1000 : Math.min(1000, Math.max(1.01, (1 - push) / win));
};

const MARKETS: readonly (readonly [number, readonly string[]])[] = [
  [1, ["home", "draw", "away"]],
  [2, ["home -0.5", "away 0.5"]],
  [2, ["home -0.25", "away 0.25"]],
  [2, ["home -0.75", "away 0.75"]],
  [2, ["home 0.0", "away 0.0"]],
  [2, ["home -1.0", "away 1.0"]],
  [2, ["home -1.25", "away 1.25"]],
  [2, ["home 0.25", "away -0.25"]],
  [3, ["over 2.5", "under 2.5"]],
  [3, ["over 2.25", "under 2.25"]],
  [3, ["over 2.75", "under 2.75"]],
  [3, ["over 2.0", "under 2.0"]],
  [3, ["over 1.5", "under 1.5"]],
  [3, ["over 3.5", "under 3.5"]],
  [4, ["yes", "no"]],
  [6, ["home/draw", "draw/away", "home/away"]],
  [17, ["home", "away"]],
  [8, ["odd", "even"]],
  [7, ["home over 1.5", "home under 1.5"]],
  [7, ["away over 0.5", "away under 0.5"]],
  [12, ["home yes", "home no"]],
];

export interface GenOptions {
  readonly bets: number;
  readonly seed: number;
  readonly bookmakers?: number;
  /** When false every bookmaker ignores precision (a pure LP). */
  readonly precision?: boolean;
  /** Per-bookmaker and total wager-count caps. */
  readonly counts?: boolean;
  readonly wagerLimit?: number;
  readonly wagerPrecision?: number;
  /** Share of bets that are exchange lays. */
  readonly layShare?: number;
}

/** A random request with `bets` selections over several markets and bookmakers. */
export const generateInstance = (o: GenOptions): ArbInput => {
  const rand = rng(o.seed);
  const lh = 0.9 + rand() * 1.0;
  const la = 0.7 + rand() * 0.9;
  const nBooks = o.bookmakers ?? Math.max(3, Math.min(8, Math.round(o.bets / 5)));
  const bookmakers: BookmakerInput[] = [];
  const margins: number[] = [];
  for (let b = 1; b <= nBooks; b++) {
    const exchange = b === nBooks;
    const bk: BookmakerInput = { id: b };
    if (exchange) bk.commission = 0.02;
    if (o.precision === false) bk.ignore_wager_precision = true;
    if (o.counts) bk.max_wager_count = 2 + (b % 3);
    if (rand() < 0.3) bk.wager_limit = Math.round(((o.wagerLimit ?? 1000) * (0.3 + rand() * 0.4)) / 10) * 10;
    bookmakers.push(bk);
    margins.push(exchange ? 0.0 : 0.02 + rand() * 0.05);
  }
  const bets: BetInput[] = [];
  const fairCache = new Map<string, number>();
  const fair = (t: number, v: string): number => {
    const k = `${t}|${v}`;
    let f = fairCache.get(k);
    if (f === undefined) {
      f = fairOdds(t, v, lh, la);
      fairCache.set(k, f);
    }
    return f;
  };
  let guard = 0;
  while (bets.length < o.bets && guard++ < o.bets * 50) {
    const [type, sels] = MARKETS[Math.floor(rand() * MARKETS.length)]!;
    const book = 1 + Math.floor(rand() * nBooks);
    const exchange = book === nBooks;
    for (const v of sels) {
      if (bets.length >= o.bets) break;
      if (rand() < 0.25) continue;
      const f = fair(type, v);
      const noise = 1 + (rand() - 0.5) * 0.12;
      const lay = exchange && rand() < (o.layShare ?? 0.4);
      let odds = (f / (1 + margins[book - 1]!)) * noise;
      if (lay) odds = f * (1 + 0.03 * rand()) * (1 - (rand() - 0.5) * 0.08);
      odds = Math.max(1.02, Math.round(odds * 100) / 100);
      const bet: BetInput = { bet_type: type, value: v, odds, bookmaker: book };
      if (lay) bet.lay = true;
      if (rand() < 0.2) bet.volume = Math.round(20 + rand() * 200);
      bets.push(bet);
    }
  }
  const input: ArbInput = { bookmakers, bets };
  if (o.wagerLimit !== undefined) input.wager_limit = o.wagerLimit;
  if (o.wagerPrecision !== undefined) input.wager_precision = o.wagerPrecision;
  if (o.counts) input.total_max_wager_count = Math.max(3, Math.round(o.bets / 4));
  return input;
};
