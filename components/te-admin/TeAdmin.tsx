"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

type Margin = { base_margin: number; per_leg_margin: number; min_price: number; max_price: number };
type Liabilities = {
  as_of: string;
  margin: Margin;
  totals: { open_bets: number; stake: string; potential_payout: string; liability: string };
  matches: { match_id: string; league: string; event: string; kickoff: string; open_bets: number; stake: string; liability: string }[];
};

const NOT_SIGNED_IN = "not signed in";

const teFetch = async <T,>(path: string, init?: RequestInit): Promise<T> => {
  const res = await fetch(path, { credentials: "same-origin", ...init });
  const body = (await res.json().catch(() => ({}))) as { status?: string; message?: string };
  if (res.status === 401) throw new Error(NOT_SIGNED_IN);
  if (!res.ok || body.status === "error") throw new Error(body.message ?? `request failed (${res.status})`);
  return body as T;
};

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const inputCls = "w-28 rounded border border-gray-700 bg-gray-950 px-2 py-1 text-gray-100 num";

export function TeAdmin() {
  const qc = useQueryClient();
  const book = useQuery({ queryKey: ["te-admin", "liabilities"], queryFn: () => teFetch<Liabilities>("/te/api/admin/liabilities"), retry: false });

  if (book.isPending) return <p className="text-sm text-gray-400">Loading…</p>;
  if (book.error?.message === NOT_SIGNED_IN) return <SignIn onDone={() => qc.invalidateQueries({ queryKey: ["te-admin"] })} />;
  if (book.error) return <p role="alert" className="text-sm text-red-300">{book.error.message}</p>;
  const b = book.data;
  return (
    <div className="space-y-5">
      <section aria-label="Open liabilities" className="rounded-lg border border-gray-800 bg-gray-900/50 p-4">
        <h2 className="mb-3 text-xs uppercase tracking-wide text-gray-500">Open liabilities · as of {new Date(b.as_of).toLocaleString()}</h2>
        <dl className="mb-4 grid grid-cols-4 gap-3 text-sm">
          {[
            ["Open bets", String(b.totals.open_bets)],
            ["Stakes", `$${b.totals.stake}`],
            ["Potential payout", `$${b.totals.potential_payout}`],
            ["Liability", `$${b.totals.liability}`],
          ].map(([k, v]) => (
            <div key={k}>
              <dt className="text-xs text-gray-500">{k}</dt>
              <dd className="num text-gray-100">{v}</dd>
            </div>
          ))}
        </dl>
        {b.matches.length === 0 ? (
          <p className="text-sm text-gray-500">No open bets.</p>
        ) : (
          <table className="w-full text-sm" aria-label="Liability by match">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th className="py-1">Match</th>
                <th>League</th>
                <th>Kick-off</th>
                <th className="text-right">Open bets</th>
                <th className="text-right">Stakes ($)</th>
                <th className="text-right">Liability ($)</th>
              </tr>
            </thead>
            <tbody>
              {b.matches.map((m) => (
                <tr key={m.match_id} className="border-t border-gray-800">
                  <td className="py-1">{m.event}</td>
                  <td>{m.league}</td>
                  <td>{new Date(m.kickoff).toLocaleString()}</td>
                  <td className="num text-right">{m.open_bets}</td>
                  <td className="num text-right">{m.stake}</td>
                  <td className="num text-right">{m.liability}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <MarginForm margin={b.margin} onSaved={() => qc.invalidateQueries({ queryKey: ["te-admin"] })} />
    </div>
  );
}

function SignIn({ onDone }: { onDone: () => void }) {
  const login = useMutation({
    mutationFn: (apiKey: string) =>
      teFetch("/te/api/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ api_key: apiKey }) }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    login.mutate(String(new FormData(e.currentTarget).get("api_key") ?? ""));
  };
  return (
    <form onSubmit={submit} aria-label="Operator sign-in" className="max-w-md space-y-3 rounded-lg border border-gray-800 bg-gray-900/50 p-4 text-sm">
      <label className="block">
        <span className="text-gray-300">Operator API key</span>
        <input name="api_key" type="password" required autoComplete="off" className="mt-1 w-full rounded border border-gray-700 bg-gray-950 px-3 py-2 text-gray-100" />
      </label>
      {login.error && <p role="alert" className="text-red-300">{login.error.message === NOT_SIGNED_IN ? "That API key is not valid." : login.error.message}</p>}
      <button type="submit" disabled={login.isPending} className="rounded bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-500 disabled:opacity-60">
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function MarginForm({ margin, onSaved }: { margin: Margin; onSaved: () => void }) {
  const [draft, setDraft] = useState({ base: (margin.base_margin * 100).toFixed(2), perLeg: (margin.per_leg_margin * 100).toFixed(2) });
  const save = useMutation({
    mutationFn: () =>
      teFetch("/te/api/admin/margin", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ base_margin: Number(draft.base) / 100, per_leg_margin: Number(draft.perLeg) / 100 }),
      }),
    onSuccess: onSaved,
  });
  return (
    <form aria-label="Margin settings" className="rounded-lg border border-gray-800 bg-gray-900/50 p-4 text-sm" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
      <h2 className="mb-3 text-xs uppercase tracking-wide text-gray-500">
        Margin · now {pct(margin.base_margin)} + {pct(margin.per_leg_margin)} per extra leg · prices {margin.min_price}–{margin.max_price}
      </h2>
      <div className="flex flex-wrap items-end gap-4">
        <label className="block">
          <span className="text-gray-400">Base margin (%)</span>
          <input aria-label="Base margin (%)" className={`${inputCls} mt-1 block`} value={draft.base} inputMode="decimal" onChange={(e) => setDraft({ ...draft, base: e.target.value })} />
        </label>
        <label className="block">
          <span className="text-gray-400">Per extra leg (%)</span>
          <input aria-label="Per extra leg (%)" className={`${inputCls} mt-1 block`} value={draft.perLeg} inputMode="decimal" onChange={(e) => setDraft({ ...draft, perLeg: e.target.value })} />
        </label>
        <button type="submit" disabled={save.isPending} className="rounded bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-500 disabled:opacity-60">
          {save.isPending ? "Saving…" : "Save margin"}
        </button>
      </div>
      {save.error && <p role="alert" className="mt-2 text-red-300">{save.error.message}</p>}
      {save.isSuccess && <p role="status" className="mt-2 text-emerald-300">Saved. New prices use it; quotes already given keep theirs.</p>}
    </form>
  );
}
