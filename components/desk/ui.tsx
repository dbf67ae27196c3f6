"use client";
// Small presentational pieces shared by the desk screens: cards, stats, badges, states, countdown.
import { useEffect, useState, type ReactNode } from "react";
import type { RfqDisplayStatus } from "@/server/desk/types";
import { ApiError } from "@/components/data/api-fetch";

export function Card({ title, children, actions, className = "" }: { title?: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={`min-w-0 rounded-lg border border-gray-800 bg-gray-900/50 ${className}`}>
      {title && (
        <div className="flex items-center justify-between border-b border-gray-800 px-3 py-2">
          <h2 className="text-xs font-semibold uppercase tracking-wide text-gray-400">{title}</h2>
          {actions}
        </div>
      )}
      <div className="p-3">{children}</div>
    </section>
  );
}

export function Stat({ label, value, tone, hint }: { label: string; value: ReactNode; tone?: "good" | "bad" | "warn"; hint?: string }) {
  const color = tone === "good" ? "text-emerald-400" : tone === "bad" ? "text-red-400" : tone === "warn" ? "text-amber-300" : "text-gray-100";
  return (
    <div className="min-w-0 rounded-lg border border-gray-800 bg-gray-900/50 px-4 py-3" title={hint}>
      <dt className="text-xs uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className={`num mt-1 text-sm ${color}`}>{value}</dd>
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  pending: "bg-gray-800 text-gray-300",
  quoted: "bg-sky-950 text-sky-300 border-sky-800",
  declined: "bg-gray-800 text-gray-400",
  confirmed: "bg-emerald-950 text-emerald-300 border-emerald-800",
  rejected: "bg-amber-950 text-amber-300 border-amber-800",
  settled: "bg-violet-950 text-violet-300 border-violet-800",
  failed: "bg-red-950 text-red-300 border-red-800",
  expired: "bg-gray-800 text-gray-500",
  open: "bg-sky-950 text-sky-300 border-sky-800",
  done: "bg-emerald-950 text-emerald-300 border-emerald-800",
  won: "bg-emerald-950 text-emerald-300 border-emerald-800",
  lost: "bg-red-950 text-red-300 border-red-800",
};

export function StatusBadge({ status }: { status: RfqDisplayStatus | string }) {
  return <span className={`inline-block rounded border border-transparent px-1.5 py-0.5 text-[11px] font-medium ${STATUS_TONE[status] ?? "bg-gray-800 text-gray-300"}`}>{status}</span>;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 px-3 py-8 text-sm text-gray-400">
      <span className="h-3 w-3 animate-spin rounded-full border-2 border-gray-600 border-t-sky-400" aria-hidden />
      {label}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const msg = error instanceof ApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div role="alert" className="flex items-center justify-between gap-3 rounded border border-red-900 bg-red-950/50 px-3 py-2 text-sm text-red-300">
      <span>Could not load: {msg}</span>
      {onRetry && (
        <button type="button" onClick={onRetry} className="rounded border border-red-800 px-2 py-0.5 text-xs hover:bg-red-900/50">
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="rounded border border-dashed border-gray-800 px-4 py-6 text-center text-sm text-gray-500">{children}</div>;
}

/** Re-renders every `everyMs` with the current time (for countdowns and ages). */
export const useNow = (everyMs = 250): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
};

export function Countdown({ untilMs, label = "Time left" }: { untilMs: number | null; label?: string }) {
  const now = useNow(200);
  if (untilMs == null) return <span className="text-gray-500">—</span>;
  const left = untilMs - now;
  const tone = left <= 0 ? "text-gray-500" : left < 3_000 ? "text-red-400" : left < 10_000 ? "text-amber-300" : "text-emerald-400";
  return (
    <span className={`num ${tone}`} aria-label={label} role="timer">
      {left <= 0 ? "expired" : `${(left / 1000).toFixed(1)} s`}
    </span>
  );
}

export const inputCls = "rounded border border-gray-700 bg-gray-950 px-2 py-1 text-sm text-gray-100 outline-none focus:border-sky-500 disabled:opacity-50";
export const btnCls = "rounded border border-gray-700 bg-gray-800 px-2.5 py-1 text-sm text-gray-100 hover:bg-gray-700 disabled:cursor-not-allowed disabled:opacity-50";
export const btnPrimary = "rounded bg-sky-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:opacity-50";
export const btnDanger = "rounded bg-red-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-red-600 disabled:cursor-not-allowed disabled:opacity-50";
