"use client";

// The B2B odds screen: live board (react-query refetch every pollMs; the server polls the affiliate
// API), ProphetX login, location check with retry, bet slip, and recent plays.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { OddsBoard, OddsSelection } from "@/lib/b2b/odds-board";
import { parseStakeInput, potentialProfitCents } from "@/lib/b2b/play";
import { ApiFailure, checkGeo, getBoard, getPlays, getSession, login, logout, placePlay, type GeoView, type SessionInfo } from "./api";

const fmtOdds = (o: number) => (o > 0 ? `+${o}` : String(o));
const fmtUsd = (cents: number) => (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
const input = "mt-1 w-full rounded border border-gray-700 bg-gray-950 px-3 py-2 text-sm text-gray-100 outline-none focus:border-sky-500";
const btn = "rounded px-3 py-2 text-sm font-medium disabled:opacity-60";
const card = "rounded-lg border border-gray-800 bg-gray-900/60 p-4";

type Pick = OddsSelection & { eventName: string; marketName: string; seenOdds: number };

function Alert({ children }: { children: React.ReactNode }) {
  return (
    <p role="alert" className="rounded border border-red-900 bg-red-950/60 px-3 py-2 text-sm text-red-300">
      {children}
    </p>
  );
}

function LoginPanel({ message }: { message?: string }) {
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (v: { email: string; password: string }) => login(v.email, v.password),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["odds-session"] }),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    m.mutate({ email: String(f.get("email") ?? ""), password: String(f.get("password") ?? "") });
  };
  return (
    <section className={card} aria-labelledby="px-login-title">
      <h2 id="px-login-title" className="text-sm font-semibold text-gray-100">
        Log in to ProphetX
      </h2>
      <p className="mt-1 text-xs text-gray-400">Use your own ProphetX account. You stay logged in for 30 days; your password is not stored.</p>
      {message && <p className="mt-2 text-xs text-amber-300">{message}</p>}
      <form onSubmit={onSubmit} className="mt-3 space-y-3" aria-label="ProphetX login">
        <label className="block text-sm">
          <span className="text-gray-300">ProphetX email</span>
          <input name="email" type="email" autoComplete="username" required className={input} />
        </label>
        <label className="block text-sm">
          <span className="text-gray-300">ProphetX password</span>
          <input name="password" type="password" autoComplete="current-password" required className={input} />
        </label>
        {m.error && <Alert>{m.error.message}</Alert>}
        <button type="submit" disabled={m.isPending} className={`${btn} w-full bg-sky-600 text-white hover:bg-sky-500`}>
          {m.isPending ? "Logging in…" : "Log in to ProphetX"}
        </button>
      </form>
    </section>
  );
}

function AccountPanel({ session }: { session: SessionInfo }) {
  const qc = useQueryClient();
  const m = useMutation({ mutationFn: logout, onSuccess: () => qc.invalidateQueries({ queryKey: ["odds-session"] }) });
  const u = session.user!;
  return (
    <section className={card} aria-label="ProphetX account">
      <p className="text-xs text-gray-400">Logged in to ProphetX as</p>
      <p className="truncate text-sm font-medium text-gray-100">{u.email}</p>
      <button type="button" onClick={() => m.mutate()} disabled={m.isPending} className={`${btn} mt-3 border border-gray-700 text-gray-300 hover:bg-gray-800`}>
        Log out of ProphetX
      </button>
    </section>
  );
}

