// The exchange's odds ladder: 291 American values, +100…+10000 (146) and −101…−10000 (145).
// −100 is not valid (even money is +100). Wagers off the ladder are rejected (`wager_invalid_odds`).

const STEPS: ReadonlyArray<readonly [from: number, to: number, step: number]> = [
  [100, 120, 1],
  [120, 200, 2],
  [200, 300, 5],
  [300, 500, 10],
  [500, 1000, 20],
  [1000, 2000, 100],
  [2000, 3000, 250],
  [3000, 5000, 500],
  [5000, 10000, 2500],
];

const buildMagnitudes = (): number[] => {
  const out = new Set<number>();
  for (const [from, to, step] of STEPS) for (let v = from; v <= to; v += step) out.add(v);
  return [...out].sort((a, b) => a - b);
};

const MAGNITUDES = buildMagnitudes();

/** The full ladder sorted from −10000 (shortest price) to +10000 (longest). */
export const ODDS_LADDER: readonly number[] = Object.freeze([
  ...MAGNITUDES.filter((m) => m !== 100).map((m) => -m).reverse(),
  ...MAGNITUDES,
]);

const LADDER_SET = new Set(ODDS_LADDER);

export const isOnLadder = (odds: number): boolean => LADDER_SET.has(odds);

/** Position on a single monotone payout scale: decimal odds. */
const payout = (american: number): number => (american > 0 ? 1 + american / 100 : 1 + 100 / -american);

/**
 * The ladder value nearest in payout to `odds` (any American number, even off-ladder or −100).
 * `direction` "down" returns the nearest value paying no more; "up" paying no less.
 */
export const snapToLadder = (odds: number, direction: "nearest" | "down" | "up" = "nearest"): number => {
  const target = odds === -100 ? 2 : payout(Math.abs(odds) < 100 ? Math.sign(odds || 1) * 100 : odds);
  let lo = 0;
  let hi = ODDS_LADDER.length - 1;
  if (target <= payout(ODDS_LADDER[lo]!)) return ODDS_LADDER[lo]!;
  if (target >= payout(ODDS_LADDER[hi]!)) return ODDS_LADDER[hi]!;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (payout(ODDS_LADDER[mid]!) <= target) lo = mid;
    else hi = mid;
  }
  const below = ODDS_LADDER[lo]!;
  const above = ODDS_LADDER[hi]!;
  if (payout(below) === target || direction === "down") return below;
  if (direction === "up") return above;
  return target - payout(below) <= payout(above) - target ? below : above;
};

/** Next ladder value paying more (`+1`) or less (`-1`) than `odds`, or undefined at the ends. */
export const tickFrom = (odds: number, ticks: number): number | undefined => {
  const i = ODDS_LADDER.indexOf(snapToLadder(odds));
  return ODDS_LADDER[i + ticks];
};
