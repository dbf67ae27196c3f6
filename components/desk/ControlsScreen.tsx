"use client";
// Health and controls: connection state, heartbeat, token expiry, rate-limit usage, engine lease; the
// kill switch and pause/resume quoting; per-sport margin and limits (update_settings); recent commands.
import { useState } from "react";
import type { SportSetting } from "@/server/desk/types";
import { useControls, useRole, useSendCommand } from "@/components/data/hooks";
import { fmtBps, fmtCents, fmtDateTime, fmtMs, fmtPct, fmtTime, parseDollarsToCents } from "@/components/data/format";
import { useDeskUi } from "@/components/stores/desk-ui";
import { Card, Empty, ErrorBox, Loading, Stat, StatusBadge, btnCls, btnDanger, btnPrimary, inputCls, useNow } from "./ui";

export function ControlsScreen() {
  const q = useControls();
  const role = useRole();
  const cmd = useSendCommand();
  const setKill = useDeskUi((s) => s.setKillDialogOpen);
  const now = useNow(1000);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  if (q.isPending) return <Loading label="Loading health…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data;
  const e = c.engine;
  // Ages keep ticking between refreshes.
  const drift = now - new Date(c.checkedAt).getTime();
  const leaseAge = c.lease ? c.lease.heartbeatAgeMs + Math.max(0, drift) : null;
  const tokenLeft = e.tokenExpiresAt ? new Date(e.tokenExpiresAt).getTime() - now : null;
  const send = async (type: "pause_quoting" | "resume_quoting" | "cancel_all") => {
    setMsg(null);
    try {
      const r = await cmd.send({ type });
      setMsg({ ok: true, text: `${type.replace("_", " ")} sent (${r.id}).` });
    } catch (err) {
      setMsg({ ok: false, text: (err as Error).message });
    }
  };
  const paused = e.quotingPaused === true || e.killSwitch === true;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-4 gap-3">
        <Stat label="Quoting" value={<span data-testid="quoting-state">{e.killSwitch ? "KILLED" : e.quotingPaused ? "paused" : e.quotingPaused === false ? "active" : "unknown"}</span>} tone={e.killSwitch ? "bad" : e.quotingPaused ? "warn" : "good"} />
        <Stat label="Engine lease" value={c.lease ? `${c.lease.expired ? "expired" : "held"} · ${c.lease.holderId}` : "no engine"} tone={!c.lease || c.lease.expired ? "bad" : "good"} />
        <Stat label="Lease heartbeat age" value={fmtMs(leaseAge)} tone={leaseAge != null && leaseAge > 10_000 ? "bad" : undefined} />
        <Stat label="Exchange heartbeat age" value={fmtMs(e.heartbeatAgeMs)} tone={e.heartbeatAgeMs != null && e.heartbeatAgeMs > 30_000 ? "bad" : undefined} />
        <Stat label="Connections" value={e.connection ? Object.entries(e.connection).map(([k, v]) => `${k}: ${v}`).join(" · ") : "—"} />
        <Stat label="Token expires" value={tokenLeft == null ? "—" : tokenLeft <= 0 ? "expired" : `in ${fmtMs(tokenLeft)}`} tone={tokenLeft != null && tokenLeft < 60_000 ? "warn" : undefined} hint={e.tokenExpiresAt ?? undefined} />
        <Stat label="Command queue" value={e.queueDepth ?? "—"} />
        <Stat label="Open wagers" value={<span data-testid="open-wagers">{c.openWagers}</span>} />
        <Stat label="Database" value={c.database.ok ? `${c.database.provider} · ${c.database.latencyMs} ms` : "unreachable"} tone={c.database.ok ? undefined : "bad"} />
      </dl>
      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-3">
        <Card title="Controls">
          <div className="flex flex-wrap gap-2">
            <button type="button" className={btnDanger} disabled={role !== "trader"} onClick={() => setKill(true)} aria-label="Kill switch (Shift+K)">
              Kill switch (Shift+K)
            </button>
            {paused ? (
              <button type="button" className={btnPrimary} disabled={role !== "trader" || cmd.isPending} onClick={() => send("resume_quoting")}>
                Resume quoting
              </button>
            ) : (
              <button type="button" className={btnCls} disabled={role !== "trader" || cmd.isPending} onClick={() => send("pause_quoting")}>
                Pause quoting
              </button>
            )}
            <button type="button" className={btnCls} disabled={role !== "trader" || cmd.isPending} onClick={() => send("cancel_all")}>
              Cancel all wagers
            </button>
          </div>
          {role !== "trader" && <p className="mt-2 text-xs text-amber-300">Viewers cannot use controls.</p>}
          {msg && <p role={msg.ok ? "status" : "alert"} className={`mt-2 text-xs ${msg.ok ? "text-emerald-300" : "text-red-300"}`}>{msg.text}</p>}
          <h3 className="mb-1 mt-4 text-[11px] uppercase tracking-wide text-gray-500">Rate-limit usage</h3>
          {e.rateLimitUsage && Object.keys(e.rateLimitUsage).length ? (
            <ul className="space-y-1 text-xs">
              {Object.entries(e.rateLimitUsage).map(([k, v]) => {
                const frac = v > 1 ? v / 100 : v;
                return (
                  <li key={k} className="flex items-center gap-2">
                    <span className="w-32 truncate text-gray-400">{k}</span>
                    <span className="h-1.5 flex-1 rounded bg-gray-800"><span className={`block h-1.5 rounded ${frac > 0.8 ? "bg-red-500" : "bg-sky-500"}`} style={{ width: `${Math.min(100, frac * 100)}%` }} /></span>
                    <span className="num w-14 text-right">{fmtPct(frac, 0)}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="text-xs text-gray-500">Not reported.</p>
          )}
          {e.counters && (
            <>
              <h3 className="mb-1 mt-4 text-[11px] uppercase tracking-wide text-gray-500">Engine counters</h3>
              <dl className="grid grid-cols-3 gap-x-3 gap-y-0.5 text-xs">
                {Object.entries(e.counters).map(([k, v]) => (
                  <div key={k} className="flex justify-between"><dt className="truncate text-gray-500">{k}</dt><dd className="num">{v.toLocaleString()}</dd></div>
                ))}
              </dl>
            </>
          )}
        </Card>
        <Card title="Recent commands">
          {c.commands.length === 0 ? (
            <Empty>No commands yet.</Empty>
          ) : (
            <table className="w-full text-xs" aria-label="Recent commands">
              <tbody>
                {c.commands.map((x) => (
                  <tr key={x.id} className="border-t border-gray-800" data-command-type={x.type} data-command-status={x.status}>
                    <td className="num py-0.5 text-gray-400">{fmtTime(x.createdAt)}</td>
                    <td>{x.type}</td>
                    <td><StatusBadge status={x.status} /></td>
                    <td className="max-w-48 truncate text-gray-500" title={JSON.stringify(x.result)}>{x.result ? JSON.stringify(x.result) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
      <SportSettings sports={c.sports} />
      <Card title="All settings">
        {c.settings.length === 0 ? (
          <Empty>No settings stored; the engine uses its defaults.</Empty>
        ) : (
          <table className="w-full text-xs" aria-label="Settings">
            <tbody>
              {c.settings.map((s) => (
                <tr key={s.key} className="border-t border-gray-800 align-top">
                  <td className="py-0.5 font-mono">{s.key}</td>
                  <td className="max-w-xl truncate font-mono text-gray-400" title={JSON.stringify(s.value)}>{JSON.stringify(s.value)}</td>
                  <td className="text-right text-gray-500">{s.updatedBy} · {fmtDateTime(s.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

function SportSettings({ sports }: { sports: SportSetting[] }) {
  return (
    <Card title="Per-sport margin and limits">
      {sports.length === 0 ? (
        <Empty>No sports loaded yet.</Empty>
      ) : (
        <table className="w-full text-xs" aria-label="Per-sport settings">
          <thead className="text-[10px] uppercase text-gray-500">
            <tr><th className="text-left font-normal">Sport</th><th className="text-left font-normal">Margin (%)</th><th className="text-left font-normal">Max risk / parlay ($)</th><th className="text-left font-normal">Max event exposure ($)</th><th /><th className="text-right font-normal">Current</th></tr>
          </thead>
          <tbody>
            {sports.map((s) => (
              <SportRow key={`${s.sportId}:${s.updatedAt}`} s={s} />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function SportRow({ s }: { s: SportSetting }) {
  const role = useRole();
  const cmd = useSendCommand();
  const [margin, setMargin] = useState(s.value?.marginBps != null ? (s.value.marginBps / 100).toFixed(2) : "");
  const [risk, setRisk] = useState(s.value?.maxRiskPerParlayCents != null ? (s.value.maxRiskPerParlayCents / 100).toFixed(2) : "");
  const [event, setEvent] = useState(s.value?.maxEventExposureCents != null ? (s.value.maxEventExposureCents / 100).toFixed(2) : "");
  const [msg, setMsg] = useState<string | null>(null);
  const marginBps = margin.trim() === "" ? undefined : Number.isFinite(Number(margin)) && Number(margin) >= 0 && Number(margin) <= 50 ? Math.round(Number(margin) * 100) : null;
  const riskCents = risk.trim() === "" ? undefined : parseDollarsToCents(risk);
  const eventCents = event.trim() === "" ? undefined : parseDollarsToCents(event);
  const valid = marginBps !== null && riskCents !== null && eventCents !== null;
  const save = async () => {
    setMsg(null);
    try {
      const value = { ...(marginBps !== undefined ? { marginBps } : {}), ...(riskCents !== undefined ? { maxRiskPerParlayCents: riskCents } : {}), ...(eventCents !== undefined ? { maxEventExposureCents: eventCents } : {}) };
      await cmd.send({ type: "update_settings", payload: { key: s.key, value } });
      setMsg("sent");
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  return (
    <tr className="border-t border-gray-800">
      <td className="py-1">{s.sportName}</td>
      <td><input aria-label={`${s.sportName} margin percent`} className={`${inputCls} num w-20`} value={margin} onChange={(e) => setMargin(e.target.value)} disabled={role !== "trader"} placeholder="e.g. 5.00" /></td>
      <td><input aria-label={`${s.sportName} max risk per parlay in dollars`} className={`${inputCls} num w-28`} value={risk} onChange={(e) => setRisk(e.target.value)} disabled={role !== "trader"} /></td>
      <td><input aria-label={`${s.sportName} max event exposure in dollars`} className={`${inputCls} num w-28`} value={event} onChange={(e) => setEvent(e.target.value)} disabled={role !== "trader"} /></td>
      <td>
        <button type="button" className={btnCls} disabled={role !== "trader" || !valid || cmd.isPending} onClick={save} aria-label={`Save ${s.sportName} settings`}>
          Save
        </button>
        {msg && <span role="status" className="ml-2 text-gray-400">{msg}</span>}
      </td>
      <td className="num text-right text-gray-500">
        {s.value ? `${fmtBps(s.value.marginBps)} · ${fmtCents(s.value.maxRiskPerParlayCents)} · ${fmtCents(s.value.maxEventExposureCents)}` : "defaults"}
      </td>
    </tr>
  );
}
