// American ↔ decimal ↔ implied-probability conversions (quant.md B4).
// American odds are integers: +A pays A per 100 staked, −A needs A staked to win 100. |A| ≥ 100.

/** Decimal odds (total return per unit stake) for American odds. */
export const americanToDecimal = (american: number): number => {
  assertAmerican(american);
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
};

/** Implied probability of American odds, without removing any margin. */
export const americanToProbability = (american: number): number => {
  assertAmerican(american);
  return american > 0 ? 100 / (american + 100) : -american / (-american + 100);
};

/** Exact (unrounded) American odds for decimal odds > 1. Even money is +100. */
export const decimalToAmericanExact = (decimal: number): number => {
  if (!(decimal > 1)) throw new RangeError(`decimal odds must be > 1, got ${decimal}`);
  return decimal >= 2 ? (decimal - 1) * 100 : -100 / (decimal - 1);
};

export const probabilityToDecimal = (p: number): number => {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  return 1 / p;
};

/**
 * Integer American odds for a probability, rounded so that the payout is never larger than the
 * exact price (rounding "against" the side receiving the odds). Used for offers we make.
 */
export const probabilityToAmericanFloor = (p: number): number => {
  const exact = decimalToAmericanExact(probabilityToDecimal(p));
  // Smaller American number = smaller payout on both signs (+150 < +151; −151 < −150).
  const rounded = Math.floor(exact + 1e-9);
  if (rounded > -100 && rounded < 100) return exact >= 0 ? 100 : -101;
  return rounded;
};

/** Profit per 1 unit of stake if the bet wins. */
export const americanProfitPerUnit = (american: number): number => americanToDecimal(american) - 1;

export const isValidAmerican = (x: unknown): x is number =>
  typeof x === "number" && Number.isInteger(x) && Math.abs(x) >= 100 && !(x === -100);

function assertAmerican(american: number): void {
  if (!Number.isFinite(american) || Math.abs(american) < 100) {
    throw new RangeError(`American odds must satisfy |odds| ≥ 100, got ${american}`);
  }
}

export const formatAmerican = (american: number): string => (american > 0 ? `+${american}` : `${american}`);
