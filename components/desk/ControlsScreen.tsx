"use client";
// Health and controls: connection state, heartbeat, token expiry, rate-limit usage, engine lease; the
// kill switch and pause/resume quoting; per-sport margin and limits (update_settings); recent commands.
import { useState } from "react";
import type { EngineStatusView, SportSetting } from "@/server/desk/types";
import { useControls, useRole, useSendCommand } from "@/components/data/hooks";
import { fmtBps, fmtCents, fmtDateTime, fmtMs, fmtPct, fmtSignedCents, fmtTime, parseDollarsToCents } from "@/components/data/format";
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
  const pauseReasons = [...(e.killSwitch ? ["kill switch"] : []), ...e.pauseReasons.filter((r) => r !== "kill_switch").map((r) => r.replace(/_/g, " "))];
  const hbAges = e.heartbeatAgesMs ?? (e.heartbeatAgeMs != null ? { exchange: e.heartbeatAgeMs } : null);
  const statusAsOf = e.updatedAt ? `as reported by the engine at ${fmtTime(e.updatedAt)}` : undefined;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-4 gap-3">
        <Stat
          label="Quoting"
          value={
            <>
              <span data-testid="quoting-state">{e.killSwitch ? "KILLED" : e.quotingPaused ? "paused" : e.quotingPaused === false ? "active" : "unknown"}</span>
              {paused && (
                <span className="mt-0.5 block truncate text-xs text-gray-400" data-testid="pause-reasons" title={pauseReasons.join(", ")}>
                  {pauseReasons.length ? pauseReasons.join(", ") : "no reason reported"}
                </span>
              )}
            </>
          }
          tone={e.killSwitch ? "bad" : e.quotingPaused ? "warn" : e.quotingPaused === false ? "good" : undefined}
        />
        <Stat label="Engine lease" value={<span className="block truncate" title={c.lease?.holderId}>{c.lease ? `${c.lease.expired ? "expired" : "held"} · ${c.lease.holderId}` : "no engine"}</span>} tone={!c.lease || c.lease.expired ? "bad" : "good"} />
        <Stat label="Lease heartbeat age" value={fmtMs(leaseAge)} tone={leaseAge != null && leaseAge > 10_000 ? "bad" : undefined} />
        <Stat
          label="Exchange heartbeat age"
          hint={statusAsOf}
          value={
            hbAges ? (
              <span data-testid="exchange-heartbeat">
                {Object.entries(hbAges).map(([k, v], i) => (
                  <span key={k}>
                    {i > 0 && <span className="text-gray-600"> · </span>}
                    <span className="text-gray-400">{k} </span>
                    <span className={ageTone(v)}>{v == null ? "none yet" : fmtMs(v)}</span>
                  </span>
                ))}
              </span>
            ) : (
              "not reported"
            )
          }
        />
        <Stat
          label="Connections"
          value={
            e.connection ? (
              <span className="flex flex-wrap gap-x-2">
                {Object.entries(e.connection).map(([k, v]) => (
                  <span key={k}>
                    <span className="text-gray-400">{k} </span>
                    <span className={v === "connected" ? "text-emerald-400" : v === "connecting" || v === "idle" ? "text-amber-300" : "text-red-400"}>{v}</span>
                  </span>
                ))}
              </span>
            ) : (
              "not reported"
            )
          }
        />
        <Stat label="Token expires" value={tokenLeft == null ? "not reported" : tokenLeft <= 0 ? "expired" : `in ${fmtMs(tokenLeft)}`} tone={tokenLeft != null && tokenLeft < 60_000 ? "warn" : undefined} hint={e.tokenExpiresAt ?? undefined} />
        <Stat label="REST rate limit" hint={statusAsOf} value={<RateLimit e={e} />} />
        <Stat label="Command queue" value={e.queueDepth == null ? "—" : `${e.queueDepth.toLocaleString()} queued`} />
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
          <h3 className="mb-1 mt-4 text-[11px] uppercase tracking-wide text-gray-500">Pause reasons</h3>
          {pauseReasons.length ? (
            <ul className="flex flex-wrap gap-1.5 text-xs" aria-label="Pause reasons">
              {pauseReasons.map((r) => (
                <li key={r} className="rounded border border-amber-800 bg-amber-950/60 px-1.5 py-0.5 text-amber-300">{r}</li>
              ))}
            </ul>
          ) : (
            <p className="text-xs text-gray-500">{e.quotingPaused === false ? "None: quoting is active." : "None reported."}</p>
          )}
          {(e.exposureCents != null || e.realisedPnlCents != null) && (
            <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-0.5 text-xs">
              <div className="flex justify-between gap-2"><dt className="text-gray-500">Engine exposure (accepted)</dt><dd className="num">{fmtCents(e.exposureCents)}</dd></div>
              <div className="flex justify-between gap-2"><dt className="text-gray-500">Engine realised P&amp;L</dt><dd className="num">{fmtSignedCents(e.realisedPnlCents)}</dd></div>
            </dl>
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
      <EngineCounters counters={e.counters} />
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

/** Heartbeat ages: amber past 10 s, red past 30 s. */
const ageTone = (ms: number | null): string => (ms == null ? "text-gray-500" : ms > 30_000 ? "text-red-400" : ms > 10_000 ? "text-amber-300" : "text-gray-100");

function UsageBar({ frac, label }: { frac: number; label: string }) {
  const pct = Math.max(0, Math.min(100, frac * 100));
  return (
    <span role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} className="mt-1.5 block h-1.5 w-full rounded bg-gray-800">
      <span className={`block h-1.5 rounded ${frac > 0.8 ? "bg-red-500" : frac > 0.5 ? "bg-amber-400" : "bg-sky-500"}`} style={{ width: `${pct}%` }} />
    </span>
  );
}

function RateLimit({ e }: { e: EngineStatusView }) {
  if (e.rateLimitRequestsPerSec != null) {
    const frac = e.rateLimitRequestsPerSec / e.rateLimitPerSec;
    return (
      <span data-testid="rate-limit" className={frac > 0.8 ? "text-red-400" : frac > 0.5 ? "text-amber-300" : undefined}>
        {e.rateLimitRequestsPerSec.toLocaleString()} req/s <span className="text-gray-400">of {e.rateLimitPerSec}</span>
        <UsageBar frac={frac} label="REST rate-limit usage" />
      </span>
    );
  }
  // Older engines: per-bucket usage ratios.
  const buckets = Object.entries(e.rateLimitUsage ?? {});
  if (!buckets.length) return <span className="text-gray-500">not reported</span>;
  return (
    <span className="block space-y-1" data-testid="rate-limit">
      {buckets.map(([k, v]) => {
        const frac = v > 1 ? v / 100 : v;
        return (
          <span key={k} className="block">
            <span className="text-gray-400">{k}</span> {fmtPct(frac, 0)} of limit
            <UsageBar frac={frac} label={`${k} rate-limit usage`} />
          </span>
        );
      })}
    </span>
  );
}

/** The counters a trader watches; the rest sit in "All counters", grouped by source. */
const KEY_COUNTERS: { key: string; label: string; bad?: boolean }[] = [
  { key: "rfqs", label: "RFQs" },
  { key: "quotes", label: "Quotes sent" },
  { key: "declines", label: "Declines" },
  { key: "confirms", label: "Confirmations" },
  { key: "accepts", label: "Accepted" },
  { key: "rejects", label: "Rejected" },
  { key: "confirmDeadlineMissed", label: "Deadline missed", bad: true },
  { key: "offerFailures", label: "Offer failures", bad: true },
  { key: "wagersPlaced", label: "Wagers placed" },
  { key: "commandFailures", label: "Command failures", bad: true },
  { key: "persistFailures", label: "Persist failures", bad: true },
  { key: "rest_rateLimited", label: "REST rate-limited", bad: true },
];

const COUNTER_GROUPS: { title: string; test: (k: string) => boolean }[] = [
  { title: "Parlay quoting", test: (k) => /^(rfq|quote|decline|confirm|accept|reject|offer|reservation|parlay|orders)/i.test(k) },
  { title: "Wagers & book", test: (k) => /^(wager|book|cancel|activation)/i.test(k) },
  { title: "REST", test: (k) => k.startsWith("rest_") },
  { title: "MM socket", test: (k) => k.startsWith("mm_") },
  { title: "SP socket", test: (k) => k.startsWith("sp_") },
  { title: "Queue & engine", test: () => true },
];

const counterLabel = (k: string): string =>
  k
    .replace(/^(rest|mm|sp)_/, "")
    .replace(/Cents$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
const counterValue = (k: string, v: number): string => (k.endsWith("Cents") ? fmtCents(v) : k.endsWith("Ms") ? fmtMs(v) : v.toLocaleString());

function EngineCounters({ counters }: { counters: Record<string, number> | null }) {
  if (!counters || Object.keys(counters).length === 0) {
    return (
      <Card title="Engine counters">
        <Empty>The engine has not reported counters yet.</Empty>
      </Card>
    );
  }
  const keys = KEY_COUNTERS.filter((k) => counters[k.key] != null);
  const groups = new Map<string, [string, number][]>();
  for (const [k, v] of Object.entries(counters)) {
    const g = COUNTER_GROUPS.find((x) => x.test(k))!.title;
    groups.set(g, [...(groups.get(g) ?? []), [k, v]]);
  }
  return (
    <Card title="Engine counters" actions={<span className="text-[11px] text-gray-500">since the engine started</span>}>
      <dl className="grid grid-cols-6 gap-2" aria-label="Key engine counters">
        {keys.map(({ key, label, bad }) => {
          const v = counters[key]!;
          return (
            <div key={key} className="rounded border border-gray-800 bg-gray-950/40 px-2 py-1.5" title={key}>
              <dt className="truncate text-[10px] uppercase tracking-wide text-gray-500">{label}</dt>
              <dd className={`num text-sm ${bad && v > 0 ? "text-amber-300" : "text-gray-100"}`}>{counterValue(key, v)}</dd>
            </div>
          );
        })}
      </dl>
      <details className="mt-3 text-xs">
        <summary className="cursor-pointer select-none text-gray-400 hover:text-gray-200">All counters ({Object.keys(counters).length})</summary>
        <div className="mt-2 grid grid-cols-3 gap-x-6 gap-y-3">
          {COUNTER_GROUPS.filter((g) => groups.has(g.title)).map((g) => (
            <section key={g.title} aria-label={`${g.title} counters`}>
              <h4 className="mb-0.5 border-b border-gray-800 pb-0.5 text-[10px] uppercase tracking-wide text-gray-500">{g.title}</h4>
              <dl className="space-y-px">
                {groups.get(g.title)!.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => (
                  <div key={k} className="flex justify-between gap-2" title={k}>
                    <dt className="truncate text-gray-500">{counterLabel(k)}</dt>
                    <dd className={`num ${v === 0 ? "text-gray-600" : "text-gray-200"}`}>{counterValue(k, v)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </details>
    </Card>
  );
}
