import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { currentProvider, getDb } from "@/server/db/client";
import { readHealth } from "@/server/health";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

const fmtAge = (ms: number | null) => (ms == null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export default async function OverviewPage() {
  const db = getDb();
  const [health, rfqs, openOrders, openWagers] = await Promise.all([
    readHealth(db, currentProvider(), Date.now()),
    db.parlayRequest.count(),
    db.parlayOrder.count({ where: { status: { in: ["finalized", "matched"] } } }),
    db.wager.count({ where: { status: { in: ["inactive", "open", "pending_send"] } } }),
  ]);
  const conn = health.exchange.connection;
  const cards = [
    { label: "Database", value: health.database.ok ? `${health.database.provider} · ${health.database.latencyMs} ms` : "unreachable" },
    { label: "Engine lease", value: health.engine.leaseHolder ? `${health.engine.leaseExpired ? "expired" : "held"} · ${fmtAge(health.engine.leaseHeartbeatAgeMs)} ago` : "no engine" },
    { label: "Exchange", value: conn ? Object.entries(conn).map(([k, v]) => `${k}: ${v}`).join(" · ") : "not connected" },
    { label: "Exchange heartbeat age", value: fmtAge(health.exchange.heartbeatAgeMs) },
    { label: "Parlay requests seen", value: String(rfqs) },
    { label: "Open parlay orders", value: String(openOrders) },
    { label: "Open wagers", value: String(openWagers) },
  ];
  return (
    <>
      <PageHeader title="Overview" subtitle="The desk at a glance." />
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {cards.map((c) => (
          <div key={c.label} className="rounded-lg border border-gray-800 bg-gray-900/50 px-4 py-3">
            <dt className="text-xs uppercase tracking-wide text-gray-500">{c.label}</dt>
            <dd className="num mt-1 text-sm text-gray-100">{c.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
