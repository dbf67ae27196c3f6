// Wire helpers: nanosecond timestamps as exact JSON integers, base64 JSON payloads, dollars.

import { centsToDollars } from "../../lib/money/cents";

let lastNs = 0n;

/** Nanoseconds since the epoch, strictly increasing within this process. */
export const nowNs = (): bigint => {
  const wall = BigInt(Date.now()) * 1_000_000n;
  lastNs = wall > lastNs ? wall : lastNs + 1n;
  return lastNs;
};

export const msToNs = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;

export const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);

const BIGINT_MARK = "@@bigint:";
const BIGINT_PATTERN = /"@@bigint:(-?\d+)"/g;

/** JSON.stringify that writes bigint values as plain (exact) JSON integers. */
export const toJson = (value: unknown): string => {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") {
      sawBigint = true;
      return `${BIGINT_MARK}${v.toString()}`;
    }
    return v;
  });
  return sawBigint ? text.replace(BIGINT_PATTERN, "$1") : text;
};

export const base64Json = (value: unknown): string => Buffer.from(toJson(value), "utf8").toString("base64");

export const dollars = (cents: number): number => centsToDollars(cents);

export const displayOdds = (odds: number): string => (odds > 0 ? `+${odds}` : `${odds}`);

/** Parse a nanosecond timestamp sent as a JSON number or a decimal string. */
export const parseNs = (value: unknown): bigint | undefined => {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return BigInt(Math.round(value));
  if (typeof value === "string" && /^\d{1,25}$/.test(value)) return BigInt(value);
  return undefined;
};
