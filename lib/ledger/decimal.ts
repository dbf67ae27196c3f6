// Exact decimal arithmetic for wire amounts. Stakes and prices arrive as JSON numbers (or strings);
// we take their shortest decimal form (`String(n)`, which is the literal the sender wrote for any
// value with at most 15 significant digits) and never do float arithmetic on money.

export type Decimal = { /** digits without the point */ units: bigint; /** number of digits after the point */ scale: number };

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/** The canonical decimal text of a wire value, or null when it is not a plain non-negative decimal. */
export const decimalText = (value: unknown): string | null => {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === "string") {
    text = value.trim();
  } else return null;
  return DECIMAL_RE.test(text) ? text : null;
};

export const parseDecimal = (text: string): Decimal | null => {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? "").replace(/0+$/, "");
  return { units: BigInt(m[1]! + frac), scale: frac.length };
};

/** Whole cents from a decimal amount; null when it has more than 2 decimal places. */
export const decimalToCents = (text: string): bigint | null => {
  const d = parseDecimal(text);
  if (!d || d.scale > 2) return null;
  return d.units * 10n ** BigInt(2 - d.scale);
};

/** Cents as a JSON number of dollars (exact for any amount below 2^53 cents). */
export const centsToWire = (cents: bigint | number): number => Number(cents) / 100;

/**
 * potentialPayout = stake × decimalPrice, in whole cents, rounded DOWN (toward zero) to the cent:
 * floor(stakeCents × priceUnits / 10^priceScale). Integer arithmetic only, so "2.1" × 3 cents is
 * exactly 6 cents (6.3 → 6), never 6.300000000000001.
 */
export const payoutCents = (stakeCents: bigint, price: Decimal): bigint => (stakeCents * price.units) / 10n ** BigInt(price.scale);

/** The house's exposure on a bet: what it pays beyond the returned stake. */
export const liabilityCents = (stakeCents: bigint, price: Decimal): bigint => payoutCents(stakeCents, price) - stakeCents;

/** Largest stake (cents) whose liability at `price` is at most `remainingCents`; price must be > 1. */
export const maxStakeForLiability = (remainingCents: bigint, price: Decimal): bigint => {
  if (remainingCents < 0n) return 0n;
  const one = 10n ** BigInt(price.scale);
  const edge = price.units - one;
  if (edge <= 0n) throw new RangeError("price must be greater than 1");
  let s = (remainingCents * one) / edge;
  // floor() in payoutCents can make a slightly larger stake still fit.
  while (liabilityCents(s + 1n, price) <= remainingCents) s += 1n;
  while (s > 0n && liabilityCents(s, price) > remainingCents) s -= 1n;
  return s;
};
