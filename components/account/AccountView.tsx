"use client";
// The customer's account: balance, stakes on open bets, the open bets themselves, sign out.
import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ME_QUERY_KEY, fetchMe, formatMoney, loginHref, signOut } from "./api";

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

export function AccountView() {
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: ({ signal }) => fetchMe(signal), retry: 1, refetchOnWindowFocus: true });
  const [signingOut, setSigningOut] = useState(false);

  const signedOut = me.data !== undefined && !me.data.signedIn;
  useEffect(() => {
    if (signedOut) window.location.replace(loginHref("/account"));
  }, [signedOut]);

  const onSignOut = async () => {
    setSigningOut(true);
    await signOut();
    window.location.assign("/account/login");
  };

  return (
    <main className="mx-auto max-w-4xl px-4 py-6 sm:px-6">
      <header className="mb-6 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-gray-100">Your account</h1>
          {me.data?.signedIn && <p className="text-sm text-gray-400">{me.data.name ? `${me.data.name} · ${me.data.email}` : me.data.email}</p>}
        </div>
        <div className="flex items-center gap-2">
          <Link href="/acca" className="rounded-md border border-gray-700 px-3 py-1.5 text-sm text-gray-200 hover:border-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
            Acca designer
          </Link>
          <button
            type="button"
            onClick={() => void onSignOut()}
            disabled={signingOut}
            className="rounded-md border border-gray-700 px-3 py-1.5 text-sm text-gray-200 hover:border-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
          >
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </header>

      {me.isPending ? (
        <div role="status" aria-label="Loading your account" className="space-y-3">
          <div className="h-24 animate-pulse rounded-xl bg-gray-800/70" />
          <div className="h-40 animate-pulse rounded-xl bg-gray-800/70" />
          <span className="sr-only">Loading your account…</span>
        </div>
      ) : me.isError ? (
        <div role="alert" className="flex items-start justify-between gap-3 rounded-md border border-rose-800/70 bg-rose-950/40 px-3 py-2 text-sm text-rose-200">
          <span>{me.error.message}</span>
          <button type="button" onClick={() => void me.refetch()} className="shrink-0 rounded border border-rose-700 px-2 py-0.5 text-xs hover:bg-rose-900/50 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400">
            Retry
          </button>
        </div>
      ) : !me.data.signedIn ? (
        <p role="status" className="text-sm text-gray-400">
          Your session has ended. Redirecting to sign in…
        </p>
      ) : (
        <div className="space-y-6">
          {me.data.blocked && (
            <p role="alert" className="rounded-md border border-amber-800/70 bg-amber-950/30 px-3 py-2 text-sm text-amber-200">
              This account is blocked from betting. Contact support.
            </p>
          )}
          <section aria-label="Balance" className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <div className="rounded-xl border border-gray-800 bg-gray-900/60 p-4">
              <div className="text-xs uppercase tracking-wide text-gray-400">Balance</div>
              <div data-testid="account-balance" className="mt-1 text-3xl font-semibold tabular-nums text-emerald-300">
                {formatMoney(me.data.balance)}
              </div>
            </div>
            <div className="rounded-xl border border-gray-800 bg-gray-900/60 p-4">
              <div className="text-xs uppercase tracking-wide text-gray-400">Staked on open bets</div>
              <div className="mt-1 text-3xl font-semibold tabular-nums text-gray-100">{formatMoney(me.data.pendingStakes)}</div>
            </div>
          </section>

          <section aria-labelledby="open-bets-title" className="rounded-xl border border-gray-800 bg-gray-900/60">
            <h2 id="open-bets-title" className="border-b border-gray-800 px-4 py-3 text-sm font-semibold uppercase tracking-wide text-gray-300">
              Open bets ({me.data.openBets.length})
            </h2>
            {me.data.openBets.length === 0 ? (
              <p className="px-4 py-8 text-center text-sm text-gray-400">
                No open bets. <Link className="text-sky-400 hover:underline" href="/acca">Design an acca</Link>.
              </p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Your open bets</caption>
                  <thead className="text-xs uppercase tracking-wide text-gray-400">
                    <tr>
                      <th scope="col" className="px-4 py-2 font-medium">Bet</th>
                      <th scope="col" className="px-4 py-2 text-right font-medium">Price</th>
                      <th scope="col" className="px-4 py-2 text-right font-medium">Stake</th>
                      <th scope="col" className="px-4 py-2 text-right font-medium">Potential payout</th>
                      <th scope="col" className="px-4 py-2 font-medium">Placed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {me.data.openBets.map((b) => (
                      <tr key={b.betId} data-testid="open-bet" data-bet-id={b.betId} className="border-t border-gray-800 align-top">
                        <td className="max-w-md px-4 py-2">
                          <div className="text-gray-100">{b.marketName}</div>
                          <div className="text-xs text-gray-400">{b.eventName}</div>
                          <div className="mt-0.5 font-mono text-[11px] text-gray-500">{b.betId}</div>
                        </td>
                        <td className="num px-4 py-2 text-right tabular-nums">{b.decimalPrice}</td>
                        <td className="num px-4 py-2 text-right tabular-nums">{formatMoney(b.stake)}</td>
                        <td className="num px-4 py-2 text-right tabular-nums text-emerald-300">{formatMoney(b.potentialPayout)}</td>
                        <td className="whitespace-nowrap px-4 py-2 text-gray-400">{dateFormat.format(new Date(b.placedAt))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </main>
  );
}
