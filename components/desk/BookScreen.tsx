"use client";
// Order book: tournament → event → market picker, a live ladder per side, last matched trades, our
// wagers on the market, and place / cancel through engine commands.
import { useMemo, useState } from "react";
import type { MarketBookLine } from "@/server/desk/types";
import { useBookTree, useMarketBook, useRole, useSendCommand } from "@/components/data/hooks";
import { fmtCents, fmtDateTime, fmtOdds, fmtSelection, fmtTime, parseDollarsToCents, parseOdds } from "@/components/data/format";
import { useDeskUi } from "@/components/stores/desk-ui";
import { Card, Empty, ErrorBox, Loading, StatusBadge, btnCls, btnPrimary, inputCls } from "./ui";

export function BookScreen() {
  const tree = useBookTree();
  const sel = useDeskUi((s) => s.book);
  const setSel = useDeskUi((s) => s.setBook);
  const tournaments = tree.data?.tournaments ?? [];
  const t = tournaments.find((x) => x.id === sel.tournamentId) ?? null;
  const ev = t?.events.find((e) => e.id === sel.eventId) ?? null;

  return (
    <div className="space-y-3">
      <form className="flex flex-wrap items-end gap-2 text-xs" aria-label="Pick a market" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-0.5 text-gray-400">
          Tournament
          <select aria-label="Tournament" className={`${inputCls} w-56`} value={sel.tournamentId ?? ""} onChange={(e) => setSel({ tournamentId: e.target.value ? Number(e.target.value) : null, eventId: null, marketKey: null })}>
            <option value="">{tree.isPending ? "Loading…" : tournaments.length ? "Choose…" : "No tournaments"}</option>
            {tournaments.map((x) => (
              <option key={x.id} value={x.id}>
                {x.sportName} · {x.name} ({x.events.length})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-gray-400">
          Event
          <select aria-label="Event" className={`${inputCls} w-72`} disabled={!t} value={sel.eventId ?? ""} onChange={(e) => setSel({ eventId: e.target.value ? Number(e.target.value) : null, marketKey: null })}>
            <option value="">Choose…</option>
            {t?.events.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} · {fmtDateTime(x.scheduledAt)} {x.status === "live" ? "· LIVE" : ""}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-gray-400">
          Market
          <select aria-label="Market" className={`${inputCls} w-56`} disabled={!ev} value={sel.marketKey ?? ""} onChange={(e) => setSel({ marketKey: e.target.value || null })}>
            <option value="">Choose…</option>
            {ev?.markets.map((m) => (
              <option key={m.key} value={m.key}>
                {m.name} ({m.type})
              </option>
            ))}
          </select>
        </label>
      </form>
      {tree.isError && <ErrorBox error={tree.error} onRetry={() => void tree.refetch()} />}
      {sel.marketKey ? <MarketView marketKey={sel.marketKey} /> : <Empty>Pick a tournament, event and market to see its book.</Empty>}
    </div>
  );
}

function MarketView({ marketKey }: { marketKey: string }) {
  const q = useMarketBook(marketKey);
  const [ticket, setTicket] = useState<{ lineId: string; odds: string } | null>(null);
  if (q.isPending) return <Loading label="Loading book…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const b = q.data;
  const lineName = new Map(b.lines.map((l) => [l.lineId, fmtSelection(l.name, l.line, b.market.type) || l.lineId]));
  return (
    <div className="grid grid-cols-[minmax(0,1fr)_22rem] gap-3">
      <div className="space-y-3">
        <Card title={`${b.market.eventName} · ${b.market.name}`} actions={<StatusBadge status={b.market.status} />}>
          {b.lines.length === 0 ? (
            <Empty>This market has no lines.</Empty>
          ) : (
            <div className="grid grid-cols-2 gap-3" aria-label="Ladder">
              {b.lines.map((l) => (
                <Ladder key={l.lineId} line={l} label={lineName.get(l.lineId)!} onPick={(odds) => setTicket({ lineId: l.lineId, odds: fmtOdds(odds) })} />
              ))}
            </div>
          )}
        </Card>
        <Card title="Our wagers on this market">
          <WagerTable wagers={b.wagers} lineName={lineName} />
        </Card>
      </div>
      <div className="space-y-3">
        <PlaceTicket lines={b.lines} lineName={lineName} ticket={ticket} setTicket={setTicket} />
        <Card title="Last matched trades">
          {b.trades.length === 0 ? (
            <Empty>No trades yet.</Empty>
          ) : (
            <table className="w-full text-xs" aria-label="Matched trades">
              <thead className="text-[10px] uppercase text-gray-500"><tr><th className="text-left font-normal">Time</th><th className="text-left font-normal">Line</th><th className="text-right font-normal">Odds</th><th className="text-right font-normal">Stake</th></tr></thead>
              <tbody>
                {b.trades.slice(0, 25).map((t) => (
                  <tr key={t.id} className="border-t border-gray-800">
                    <td className="num py-0.5 text-gray-400">{fmtTime(t.matchedAt)}</td>
                    <td className="truncate">{lineName.get(t.lineId) ?? t.lineId}</td>
                    <td className="num text-right">{fmtOdds(t.odds)}</td>
                    <td className="num text-right">{fmtCents(t.stakeCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  );
}

function Ladder({ line, label, onPick }: { line: MarketBookLine; label: string; onPick: (odds: number) => void }) {
  const max = Math.max(1, ...line.levels.map((x) => x.stakeCents));
  return (
    <div className="rounded border border-gray-800" aria-label={`Ladder ${label}`} role="group">
      <div className="flex items-center justify-between border-b border-gray-800 px-2 py-1 text-xs">
        <span className="font-medium text-gray-200">{label}</span>
        <span className="num text-[10px] text-gray-500">{line.capturedAt ? `@ ${fmtTime(line.capturedAt)}` : "no book"}</span>
      </div>
      <table className="w-full text-xs">
        <thead className="text-[10px] uppercase text-gray-500"><tr><th className="px-2 text-left font-normal">Odds</th><th className="px-2 text-right font-normal">Available</th></tr></thead>
        <tbody>
          {line.levels.length === 0 ? (
            <tr><td colSpan={2} className="px-2 py-2 text-center text-gray-600">empty</td></tr>
          ) : (
            line.levels.slice(0, 10).map((lv, i) => (
              <tr key={`${lv.odds}:${i}`} className="relative cursor-pointer hover:bg-gray-800" onClick={() => onPick(lv.odds)} aria-label={`Bet ${label} at ${fmtOdds(lv.odds)}`}>
                <td className="num px-2 py-0.5 text-sky-300">{fmtOdds(lv.odds)}</td>
                <td className="num relative px-2 py-0.5 text-right">
                  <span className="absolute inset-y-0 right-0 bg-sky-900/40" style={{ width: `${(lv.stakeCents / max) * 100}%` }} aria-hidden />
                  <span className="relative">{fmtCents(lv.stakeCents)}</span>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function PlaceTicket({ lines, lineName, ticket, setTicket }: { lines: MarketBookLine[]; lineName: Map<string, string>; ticket: { lineId: string; odds: string } | null; setTicket: (t: { lineId: string; odds: string } | null) => void }) {
  const role = useRole();
  const cmd = useSendCommand();
  const [stake, setStake] = useState("");
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const lineId = ticket?.lineId ?? lines[0]?.lineId ?? "";
  const odds = parseOdds(ticket?.odds ?? "");
  const stakeCents = parseDollarsToCents(stake);
  const ok = role === "trader" && !!lineId && odds != null && stakeCents != null && stakeCents > 0;
  const place = async () => {
    setMsg(null);
    try {
      const c = await cmd.send({ type: "place_wager", payload: { lineId, odds: odds!, stakeCents: stakeCents! } });
      setMsg({ ok: true, text: `Sent to the engine (${c.id}).` });
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <Card title="Place wager">
      <form className="space-y-2 text-xs" aria-label="Place wager" onSubmit={(e) => (e.preventDefault(), ok && void place())}>
        <label className="flex flex-col gap-0.5 text-gray-400">
          Line
          <select aria-label="Line" className={`${inputCls} w-full min-w-0`} value={lineId} onChange={(e) => setTicket({ lineId: e.target.value, odds: ticket?.odds ?? "" })}>
            {lines.map((l) => (
              <option key={l.lineId} value={l.lineId}>{lineName.get(l.lineId)}</option>
            ))}
          </select>
        </label>
        <div className="grid grid-cols-2 gap-2">
          <label className="flex min-w-0 flex-col gap-0.5 text-gray-400">
            Odds (American)
            <input aria-label="Odds" className={`${inputCls} num w-full min-w-0`} value={ticket?.odds ?? ""} onChange={(e) => setTicket({ lineId, odds: e.target.value })} placeholder="+150" />
          </label>
          <label className="flex min-w-0 flex-col gap-0.5 text-gray-400">
            Stake ($)
            <input aria-label="Stake in dollars" className={`${inputCls} num w-full min-w-0`} value={stake} onChange={(e) => setStake(e.target.value)} inputMode="decimal" placeholder="10.00" />
          </label>
        </div>
        <button type="submit" className={`${btnPrimary} w-full`} disabled={!ok || cmd.isPending}>
          {cmd.isPending ? "Sending…" : "Place wager"}
        </button>
        {role !== "trader" && <p className="text-amber-300">Viewers cannot place wagers.</p>}
        {msg && <p role={msg.ok ? "status" : "alert"} className={msg.ok ? "text-emerald-300" : "text-red-300"}>{msg.text}</p>}
      </form>
    </Card>
  );
}

function WagerTable({ wagers, lineName }: { wagers: { externalId: string; lineId: string; odds: number; stakeCents: number; matchedStakeCents: number; status: string; updatedAt: string }[]; lineName: Map<string, string> }) {
  const role = useRole();
  const cmd = useSendCommand();
  const [err, setErr] = useState<string | null>(null);
  const sorted = useMemo(() => wagers, [wagers]);
  if (sorted.length === 0) return <Empty>No wagers on this market.</Empty>;
  return (
    <>
      {err && <p role="alert" className="mb-2 text-xs text-red-300">{err}</p>}
      <table className="w-full text-xs" aria-label="Our wagers">
        <thead className="text-[10px] uppercase text-gray-500">
          <tr><th className="text-left font-normal">Line</th><th className="text-right font-normal">Odds</th><th className="text-right font-normal">Stake</th><th className="text-right font-normal">Matched</th><th className="text-left font-normal pl-3">Status</th><th className="text-right font-normal">Updated</th><th /></tr>
        </thead>
        <tbody>
          {sorted.map((w) => {
            const cancellable = ["pending_send", "inactive", "open"].includes(w.status);
            return (
              <tr key={w.externalId} className="border-t border-gray-800" data-wager-status={w.status}>
                <td className="py-0.5">{lineName.get(w.lineId) ?? w.lineId}</td>
                <td className="num text-right">{fmtOdds(w.odds)}</td>
                <td className="num text-right">{fmtCents(w.stakeCents)}</td>
                <td className="num text-right">{fmtCents(w.matchedStakeCents)}</td>
                <td className="pl-3"><StatusBadge status={w.status} /></td>
                <td className="num text-right text-gray-500">{fmtTime(w.updatedAt)}</td>
                <td className="text-right">
                  {cancellable && (
                    <button
                      type="button"
                      className={`${btnCls} px-1.5 py-0 text-xs`}
                      aria-label={`Cancel wager ${w.externalId}`}
                      disabled={role !== "trader" || cmd.isPending}
                      onClick={() => cmd.send({ type: "cancel_wager", payload: { externalId: w.externalId } }).then(() => setErr(null), (e: Error) => setErr(e.message))}
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
