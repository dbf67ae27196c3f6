// The football catalogue the TE service prices on: leagues, clubs, players (from fixtures/leagues.json)
// and a deterministic double round-robin season per league and year. Nothing here reads a clock: the
// caller passes `nowMs`, so tests can travel in time.

import data from "./fixtures/leagues.json";
import { buildMatchModel, type MatchModel } from "../../lib/exotics/match-model.ts";
import { matchRates } from "../../lib/exotics/score-model.ts";
import { rngFromSeed } from "../../lib/exotics/prng.ts";
import { simulateOutcome, type MatchOutcome } from "../../lib/exotics/outcome.ts";

export interface TePlayer {
  name: string;
  /** Share of the team's goals this player scores. */
  share: number;
}

export interface TeTeam {
  name: string;
  attack: number;
  defence: number;
  /** Card-proneness multiplier around 1. */
  discipline: number;
  players: TePlayer[];
}

export interface TeLeague {
  name: string;
  full_name: string;
  country: string;
  home_goals: number;
  away_goals: number;
  rho: number;
  corners_per_match: number;
  cards_per_match: number;
  kickoff_slots_utc: string[];
  teams: TeTeam[];
}

export interface TeMatch {
  id: string;
  league: string;
  season: number;
  /** 1-based round number. */
  round: number;
  home: string;
  away: string;
  /** "Home vs Away", unique within a league season. */
  name: string;
  kickoffMs: number;
}

export const CATALOG_VERSION: string = data.version;
export const LEAGUES: readonly TeLeague[] = data.leagues as TeLeague[];

/** A match is settled this long after kickoff (90 minutes plus stoppages and a margin). */
export const MATCH_DURATION_MS = 2 * 60 * 60 * 1000;

/** Lower case, accents removed, spaces collapsed: how names are compared. */
export const normaliseName = (s: string): string =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ø/g, "o").replace(/ð/g, "d").replace(/ı/g, "i").toLowerCase().replace(/\s+/g, " ").trim();

/** Common longer names customers type, mapped to the catalogue's names. */
const TEAM_ALIASES: Record<string, string> = {
  "manchester united": "Man Utd",
  "man united": "Man Utd",
  "manchester city": "Man City",
  "tottenham hotspur": "Tottenham",
  spurs: "Tottenham",
  "newcastle united": "Newcastle",
  "wolverhampton wanderers": "Wolves",
  wolverhampton: "Wolves",
  "west ham united": "West Ham",
  "leeds united": "Leeds",
  "brighton & hove albion": "Brighton",
  "brighton and hove albion": "Brighton",
  "afc bournemouth": "Bournemouth",
  "nottm forest": "Nottingham Forest",
  forest: "Nottingham Forest",
  "athletic bilbao": "Athletic Club",
  atletico: "Atlético Madrid",
  "atletico de madrid": "Atlético Madrid",
  celta: "Celta Vigo",
  betis: "Real Betis",
  oviedo: "Real Oviedo",
  rayo: "Rayo Vallecano",
  "inter milan": "Inter",
  internazionale: "Inter",
  "ac milan": "Milan",
  "hellas verona": "Verona",
  "as roma": "Roma",
  "ss lazio": "Lazio",
  "ssc napoli": "Napoli",
};

const leagueByName = new Map(LEAGUES.map((l) => [normaliseName(l.name), l]));

// Name lookups are on the pricing hot path: exact names hit a plain map first, and normalised
// names (case, accents, aliases) are indexed once per league and per club.
const leagueExact = new Map(LEAGUES.map((l) => [l.name, l]));
const teamIndex = new Map<TeLeague, Map<string, TeTeam>>();
const playerIndex = new Map<TeTeam, Map<string, TePlayer>>();

function teamsOf(league: TeLeague): Map<string, TeTeam> {
  let idx = teamIndex.get(league);
  if (!idx) {
    idx = new Map();
    for (const t of league.teams) idx.set(normaliseName(t.name), t);
    for (const [alias, target] of Object.entries(TEAM_ALIASES)) {
      const t = idx.get(normaliseName(target));
      if (t && !idx.has(alias)) idx.set(alias, t);
    }
    for (const t of league.teams) idx.set(t.name, t);
    teamIndex.set(league, idx);
  }
  return idx;
}

export const getLeague = (name: string): TeLeague | undefined => leagueExact.get(name) ?? leagueByName.get(normaliseName(name));

export function findTeam(league: TeLeague, name: string): TeTeam | undefined {
  const idx = teamsOf(league);
  return idx.get(name) ?? idx.get(normaliseName(name));
}

