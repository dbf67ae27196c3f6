"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useReducer, useState, type FormEvent, type ReactNode } from "react";
import {
  BET_TYPE_OPTIONS,
  EXAMPLES,
  betPath,
  bookmakerPath,
  emptyBet,
  emptyBookmaker,
  emptyForm,
  fromRequest,
  toRequest,
  type BetRow,
  type BookmakerRow,
  type FormState,
} from "./form";
import { ArbitrageResults, type ArbResponse } from "./ArbitrageResults";

type Action =
  | { type: "global"; field: Exclude<keyof FormState, "bets" | "bookmakers">; value: string | boolean }
  | { type: "bet"; index: number; field: keyof Omit<BetRow, "key">; value: string | boolean }
  | { type: "addBet" }
  | { type: "removeBet"; index: number }
  | { type: "bookmaker"; index: number; field: keyof Omit<BookmakerRow, "key">; value: string | boolean }
  | { type: "addBookmaker" }
  | { type: "removeBookmaker"; index: number }
  | { type: "load"; form: FormState };

const reducer = (s: FormState, a: Action): FormState => {
  switch (a.type) {
    case "global":
      return { ...s, [a.field]: a.value };
    case "bet":
      return { ...s, bets: s.bets.map((b, i) => (i === a.index ? { ...b, [a.field]: a.value } : b)) };
    case "addBet":
      return { ...s, bets: [...s.bets, emptyBet(s.bookmakers[0]?.id ?? "")] };
    case "removeBet":
      return { ...s, bets: s.bets.filter((_, i) => i !== a.index) };
    case "bookmaker":
      return { ...s, bookmakers: s.bookmakers.map((b, i) => (i === a.index ? { ...b, [a.field]: a.value } : b)) };
    case "addBookmaker": {
      const used = new Set(s.bookmakers.map((b) => Number(b.id)));
      let id = 1;
      while (used.has(id)) id++;
      return { ...s, bookmakers: [...s.bookmakers, emptyBookmaker(String(id))] };
    }
    case "removeBookmaker":
      return { ...s, bookmakers: s.bookmakers.filter((_, i) => i !== a.index) };
    case "load":
      return a.form;
  }
};

export interface ApiProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ApiProblem[],
  ) {
    super(message);
  }
}

const solveRequest = async (body: Record<string, unknown>): Promise<ArbResponse> => {
  const res = await fetch("/api/arbitrage", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
  if (!res.ok) {
    const e = json?.error;
    const problems = Array.isArray(e?.details) ? (e.details as ApiProblem[]) : [];
    throw new ApiError(res.status, e?.code ?? "http_error", e?.message ?? `the server answered ${res.status}`, problems);
  }
  return json as unknown as ArbResponse;
};

const input =
  "w-full rounded border border-gray-700 bg-gray-900 px-2 py-1 text-sm text-gray-100 placeholder:text-gray-600 focus:border-sky-500 focus:outline-none aria-[invalid=true]:border-red-500";
const button = "rounded border border-gray-700 px-3 py-1.5 text-sm text-gray-200 hover:bg-gray-800 disabled:opacity-50";
const smallButton = "rounded px-2 py-1 text-xs text-gray-400 hover:bg-gray-800 hover:text-red-300";

function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-gray-800 bg-gray-950/60 p-4">
      <div className="mb-3 flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-gray-400">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-gray-400">
        {label}
      </label>
      {children(id)}
      {hint && <span className="text-[11px] text-gray-600">{hint}</span>}
    </div>
  );
}

