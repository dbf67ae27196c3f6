// The finite set of final scores that is enough to guarantee a profit over every possible score,
// and the per-unit profit of each bet in each of them. Pure.
//
// Every bet's payoff depends on the score (h, a) only through comparisons of h, a, t = h + a and
// d = h − a with constants ("cuts", all at half-integers) and through the parities of h and a.
//  * Small constants: the box [0, 2K+4]^2 with K = max(1, ceil(max |cut|)) is provably enough
//    (quant.md A3: the moves (h,a)->(h-2,a-2) and (h,a)->(h-2,a) keep every comparison and parity).
//  * Large constants (e.g. "9999:0"): a sweep over h. The a-thresholds for a fixed h are
//    β (a-cuts), γ − h (t-cuts) and h − δ (d-cuts); their order only changes at the critical
//    values α, γ−β, β+δ, (γ+δ)/2, and interval lengths are linear in h between them, so sampling
//    four integers either side of every critical value and, for each sampled h, two integers either
//    side of every a-threshold reaches every payoff pattern (see docs/arbitrage-api.md).
// Scores with identical payoff rows are merged.

import type { Settlement } from "./bet-types";
import type { Bet } from "./types";

export interface Score {
  readonly h: number;
  readonly a: number;
}

export const scoreLabel = (s: Score): string => `${s.h}:${s.a}`;

/** Per-unit profit of a bet (back: stake; lay: backer's stake) given its settlement; commission on winnings. */
export const unitProfit = (s: Settlement, odds: number, lay: boolean, commission: number): number => {
  const net = lay ? s.lose - s.win * (odds - 1) : s.win * (odds - 1) - s.lose;
  const p = net > 0 ? net * (1 - commission) : net;
  // Strip float noise (2.3 - 1 = 1.2999999999999998) so equal payoffs compare equal.
  return Math.round(p * 1e12) / 1e12;
};

/** What one unit of new stake uses of the wager limits: 1 for a back, the liability odds − 1 for a lay. */
export const exposurePerUnit = (bet: Pick<Bet, "lay" | "odds">): number => (bet.lay ? bet.odds - 1 : 1);

export const betUnitProfit = (bet: Bet, h: number, a: number): number =>
  unitProfit(bet.parsed.settle(h, a), bet.odds, bet.lay, bet.bookmaker.commission);

interface CutSets {
  h: Set<number>;
  a: Set<number>;
  t: Set<number>;
  d: Set<number>;
}

const collectCuts = (bets: readonly Bet[]): CutSets => {
  const c: CutSets = { h: new Set(), a: new Set(), t: new Set(), d: new Set() };
  for (const b of bets) {
    for (const v of b.parsed.cuts.h) c.h.add(v);
    for (const v of b.parsed.cuts.a) c.a.add(v);
    for (const v of b.parsed.cuts.t) c.t.add(v);
    for (const v of b.parsed.cuts.d) c.d.add(v);
  }
  return c;
};

/** K of the box [0, 2K+4]^2. */
export const boxK = (bets: readonly Bet[]): number => {
  const c = collectCuts(bets);
  let k = 1;
  for (const set of [c.h, c.a, c.t, c.d]) for (const v of set) k = Math.max(k, Math.ceil(Math.abs(v)));
  return k;
};

/** Largest K for which the full box is enumerated (box side 2K+5 = 125). */
export const BOX_K_MAX = 60;

/** All scores of the box [0, 2k+4]^2. */
export const boxScores = (k: number, noDraw: boolean): Score[] => {
  const side = 2 * k + 4;
  const out: Score[] = [];
  for (let h = 0; h <= side; h++) for (let a = 0; a <= side; a++) if (!(noDraw && h === a)) out.push({ h, a });
  return out;
};

const sweepScores = (cuts: CutSets, noDraw: boolean): Score[] => {
  const alpha = [...cuts.h, -0.5];
  const beta = [...cuts.a, -0.5];
  const gamma = [...cuts.t];
  const delta = [...cuts.d];
  const critical = new Set<number>(alpha);
  for (const g of gamma) for (const b of beta) critical.add(g - b);
  for (const b of beta) for (const d of delta) critical.add(b + d);
  for (const g of gamma) for (const d of delta) critical.add((g + d) / 2);
  const hs = new Set<number>([0, 1, 2, 3, 4, 5]);
  for (const c of critical) {
    for (let h = Math.floor(c) - 4; h <= Math.ceil(c) + 4; h++) if (h >= 0) hs.add(h);
  }
  const seen = new Set<string>();
  const out: Score[] = [];
  const push = (h: number, a: number): void => {
    if (a < 0 || (noDraw && h === a)) return;
    const key = `${h}:${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ h, a });
  };
  for (const h of [...hs].sort((x, y) => x - y)) {
    const thresholds = [...beta, ...gamma.map((g) => g - h), ...delta.map((d) => h - d)];
    push(h, 0);
    push(h, 1);
    for (const tau of thresholds) {
      for (const off of [-1.5, -0.5, 0.5, 1.5]) push(h, tau + off);
    }
  }
  return out;
};

/** Candidate final scores covering every payoff pattern of `bets` (box or sweep, see above). */
export const candidateScores = (
  bets: readonly Bet[],
  noDraw: boolean,
  force?: "box" | "sweep",
): { scores: Score[]; method: "box" | "sweep"; k: number } => {
  const k = boxK(bets);
  if (force === "box" || (force === undefined && k <= BOX_K_MAX)) return { scores: boxScores(k, noDraw), method: "box", k };
  return { scores: sweepScores(collectCuts(bets), noDraw), method: "sweep", k };
};

export interface ScenarioClass {
  /** Representative score (fewest goals, then most home goals). */
  readonly rep: Score;
  readonly label: string;
  /** Up to MAX_EXAMPLES scores of the class, representative first. */
  readonly examples: readonly string[];
  /** Per-unit profit of each bet of the input list (same order). */
  readonly r: readonly number[];
}

const MAX_EXAMPLES = 6;
const KEY_DIGITS = 1e12;

const byRepresentative = (x: Score, y: Score): number => x.h + x.a - (y.h + y.a) || y.h - x.h;

/** Scores grouped by identical payoff rows over `bets`; classes sorted by representative score. */
export const scenarioClasses = (bets: readonly Bet[], noDraw: boolean): { classes: ScenarioClass[]; method: "box" | "sweep"; k: number } => {
  const { scores, method, k } = candidateScores(bets, noDraw);
  const sorted = [...scores].sort(byRepresentative);
  const groups = new Map<string, { rep: Score; examples: string[]; r: number[] }>();
  for (const s of sorted) {
    const r = bets.map((b) => betUnitProfit(b, s.h, s.a));
    const key = r.map((v) => Math.round(v * KEY_DIGITS)).join(",");
    const g = groups.get(key);
    if (g) {
      if (g.examples.length < MAX_EXAMPLES) g.examples.push(scoreLabel(s));
    } else {
      groups.set(key, { rep: s, examples: [scoreLabel(s)], r });
    }
  }
  const classes = [...groups.values()].map((g) => ({ rep: g.rep, label: scoreLabel(g.rep), examples: g.examples, r: g.r }));
  return { classes, method, k };
};