/** A player by full name, or by surname when that is unambiguous in the club. */
export function findPlayer(team: TeTeam, name: string): TePlayer | undefined {
  let idx = playerIndex.get(team);
  if (!idx) {
    idx = new Map();
    const surnames = new Map<string, TePlayer[]>();
    for (const p of team.players) {
      const n = normaliseName(p.name);
      const last = n.split(" ").pop()!;
      surnames.set(last, [...(surnames.get(last) ?? []), p]);
    }
    for (const [last, ps] of surnames) if (ps.length === 1) idx.set(last, ps[0]!);
    for (const p of team.players) {
      idx.set(normaliseName(p.name), p);
      idx.set(p.name, p);
    }
    playerIndex.set(team, idx);
  }
  return idx.get(name) ?? idx.get(normaliseName(name));
}

const slug = (s: string) => normaliseName(s).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

const DAY_OFFSET: Record<string, number> = { Fri: 0, Sat: 1, Sun: 2, Mon: 3, Tue: 4, Wed: 5, Thu: 6 };

/** The first Friday on or after 14 August of `year` (season opening weekend), as UTC midnight. */
function openingFridayMs(year: number): number {
  const d = new Date(Date.UTC(year, 7, 14));
  const shift = (5 - d.getUTCDay() + 7) % 7;
  return d.getTime() + shift * 86_400_000;
}

