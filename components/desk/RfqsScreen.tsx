"use client";
// Live parlay requests: a virtualized, streaming table (10,000 rows) with filters, and a detail panel.
import { useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { RfqRow } from "@/server/desk/types";
import { useRfqs } from "@/components/data/hooks";
import { fmtBps, fmtCents, fmtOdds, fmtPct, fmtTime, parseDollarsToCents } from "@/components/data/format";
import { useDeskUi, type RfqFilters } from "@/components/stores/desk-ui";
import { Countdown, Empty, ErrorBox, Loading, StatusBadge, inputCls } from "./ui";
import { RfqDetailPanel } from "./RfqDetail";

const ROW_H = 34;
// Minimum widths sum (with gaps and padding) to MIN_W: below that the table scrolls sideways.
// Order by what a trader scans first: when, state, time left; then the request and our price.
const COLS = "grid-cols-[64px_76px_56px_minmax(120px,1.2fr)_36px_80px_minmax(150px,1.3fr)_52px_52px_56px]";
const MIN_W = "min-w-[840px]";
const STATUSES: RfqFilters["status"][] = ["all", "pending", "quoted", "declined", "confirmed", "rejected", "settled", "failed", "expired"];

const matches = (r: RfqRow, f: RfqFilters): boolean => {
  if (f.status !== "all" && r.displayStatus !== f.status) return false;
  if (f.minStakeCents != null && r.stakeCents < f.minStakeCents) return false;
  if (f.legs != null && r.legs.length !== f.legs) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (!r.parlayId.toLowerCase().includes(s) && !(r.creatorId ?? "").toLowerCase().includes(s) && !r.legs.some((l) => l.lineId.toLowerCase().includes(s))) return false;
  }
  return true;
};

