"use client";
// Exposure: worst-case loss by event, line, team and counterparty against limits (recharts), realised
// P&L over time, and a what-if for a pending quote.
import { useEffect, useMemo } from "react";
import { useSearchParams } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ExposureItem } from "@/server/desk/types";
import { useExposure, useRfqs } from "@/components/data/hooks";
import { fmtCents, fmtCentsShort, fmtOdds } from "@/components/data/format";
import { useDeskUi } from "@/components/stores/desk-ui";
import { Card, Empty, ErrorBox, Loading, Stat, inputCls } from "./ui";

const tooltipStyle = { background: "#0b1020", border: "1px solid #1f2937", fontSize: 12 };

export function ExposureScreen() {
  const params = useSearchParams();
  const whatIf = useDeskUi((s) => s.whatIfParlayId);
  const setWhatIf = useDeskUi((s) => s.setWhatIf);
  useEffect(() => {
    const p = params.get("whatIf");
    if (p) setWhatIf(p);
  }, [params, setWhatIf]);
  const q = useExposure(whatIf);
  const rfqs = useRfqs();
  const pending = useMemo(() => (rfqs.data?.rows ?? []).filter((r) => r.displayStatus === "quoted" || r.parlayId === whatIf).slice(0, 200), [rfqs.data, whatIf]);

  if (q.isPending) return <Loading label="Loading exposure…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const x = q.data;
  const wcLimit = x.limits.maxWorstCaseLossCents;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-4 gap-3">
        <Stat label="Worst-case loss" value={fmtCents(x.worstCaseCents)} tone={wcLimit && x.worstCaseCents > wcLimit * 0.8 ? "warn" : undefined} hint="Every open order winning at once" />
        <Stat label="Worst-case limit" value={wcLimit == null ? "no limit set" : fmtCents(wcLimit)} tone={wcLimit == null ? "warn" : undefined} hint="risk.limits / engine settings: maxWorstCaseLossCents" />
        <Stat label="Accepted orders" value={fmtCents(x.acceptedCents)} />
        <Stat label="In-flight offers" value={`${fmtCents(x.inFlightCents)} · ${x.openOrders.toLocaleString()} open orders & offers`} />
      </dl>
      <div className="grid grid-cols-2 gap-3">
        <ExposureChart title="By event" items={x.byEvent} limit={x.limits.maxEventExposureCents} />
        <ExposureChart title="By line" items={x.byLine} limit={x.limits.maxLineExposureCents} />
        <ExposureChart title="By team" items={x.byTeam} limit={x.limits.maxTeamExposureCents} />
        <ExposureChart title="By counterparty" items={x.byCreator} limit={x.limits.maxCreatorExposureCents} />
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-3">
        <Card title="Realised P&L over time (cumulative, $)">
          {x.pnl.length === 0 ? (
            <Empty>No settled orders yet.</Empty>
          ) : (
            <div className="h-56" aria-label="P&L over time chart">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={x.pnl.map((p) => ({ day: p.day.slice(5), cum: p.cumulativeCents / 100, day$: p.pnlCents / 100 }))}>
                  <CartesianGrid stroke="#1f2937" />
                  <XAxis dataKey="day" stroke="#6b7280" fontSize={11} />
                  <YAxis stroke="#6b7280" fontSize={11} tickFormatter={(v: number) => fmtCentsShort(v * 100)} />
                  <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtCents(Number(v) * 100)} />
                  <ReferenceLine y={0} stroke="#4b5563" />
                  <Line type="monotone" dataKey="cum" name="Cumulative P&L" stroke="#38bdf8" dot={false} isAnimationActive={false} />
                  <Line type="monotone" dataKey="day$" name="Daily P&L" stroke="#a78bfa" dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card
          title="What-if: a pending quote fills"
          actions={
            <select aria-label="What-if parlay" className={`${inputCls} max-w-64 text-xs`} value={whatIf ?? ""} onChange={(e) => setWhatIf(e.target.value || null)}>
              <option value="">Choose a pending quote…</option>
              {pending.map((r) => (
                <option key={r.parlayId} value={r.parlayId}>
                  {r.parlayId.slice(0, 18)} · {r.legs.length} legs · {r.tiers.map((t) => fmtOdds(t.odds)).join("/")}
                </option>
              ))}
            </select>
          }
        >
          {!x.whatIf ? (
            <Empty>{whatIf ? "That request was not found." : "Pick a pending quote to see the exposure if every tier were taken."}</Empty>
          ) : (
            <table className="w-full text-xs" aria-label="What-if exposure">
              <thead className="text-[10px] uppercase text-gray-500">
                <tr><th className="text-left font-normal">Dimension</th><th className="text-left font-normal">Key</th><th className="text-right font-normal">Now</th><th className="text-right font-normal">If filled</th><th className="text-right font-normal">Limit</th></tr>
              </thead>
              <tbody>
                {x.whatIf.rows.map((r) => {
                  const breach = r.limitCents != null && r.afterCents > r.limitCents;
                  return (
                    <tr key={`${r.dimension}:${r.key}`} className={`border-t border-gray-800 ${breach ? "text-red-300" : ""}`}>
                      <td className="py-0.5">{r.dimension.replace("_", " ")}</td>
                      <td className="max-w-48 truncate" title={r.label}>{r.label}</td>
                      <td className="num text-right">{fmtCents(r.beforeCents)}</td>
                      <td className="num text-right">{fmtCents(r.afterCents)}</td>
                      <td className="num text-right">{fmtCents(r.limitCents)}{breach ? " ⚠" : ""}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot><tr><td colSpan={5} className="pt-1 text-gray-500">Liability added: <span className="num">{fmtCents(x.whatIf.liabilityCents)}</span></td></tr></tfoot>
            </table>
          )}
        </Card>
      </div>
    </div>
  );
}

function ExposureChart({ title, items, limit }: { title: string; items: ExposureItem[]; limit: number | null }) {
  const data = items.slice(0, 10).map((i) => ({ name: i.label, v: i.cents / 100, over: limit != null && i.cents > limit }));
  const more = items.length - data.length;
  return (
    <Card
      title={`Worst-case loss ${title.toLowerCase()} ($)`}
      actions={<span className="num text-[11px] text-gray-500">{limit == null ? "no limit set" : `limit ${fmtCents(limit)}`}{more > 0 ? ` · top 10 of ${items.length}` : ""}</span>}
    >
      {data.length === 0 ? (
        <Empty>No open exposure.</Empty>
      ) : (
        <div className="h-52" aria-label={`Exposure ${title} chart`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
              <CartesianGrid stroke="#1f2937" horizontal={false} />
              <XAxis type="number" stroke="#6b7280" fontSize={11} tickFormatter={(v: number) => fmtCentsShort(v * 100)} domain={[0, (max: number) => Math.max(max, (limit ?? 0) / 100)]} />
              <YAxis type="category" dataKey="name" width={160} stroke="#6b7280" fontSize={10} interval={0} tick={<CategoryTick />} />
              <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtCents(Number(v) * 100)} />
              {limit != null && <ReferenceLine x={limit / 100} stroke="#f87171" strokeDasharray="4 3" />}
              <Bar dataKey="v" name="Worst-case loss" isAnimationActive={false}>
                {data.map((d, i) => (
                  <Cell key={i} fill={d.over ? "#f87171" : "#38bdf8"} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}

/** A y-axis label on one line, cut to fit the axis, the full label in a tooltip (<title>). */
function CategoryTick(props: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) {
  const full = String(props.payload?.value ?? "");
  const short = full.length > 26 ? `${full.slice(0, 25)}…` : full;
  return (
    <text x={Number(props.x ?? 0)} y={Number(props.y ?? 0)} dx={-4} dy={3} textAnchor="end" fill="#9ca3af" fontSize={10}>
      <title>{full}</title>
      {short}
    </text>
  );
}
