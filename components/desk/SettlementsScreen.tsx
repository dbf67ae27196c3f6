"use client";
// Settlement feed: finalized, settled and failed orders as they happen; realised P&L by day and sport.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useSettlements } from "@/components/data/hooks";
import { fmtCents, fmtCentsShort, fmtOdds, fmtSignedCents, fmtTime } from "@/components/data/format";
import { Card, Empty, ErrorBox, Loading, Stat, StatusBadge } from "./ui";

const orders = (n: number) => `${n.toLocaleString()} order${n === 1 ? "" : "s"}`;
const tooltipStyle = { background: "#0b1020", border: "1px solid #1f2937", fontSize: 12 };

export function SettlementsScreen() {
  const q = useSettlements();
  if (q.isPending) return <Loading label="Loading settlements…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const s = q.data;
  const today = new Date().toISOString().slice(0, 10);
  const todayPnl = s.byDay.find((d) => d.day === today)?.pnlCents ?? 0;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-4 gap-3">
        <Stat label="Realised P&L (all)" value={fmtSignedCents(s.totalPnlCents)} tone={s.totalPnlCents >= 0 ? "good" : "bad"} />
        <Stat label="Realised P&L today" value={fmtSignedCents(todayPnl)} tone={todayPnl >= 0 ? "good" : "bad"} />
        <Stat label="Settled orders" value={orders(s.byDay.reduce((n, d) => n + d.count, 0))} />
        <Stat label="In feed" value={orders(s.rows.length)} />
      </dl>
      <div className="grid grid-cols-2 gap-3">
        <Card title="Realised P&L by day ($)">
          {s.byDay.length === 0 ? <Empty>No settled orders yet.</Empty> : <PnlBars data={s.byDay.slice(-30).map((d) => ({ name: d.day.slice(5), v: d.pnlCents / 100 }))} label="P&L by day chart" />}
        </Card>
        <Card title="Realised P&L by sport ($)">
          {s.bySport.length === 0 ? <Empty>No settled orders yet.</Empty> : <PnlBars data={s.bySport.map((d) => ({ name: d.sport, v: d.pnlCents / 100 }))} label="P&L by sport chart" />}
        </Card>
      </div>
      <Card title="Feed">
        {s.rows.length === 0 ? (
          <Empty>No finalized or settled orders yet. They appear here as the exchange reports them.</Empty>
        ) : (
          <div className="max-h-[28rem] overflow-y-auto">
            <table className="w-full text-xs" aria-label="Settlement feed">
              <thead className="sticky top-0 bg-gray-900 text-[10px] uppercase text-gray-500">
                <tr>
                  <th className="text-left font-normal">Updated</th><th className="text-left font-normal">Order</th><th className="text-left font-normal">Sport</th><th className="text-right font-normal">Legs</th>
                  <th className="text-right font-normal">Odds</th><th className="text-right font-normal">Stake</th><th className="text-right font-normal">Our risk</th><th className="pl-3 text-left font-normal">Status</th><th className="text-right font-normal">P&amp;L</th>
                </tr>
              </thead>
              <tbody>
                {s.rows.map((r) => (
                  <tr key={r.orderUuid} className="border-t border-gray-800" data-order-status={r.status}>
                    <td className="num py-0.5 text-gray-400">{fmtTime(r.settledAt ?? r.updatedAt)}</td>
                    <td className="max-w-40 truncate font-mono text-[11px]" title={`${r.orderUuid} · parlay ${r.parlayId}`}>{r.orderUuid}</td>
                    <td className="max-w-32 truncate" title={r.sport}>{r.sport}</td>
                    <td className="num text-right">{r.legs}</td>
                    <td className="num text-right">{fmtOdds(r.odds)}</td>
                    <td className="num text-right">{fmtCents(r.confirmedStakeCents)}</td>
                    <td className="num text-right">{fmtCents(r.riskCents)}</td>
                    <td className="pl-3"><StatusBadge status={r.status} /> {r.settlementStatus && <StatusBadge status={r.settlementStatus} />}</td>
                    <td className={`num text-right ${r.profitCents == null ? "" : r.profitCents >= 0 ? "text-emerald-400" : "text-red-400"}`}>{fmtSignedCents(r.profitCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function PnlBars({ data, label }: { data: { name: string; v: number }[]; label: string }) {
  return (
    <div className="h-52" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data}>
          <CartesianGrid stroke="#1f2937" vertical={false} />
          <XAxis dataKey="name" stroke="#6b7280" fontSize={11} />
          {/* Bars grow from $0: the domain always includes zero, so one loss day is not drawn as a sliver. */}
          <YAxis stroke="#6b7280" fontSize={11} width={64} tickFormatter={(v: number) => fmtCentsShort(v * 100)} domain={[(min: number) => Math.min(0, min), (max: number) => Math.max(0, max)]} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtSignedCents(Number(v) * 100)} cursor={{ fill: "#1f2937" }} />
          <ReferenceLine y={0} stroke="#4b5563" />
          <Bar dataKey="v" name="P&L" maxBarSize={48} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={i} fill={d.v >= 0 ? "#34d399" : "#f87171"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