function LocationPanel({ geo, onCheck, checking, error, needsSdk }: { geo: GeoView | null; onCheck: () => void; checking: boolean; error: string | null; needsSdk: boolean }) {
  const status = checking ? "Checking your location…" : geo === null ? "Not checked yet" : geo.ok ? `Location verified${geo.state ? ` (${geo.state})` : ""}` : "Location check failed";
  const tone = checking || geo === null ? "text-gray-300" : geo.ok ? "text-emerald-300" : "text-red-300";
  return (
    <section className={card} aria-labelledby="geo-title">
      <h2 id="geo-title" className="text-sm font-semibold text-gray-100">
        Location check
      </h2>
      <p role="status" aria-live="polite" className={`mt-1 text-sm ${tone}`} data-testid="geo-status">
        {status}
      </p>
      {geo && !geo.ok && geo.reason && <Alert>{geo.reason} You cannot place plays until the check passes.</Alert>}
      {error && <Alert>{error}</Alert>}
      {needsSdk && <p className="mt-2 text-xs text-amber-300">This server uses GeoComply; the browser plug-in step is not available in this build (see docs).</p>}
      <p className="mt-2 text-xs text-gray-500">ProphetX checks your location again before every play.</p>
      <button type="button" onClick={onCheck} disabled={checking} className={`${btn} mt-3 w-full bg-gray-800 text-gray-100 hover:bg-gray-700`}>
        {geo === null ? "Check location" : "Retry location check"}
      </button>
    </section>
  );
}

