"use client";
// "Place bet" for the acca slip. Signed out → sign in first (/account/login?next=/acca?bet=…&stake=…).
// Signed in → confirm (stake, price, returns, balance) → POST /acca/api/place with an idempotency key
// made when the customer opens the confirmation, so a double click or a retry places once → the
// placed bet (bet id, stake, potential payout) and the new balance, or a clear error.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { newIdempotencyKey, placeAccaBet, type AccaBetResult, type PlacedAcca } from "@/components/acca/place-acca-bet";
import { ME_QUERY_KEY, fetchMe, formatMoney, loginHref } from "./api";

type Props = { quote: { bet_id: string; price: string }; stake: string; stakeOk: boolean; returns: string | null };
type Confirming = { key: string; betId: string; price: string; stake: string };
type Failure = Extract<AccaBetResult, { ok: false }>;

const btn = "w-full rounded-md py-2.5 text-sm font-semibold focus:outline-none focus-visible:ring-2 disabled:cursor-not-allowed disabled:opacity-50";

export function PlaceAccaBet({ quote, stake, stakeOk, returns }: Props) {
  const router = useRouter();
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: ({ signal }) => fetchMe(signal), staleTime: 30_000, retry: 1 });
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState<{ bet: PlacedAcca; balance: string } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const inFlight = useRef(false);
  const stakeText = stake.trim();
  const next = `/acca?bet=${quote.bet_id}${stakeOk ? `&stake=${encodeURIComponent(stakeText)}` : ""}`;

  // The slip moved on (new price, new legs, new stake) while confirming: confirm again.
  useEffect(() => {
    if (!confirming || placing) return;
    if (confirming.betId !== quote.bet_id || confirming.price !== quote.price || confirming.stake !== stakeText) setConfirming(null);
  }, [confirming, placing, quote.bet_id, quote.price, stakeText]);

  const signedIn = me.data?.signedIn === true;
  const balance = me.data?.signedIn ? me.data.balance : null;

  const start = () => {
    setPlaced(null);
    setFailure(null);
    if (!signedIn) {
      router.push(loginHref(next));
      return;
    }
    setConfirming({ key: newIdempotencyKey(), betId: quote.bet_id, price: quote.price, stake: stakeText });
  };

  const confirm = async () => {
    if (!confirming || inFlight.current) return;
    inFlight.current = true;
    setPlacing(true);
    setFailure(null);
    const r = await placeAccaBet({ teBetId: confirming.betId, price: confirming.price, stake: confirming.stake, idempotencyKey: confirming.key });
    inFlight.current = false;
    setPlacing(false);
    if (r.ok) {
      setPlaced({ bet: r.bet, balance: r.balance });
      setConfirming(null);
      // The placed quote is used up: re-price for a fresh bet_id, and refresh the balance.
      void qc.invalidateQueries({ queryKey: ["acca", "quote"] });
      void qc.invalidateQueries({ queryKey: ME_QUERY_KEY });
      return;
    }
    setFailure(r);
    if (r.code === "NETWORK" || r.code === "PENDING_CONFIRMATION") return; // keep the same key: "Confirm" again retries safely
    setConfirming(null);
    if (r.code === "PRICE_CHANGED" || r.code === "NOT_PLACED" || r.code === "CANCELLED") void qc.invalidateQueries({ queryKey: ["acca", "quote"] });
    if (r.code === "SIGNED_OUT" || r.code === "SESSION_EXPIRED" || r.balance) void qc.invalidateQueries({ queryKey: ME_QUERY_KEY });
  };

  const needsLogin = failure && (failure.code === "SIGNED_OUT" || failure.code === "SESSION_EXPIRED");

  return (
    <div className="space-y-3">
      {confirming ? (
        <div role="group" aria-label="Confirm your bet" className="space-y-3 rounded-lg border border-emerald-800/60 bg-emerald-950/20 p-3">
          <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
            <dt className="text-gray-400">Stake</dt>
            <dd className="num text-right tabular-nums text-gray-100">{formatMoney(confirming.stake)}</dd>
            <dt className="text-gray-400">Price</dt>
            <dd className="num text-right tabular-nums text-gray-100">{confirming.price}</dd>
            <dt className="text-gray-400">Potential payout</dt>
            <dd className="num text-right tabular-nums text-emerald-300">{returns ? formatMoney(returns) : "–"}</dd>
            {balance !== null && (
              <>
                <dt className="text-gray-400">Balance</dt>
                <dd className="num text-right tabular-nums text-gray-300">{formatMoney(balance)}</dd>
              </>
            )}
          </dl>
          <div className="flex gap-2">
            <button type="button" onClick={() => void confirm()} disabled={placing} aria-busy={placing} className={`${btn} bg-emerald-600 text-white hover:bg-emerald-500 focus-visible:ring-emerald-300`}>
              {placing ? "Placing…" : "Confirm bet"}
            </button>
            <button
              type="button"
              onClick={() => {
                setConfirming(null);
                setFailure(null);
              }}
              disabled={placing}
              className="shrink-0 rounded-md border border-gray-700 px-3 text-sm text-gray-300 hover:border-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-50"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          onClick={start}
          disabled={!stakeOk || me.isPending}
          className={`${btn} bg-emerald-600 text-white hover:bg-emerald-500 focus-visible:ring-emerald-300`}
        >
          {me.isPending ? "Place bet" : signedIn ? "Place bet" : "Place bet (sign in)"}
        </button>
      )}
      {signedIn && !confirming && balance !== null && (
        <p className="text-xs text-gray-400">
          Signed in · balance <span className="num tabular-nums text-gray-200">{formatMoney(balance)}</span> ·{" "}
          <Link href="/account" className="text-sky-400 hover:underline">
            Your account
          </Link>
        </p>
      )}

      {failure && (
        <div role="alert" className="space-y-1 rounded-md border border-rose-800/70 bg-rose-950/40 px-3 py-2 text-sm text-rose-200">
          <p>{failure.message}</p>
          {needsLogin && (
            <Link href={loginHref(next)} className="inline-block text-sky-300 underline-offset-2 hover:underline">
              Sign in again
            </Link>
          )}
        </div>
      )}

      {placed && (
        <div role="status" data-testid="acca-placed" className="space-y-2 rounded-lg border border-emerald-700/70 bg-emerald-950/30 p-3 text-sm">
          <p className="font-semibold text-emerald-200">Bet placed</p>
          <dl className="grid grid-cols-2 gap-x-3 gap-y-1">
            <dt className="text-gray-400">Bet id</dt>
            <dd data-testid="placed-bet-id" className="truncate text-right font-mono text-xs text-gray-200" title={placed.bet.betId}>
              {placed.bet.betId}
            </dd>
            <dt className="text-gray-400">Stake</dt>
            <dd className="num text-right tabular-nums text-gray-100">{formatMoney(placed.bet.stake)}</dd>
            <dt className="text-gray-400">Price</dt>
            <dd className="num text-right tabular-nums text-gray-100">{placed.bet.price}</dd>
            <dt className="text-gray-400">Potential payout</dt>
            <dd data-testid="placed-payout" className="num text-right tabular-nums text-emerald-300">
              {formatMoney(placed.bet.potentialPayout)}
            </dd>
            <dt className="text-gray-400">New balance</dt>
            <dd data-testid="placed-balance" className="num text-right tabular-nums text-gray-100">
              {formatMoney(placed.balance)}
            </dd>
          </dl>
          <Link href="/account" className="inline-block text-sky-300 underline-offset-2 hover:underline">
            View in your account
          </Link>
        </div>
      )}
    </div>
  );
}
