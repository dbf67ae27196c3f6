"use client";
// The overview's trading numbers, kept live by the event stream.
import Link from "next/link";
import { useOverview } from "@/components/data/hooks";
import { fmtCents, fmtPct, fmtSignedCents } from "@/components/data/format";
import { ErrorBox, Loading, Stat } from "./ui";

export function OverviewLive() {
  const q = useOverview();
  if (q.isPending) return <Loading label="Loading desk numbers…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const o = q.data;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="Trading">
      <Link href="/rfqs"><Stat label="Parlay requests today" value={`${o.rfqsToday.toLocaleString()} today · ${o.rfqsTotal.toLocaleString()} total`} /></Link>
      <Stat label="Quoted rate" value={o.quotedPct == null ? "no requests yet" : fmtPct(o.quotedPct)} hint="Share of all parlay requests we quoted" />
      <Link href="/exposure"><Stat label="Worst-case loss" value={fmtCents(o.worstCaseCents)} /></Link>
      <Stat label="Open parlay orders" value={`${o.openOrders.toLocaleString()} order${o.openOrders === 1 ? "" : "s"}`} />
      <Link href="/book"><Stat label="Open wagers" value={`${o.openWagers.toLocaleString()} wager${o.openWagers === 1 ? "" : "s"}`} /></Link>
      <Link href="/settlements"><Stat label="Realised P&L today" value={fmtSignedCents(o.pnlTodayCents)} tone={o.pnlTodayCents >= 0 ? "good" : "bad"} /></Link>
      <Stat label="Realised P&L total" value={fmtSignedCents(o.pnlTotalCents)} tone={o.pnlTotalCents >= 0 ? "good" : "bad"} />
    </dl>
  );
}