function Board({ board, pick, onPick }: { board: OddsBoard; pick: Pick | null; onPick: (p: Pick) => void }) {
  if (board.sports.length === 0) return <p className="rounded-lg border border-dashed border-gray-800 px-6 py-10 text-center text-gray-400">No markets are open right now.</p>;
  return (
    <div className="space-y-6">
      {board.sports.map((sport) => (
        <section key={sport.name} aria-labelledby={`sport-${sport.name}`}>
          <h2 id={`sport-${sport.name}`} className="mb-2 text-xs font-semibold uppercase tracking-wider text-gray-400">
            {sport.name}
          </h2>
          <ul className="space-y-3">
            {sport.events.map((ev) => (
              <li key={ev.id} className={card}>
                <article aria-label={ev.name}>
                  <div className="flex items-baseline justify-between gap-3">
                    <h3 className="text-sm font-medium text-gray-100">{ev.name}</h3>
                    <span className="text-xs text-gray-500">
                      {ev.tournamentName}
                      {ev.scheduled ? ` · ${new Date(ev.scheduled).toLocaleString("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC" })} UTC` : ""}
                    </span>
                  </div>
                  <div className="mt-3 grid gap-3 sm:grid-cols-2">
                    {ev.markets.map((mk) => (
                      <div key={mk.id} role="group" aria-label={`${ev.name} — ${mk.name}`}>
                        <p className="mb-1 text-xs text-gray-400">{mk.name}</p>
                        <div className="flex gap-2">
                          {mk.selections.map((s) => {
                            const selected = pick?.lineId === s.lineId;
                            return (
                              <button
                                key={s.lineId}
                                type="button"
                                aria-pressed={selected}
                                aria-label={`${s.name} ${s.displayOdds}, ${mk.name}, ${ev.name}`}
                                onClick={() => onPick({ ...s, eventName: ev.name, marketName: mk.name, seenOdds: s.odds })}
                                className={`flex flex-1 items-center justify-between rounded border px-3 py-2 text-sm ${selected ? "border-sky-500 bg-sky-950/60" : "border-gray-700 bg-gray-950 hover:border-gray-500"}`}
                              >
                                <span className="truncate text-gray-200">{s.name}</span>
                                <span className="ml-2 font-mono text-sky-300">{s.displayOdds}</span>
                              </button>
                            );
                          })}
                        </div>
                      </div>
                    ))}
                  </div>
                </article>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function BetSlip({ pick, live, loggedIn, geoOk, onClear, onUseOdds, onPlaced }: { pick: Pick | null; live: OddsSelection | null; loggedIn: boolean; geoOk: boolean; onClear: () => void; onUseOdds: (o: number) => void; onPlaced: () => void }) {
  const [stake, setStake] = useState("10");
  const qc = useQueryClient();
  const parsed = parseStakeInput(stake);
  const m = useMutation({
    mutationFn: placePlay,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["odds-plays"] });
      onPlaced();
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: ["odds-board"] }),
  });
  useEffect(() => m.reset(), [pick?.lineId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!pick) {
    return (
      <section className={card} aria-labelledby="slip-title">
        <h2 id="slip-title" className="text-sm font-semibold text-gray-100">
          Bet slip
        </h2>
        <p className="mt-1 text-sm text-gray-400">Pick a price on the board to start a play.</p>
      </section>
    );
  }
  const moved = live !== null && live.odds !== pick.seenOdds;
  const failure = m.error instanceof ApiFailure ? m.error : null;
  const currentFromError = failure?.details && typeof failure.details.currentOdds === "number" ? failure.details.currentOdds : null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed.ok) m.mutate({ lineId: pick.lineId, odds: pick.seenOdds, stakeCents: parsed.cents });
  };
  return (
    <section className={card} aria-labelledby="slip-title">
      <div className="flex items-center justify-between">
        <h2 id="slip-title" className="text-sm font-semibold text-gray-100">
          Bet slip
        </h2>
        <button type="button" onClick={onClear} className="text-xs text-gray-400 hover:text-gray-200" aria-label="Clear bet slip">
          Clear
        </button>
      </div>
      <p className="mt-2 text-sm text-gray-100">
        {pick.name} <span className="font-mono text-sky-300">{fmtOdds(pick.seenOdds)}</span>
      </p>
      <p className="text-xs text-gray-400">
        {pick.marketName} · {pick.eventName}
      </p>
      {moved && (
        <div className="mt-2 rounded border border-amber-800 bg-amber-950/50 px-3 py-2 text-xs text-amber-200">
          The price is now {fmtOdds(live!.odds)}.{" "}
          <button type="button" className="underline" onClick={() => onUseOdds(live!.odds)}>
            Use {fmtOdds(live!.odds)}
          </button>
        </div>
      )}
      <form onSubmit={onSubmit} className="mt-3 space-y-3" aria-label="Place play">
        <label className="block text-sm">
          <span className="text-gray-300">Stake (USD)</span>
          <input value={stake} onChange={(e) => setStake(e.target.value)} inputMode="decimal" className={input} aria-invalid={!parsed.ok} aria-describedby="stake-help" />
        </label>
        <p id="stake-help" className="text-xs text-gray-400">
          {parsed.ok ? `To win ${fmtUsd(potentialProfitCents(parsed.cents, pick.seenOdds))}` : parsed.message}
        </p>
        {!loggedIn && <p className="text-xs text-amber-300">Log in to ProphetX to place this play.</p>}
        {loggedIn && !geoOk && <p className="text-xs text-amber-300">Pass the location check to place this play.</p>}
        {failure && (
          <div className="space-y-2">
            <Alert>{failure.message}</Alert>
            {currentFromError !== null && (
              <button type="button" onClick={() => onUseOdds(currentFromError)} className={`${btn} w-full border border-gray-700 text-gray-200 hover:bg-gray-800`}>
                Use current odds {fmtOdds(currentFromError)}
              </button>
            )}
          </div>
        )}
        {m.data && (
          <p role="status" className="rounded border border-emerald-900 bg-emerald-950/60 px-3 py-2 text-sm text-emerald-300">
            Play placed. ProphetX ref {m.data.play.wagerRefId}.
          </p>
        )}
        <button type="submit" disabled={!parsed.ok || !loggedIn || !geoOk || m.isPending} className={`${btn} w-full bg-emerald-600 text-white hover:bg-emerald-500`}>
          {m.isPending ? "Placing…" : `Place play ${parsed.ok ? fmtUsd(parsed.cents) : ""}`.trim()}
        </button>
      </form>
    </section>
  );
}

function RecentPlays() {
  const q = useQuery({ queryKey: ["odds-plays"], queryFn: getPlays });
  return (
    <section className={card} aria-labelledby="plays-title">
      <h2 id="plays-title" className="text-sm font-semibold text-gray-100">
        Your recent plays
      </h2>
      {q.isLoading && <p className="mt-1 text-sm text-gray-400">Loading…</p>}
      {q.error && <Alert>{q.error.message}</Alert>}
      {q.data && q.data.plays.length === 0 && <p className="mt-1 text-sm text-gray-400">No plays yet.</p>}
      {q.data && q.data.plays.length > 0 && (
        <ul className="mt-2 space-y-1 text-xs" aria-label="Recent plays">
          {q.data.plays.map((p) => (
            <li key={p.id} className="flex justify-between gap-2">
              <span className="font-mono text-gray-300">
                {fmtOdds(p.odds)} · {fmtUsd(p.stakeCents)}
              </span>
              <span className={p.status === "placed" ? "text-emerald-300" : p.status === "rejected" ? "text-red-300" : "text-amber-300"} title={p.error ?? undefined}>
                {p.status}
                {p.wagerRefId ? ` · ${p.wagerRefId}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OddsScreen() {
  const session = useQuery({ queryKey: ["odds-session"], queryFn: getSession, staleTime: 60_000, refetchInterval: 5 * 60_000 });
  const board = useQuery({
    queryKey: ["odds-board"],
    queryFn: getBoard,
    staleTime: 0,
    refetchInterval: (q) => q.state.data?.pollMs ?? 3000,
  });
  const [pick, setPick] = useState<Pick | null>(null);
  const [geo, setGeo] = useState<GeoView | null>(null);
  const geoM = useMutation({ mutationFn: checkGeo, onSuccess: (r) => setGeo(r.geo) });
  const user = session.data?.user ?? null;

  useEffect(() => {
    if (!user) setGeo(null);
  }, [user]);

  const live = useMemo(() => {
    if (!pick || !board.data) return null;
    for (const s of board.data.sports) for (const e of s.events) for (const m of e.markets) for (const sel of m.selections) if (sel.lineId === pick.lineId) return sel;
    return null;
  }, [pick, board.data]);

  return (
    <main className="mx-auto max-w-6xl px-4 py-6">
      <header className="mb-5 flex flex-wrap items-end justify-between gap-3 border-b border-gray-800 pb-3">
        <div>
          <h1 className="text-lg font-semibold text-gray-100">ProphetX odds</h1>
          <p className="text-sm text-gray-400">Live ProphetX prices. Plays are placed on your own ProphetX account.</p>
        </div>
        <p className="text-xs text-gray-500" role="status" aria-live="polite">
          {board.data?.updatedAt ? `Prices updated ${new Date(board.data.updatedAt).toLocaleTimeString("en-US")}` : board.isLoading ? "Loading prices…" : ""}
        </p>
      </header>
      <div className="grid gap-5 lg:grid-cols-[1fr_320px]">
        <div>
          {board.isLoading && <p className="text-sm text-gray-400">Loading markets…</p>}
          {board.error && (
            <div className="space-y-2">
              <Alert>Could not load the odds: {board.error.message}</Alert>
              <button type="button" onClick={() => void board.refetch()} className={`${btn} bg-gray-800 text-gray-100 hover:bg-gray-700`}>
                Retry loading odds
              </button>
            </div>
          )}
          {board.data?.error && (
            <Alert>
              {board.data.error} {board.data.stale ? "Prices shown may be out of date." : ""}
            </Alert>
          )}
          {board.data && <Board board={board.data} pick={pick} onPick={setPick} />}
        </div>
        <aside className="space-y-4" aria-label="Account and bet slip">
          {session.isLoading && <p className="text-sm text-gray-400">Checking your ProphetX session…</p>}
          {session.error && <Alert>Could not check your ProphetX session: {session.error.message}</Alert>}
          {session.data && !user && <LoginPanel message={session.data.message} />}
          {session.data && user && (
            <>
              <AccountPanel session={session.data} />
              <LocationPanel geo={geo} onCheck={() => geoM.mutate()} checking={geoM.isPending} error={geoM.error?.message ?? null} needsSdk={session.data.geo.needsBrowserSdk} />
            </>
          )}
          <BetSlip
            pick={pick}
            live={live}
            loggedIn={!!user}
            geoOk={!!geo?.ok}
            onClear={() => setPick(null)}
            onUseOdds={(o) => setPick((p) => (p ? { ...p, seenOdds: o } : p))}
            onPlaced={() => undefined}
          />
          {user && <RecentPlays />}
        </aside>
      </div>
    </main>
  );
}
