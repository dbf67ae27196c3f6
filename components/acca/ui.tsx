"use client";
// Small presentational pieces shared by the designer's panels.
import type { ButtonHTMLAttributes, ReactNode } from "react";

export function Panel({ title, children, actions, labelledBy }: { title: string; children: ReactNode; actions?: ReactNode; labelledBy?: string }) {
  const id = labelledBy ?? `panel-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-xl border border-gray-800 bg-gray-900/60 shadow-lg shadow-black/20">
      <header className="flex items-center justify-between gap-3 border-b border-gray-800 px-4 py-3">
        <h2 id={id} className="text-sm font-semibold uppercase tracking-wide text-gray-300">
          {title}
        </h2>
        {actions}
      </header>
      <div className="p-4">{children}</div>
    </section>
  );
}

export function Choice({ selected, children, ...rest }: { selected: boolean; children: ReactNode } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      aria-pressed={selected}
      {...rest}
      className={`rounded-md border px-2.5 py-1.5 text-sm transition focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-40 ${
        selected ? "border-emerald-500 bg-emerald-500/15 text-emerald-200" : "border-gray-700 bg-gray-800/70 text-gray-200 hover:border-gray-500 hover:bg-gray-800"
      }`}
    >
      {children}
    </button>
  );
}

export function Skeleton({ rows = 4, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-10 animate-pulse rounded-md bg-gray-800/70" />
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function ErrorNote({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="flex items-start justify-between gap-3 rounded-md border border-rose-800/70 bg-rose-950/40 px-3 py-2 text-sm text-rose-200">
      <span>{message}</span>
      {onRetry && (
        <button type="button" onClick={onRetry} className="shrink-0 rounded border border-rose-700 px-2 py-0.5 text-xs hover:bg-rose-900/50 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400">
          Retry
        </button>
      )}
    </div>
  );
}

const kickoffFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });

export const formatKickoff = (iso?: string) => (iso ? kickoffFormat.format(new Date(iso)) : "");
export const formatDay = (iso?: string) => (iso ? dayFormat.format(new Date(iso)) : "Date to be confirmed");
export const formatPercent = (p: number) => `${(p * 100).toFixed(p < 0.01 ? 2 : 1)}%`;
