"use client";
// Guest-mode acca designer: browse leagues and matches, build a slip, choose "at least k of n", and
// watch the price. Opening /acca?bet=<bet_id> restores that slip.
import { useEffect, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { fetchStoredBet } from "./api";
import { fromStruct } from "./slip";
import { useSlip } from "./slip-store";
import { MatchBrowser } from "./MatchBrowser";
import { SlipPanel } from "./SlipPanel";

function RestoreBanner({ betId }: { betId: string }) {
  const replace = useSlip((s) => s.replace);
  const done = useRef(false);
  const stored = useQuery({ queryKey: ["acca", "stored", betId], queryFn: () => fetchStoredBet(betId), retry: false, staleTime: Infinity });

  useEffect(() => {
    if (done.current || !stored.data) return;
    const slip = fromStruct(stored.data.bet);
    if (slip) replace(slip.legs, slip.atLeast);
    done.current = true;
  }, [stored.data, replace]);

  if (stored.isPending) {
    return (
      <p role="status" className="rounded-md border border-gray-800 bg-gray-900/60 px-3 py-2 text-sm text-gray-300">
        Loading shared acca…
      </p>
    );
  }
  if (stored.isError) {
    return (
      <p role="alert" className="rounded-md border border-amber-800/70 bg-amber-950/30 px-3 py-2 text-sm text-amber-200">
        The shared acca could not be loaded ({stored.error.message}). Build a new one below.
      </p>
    );
  }
  return (
    <p role="status" className="rounded-md border border-gray-800 bg-gray-900/60 px-3 py-2 text-sm text-gray-300">
      Loaded a shared acca{stored.data.bet_status && stored.data.bet_status !== "priced" ? ` (bet ${stored.data.bet_status})` : ""}; the price below is live.
    </p>
  );
}

export function AccaDesigner({ initialBetId }: { initialBetId?: string }) {
  return (
    <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
      <header className="mb-6 flex flex-col gap-1">
        <h1 className="text-2xl font-semibold text-gray-100">Design your acca</h1>
        <p className="text-sm text-gray-400">
          Pick selections across matches and markets, choose how many of them must win, and the price updates as you go. No account needed until you
          place a bet.
        </p>
      </header>
      {initialBetId && (
        <div className="mb-4">
          <RestoreBanner betId={initialBetId} />
        </div>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <MatchBrowser />
        <div className="lg:sticky lg:top-6 lg:self-start">
          <SlipPanel />
        </div>
      </div>
    </main>
  );
}
