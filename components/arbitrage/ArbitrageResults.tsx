"use client";

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SolutionInfo } from "@/lib/arbitrage/types";
import { BET_TYPE_OPTIONS, type BetRow } from "./form";

export interface ArbResponse {
  profit: [number, number];
  bets: { bet_type: number | string; value: string; odds: number; bookmaker?: number; lay?: boolean; previous_wager?: number; wager: number }[];
  solution: SolutionInfo;
  [key: string]: unknown;
}

const money = (v: number): string => v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const typeName = (t: number | string): string =>
  typeof t === "number" ? (BET_TYPE_OPTIONS.find((o) => o.id === t)?.name ?? String(t)) : t;

export function ArbitrageResults({ result, submittedBets }: { result: ArbResponse; submittedBets: BetRow[] }) {
  const s = result.solution;
  const [min, max] = result.profit;
  const placed = s.wagers.filter((w) => w > 0).length;
  const chartData = s.outcomes.map((o) => ({ label: o.label, profit: o.profit, examples: o.examples.join(", ") }));
  return (
    <section aria-label="Result" className="space-y-4 rounded-lg border border-gray-800 bg-gray-950/60 p-4">
      <div className="flex flex-wrap items-end gap-6">
        <div data-testid="profit-range">
          <div className="text-xs uppercase tracking-wide text-gray-500">Profit range</div>
          <div className="text-2xl font-semibold tabular-nums">
            <span className={min >= 0 ? "text-emerald-400" : "text-red-400"}>{money(min)}</span>
            <span className="px-2 text-gray-500">to</span>
            <span className={max >= 0 ? "text-emerald-400" : "text-red-400"}>{money(max)}</span>
          </div>
          <div className="text-xs text-gray-500">
            {s.objective === "max_min_profit" ? "guaranteed minimum … best outcome" : "worst outcome … maximised best outcome"}
          </div>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
          <dt className="text-gray-500">Status</dt>
          <dd className={s.optimal ? "text-emerald-300" : "text-amber-300"}>
            {s.optimal ? "proven optimal" : `best found (${s.status})`}
          </dd>
          <dt className="text-gray-500">MIP gap</dt>
          <dd className="tabular-nums">{(s.gap * 100).toFixed(4)}%</dd>
          <dt className="text-gray-500">Solve time</dt>
          <dd className="tabular-nums">{s.solve_time_ms.toFixed(0)} ms</dd>
          <dt className="text-gray-500">Total stake</dt>
          <dd className="tabular-nums">{money(s.total_stake)}</dd>
          <dt className="text-gray-500">Exposure</dt>
          <dd className="tabular-nums">
            {money(s.total_exposure)} / {money(s.effective.wager_limit)}
          </dd>
          <dt className="text-gray-500">Wagers</dt>
          <dd className="tabular-nums">{placed}</dd>
          <dt className="text-gray-500">Model</dt>
          <dd className="tabular-nums">
            {s.model.variables} vars, {s.model.constraints} rows, {s.model.scenarios} outcomes
          </dd>
        </dl>
      </div>

      {placed === 0 && <p className="text-sm text-amber-300">No new wager improves on doing nothing: there is no arbitrage in these prices.</p>}

      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="mb-2 text-sm font-semibold text-gray-300">Wagers</h3>
          <table className="w-full text-sm" aria-label="Wagers">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th className="pb-1 font-normal">#</th>
                <th className="pb-1 font-normal">Bet</th>
                <th className="pb-1 font-normal">Book</th>
                <th className="pb-1 text-right font-normal">Odds</th>
                <th className="pb-1 text-right font-normal">Wager</th>
                <th className="pb-1 text-right font-normal">Previous</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {s.wagers.map((w, i) => {
                const bet = submittedBets[i];
                if (!bet || (w <= 0 && !(Number(bet.previous_wager) > 0))) return null;
                const name = typeName(Number.isFinite(Number(bet.bet_type)) ? Number(bet.bet_type) : bet.bet_type);
                return (
                  <tr key={bet.key} className="border-t border-gray-900">
                    <td className="py-1 text-xs text-gray-500">{i + 1}</td>
                    <td className="py-1">
                      <span className="text-gray-400">{name}</span> {bet.value}
                      {bet.lay && <span className="ml-1 rounded bg-pink-900/60 px-1 text-[10px] uppercase text-pink-200">lay</span>}
                    </td>
                    <td className="py-1 text-gray-400">{bet.bookmaker || "0"}</td>
                    <td className="py-1 text-right">{bet.odds}</td>
                    <td className="py-1 text-right font-semibold text-gray-100" data-testid="wager">
                      {w}
                    </td>
                    <td className="py-1 text-right text-gray-500">{bet.previous_wager || ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {s.notes.length > 0 && (
            <ul className="mt-2 list-disc pl-5 text-xs text-gray-500">
              {s.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold text-gray-300">Profit per outcome</h3>
          <div className="h-64" role="img" aria-label={`Profit per outcome: ${chartData.map((d) => `${d.label} ${d.profit}`).join(", ")}`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#1f2937" />
                <XAxis dataKey="label" stroke="#6b7280" fontSize={11} interval={0} angle={chartData.length > 12 ? -45 : 0} height={chartData.length > 12 ? 44 : 24} />
                <YAxis stroke="#6b7280" fontSize={11} width={56} />
                <ReferenceLine y={0} stroke="#4b5563" />
                <Tooltip
                  contentStyle={{ background: "#0b0f14", border: "1px solid #374151", fontSize: 12 }}
                  labelFormatter={(label, payload) => {
                    const ex = (payload?.[0]?.payload as { examples?: string } | undefined)?.examples;
                    return `${String(label)}${ex ? ` (also ${ex})` : ""}`;
                  }}
                  formatter={(v) => [money(Number(v)), "profit"]}
                />
                <Bar dataKey="profit" isAnimationActive={false}>
                  {chartData.map((d) => (
                    <Cell key={d.label} fill={d.profit >= 0 ? "#34d399" : "#f87171"} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <p className="mt-1 text-[11px] text-gray-600">Each bar is a class of final scores that pay every bet the same; the label is its simplest score.</p>
        </div>
      </div>

      <details className="text-xs">
        <summary className="cursor-pointer text-gray-400">Response JSON</summary>
        <pre className="mt-2 max-h-80 overflow-auto rounded bg-black/40 p-2 text-gray-300">{JSON.stringify(result, null, 2)}</pre>
      </details>
    </section>
  );
}