export function ArbitrageCalculator() {
  const [form, dispatch] = useReducer(reducer, undefined, () => {
    const f = fromRequest(EXAMPLES[0]!.request);
    return typeof f === "string" ? emptyForm() : f;
  });
  const [example, setExample] = useState(EXAMPLES[0]!.id);
  const [jsonOpen, setJsonOpen] = useState(false);
  const [jsonText, setJsonText] = useState("");
  const [jsonMessage, setJsonMessage] = useState<string | null>(null);
  const [submittedBets, setSubmittedBets] = useState<BetRow[]>([]);
  const mutation = useMutation<ArbResponse, Error, Record<string, unknown>>({ mutationFn: solveRequest });

  const invalid = new Set(mutation.error instanceof ApiError ? mutation.error.problems.map((p) => p.path) : []);
  const isInvalid = (path: string) => invalid.has(path) || undefined;

  const onSolve = (e: FormEvent) => {
    e.preventDefault();
    setSubmittedBets(form.bets);
    mutation.mutate(toRequest(form));
  };

  const loadExample = () => {
    const ex = EXAMPLES.find((x) => x.id === example);
    if (!ex) return;
    const f = fromRequest(ex.request);
    if (typeof f !== "string") dispatch({ type: "load", form: f });
    mutation.reset();
  };

  const copyJson = async () => {
    const text = JSON.stringify(toRequest(form), null, 2);
    setJsonText(text);
    try {
      await navigator.clipboard.writeText(text);
      setJsonMessage("Request JSON copied to the clipboard.");
    } catch {
      setJsonOpen(true);
      setJsonMessage("Clipboard not available: the JSON is in the box below.");
    }
  };

  const loadJson = () => {
    try {
      const f = fromRequest(JSON.parse(jsonText));
      if (typeof f === "string") setJsonMessage(`Cannot load: ${f}.`);
      else {
        dispatch({ type: "load", form: f });
        mutation.reset();
        setJsonMessage(`Loaded ${f.bets.length} bets and ${f.bookmakers.length} bookmakers.`);
      }
    } catch (err) {
      setJsonMessage(`Not valid JSON: ${(err as Error).message}`);
    }
  };

  const bookmakerOptions = form.bookmakers.map((b) => b.id).filter((id) => id.trim() !== "");

  return (
    <div className="mx-auto max-w-7xl space-y-4 px-4 py-6">
      <header className="flex flex-wrap items-end justify-between gap-4 border-b border-gray-800 pb-3">
        <div>
          <h1 className="text-lg font-semibold text-gray-100">Arbitrage calculator</h1>
          <p className="text-sm text-gray-400">
            Wagers that profit whatever the final score (WinWise API format). Decimal odds; lays use the backer&apos;s stake.
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          <Field label="Example">
            {(id) => (
              <select id={id} value={example} onChange={(e) => setExample(e.target.value)} className={`${input} w-80`}>
                {EXAMPLES.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" className={button} onClick={loadExample}>
            Load example
          </button>
          <button type="button" className={button} onClick={() => void copyJson()}>
            Copy JSON
          </button>
          <button type="button" className={button} aria-expanded={jsonOpen} onClick={() => setJsonOpen((o) => !o)}>
            Paste JSON
          </button>
        </div>
      </header>

      {jsonOpen && (
        <Section title="Request JSON">
          <textarea
            aria-label="Request JSON"
            value={jsonText}
            onChange={(e) => setJsonText(e.target.value)}
            rows={10}
            spellCheck={false}
            placeholder='{"bets": [{"bet_type": 1, "value": "home", "odds": 2.1}, …]}'
            className={`${input} font-mono text-xs`}
          />
          <div className="mt-2 flex gap-2">
            <button type="button" className={button} onClick={loadJson}>
              Load into form
            </button>
            <button type="button" className={button} onClick={() => setJsonText(JSON.stringify(toRequest(form), null, 2))}>
              Show current form
            </button>
          </div>
        </Section>
      )}
      {jsonMessage && (
        <p role="status" className="text-sm text-gray-400">
          {jsonMessage}
        </p>
      )}

      <form onSubmit={onSolve} className="space-y-4" aria-label="Arbitrage request" noValidate>
        <Section title="Event">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
            <Field label="Wager limit" hint="blank: bookmaker limits or 100">
              {(id) => (
                <input
                  id={id}
                  inputMode="decimal"
                  className={input}
                  value={form.wager_limit}
                  aria-invalid={isInvalid("$.wager_limit")}
                  onChange={(e) => dispatch({ type: "global", field: "wager_limit", value: e.target.value })}
                  placeholder="100"
                />
              )}
            </Field>
            <Field label="Wager precision" hint="wagers are multiples">
              {(id) => (
                <input
                  id={id}
                  inputMode="decimal"
                  className={input}
                  value={form.wager_precision}
                  aria-invalid={isInvalid("$.wager_precision")}
                  onChange={(e) => dispatch({ type: "global", field: "wager_precision", value: e.target.value })}
                  placeholder="0.01"
                />
              )}
            </Field>
            <Field label="Total max wager count">
              {(id) => (
                <input
                  id={id}
                  inputMode="numeric"
                  className={input}
                  value={form.total_max_wager_count}
                  aria-invalid={isInvalid("$.total_max_wager_count")}
                  onChange={(e) => dispatch({ type: "global", field: "total_max_wager_count", value: e.target.value })}
                  placeholder="no limit"
                />
              )}
            </Field>
            <Field label="Max process time (s)">
              {(id) => (
                <input
                  id={id}
                  inputMode="decimal"
                  className={input}
                  value={form.max_process_time}
                  aria-invalid={isInvalid("$.max_process_time")}
                  onChange={(e) => dispatch({ type: "global", field: "max_process_time", value: e.target.value })}
                  placeholder="25"
                />
              )}
            </Field>
            <Field label="Mode">
              {(id) => (
                <select
                  id={id}
                  className={input}
                  value={form.mode}
                  onChange={(e) => dispatch({ type: "global", field: "mode", value: e.target.value })}
                >
                  <option value="1">1 · Guaranteed profit</option>
                  <option value="2">2 · Max profit (no loss)</option>
                </select>
              )}
            </Field>
            <div className="flex items-center gap-2 pt-5">
              <input
                id="arb-no-draw"
                type="checkbox"
                checked={form.no_draw}
                onChange={(e) => dispatch({ type: "global", field: "no_draw", value: e.target.checked })}
                className="h-4 w-4 accent-sky-500"
              />
              <label htmlFor="arb-no-draw" className="text-sm text-gray-300">
                No draw possible
              </label>
            </div>
          </div>
        </Section>

        <Section
          title="Bookmakers"
          actions={
            <button type="button" className={button} onClick={() => dispatch({ type: "addBookmaker" })}>
              Add bookmaker
            </button>
          }
        >
          {form.bookmakers.length === 0 ? (
            <p className="text-sm text-gray-500">None: every bet uses bookmaker 0 (no commission, no limit).</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-gray-500">
                <tr>
                  <th className="pb-1 font-normal">ID</th>
                  <th className="pb-1 font-normal">Commission</th>
                  <th className="pb-1 font-normal">Wager limit</th>
                  <th className="pb-1 font-normal">Max wagers</th>
                  <th className="pb-1 font-normal">Ignore precision</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {form.bookmakers.map((b, i) => (
                  <tr key={b.key}>
                    {(["id", "commission", "wager_limit", "max_wager_count"] as const).map((field) => (
                      <td key={field} className="py-1 pr-2">
                        <input
                          aria-label={`Bookmaker ${i + 1} ${field.replace(/_/g, " ")}`}
                          inputMode="decimal"
                          className={input}
                          value={b[field]}
                          aria-invalid={isInvalid(bookmakerPath(i, field))}
                          placeholder={field === "id" ? "" : field === "commission" ? "0" : "no limit"}
                          onChange={(e) => dispatch({ type: "bookmaker", index: i, field, value: e.target.value })}
                        />
                      </td>
                    ))}
                    <td className="py-1 pr-2">
                      <input
                        type="checkbox"
                        aria-label={`Bookmaker ${i + 1} ignore wager precision`}
                        checked={b.ignore_wager_precision}
                        onChange={(e) => dispatch({ type: "bookmaker", index: i, field: "ignore_wager_precision", value: e.target.checked })}
                        className="h-4 w-4 accent-sky-500"
                      />
                    </td>
                    <td className="py-1 text-right">
                      <button type="button" className={smallButton} aria-label={`Remove bookmaker ${i + 1}`} onClick={() => dispatch({ type: "removeBookmaker", index: i })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <Section
          title="Bets"
          actions={
            <button type="button" className={button} onClick={() => dispatch({ type: "addBet" })}>
              Add bet
            </button>
          }
        >
          <div className="overflow-x-auto">
            <table className="w-full min-w-[900px] text-sm">
              <thead className="text-left text-xs text-gray-500">
                <tr>
                  <th className="pb-1 font-normal">#</th>
                  <th className="pb-1 font-normal">Bet type</th>
                  <th className="pb-1 font-normal">Value</th>
                  <th className="pb-1 font-normal">Odds</th>
                  <th className="pb-1 font-normal">Bookmaker</th>
                  <th className="pb-1 font-normal">Lay</th>
                  <th className="pb-1 font-normal">Volume</th>
                  <th className="pb-1 font-normal">Previous wager</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {form.bets.map((b, i) => {
                  const typeOption = BET_TYPE_OPTIONS.find((o) => String(o.id) === b.bet_type);
                  return (
                    <tr key={b.key} className="align-top">
                      <td className="py-1 pr-2 pt-2 text-xs text-gray-500">{i + 1}</td>
                      <td className="w-56 py-1 pr-2">
                        <select
                          aria-label={`Bet ${i + 1} type`}
                          className={input}
                          value={b.bet_type}
                          aria-invalid={isInvalid(betPath(i, "bet_type"))}
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "bet_type", value: e.target.value })}
                        >
                          {!typeOption && <option value={b.bet_type}>{b.bet_type || "choose…"}</option>}
                          {BET_TYPE_OPTIONS.map((o) => (
                            <option key={o.id} value={String(o.id)}>
                              {o.id} · {o.name}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="py-1 pr-2">
                        <input
                          aria-label={`Bet ${i + 1} value`}
                          className={input}
                          value={b.value}
                          aria-invalid={isInvalid(betPath(i, "value"))}
                          placeholder={typeOption?.example ?? ""}
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "value", value: e.target.value })}
                        />
                      </td>
                      <td className="w-24 py-1 pr-2">
                        <input
                          aria-label={`Bet ${i + 1} odds`}
                          inputMode="decimal"
                          className={input}
                          value={b.odds}
                          aria-invalid={isInvalid(betPath(i, "odds"))}
                          placeholder="2.00"
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "odds", value: e.target.value })}
                        />
                      </td>
                      <td className="w-32 py-1 pr-2">
                        <select
                          aria-label={`Bet ${i + 1} bookmaker`}
                          className={input}
                          value={b.bookmaker}
                          aria-invalid={isInvalid(betPath(i, "bookmaker"))}
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "bookmaker", value: e.target.value })}
                        >
                          <option value="">0 (default)</option>
                          {b.bookmaker !== "" && !bookmakerOptions.includes(b.bookmaker) && <option value={b.bookmaker}>{b.bookmaker} (unknown)</option>}
                          {bookmakerOptions.map((id) => (
                            <option key={id} value={id}>
                              {id}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="py-1 pr-2 pt-2">
                        <input
                          type="checkbox"
                          aria-label={`Bet ${i + 1} lay`}
                          checked={b.lay}
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "lay", value: e.target.checked })}
                          className="h-4 w-4 accent-sky-500"
                        />
                      </td>
                      <td className="w-28 py-1 pr-2">
                        <input
                          aria-label={`Bet ${i + 1} volume`}
                          inputMode="decimal"
                          className={input}
                          value={b.volume}
                          aria-invalid={isInvalid(betPath(i, "volume"))}
                          placeholder="no limit"
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "volume", value: e.target.value })}
                        />
                      </td>
                      <td className="w-28 py-1 pr-2">
                        <input
                          aria-label={`Bet ${i + 1} previous wager`}
                          inputMode="decimal"
                          className={input}
                          value={b.previous_wager}
                          aria-invalid={isInvalid(betPath(i, "previous_wager"))}
                          placeholder="0"
                          onChange={(e) => dispatch({ type: "bet", index: i, field: "previous_wager", value: e.target.value })}
                        />
                      </td>
                      <td className="py-1 text-right">
                        <button type="button" className={smallButton} aria-label={`Remove bet ${i + 1}`} onClick={() => dispatch({ type: "removeBet", index: i })}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Section>

        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={mutation.isPending}
            className="rounded bg-sky-600 px-5 py-2 text-sm font-semibold text-white hover:bg-sky-500 disabled:cursor-wait disabled:opacity-60"
          >
            {mutation.isPending ? "Solving…" : "Solve"}
          </button>
          {mutation.isPending && (
            <span role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-gray-400">
              <span aria-hidden className="h-4 w-4 animate-spin rounded-full border-2 border-sky-500 border-t-transparent" />
              Solving the LP/MILP…
            </span>
          )}
        </div>
      </form>

      {mutation.error && <ErrorPanel error={mutation.error} />}
      {mutation.data && !mutation.isPending && <ArbitrageResults result={mutation.data} submittedBets={submittedBets} />}
    </div>
  );
}

function ErrorPanel({ error }: { error: Error }) {
  const api = error instanceof ApiError ? error : null;
  return (
    <div role="alert" aria-label="Request problems" className="rounded-lg border border-red-900 bg-red-950/40 p-4 text-sm">
      <p className="font-semibold text-red-300">
        {api?.status === 429
          ? "Too many requests — wait a moment and try again."
          : api?.status === 503
            ? "The solver is busy — try again in a moment."
            : error.message}
      </p>
      {api && api.problems.length > 0 && (
        <ul className="mt-2 space-y-1">
          {api.problems.map((p) => (
            <li key={`${p.path}:${p.message}`} className="flex gap-3">
              <code className="shrink-0 text-red-200">{p.path}</code>
              <span className="text-gray-300">{p.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
