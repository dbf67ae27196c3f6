"use client";
// The slip: legs, "at least k of n", the live price (re-priced, debounced, as the slip changes), the
// description in words, a share link and "Place bet" (sign in first, then confirm; components/account/PlaceAccaBet).
import { useEffect, useId, useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchQuote } from "./api";
import { legKey, legLabel, toStruct } from "./slip";
import { useSlip } from "./slip-store";
import { ErrorNote, Panel, formatKickoff, formatPercent } from "./ui";
import { PlaceAccaBet } from "@/components/account/PlaceAccaBet";

const DEBOUNCE_MS = 350;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export const conditionLabel = (k: number, n: number) => (n === 1 ? "Single" : k >= n ? `All ${n} of ${n}` : `At least ${k} of ${n}`);

export function SlipPanel() {
  const legs = useSlip((s) => s.legs);
  const atLeast = useSlip((s) => s.atLeast);
  const setAtLeast = useSlip((s) => s.setAtLeast);
  const remove = useSlip((s) => s.remove);
  const clear = useSlip((s) => s.clear);
  const n = legs.length;
  const k = atLeast ?? n;
  const structJson = useMemo(() => (n ? JSON.stringify(toStruct(legs, k)) : ""), [legs, k, n]);
  const debounced = useDebounced(structJson, DEBOUNCE_MS);
  const kId = useId();
  const stakeId = useId();
  const [stake, setStake] = useState("10");
  const [copied, setCopied] = useState(false);

  const quote = useQuery({
    queryKey: ["acca", "quote", debounced],
    queryFn: ({ signal }) => fetchQuote(JSON.parse(debounced), signal),
    enabled: debounced !== "",
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
  const current = debounced === structJson && !quote.isPlaceholderData;
  const updating = n > 0 && (debounced !== structJson || quote.isFetching);
  const q = current && quote.isSuccess ? quote.data : null;
  const shownQuote = quote.data && n > 0 ? quote.data : null;
  const error = current && quote.isError ? quote.error.message : null;

  // Keep the address bar shareable: /acca?bet=<bet_id> for the slip on screen.
  useEffect(() => {
    if (typeof window === "undefined") return;
    const url = new URL(window.location.href);
    const want = q?.bet_id ?? (n === 0 ? null : url.searchParams.get("bet"));
    if (want === url.searchParams.get("bet")) return;
    if (want) url.searchParams.set("bet", want);
    else url.searchParams.delete("bet");
    window.history.replaceState(window.history.state, "", url.toString());
  }, [q?.bet_id, n]);

  const shareUrl = q && typeof window !== "undefined" ? `${window.location.origin}/acca?bet=${q.bet_id}` : "";
  const stakeNum = Number(stake);
  const stakeOk = /^\d+(\.\d{1,2})?$/.test(stake.trim()) && stakeNum > 0;
  const returns = q && stakeOk ? (Math.floor(stakeNum * 100 * Math.round(Number(q.price) * 100) / 100) / 100).toFixed(2) : null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shareUrl);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };

  // Place bet: coming back from sign-in (/acca?bet=…&stake=…) keeps the stake the customer typed.
  useEffect(() => {
    const s = new URL(window.location.href).searchParams.get("stake");
    if (s && /^\d+(\.\d{1,2})?$/.test(s)) setStake(s);
  }, []);

  return (
    <Panel
      title={n ? `Your acca (${n} ${n === 1 ? "leg" : "legs"})` : "Your acca"}
      actions={
        n > 0 ? (
          <button type="button" onClick={clear} className="text-xs text-gray-400 underline-offset-2 hover:text-gray-200 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
            Clear slip
          </button>
        ) : null
      }
    >
      {n === 0 ? (
        <p className="rounded-md border border-dashed border-gray-800 px-4 py-8 text-center text-sm text-gray-400">
          Your slip is empty. Open a match and pick selections — winners, goals, scorers, corners, cards — then choose how many must win.
        </p>
      ) : (
        <div className="space-y-4">
          <ol aria-label="Selections" className="space-y-2">
            {legs.map((l, i) => {
              const p = q?.legs[i]?.probability;
              return (
                <li key={legKey(l)} className="flex items-start justify-between gap-3 rounded-md border border-gray-800 bg-gray-950/50 px-3 py-2">
                  <div className="min-w-0">
                    <div className="truncate text-sm font-medium text-gray-100">{legLabel(l)}</div>
                    <div className="truncate text-xs text-gray-400">
                      {l.event}
                      {l.kickoff ? ` · ${formatKickoff(l.kickoff)}` : ""}
                    </div>
                  </div>
                  <div className="flex shrink-0 items-center gap-2">
                    {p !== undefined && <span className="num text-xs text-gray-400" title="Chance this leg wins">{formatPercent(p)}</span>}
                    <button
                      type="button"
                      onClick={() => remove(legKey(l))}
                      aria-label={`Remove ${legLabel(l)} (${l.event})`}
                      className="rounded px-1.5 text-gray-400 hover:bg-gray-800 hover:text-gray-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                    >
                      ✕
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>

          {n > 1 && (
            <div className="flex items-center gap-2 text-sm text-gray-300">
              <label htmlFor={kId}>Pays if at least</label>
              <select
                id={kId}
                aria-label="Minimum number of winning selections"
                value={k}
                onChange={(e) => setAtLeast(Number(e.target.value))}
                className="rounded-md border border-gray-700 bg-gray-800 px-2 py-1 text-sm text-gray-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
              >
                {Array.from({ length: n }, (_, i) => i + 1).map((v) => (
                  <option key={v} value={v}>
                    {v === n ? `${v} (all)` : v}
                  </option>
                ))}
              </select>
              <span>of {n} win</span>
            </div>
          )}

          <div className="rounded-lg border border-gray-800 bg-gray-950/60 p-4" aria-live="polite" aria-busy={updating}>
            <div className="flex items-baseline justify-between gap-3">
              <span className="text-xs uppercase tracking-wide text-gray-400">{conditionLabel(k, n)} · price</span>
              {updating && (
                <span role="status" className="text-xs text-sky-300">
                  Updating…
                </span>
              )}
            </div>
            {error ? (
              <div className="mt-2">
                <ErrorNote message={error} />
              </div>
            ) : shownQuote ? (
              <>
                <output
                  data-testid="acca-price"
                  aria-label="Acca price (decimal odds)"
                  className={`mt-1 block text-4xl font-semibold tabular-nums ${current ? "text-emerald-300" : "text-emerald-300/50"}`}
                >
                  {shownQuote.price}
                </output>
                <p className="num mt-1 text-xs text-gray-400">Chance to win {formatPercent(shownQuote.fair_probability)}</p>
                {shownQuote.description && (
                  <p data-testid="acca-description" className="mt-3 text-sm leading-relaxed text-gray-300">
                    {shownQuote.description}
                  </p>
                )}
              </>
            ) : (
              <p className="mt-2 text-sm text-gray-400">Pricing…</p>
            )}
          </div>

          {q && (
            <div className="space-y-3">
              <div className="flex items-center gap-2">
                <label htmlFor={stakeId} className="text-sm text-gray-300">
                  Stake
                </label>
                <input
                  id={stakeId}
                  inputMode="decimal"
                  value={stake}
                  onChange={(e) => setStake(e.target.value)}
                  aria-invalid={!stakeOk}
                  className="w-24 rounded-md border border-gray-700 bg-gray-950 px-2 py-1 text-sm text-gray-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                />
                <span className="num text-sm text-gray-400">{returns ? `Returns ${returns}` : "Enter a stake"}</span>
              </div>
              <PlaceAccaBet quote={q} stake={stake} stakeOk={stakeOk} returns={returns} />
              <div className="flex items-center gap-2">
                <input
                  readOnly
                  aria-label="Share link for this acca"
                  value={shareUrl}
                  onFocus={(e) => e.currentTarget.select()}
                  className="min-w-0 flex-1 rounded-md border border-gray-800 bg-gray-950 px-2 py-1 text-xs text-gray-400"
                />
                <button
                  type="button"
                  onClick={() => void copy()}
                  aria-label="Copy share link"
                  className="shrink-0 rounded-md border border-gray-700 px-2 py-1 text-xs text-gray-300 hover:border-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  {copied ? "Copied" : "Copy"}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
