import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/EmptyState";
import { currentProvider, getDb } from "@/server/db/client";
import { readHealth } from "@/server/health";
import { OverviewLive } from "@/components/desk/OverviewLive";
import { engineStatusOf } from "@/server/desk/controls";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

const fmtAge = (ms: number | null) => (ms == null ? "—" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export default async function OverviewPage() {
  const db = getDb();
  const health = await readHealth(db, currentProvider(), Date.now());
  const conn = health.exchange.connection;
  // The engine reports heartbeat ages per product ({ mm, sp }); older engines wrote one number.
  const engine = engineStatusOf(health.engine.status);
  const hb = engine.heartbeatAgesMs ? Object.entries(engine.heartbeatAgesMs).map(([k, v]) => `${k} ${v == null ? "none yet" : fmtAge(v)}`).join(" · ") : fmtAge(engine.heartbeatAgeMs);
  const cards = [
    { label: "Database", value: health.database.ok ? `${health.database.provider} · ${health.database.latencyMs} ms` : "unreachable" },
    { label: "Engine lease", value: health.engine.leaseHolder ? `${health.engine.leaseExpired ? "expired" : "held"} · ${fmtAge(health.engine.leaseHeartbeatAgeMs)} ago` : "no engine" },
    { label: "Exchange", value: conn ? Object.entries(conn).map(([k, v]) => `${k}: ${v}`).join(" · ") : "not connected" },
    { label: "Exchange heartbeat age", value: hb === "—" ? "not reported" : hb },
    { label: "Quoting", value: engine.killSwitch ? "KILLED" : engine.quotingPaused ? `paused${engine.pauseReasons.length ? ` (${engine.pauseReasons.join(", ").replace(/_/g, " ")})` : ""}` : health.engine.status ? "active" : "no engine status" },
  ];
  return (
    <>
      <PageHeader title="Overview" subtitle="The desk at a glance." />
      <h2 className="mb-2 text-xs uppercase tracking-wide text-gray-500">Trading</h2>
      <OverviewLive />
      <h2 className="mb-2 mt-5 text-xs uppercase tracking-wide text-gray-500">Systems</h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="Systems">
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
