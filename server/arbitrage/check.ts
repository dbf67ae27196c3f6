// Independent checks of an answer, used by tests and the benchmark: recompute every constraint and
// every outcome over the plain score box 0..30 (no scenario reduction, no merging), with the money
// rules restated here rather than imported.

import type { ArbOutput, ArbProblem } from "@/lib/arbitrage/types";

export const CHECK_BOX = 30;

const money = (win: number, lose: number, odds: number, lay: boolean, commission: number): number => {
  const net = lay ? lose - win * (odds - 1) : win * (odds - 1) - lose;
  return net > 0 ? net * (1 - commission) : net;
};

export interface CheckResult {
  readonly min: number;
  readonly max: number;
  readonly problems: string[];
}

/** Profit of given new wagers (plus previous ones) at every score of the box; no merging. */
export const profitsOverBox = (problem: ArbProblem, wagers: readonly number[], box = CHECK_BOX): number[] => {
  const out: number[] = [];
  for (let h = 0; h <= box; h++) {
    for (let a = 0; a <= box; a++) {
      if (problem.noDraw && h === a) continue;
      let p = 0;
      for (const b of problem.bets) {
        const stake = (wagers[b.index] ?? 0) + b.previousWager;
        if (stake === 0) continue;
        const s = b.parsed.settle(h, a);
        p += stake * money(s.win, s.lose, b.odds, b.lay, b.bookmaker.commission);
      }
      out.push(p);
    }
  }
  return out;
};

/** Checks limits, volumes, counts, precision and the reported profit range of an answer. */
export const checkAnswer = (problem: ArbProblem, output: ArbOutput, tol = 1e-6): CheckResult => {
  const wagers = output.solution.wagers;
  const problems: string[] = [];
  const exposure = (b: ArbProblem["bets"][number], amount: number): number => amount * (b.lay ? b.odds - 1 : 1);
  let total = 0;
  const perBook = new Map<number, number>();
  const countPerBook = new Map<number, number>();
  let count = 0;
  for (const b of problem.bets) {
    const w = wagers[b.index] ?? 0;
    if (w < 0) problems.push(`bet ${b.index}: negative wager ${w}`);
    if (w > 0 && !b.bookmaker.ignorePrecision) {
      const units = w / problem.precision;
      if (Math.abs(units - Math.round(units)) > 1e-6) problems.push(`bet ${b.index}: ${w} is not a multiple of ${problem.precision}`);
    }
    if (b.volume !== null && w > b.volume + tol) problems.push(`bet ${b.index}: ${w} exceeds volume ${b.volume}`);
    const e = exposure(b, w + b.previousWager);
    total += e;
    perBook.set(b.bookmaker.id, (perBook.get(b.bookmaker.id) ?? 0) + e);
    if (w > 0) {
      count++;
      countPerBook.set(b.bookmaker.id, (countPerBook.get(b.bookmaker.id) ?? 0) + 1);
    }
  }
  const newExposure = problem.bets.reduce((s, b) => s + exposure(b, wagers[b.index] ?? 0), 0);
  // A limit already exceeded by previous wagers only forbids new wagers there.
  const prevTotal = total - newExposure;
  if (newExposure > 0 && total > Math.max(problem.wagerLimit, prevTotal) * (1 + 1e-9) + tol) {
    problems.push(`total exposure ${total} exceeds the limit ${problem.wagerLimit}`);
  }
  for (const bk of problem.bookmakers) {
    const used = perBook.get(bk.id) ?? 0;
    const fresh = problem.bets.filter((b) => b.bookmaker.id === bk.id).reduce((s, b) => s + exposure(b, wagers[b.index] ?? 0), 0);
    if (bk.wagerLimit !== null && fresh > 0 && used > Math.max(bk.wagerLimit, used - fresh) * (1 + 1e-9) + tol) {
      problems.push(`bookmaker ${bk.id}: exposure ${used} exceeds ${bk.wagerLimit}`);
    }
    if (bk.maxWagerCount !== null && (countPerBook.get(bk.id) ?? 0) > bk.maxWagerCount) problems.push(`bookmaker ${bk.id}: too many wagers`);
  }
  if (problem.totalMaxWagerCount !== null && count > problem.totalMaxWagerCount) problems.push(`${count} wagers exceed the total count cap`);
  const profits = profitsOverBox(problem, wagers);
  const min = Math.min(...profits);
  const max = Math.max(...profits);
  const [rmin, rmax] = output.profit;
  if (Math.abs(min - rmin) > 1e-5 * Math.max(1, Math.abs(min))) problems.push(`reported min ${rmin} but the box gives ${min}`);
  if (Math.abs(max - rmax) > 1e-5 * Math.max(1, Math.abs(max))) problems.push(`reported max ${rmax} but the box gives ${max}`);
  return { min, max, problems };
};
