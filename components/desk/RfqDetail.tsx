"use client";
// One RFQ: legs with book and probability, the model, our offer; override / decline / manual quote
// (before the deadline, with a countdown), confirmations and orders.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { RfqDetail } from "@/server/desk/types";
import { useRfq, useRole, useSendCommand, useCommandStatus } from "@/components/data/hooks";
import { fmtBps, fmtCents, fmtDateTime, fmtOdds, fmtPct, fmtSelection, parseDollarsToCents, parseOdds } from "@/components/data/format";
import { Countdown, ErrorBox, Loading, StatusBadge, btnCls, btnDanger, btnPrimary, inputCls, useNow } from "./ui";

export function RfqDetailPanel({ parlayId, onClose }: { parlayId: string; onClose: () => void }) {
  const q = useRfq(parlayId);
  if (q.isPending) return <Loading label="Loading request…" />;
  if (q.isError) return <div className="p-3"><ErrorBox error={q.error} onRetry={() => void q.refetch()} /></div>;
  const r = q.data;
  return (
    <div className="space-y-4 p-3 text-xs">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <div className="truncate font-mono text-[11px] text-gray-200" title={r.parlayId}>{r.parlayId}</div>
          <div className="mt-1 flex min-w-0 items-center gap-2 text-gray-400">
            <StatusBadge status={r.displayStatus} />
            <span className="num whitespace-nowrap">stake {fmtCents(r.stakeCents)}</span>
            {r.creatorId && <span className="min-w-0 truncate" title={`creator ${r.creatorId}`}>by {r.creatorId}</span>}
          </div>
          {r.declineReason && <div className="mt-1 text-amber-300">Declined: {r.declineReason}</div>}
        </div>
        <button type="button" aria-label="Close detail" className={btnCls} onClick={onClose}>
          ×
        </button>
      </div>

      <section aria-label="Legs">
        <h3 className="mb-1 text-[11px] uppercase tracking-wide text-gray-500">Legs</h3>
        <table className="w-full">
          <thead className="text-[10px] uppercase text-gray-500">
            <tr>
              <th className="text-left font-normal">Selection</th>
              <th className="text-right font-normal">Book</th>
              <th className="text-right font-normal">Depth</th>
              <th className="text-right font-normal">Fair %</th>
            </tr>
          </thead>
          <tbody>
            {r.legDetails.map((l) => (
              <tr key={l.idx} className="border-t border-gray-800 align-top">
                <td className="py-1 pr-2">
                  <div className="break-words text-gray-200">{l.lineName ? fmtSelection(l.lineName, l.line, l.marketType) : <span className="font-mono text-[11px]">{l.lineId}</span>}</div>
                  <div className="break-words text-[10px] text-gray-500">{[l.sportName, l.eventName ?? `event ${l.sportEventId}`, l.marketName].filter(Boolean).join(" · ")}</div>
                </td>
                <td className="num py-1 text-right">{fmtOdds(l.book?.bestOdds ?? l.bookOdds)}</td>
                <td className="num py-1 text-right">{l.book ? fmtCents(l.book.bestStakeCents) : "—"}</td>
                <td className="num py-1 text-right">{fmtPct(l.fairProbability)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-1 flex justify-between border-t border-gray-800 pt-1 text-gray-300">
          <span>Model fair</span>
          <span className="num">{fmtOdds(r.fairOdds)} · {fmtPct(r.fairProbability, 2)}</span>
        </div>
      </section>

      <section aria-label="Our offer">
        <div className="mb-1 flex items-center justify-between">
          <h3 className="text-[11px] uppercase tracking-wide text-gray-500">Our offer</h3>
          {r.tiers.length > 0 && <span className="text-gray-400">valid <Countdown untilMs={r.validUntilMs} label="Quote time left" /></span>}
        </div>
        {r.tiers.length === 0 ? (
          <div className="text-gray-500">No quote sent.</div>
        ) : (
          <table className="w-full">
            <thead className="text-[10px] uppercase text-gray-500">
              <tr><th className="text-left font-normal">Tier</th><th className="text-right font-normal">Odds</th><th className="text-right font-normal">Max risk</th><th className="text-right font-normal">Margin</th><th className="text-right font-normal">Source</th></tr>
            </thead>
            <tbody>
              {r.tiers.map((t) => (
                <tr key={t.id} className="border-t border-gray-800">
                  <td className="num py-0.5">{t.tier + 1}</td>
                  <td className="num text-right">{fmtOdds(t.odds)}</td>
                  <td className="num text-right">{fmtCents(t.maxRiskCents)}</td>
                  <td className="num text-right">{fmtBps(t.marginBps)}</td>
                  <td className="text-right text-gray-400">{t.source}{t.status !== "sent" ? ` (${t.status})` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Link className="mt-1 inline-block text-sky-400 hover:underline" href={`/exposure?whatIf=${encodeURIComponent(r.parlayId)}`}>
          What-if exposure →
        </Link>
      </section>

      {/* Keyed by RFQ only: new tiers from our own override must not reset the form and its command status. */}
      <OverrideForm rfq={r} key={r.parlayId} />

      {(r.confirmations.length > 0 || r.orders.length > 0) && (
        <section aria-label="Confirmations and orders" className="space-y-1">
          <h3 className="text-[11px] uppercase tracking-wide text-gray-500">Confirmations &amp; orders</h3>
          {r.confirmations.map((c) => (
            <div key={c.id} className="flex justify-between border-t border-gray-800 pt-1">
              <span>{c.decision === "accept" ? "accepted" : "rejected"} {c.reason ? `(${c.reason})` : ""}</span>
              <span className="num">{fmtOdds(c.requestedOdds)} · {fmtCents(c.requestedStakeCents)} · {(c.latencyMicros / 1000).toFixed(1)} ms</span>
            </div>
          ))}
          {r.orders.map((o) => (
            <div key={o.orderUuid} className="flex justify-between border-t border-gray-800 pt-1">
              <span>order <StatusBadge status={o.status} /> {o.settlementStatus ?? ""}</span>
              <span className="num">risk {fmtCents(o.riskCents)} · P&amp;L {o.profitCents == null ? "—" : fmtCents(o.profitCents)}</span>
            </div>
          ))}
        </section>
      )}
      <div className="text-[10px] text-gray-600">received {fmtDateTime(r.receivedAt)}</div>
    </div>
  );
}

type TierDraft = { odds: string; risk: string };

function OverrideForm({ rfq }: { rfq: RfqDetail }) {
  const role = useRole();
  const now = useNow(500);
  const cmd = useSendCommand();
  const [sentId, setSentId] = useState<string | null>(null);
  const status = useCommandStatus(sentId);
  const [error, setError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<TierDraft[]>(() =>
    rfq.tiers.length ? rfq.tiers.map((t) => ({ odds: fmtOdds(t.odds), risk: (t.maxRiskCents / 100).toFixed(2) })) : [{ odds: rfq.fairOdds != null ? fmtOdds(rfq.fairOdds) : "", risk: "" }],
  );
  useEffect(() => setError(null), [drafts]);

  const open = ["received", "quoted", "declined"].includes(rfq.status);
  const expired = rfq.tiers.length > 0 && rfq.validUntilMs != null && rfq.validUntilMs <= now;
  const canOverride = open && rfq.status === "quoted" && rfq.tiers.length > 0 && !expired;
  const canManual = open && (rfq.status !== "quoted" || expired);
  const readonly = role !== "trader";

  const parsed = drafts.map((d) => ({ odds: parseOdds(d.odds), maxRiskCents: parseDollarsToCents(d.risk) }));
  const valid = parsed.length > 0 && parsed.every((t) => t.odds != null && t.maxRiskCents != null && t.maxRiskCents > 0);

  const send = async (type: "override_quote" | "manual_quote" | "decline_rfq") => {
    setError(null);
    try {
      const c =
        type === "decline_rfq"
          ? await cmd.send({ type, payload: { parlayId: rfq.parlayId, reason: "declined by trader" } })
          : await cmd.send({ type, payload: { parlayId: rfq.parlayId, tiers: parsed.map((t) => ({ odds: t.odds!, maxRiskCents: t.maxRiskCents! })) } });
      setSentId(c.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const commandStatus = sentId && (
    <p role="status" className="mt-2 text-gray-300">
      Command {status.data?.status ?? "pending"}
      {status.data?.status === "failed" && status.data.result ? `: ${JSON.stringify(status.data.result)}` : ""}
    </p>
  );
  // A taken override moves the RFQ on (confirming, accepted…): the form goes, the command's outcome stays.
  if (!open) return commandStatus ? <section aria-label="Manual override">{commandStatus}</section> : null;
  return (
    <section aria-label="Manual override" className="rounded border border-gray-800 bg-gray-950/60 p-2">
      <h3 className="mb-2 text-[11px] uppercase tracking-wide text-gray-500">{canOverride ? "Override quote" : "Quote by hand"}</h3>
      <div className="space-y-1">
        {drafts.map((d, i) => (
          <div key={i} className="flex items-center gap-2">
            <span className="w-10 text-gray-500">Tier {i + 1}</span>
            <label className="flex items-center gap-1">
              <span className="sr-only">Tier {i + 1} odds</span>
              <input aria-label={`Tier ${i + 1} odds`} className={`${inputCls} num w-20`} value={d.odds} disabled={readonly} onChange={(e) => setDrafts(drafts.map((x, j) => (j === i ? { ...x, odds: e.target.value } : x)))} />
            </label>
            <label className="flex items-center gap-1 text-gray-500">
              $
              <input aria-label={`Tier ${i + 1} max risk in dollars`} className={`${inputCls} num w-24`} value={d.risk} inputMode="decimal" disabled={readonly} onChange={(e) => setDrafts(drafts.map((x, j) => (j === i ? { ...x, risk: e.target.value } : x)))} />
            </label>
            {drafts.length > 1 && (
              <button type="button" aria-label={`Remove tier ${i + 1}`} className={btnCls} disabled={readonly} onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                −
              </button>
            )}
          </div>
        ))}
        {drafts.length < 5 && (
          <button type="button" className="text-sky-400 hover:underline disabled:opacity-50" disabled={readonly} onClick={() => setDrafts([...drafts, { odds: "", risk: "" }])}>
            + add tier
          </button>
        )}
      </div>
      <div className="mt-2 flex flex-wrap gap-2">
        {canOverride && (
          <button type="button" className={btnPrimary} disabled={readonly || !valid || cmd.isPending} onClick={() => send("override_quote")}>
            Send override
          </button>
        )}
        {canManual && (
          <button type="button" className={btnPrimary} disabled={readonly || !valid || cmd.isPending} onClick={() => send("manual_quote")}>
            Send manual quote
          </button>
        )}
        {rfq.status !== "declined" && (
          <button type="button" className={btnDanger} disabled={readonly || cmd.isPending} onClick={() => send("decline_rfq")}>
            Decline
          </button>
        )}
      </div>
      {!valid && <p className="mt-1 text-[11px] text-gray-500">Odds are American (e.g. +450 or −120); max risk in dollars.</p>}
      {readonly && <p className="mt-1 text-[11px] text-amber-300">Viewers cannot change quotes.</p>}
      {error && <p role="alert" className="mt-2 text-red-300">{error}</p>}
      {commandStatus}
    </section>
  );
}