function shuffled<T>(items: readonly T[], seed: string): T[] {
  const rng = rngFromSeed(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const seasonCache = new Map<string, TeMatch[]>();
const matchById = new Map<string, TeMatch>();

/**
 * Double round robin by the circle method: rounds 1..n-1 pair every two clubs once, rounds n..2n-2
 * repeat them with home and away swapped, so each ordered pair ("A vs B") occurs exactly once.
 * One round per week from the opening weekend; kickoff slots come from the league's fixture data.
 */
export function seasonFixtures(league: TeLeague, year: number): TeMatch[] {
  const key = `${league.name}:${year}`;
  const cached = seasonCache.get(key);
  if (cached) return cached;
  const teams = shuffled(league.teams.map((t) => t.name), `season:${key}`);
  const n = teams.length;
  const half = n - 1;
  const firstHalf: [string, string][][] = [];
  const rotating = teams.slice(1);
  for (let r = 0; r < half; r++) {
    const lineup = [teams[0]!, ...rotating];
    const pairs: [string, string][] = [];
    for (let i = 0; i < n / 2; i++) {
      const a = lineup[i]!;
      const b = lineup[n - 1 - i]!;
      const aHome = i === 0 ? r % 2 === 0 : (i + r) % 2 === 0;
      pairs.push(aHome ? [a, b] : [b, a]);
    }
    firstHalf.push(pairs);
    rotating.unshift(rotating.pop()!);
  }
  const rounds = [...firstHalf, ...firstHalf.map((pairs) => pairs.map(([h, a]) => [a, h] as [string, string]))];
  const opening = openingFridayMs(year);
  const matches: TeMatch[] = [];
  rounds.forEach((pairs, r) => {
    const order = shuffled(pairs, `slots:${key}:${r}`);
    order.forEach(([home, away], i) => {
      const slot = league.kickoff_slots_utc[i % league.kickoff_slots_utc.length]!;
      const [day, time] = slot.split(" ") as [string, string];
      const [hh, mm] = time.split(":").map(Number) as [number, number];
      const kickoffMs = opening + (r * 7 + (DAY_OFFSET[day] ?? 1)) * 86_400_000 + (hh * 60 + mm) * 60_000;
      matches.push({
        id: `${slug(league.name)}-${year}-r${String(r + 1).padStart(2, "0")}-${slug(home)}-${slug(away)}`,
        league: league.name,
        season: year,
        round: r + 1,
        home,
        away,
        name: `${home} vs ${away}`,
        kickoffMs,
      });
    });
  });
  matches.sort((x, y) => x.kickoffMs - y.kickoffMs || x.name.localeCompare(y.name));
  seasonCache.set(key, matches);
  for (const m of matches) matchById.set(m.id, m);
  return matches;
}

/** The season being played at `nowMs`: the earliest one whose last match has not finished. */
export function currentSeasonYear(league: TeLeague, nowMs: number): number {
  const hit = seasonYearCache.get(league);
  if (hit && nowMs >= hit.fromMs && nowMs < hit.untilMs) return hit.year;
  const year = computeSeasonYear(league, nowMs);
  // Valid until this season's last match finishes (or, before it, the previous one's).
  const s = seasonFixtures(league, year);
  const prev = seasonFixtures(league, year - 1);
  seasonYearCache.set(league, { year, fromMs: prev[prev.length - 1]!.kickoffMs + MATCH_DURATION_MS, untilMs: s[s.length - 1]!.kickoffMs + MATCH_DURATION_MS });
  return year;
}

const seasonYearCache = new Map<TeLeague, { year: number; fromMs: number; untilMs: number }>();

function computeSeasonYear(league: TeLeague, nowMs: number): number {
  const y = new Date(nowMs).getUTCFullYear();
  for (const year of [y - 1, y]) {
    const s = seasonFixtures(league, year);
    if (s[s.length - 1]!.kickoffMs + MATCH_DURATION_MS > nowMs) return year;
  }
  return y;
}

export const currentSeason = (league: TeLeague, nowMs: number): TeMatch[] => seasonFixtures(league, currentSeasonYear(league, nowMs));

export const upcomingMatches = (league: TeLeague, nowMs: number): TeMatch[] => currentSeason(league, nowMs).filter((m) => m.kickoffMs > nowMs);

/** Splits "Home vs Away" (also "Home v Away", "Home vs. Away", "Home - Away"). */
export function splitEventName(event: string): [string, string] | null {
  const m = /^(.+?)\s+(?:vs\.?|v\.?|-)\s+(.+)$/i.exec(event.trim());
  return m ? [m[1]!, m[2]!] : null;
}

/** The current season's match for "Home vs Away" in `league` (clubs matched by name or alias). */
const seasonIndex = new Map<TeMatch[], Map<string, TeMatch>>();

export function findMatchByName(league: TeLeague, event: string, nowMs: number): TeMatch | undefined {
  const season = currentSeason(league, nowMs);
  let idx = seasonIndex.get(season);
  if (!idx) {
    idx = new Map(season.map((m) => [`${m.home}|${m.away}`, m]));
    for (const m of season) idx.set(m.name, m);
    seasonIndex.set(season, idx);
  }
  const exact = idx.get(event);
  if (exact) return exact;
  const sides = splitEventName(event);
  if (!sides) return undefined;
  const home = findTeam(league, sides[0]);
  const away = findTeam(league, sides[1]);
  if (!home || !away) return undefined;
  return idx.get(`${home.name}|${away.name}`);
}

export function getMatchById(id: string): TeMatch | undefined {
  const hit = matchById.get(id);
  if (hit) return hit;
  const m = /^([a-z0-9]+)-(\d{4})-r\d+-/.exec(id);
  if (!m) return undefined;
  const league = LEAGUES.find((l) => slug(l.name) === m[1]);
  if (!league) return undefined;
  seasonFixtures(league, Number(m[2]));
  return matchById.get(id);
}

export function teamOf(league: TeLeague, name: string): TeTeam {
  const t = league.teams.find((x) => x.name === name);
  if (!t) throw new Error(`unknown team ${name} in ${league.name}`);
  return t;
}

const modelCache = new Map<string, MatchModel>();

/** The pricing model of a fixture (cached: it depends only on the two clubs and the league). */
export function matchModelFor(match: Pick<TeMatch, "league" | "home" | "away">): MatchModel {
  const key = `${match.league}|${match.home}|${match.away}`;
  const hit = modelCache.get(key);
  if (hit) return hit;
  const league = getLeague(match.league)!;
  const home = teamOf(league, match.home);
  const away = teamOf(league, match.away);
  const { lambdaHome, lambdaAway } = matchRates(home, away, { homeGoals: league.home_goals, awayGoals: league.away_goals, rho: league.rho });
  // More expected goals means more attacking play and more corners; discipline drives cards.
  const attacking = (lambdaHome + lambdaAway) / (league.home_goals + league.away_goals);
  const model = buildMatchModel({
    lambdaHome,
    lambdaAway,
    rho: league.rho,
    cornersMean: league.corners_per_match * (0.6 + 0.4 * attacking),
    cardsMean: (league.cards_per_match * (home.discipline + away.discipline)) / 2,
  });
  modelCache.set(key, model);
  return model;
}

/** Seed for simulated results; change it (TE_RESULTS_SEED) to get a different set of results. */
export const resultsSeed = (): string => process.env.TE_RESULTS_SEED || "te-results-v1";

/**
 * The simulated final result of a fixture, drawn from the same model the prices come from with a
 * deterministic generator seeded by the match id, so every process agrees on every result.
 */
export function simulatedOutcome(match: TeMatch, seed = resultsSeed()): MatchOutcome {
  const league = getLeague(match.league)!;
  const rng = rngFromSeed(`${seed}:${match.id}`);
  return simulateOutcome(matchModelFor(match), teamOf(league, match.home).players, teamOf(league, match.away).players, rng);
}

/** The result if the match has finished at `nowMs`, else null. */
export const resultIfFinished = (match: TeMatch, nowMs: number): MatchOutcome | null =>
  nowMs >= match.kickoffMs + MATCH_DURATION_MS ? simulatedOutcome(match) : null;

/** Builds the current seasons and their indexes up front (about 50 ms once per process). */
export function warmCatalog(nowMs: number): void {
  for (const l of LEAGUES) findMatchByName(l, "", nowMs);
}
