// Wire shapes (prophetx-protocol.md §2.1, §2.4, REF-3p event payloads). Money leaves as dollars,
// timestamps as nanosecond bigints (written as exact JSON integers).

import type { BookLevel } from "../../lib/simulation/book";
import type { MarketDef, OutcomeDef, WorldTournament } from "../../lib/simulation/world";
import type { Wager } from "./wagers";
import type { EventRuntime, LineRuntime } from "./world-runtime";
import { displayOdds, dollars } from "./wire";

export const tournamentJson = (t: WorldTournament, updatedNs: bigint) => ({
  id: t.spec.id,
  name: t.spec.name,
  sport: { id: t.sport.sportId, name: t.sport.sportName },
  category: { id: t.spec.category.id, name: t.spec.category.name, countryCode: t.spec.category.countryCode },
  banner: "",
  image: "",
  updated_at: updatedNs,
});

const competitor = (team: EventRuntime["def"]["home"], side: "home" | "away") => ({
  id: team.id,
  name: team.name,
  display_name: team.name,
  abbreviation: team.abbreviation,
  side,
  country: team.country,
});

export const scheduledIso = (ev: EventRuntime): string => new Date(ev.def.scheduledMs - ev.shiftMs).toISOString();

export const sportEventJson = (ev: EventRuntime, tournament: WorldTournament, score?: { home: number; away: number }) => ({
  event_id: ev.def.eventId,
  name: `${ev.def.home.name} vs ${ev.def.away.name}`,
  display_name: `${ev.def.home.abbreviation} vs ${ev.def.away.abbreviation}`,
  competitors: [competitor(ev.def.home, "home"), competitor(ev.def.away, "away")],
  scheduled: scheduledIso(ev),
  status: ev.status,
  tournament_id: tournament.spec.id,
  tournament_name: tournament.spec.name,
  sport_name: tournament.sport.sportName,
  type: "match",
  sub_type: null,
  ...(score ? { score } : {}),
  updated_at: ev.updatedNs,
});

export const selectionJson = (outcome: OutcomeDef, level: BookLevel | undefined, updatedNs: bigint) => ({
  line_id: outcome.lineId,
  name: outcome.name,
  display_name: outcome.name,
  outcome_id: outcome.outcomeId,
  competitor_id: outcome.competitorId,
  line: outcome.line ?? 0,
  display_line: outcome.displayLine,
  odds: level ? level.odds : 0,
  display_odds: level ? displayOdds(level.odds) : "",
  stake: level ? dollars(level.stakeCents) : 0,
  value: level ? dollars(level.valueCents) : 0,
  updated_at: updatedNs,
});

/** Best 10 levels per side; a side without liquidity shows one placeholder carrying its line_id. */
export const lineSelections = (line: LineRuntime) =>
  line.def.outcomes.map((outcome, i) => {
    if (line.status !== "active") return [selectionJson(outcome, undefined, line.updatedNs)];
    const levels = line.book.levels(i, 10);
    return levels.length > 0
      ? levels.map((lv) => selectionJson(outcome, lv, line.updatedNs))
      : [selectionJson(outcome, undefined, line.updatedNs)];
  });

const marketStatus = (ev: EventRuntime): string => (ev.status === "ended" ? "settled" : "active");

const marketLineJson = (line: LineRuntime) => ({
  id: line.def.id,
  name: line.def.name,
  line: line.def.line ?? 0,
  favourite: line.def.favourite,
  status: line.status,
  sequence_number: line.sequence,
  selections: lineSelections(line),
});

export const marketJson = (ev: EventRuntime, market: MarketDef, v2: boolean) => {
  const lines = ev.lines.filter((l) => l.def.marketId === market.marketId && market.lines.includes(l.def));
  const base = {
    id: market.marketId,
    sport_event_id: ev.def.eventId,
    name: market.name,
    display_name: market.name,
    type: market.type,
    status: marketStatus(ev),
    ...(v2 ? { category_name: "Game Lines", sub_type: null } : {}),
    updated_at: ev.updatedNs,
  };
  if (market.type === "moneyline") {
    const line = lines[0]!;
    return { ...base, selections: lineSelections(line), market_lines: lines.map(marketLineJson) };
  }
  return { ...base, market_lines: lines.map(marketLineJson) };
};

/** Markets of an event; `null` once the event ended (as the real API does for closed events). */
export const eventMarketsJson = (ev: EventRuntime, v2: boolean) =>
  ev.status === "ended" ? null : ev.def.markets.map((m) => marketJson(ev, m, v2));

export const matchingStatus = (w: Wager): "unmatched" | "partially_matched" | "fully_matched" =>
  w.matchedCents <= 0 ? "unmatched" : w.unmatchedCents > 0 ? "partially_matched" : "fully_matched";

export const wagerJson = (
  w: Wager,
  updateType: "status" | "matching" = "status",
  sequence = w.sequence,
  fill?: { readonly stakeCents: number; readonly odds: number },
) => ({
  id: w.id,
  user_id: w.account.partnerId,
  external_id: w.externalId,
  sport_event_id: w.eventId,
  market_id: w.marketId,
  market_line_id: w.marketLineId,
  outcome_id: w.outcomeId,
  line_id: w.lineId,
  line: w.line ?? 0,
  odds: w.odds,
  stake: dollars(w.stakeCents),
  profit: dollars(w.potentialProfitCents),
  matched_stake: dollars(fill ? fill.stakeCents : w.matchedCents),
  matched_odds: fill ? fill.odds : w.matchedCents > 0 ? w.averageMatchedOdds : null,
  totally_matched_stake: dollars(w.matchedCents),
  unmatched_stake: dollars(w.unmatchedCents),
  matching_status: matchingStatus(w),
  winning_status: w.winningStatus,
  status: w.status,
  update_type: updateType,
  wager_strategy: w.strategy,
  settled_profit: w.settledProfitCents === null ? null : dollars(w.settledProfitCents),
  sequence_number: sequence,
  created_at: w.createdNs,
  updated_at: w.updatedNs,
});
