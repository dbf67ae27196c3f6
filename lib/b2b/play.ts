// B2B odds screen: pure rules for a play — stake input, payout, and reading a geolocation result.
import { americanToDecimal, formatAmerican } from "../odds/american.ts";

export const MIN_STAKE_CENTS = 100;
export const MAX_STAKE_CENTS = 1_000_000_00;

export type StakeParse = { ok: true; cents: number } | { ok: false; message: string };

/** What the user typed in the bet slip ("10", "10.5", "$1,000.25") → cents, or a message. */
export const parseStakeInput = (text: string): StakeParse => {
  const cleaned = text.replace(/[$,\s]/g, "");
  if (cleaned === "") return { ok: false, message: "Enter a stake." };
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return { ok: false, message: "Enter the stake in dollars, with at most 2 decimals." };
  const [whole, frac = ""] = cleaned.split(".");
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  if (cents < MIN_STAKE_CENTS) return { ok: false, message: `The smallest stake is $${MIN_STAKE_CENTS / 100}.` };
  if (cents > MAX_STAKE_CENTS) return { ok: false, message: `The largest stake is $${(MAX_STAKE_CENTS / 100).toLocaleString("en-US")}.` };
  return { ok: true, cents };
};

/** Cents won (profit, stake excluded) if a stake at American odds wins, rounded down to the cent. */
export const potentialProfitCents = (stakeCents: number, odds: number): number => Math.floor(stakeCents * (americanToDecimal(odds) - 1) + 1e-9);

/** Message shown when the exchange refused because the price moved. */
export const oddsChangedMessage = (seen: number, current: number | null): string =>
  current === null
    ? `The odds moved since you saw ${formatAmerican(seen)}. Nothing was placed; check the new price and try again.`
    : `The odds moved from ${formatAmerican(seen)} to ${formatAmerican(current)}. Nothing was placed; check the new price and try again.`;

export type GeoVerdict = { ok: boolean; errorCode: number | null; isActiveStates: boolean | null; reason: string | null };

/**
 * The decrypt step's verdict. Success needs BOTH `<error_code>0</error_code>` and `"isActiveStates": true`
 * somewhere in the response — we look through the whole body (the XML may be a string field, the flag
 * a JSON field or inside a JSON string) so the check does not depend on exactly where they sit.
 */
export const geoVerdict = (decryptBody: unknown): GeoVerdict => {
  const text = typeof decryptBody === "string" ? decryptBody : JSON.stringify(decryptBody ?? null);
  const unescaped = text.replace(/\\"/g, '"');
  const code = /<error_code>\s*(-?\d+)\s*<\/error_code>/.exec(unescaped);
  const active = /"isActiveStates"\s*:\s*(true|false)/.exec(unescaped);
  const errorCode = code ? Number(code[1]) : null;
  const isActiveStates = active ? active[1] === "true" : null;
  const msg = /<error_message>([^<]*)<\/error_message>/.exec(unescaped)?.[1]?.trim() || null;
  if (errorCode === null) return { ok: false, errorCode, isActiveStates, reason: "The location service gave no result." };
  if (errorCode !== 0) return { ok: false, errorCode, isActiveStates, reason: `Your location could not be determined${msg ? ` (${msg})` : ""}.` };
  if (isActiveStates !== true) return { ok: false, errorCode, isActiveStates, reason: "You appear to be outside a state where ProphetX is available." };
  return { ok: true, errorCode, isActiveStates, reason: null };
};
