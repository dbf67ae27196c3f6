// Every number with its unit: dollars from cents, American odds with sign, probabilities in %.
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usd0 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export const fmtCents = (cents: number | null | undefined): string => (cents == null || !Number.isFinite(cents) ? "—" : usd.format(cents / 100));
export const fmtCentsShort = (cents: number | null | undefined): string => {
  if (cents == null || !Number.isFinite(cents)) return "—";
  const d = cents / 100;
  if (Math.abs(d) >= 1_000_000) return `${d < 0 ? "-" : ""}$${(Math.abs(d) / 1_000_000).toFixed(1)}M`;
  if (Math.abs(d) >= 10_000) return `${d < 0 ? "-" : ""}$${(Math.abs(d) / 1_000).toFixed(1)}k`;
  return usd0.format(d);
};
export const fmtSignedCents = (cents: number | null | undefined): string => (cents == null ? "—" : `${cents > 0 ? "+" : ""}${fmtCents(cents)}`);
export const fmtOdds = (odds: number | null | undefined): string => (odds == null || !Number.isFinite(odds) ? "—" : odds > 0 ? `+${odds}` : `${odds}`);
export const fmtPct = (p: number | null | undefined, digits = 1): string => (p == null || !Number.isFinite(p) ? "—" : `${(p * 100).toFixed(digits)}%`);
export const fmtBps = (bps: number | null | undefined): string => (bps == null ? "—" : `${(bps / 100).toFixed(2)}%`);
export const fmtMs = (ms: number | null | undefined): string =>
  ms == null || !Number.isFinite(ms) ? "—" : ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
export const fmtTime = (iso: string | number | null | undefined): string => {
  if (iso == null) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : d.toLocaleTimeString("en-GB", { hour12: false });
};
export const fmtDateTime = (iso: string | null | undefined): string => {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : `${d.toISOString().slice(0, 10)} ${d.toLocaleTimeString("en-GB", { hour12: false })}`;
};
/** Dollars typed by a trader → integer cents (null when not a valid amount). */
export const parseDollarsToCents = (s: string): number | null => {
  const t = s.trim().replace(/[$,]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
};
/** "+150" / "-120" / "150" → American integer (null when |odds| < 100 or −100). */
export const parseOdds = (s: string): number | null => {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) return null;
  const n = Number(t);
  return Math.abs(n) >= 100 && n !== -100 ? n : null;
};

// Selection labels live with the read side (the exposure labels use them too); pure, no server deps.
export { fmtLine, fmtSelection } from "@/server/desk/selection";
