"use client";
// Leagues and upcoming matches; a match opens its market picker.
import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { fetchLeagues, fetchMatches, type Match } from "./api";
import { MarketPicker } from "./MarketPicker";
import { useSlip } from "./slip-store";
import { ErrorNote, Panel, Skeleton, formatDay, formatKickoff } from "./ui";

const PAGE = 20;

export function MatchBrowser() {
  const leagues = useQuery({ queryKey: ["acca", "leagues"], queryFn: fetchLeagues, staleTime: 5 * 60_000 });
  const [league, setLeague] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const slipLegs = useSlip((s) => s.legs);

  useEffect(() => {
    if (!league && leagues.data?.length) setLeague(leagues.data[0]!.name);
  }, [league, leagues.data]);

  const matches = useQuery({
    queryKey: ["acca", "matches", league],
    queryFn: () => fetchMatches(league!),
    enabled: league !== null,
    staleTime: 60_000,
  });

  const filtered = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = matches.data ?? [];
    return q ? list.filter((m) => m.name.toLowerCase().includes(q)) : list;
  }, [matches.data, search]);

  const groups = useMemo(() => {
    const out: { day: string; items: Match[] }[] = [];
    for (const m of filtered.slice(0, shown)) {
      const day = formatDay(m.kickoff);
      const last = out[out.length - 1];
      if (last && last.day === day) last.items.push(m);
      else out.push({ day, items: [m] });
    }
    return out;
  }, [filtered, shown]);

  const legsIn = (event: string) => slipLegs.filter((l) => l.league === league && l.event === event).length;

  return (
    <Panel title="Matches">
      {leagues.isPending ? (
        <Skeleton rows={1} label="Loading leagues" />
      ) : leagues.isError ? (
        <ErrorNote message={`Leagues could not be loaded: ${leagues.error.message}`} onRetry={() => void leagues.refetch()} />
      ) : (
        <div className="space-y-4">
          <div role="group" aria-label="Leagues" className="flex flex-wrap gap-2">
            {leagues.data.map((l) => (
              <button
                key={l.name}
                type="button"
                aria-pressed={league === l.name}
                onClick={() => {
                  setLeague(l.name);
                  setOpen(null);
                  setShown(PAGE);
                }}
                className={`rounded-full border px-3 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
                  league === l.name ? "border-sky-500 bg-sky-500/15 text-sky-200" : "border-gray-700 text-gray-300 hover:border-gray-500"
                }`}
              >
                {l.full_name}
              </button>
            ))}
          </div>
          <input
            type="search"
            aria-label="Search matches"
            placeholder="Search a club…"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setShown(PAGE);
            }}
            className="w-full rounded-md border border-gray-700 bg-gray-950 px-3 py-2 text-sm text-gray-100 placeholder:text-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          />
          {matches.isPending ? (
            <Skeleton rows={6} label="Loading matches" />
          ) : matches.isError ? (
            <ErrorNote message={`Matches could not be loaded: ${matches.error.message}`} onRetry={() => void matches.refetch()} />
          ) : filtered.length === 0 ? (
            <p className="rounded-md border border-dashed border-gray-800 px-4 py-8 text-center text-sm text-gray-400">
              {search ? `No upcoming matches for “${search}”.` : "No upcoming matches in this league."}
            </p>
          ) : (
            <div className="space-y-4">
              {groups.map((g) => (
                <div key={g.day}>
                  <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-gray-500">{g.day}</h3>
                  <ul className="space-y-2">
                    {g.items.map((m) => {
                      const isOpen = open === m.name;
                      const count = legsIn(m.name);
                      const panelId = `markets-${(m.id ?? m.name).replace(/[^a-zA-Z0-9-]/g, "-")}`;
                      return (
                        <li key={m.name} className="rounded-lg border border-gray-800 bg-gray-900/40">
                          <button
                            type="button"
                            aria-expanded={isOpen}
                            aria-controls={panelId}
                            onClick={() => setOpen(isOpen ? null : m.name)}
                            className="flex w-full items-center justify-between gap-3 px-3 py-2.5 text-left hover:bg-gray-800/40 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                          >
                            <span className="font-medium text-gray-100">{m.name}</span>
                            <span className="flex items-center gap-3 text-xs text-gray-400">
                              {count > 0 && <span className="whitespace-nowrap rounded-full bg-emerald-500/20 px-2 py-0.5 text-emerald-200">{count} in slip</span>}
                              <span className="num whitespace-nowrap">{formatKickoff(m.kickoff)}</span>
                              <span aria-hidden>{isOpen ? "▴" : "▾"}</span>
                            </span>
                          </button>
                          {isOpen && (
                            <div id={panelId} className="px-3 pb-3">
                              <MarketPicker league={league!} match={m} />
                            </div>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ))}
              {filtered.length > shown && (
                <button
                  type="button"
                  onClick={() => setShown((n) => n + PAGE)}
                  className="w-full rounded-md border border-gray-700 py-2 text-sm text-gray-300 hover:border-gray-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  Show more matches ({filtered.length - shown} more)
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
