// Money is integer minor units (cents). Conversions happen only at the wire edge.

export type Cents = number;

/** Dollars (a JSON number like 3.49) to cents, refusing amounts that are not whole cents. */
export const dollarsToCents = (dollars: number): Cents => {
  if (!Number.isFinite(dollars)) throw new RangeError(`not a finite amount: ${dollars}`);
  const cents = Math.round(dollars * 100);
  if (Math.abs(cents - dollars * 100) > 1e-6 * Math.max(1, Math.abs(cents))) {
    throw new RangeError(`amount has more than 2 decimal places: ${dollars}`);
  }
  return cents;
};

/** Dollars to cents, rounding to the nearest cent (for amounts computed from prices). */
export const dollarsToCentsRounded = (dollars: number): Cents => Math.round(dollars * 100);

export const centsToDollars = (cents: Cents): number => Math.round(cents) / 100;

export const formatCents = (cents: Cents, currency = "USD"): string =>
  new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);

/** Profit on `stakeCents` at American `odds`, floored to whole cents (never overpays). */
export const profitCentsAtAmerican = (stakeCents: Cents, odds: number): Cents =>
  odds > 0 ? Math.floor((stakeCents * odds) / 100) : Math.floor((stakeCents * 100) / -odds);