export function RfqsScreen() {
  const q = useRfqs();
  const filters = useDeskUi((s) => s.rfqFilters);
  const setFilters = useDeskUi((s) => s.setRfqFilters);
  const selected = useDeskUi((s) => s.selectedParlayId);
  const select = useDeskUi((s) => s.selectParlay);
  const rows = useMemo(() => (q.data ? q.data.rows.filter((r) => matches(r, filters)) : []), [q.data, filters]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const r of q.data?.rows ?? []) c[r.displayStatus] = (c[r.displayStatus] ?? 0) + 1;
    return c;
  }, [q.data]);

  return (
    <div className="flex h-[calc(100vh-10.5rem)] min-h-[480px] gap-3">
      <div className="flex min-w-0 flex-1 flex-col">
        <form className="mb-2 flex flex-wrap items-end gap-2 text-xs" aria-label="RFQ filters" onSubmit={(e) => e.preventDefault()}>
          <label className="flex flex-col gap-0.5 text-gray-400">
            Status
            <select aria-label="Status filter" className={inputCls} value={filters.status} onChange={(e) => setFilters({ status: e.target.value as RfqFilters["status"] })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                  {s !== "all" && counts[s] ? ` (${counts[s]})` : ""}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-0.5 text-gray-400">
            Search
            <input aria-label="Search parlay, line or creator" className={`${inputCls} w-52`} placeholder="parlay id, line id, creator" value={filters.search} onChange={(e) => setFilters({ search: e.target.value })} />
          </label>
          <label className="flex flex-col gap-0.5 text-gray-400">
            Min stake ($)
            <input
              aria-label="Minimum stake in dollars"
              className={`${inputCls} w-24`}
              inputMode="decimal"
              placeholder="0.00"
              onChange={(e) => setFilters({ minStakeCents: e.target.value.trim() ? parseDollarsToCents(e.target.value) : null })}
            />
          </label>
          <label className="flex flex-col gap-0.5 text-gray-400">
            Legs
            <select aria-label="Leg count filter" className={inputCls} value={filters.legs ?? ""} onChange={(e) => setFilters({ legs: e.target.value ? Number(e.target.value) : null })}>
              <option value="">any</option>
              {[2, 3, 4, 5, 6, 7, 8].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <div className="ml-auto text-gray-500" aria-live="polite">
            <span className="num" data-testid="rfq-count">{rows.length.toLocaleString()}</span> shown of <span className="num">{(q.data?.rows.length ?? 0).toLocaleString()}</span>
            {q.data && q.data.total > q.data.rows.length ? ` (latest of ${q.data.total.toLocaleString()})` : ""}
          </div>
        </form>
        {q.isPending ? <Loading label="Loading parlay requests…" /> : q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : <RfqTable rows={rows} total={q.data.rows.length} selected={selected} onSelect={select} />}
      </div>
      <aside aria-label="RFQ detail" className={`${selected ? "w-[25rem]" : "w-44"} min-w-0 shrink-0 overflow-y-auto overflow-x-hidden rounded-lg border border-gray-800 bg-gray-900/40`}>
        {selected ? <RfqDetailPanel parlayId={selected} onClose={() => select(null)} /> : <div className="p-4 text-sm text-gray-500">Select a request to see its legs, book and model, and to override the quote.</div>}
      </aside>
    </div>
  );
}

function RfqTable({ rows, total, selected, onSelect }: { rows: RfqRow[]; total: number; selected: string | null; onSelect: (id: string) => void }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_H, overscan: 12, getItemKey: (i) => rows[i]!.parlayId });
  const th = "truncate whitespace-nowrap";
  return (
    // One scroller for both axes: the header is sticky on top, and when the detail panel leaves too
    // little room the whole table (header and rows together) scrolls sideways inside its own border.
    <div role="table" aria-label="Parlay requests" aria-rowcount={rows.length} className="flex min-h-0 min-w-0 flex-1 flex-col overflow-hidden rounded-lg border border-gray-800 text-xs">
      <div ref={parentRef} className="min-h-0 flex-1 overflow-auto overscroll-contain" data-testid="rfq-scroll">
        <div className={rows.length ? MIN_W : ""}>
          <div role="rowgroup" className="sticky top-0 z-10">
            <div role="row" className={`grid ${COLS} gap-2 border-b border-gray-800 bg-gray-900 px-2 py-1.5 text-[11px] uppercase tracking-wide text-gray-500`}>
              <span role="columnheader" className={th}>Time</span>
              <span role="columnheader" className={th}>Status</span>
              <span role="columnheader" className={`${th} text-right`} title="Quote time left">Valid</span>
              <span role="columnheader" className={th}>Parlay</span>
              <span role="columnheader" className={`${th} text-right`}>Legs</span>
              <span role="columnheader" className={`${th} text-right`}>Stake</span>
              <span role="columnheader" className={th} title="Our tiers: American odds / max risk">Tiers (odds / risk)</span>
              <span role="columnheader" className={`${th} text-right`} title="Model fair odds (American)">Fair</span>
              <span role="columnheader" className={`${th} text-right`} title="Model fair probability">Fair %</span>
              <span role="columnheader" className={`${th} text-right`} title="Margin of the best tier">Margin</span>
            </div>
          </div>
          <div role="rowgroup">
            {rows.length === 0 ? (
              <div className="p-4">
                <Empty>{total === 0 ? "No parlay requests yet. They appear here the moment the exchange sends them." : "No request matches these filters."}</Empty>
              </div>
            ) : (
              <div style={{ height: v.getTotalSize(), position: "relative" }}>
                {v.getVirtualItems().map((vi) => {
                  const r = rows[vi.index]!;
                  const isSel = r.parlayId === selected;
                  const tiers = r.tiers.map((t) => `${fmtOdds(t.odds)} / ${fmtCents(t.maxRiskCents)}${t.source === "manual" ? " ✎" : ""}`).join("  ·  ");
                  return (
                    <div
                      key={vi.key}
                      role="row"
                      aria-selected={isSel}
                      data-parlay-id={r.parlayId}
                      tabIndex={0}
                      onClick={() => onSelect(r.parlayId)}
                      onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onSelect(r.parlayId))}
                      className={`absolute left-0 right-0 grid ${COLS} cursor-pointer items-center gap-2 border-b border-gray-900 px-2 ${isSel ? "bg-sky-950/60" : "hover:bg-gray-900"}`}
                      style={{ height: ROW_H, transform: `translateY(${vi.start}px)` }}
                    >
                      <span role="cell" className="num text-gray-400">{fmtTime(r.receivedAt)}</span>
                      <span role="cell"><StatusBadge status={r.displayStatus} /></span>
                      <span role="cell" className="text-right">{r.displayStatus === "quoted" ? <Countdown untilMs={r.validUntilMs} label={`Quote ${r.parlayId} time left`} /> : <span className="text-gray-600">—</span>}</span>
                      <span role="cell" className="truncate font-mono text-[11px] text-gray-200" title={r.parlayId}>{r.parlayId}</span>
                      <span role="cell" className="num text-right">{r.legs.length}</span>
                      <span role="cell" className="num truncate text-right" title={fmtCents(r.stakeCents)}>{fmtCents(r.stakeCents)}</span>
                      <span role="cell" className="num truncate text-gray-200" title={r.tiers.length ? tiers : r.declineReason ?? undefined}>
                        {r.tiers.length ? tiers : <span className="text-gray-600">{r.declineReason ?? "—"}</span>}
                      </span>
                      <span role="cell" className="num text-right">{fmtOdds(r.fairOdds)}</span>
                      <span role="cell" className="num text-right">{fmtPct(r.fairProbability)}</span>
                      <span role="cell" className="num text-right">{fmtBps(r.marginBps)}</span>
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
