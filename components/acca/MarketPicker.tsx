"use client";
// The markets of one match: each button adds or removes one leg of the slip.
import { useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { fetchScorers, type Match } from "./api";
import { legKey, type AccaMarket, type SlipLeg } from "./slip";
import { useSlip } from "./slip-store";
import { Choice } from "./ui";

const GOAL_LINES = ["0.5", "1.5", "2.5", "3.5", "4.5", "5.5"];
const CORNER_LINES = ["6.5", "7.5", "8.5", "9.5", "10.5", "11.5", "12.5"];
const CARD_LINES = ["1.5", "2.5", "3.5", "4.5", "5.5", "6.5"];

function Row({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 items-center gap-2 sm:grid-cols-[9rem_1fr]">
      <div className="text-xs font-medium uppercase tracking-wide text-gray-400">{title}</div>
      <div className="flex flex-wrap items-center gap-2">{children}</div>
    </div>
  );
}

function LineChooser({ label, lines, value, onChange }: { label: string; lines: string[]; value: string; onChange: (v: string) => void }) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="rounded-md border border-gray-700 bg-gray-800 px-2 py-1.5 text-sm text-gray-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
    >
      {lines.map((l) => (
        <option key={l} value={l}>
          {l}
        </option>
      ))}
    </select>
  );
}

export function MarketPicker({ league, match }: { league: string; match: Match }) {
  const legs = useSlip((s) => s.legs);
  const toggle = useSlip((s) => s.toggle);
  const [goalLine, setGoalLine] = useState("2.5");
  const [cornerLine, setCornerLine] = useState("9.5");
  const [cardLine, setCardLine] = useState("3.5");
  const [player, setPlayer] = useState("");
  const playerId = useId();
  const [home, away] = match.home && match.away ? [match.home, match.away] : (match.name.split(" vs ") as [string, string]);

  const scorers = useQuery({ queryKey: ["acca", "scorers", league, match.name], queryFn: () => fetchScorers(league, match.name), staleTime: 5 * 60_000 });

  const leg = (market: AccaMarket, pick: { selection?: string; player?: string }): SlipLeg => ({ league, event: match.name, market, kickoff: match.kickoff, ...pick });
  const keys = new Set(legs.map(legKey));
  const has = (l: SlipLeg) => keys.has(legKey(l));
  const btn = (label: string, l: SlipLeg, name: string) => (
    <Choice key={legKey(l)} selected={has(l)} onClick={() => toggle(l)} aria-label={`${has(l) ? "Remove" : "Add"} ${name} (${match.name})`}>
      {label}
    </Choice>
  );
  const overUnder = (market: AccaMarket, line: string, what: string) =>
    (["over", "under"] as const).map((d) => btn(`${d === "over" ? "Over" : "Under"} ${line}`, leg(market, { selection: `${d} ${line}` }), `${d} ${line} ${what}`));

  return (
    <div className="space-y-3 rounded-lg border border-gray-800 bg-gray-950/50 p-3">
      <Row title="Match result">
        {btn(`${home} win`, leg("match_winner", { selection: home }), `${home} to win`)}
        {btn("Draw", leg("draw", { selection: "draw" }), "draw")}
        {btn(`${away} win`, leg("match_winner", { selection: away }), `${away} to win`)}
      </Row>
      <Row title="To lose">
        {btn(`${home} lose`, leg("match_loser", { selection: home }), `${home} to lose`)}
        {btn(`${away} lose`, leg("match_loser", { selection: away }), `${away} to lose`)}
      </Row>
      <Row title="Both teams score">
        {btn("Yes", leg("btts", { selection: "yes" }), "both teams to score: yes")}
        {btn("No", leg("btts", { selection: "no" }), "both teams to score: no")}
      </Row>
      <Row title="Total goals">
        <LineChooser label={`Goals line for ${match.name}`} lines={GOAL_LINES} value={goalLine} onChange={setGoalLine} />
        {overUnder("total_goals", goalLine, "goals")}
      </Row>
      <Row title="Clean sheet">
        {btn(home, leg("clean_sheet", { selection: home }), `${home} clean sheet`)}
        {btn(away, leg("clean_sheet", { selection: away }), `${away} clean sheet`)}
      </Row>
      <Row title="Goalscorer">
        {scorers.isPending ? (
          <span role="status" className="text-sm text-gray-500">
            Loading players…
          </span>
        ) : scorers.isError ? (
          <span role="alert" className="text-sm text-rose-300">
            Players unavailable: {scorers.error.message}
          </span>
        ) : scorers.data.length === 0 ? (
          <span className="text-sm text-gray-500">No players listed for this match.</span>
        ) : (
          <>
            <label htmlFor={playerId} className="sr-only">
              Player to score in {match.name}
            </label>
            <select
              id={playerId}
              value={player}
              onChange={(e) => setPlayer(e.target.value)}
              className="min-w-48 rounded-md border border-gray-700 bg-gray-800 px-2 py-1.5 text-sm text-gray-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
            >
              <option value="">Choose a player…</option>
              {[home, away].map((team) => (
                <optgroup key={team} label={team}>
                  {scorers.data
                    .filter((p) => p.team === team)
                    .map((p) => (
                      <option key={p.name} value={p.name}>
                        {p.name}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
            <Choice
              selected={player !== "" && has(leg("goalscorer", { player }))}
              disabled={player === ""}
              onClick={() => player && toggle(leg("goalscorer", { player }))}
              aria-label={player ? `${has(leg("goalscorer", { player })) ? "Remove" : "Add"} ${player} to score (${match.name})` : "Choose a player first"}
            >
              {player && has(leg("goalscorer", { player })) ? "Added" : "Add scorer"}
            </Choice>
          </>
        )}
      </Row>
      <Row title="Corners">
        <LineChooser label={`Corners line for ${match.name}`} lines={CORNER_LINES} value={cornerLine} onChange={setCornerLine} />
        {overUnder("corners", cornerLine, "corners")}
      </Row>
      <Row title="Cards">
        <LineChooser label={`Cards line for ${match.name}`} lines={CARD_LINES} value={cardLine} onChange={setCardLine} />
        {overUnder("cards", cardLine, "cards")}
      </Row>
    </div>
  );
}
