// Small helpers shared by the desk's read queries.
import { probabilityToAmericanFloor } from "../../lib/odds/american.ts";
import type { BookLevel, RfqDisplayStatus } from "./types.ts";

export const parseJson = (text: string | null | undefined, fallback: unknown = null): unknown => {
  if (text == null) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
};

/** Nanosecond decimal string → epoch ms (display precision), null when absent or malformed. */
export const nsToMs = (ns: string | null | undefined): number | null => {
  if (!ns || !/^\d+$/.test(ns)) return null;
  return Number(BigInt(ns) / 1_000_000n);
};

export const fairOddsOf = (p: number | null | undefined): number | null => {
  if (p == null || !(p > 0 && p < 1)) return null;
  try {
    return probabilityToAmericanFloor(p);
  } catch {
    return null;
  }
};

const DISPLAY: Record<string, RfqDisplayStatus> = {
  received: "pending",
  quoted: "quoted",
  declined: "declined",
  confirming: "confirmed",
  accepted: "confirmed",
  finalized: "confirmed",
  rejected: "rejected",
  settled: "settled",
  failed: "failed",
  expired: "expired",
};

export const displayStatusOf = (status: string, orderStatus?: string | null): RfqDisplayStatus => {
  if (orderStatus === "settled") return "settled";
  return DISPLAY[status] ?? "pending";
};

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null);

/**
 * Book depth as stored by the engine, normalised: accepts `[{odds, stakeCents}]`, `[{odds, stake}]`
 * (dollars) or `[[odds, stakeCents]]`. Unknown entries are skipped.
 */
export const parseDepth = (depthJson: string | null | undefined): BookLevel[] => {
  const raw = parseJson(depthJson, []);
  if (!Array.isArray(raw)) return [];
  const out: BookLevel[] = [];
  for (const e of raw) {
    if (Array.isArray(e)) {
      const odds = num(e[0]);
      const stake = num(e[1]);
      if (odds != null && stake != null) out.push({ odds, stakeCents: Math.round(stake) });
    } else if (e && typeof e === "object") {
      const o = e as Record<string, unknown>;
      const odds = num(o.odds);
      const cents = num(o.stakeCents) ?? num(o.stake_cents);
      const dollars = num(o.stake);
      if (odds == null) continue;
      if (cents != null) out.push({ odds, stakeCents: Math.round(cents) });
      else if (dollars != null) out.push({ odds, stakeCents: Math.round(dollars * 100) });
    }
  }
  return out;
};

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

export const clampInt = (v: number | undefined, min: number, max: number, dflt: number): number =>
  v === undefined || !Number.isFinite(v) ? dflt : Math.max(min, Math.min(max, Math.trunc(v)));
