// Turns a validated pricing struct into resolved legs: league and match found in the catalogue,
// selections mapped to sides, lines parsed, scorer shares looked up. Every refusal names the leg and
// the field (e.g. `matches[2].event: match "Juventus vs Napoli" not found in ITA.1`).

import type { LegSpec, LegMarket } from "../../lib/exotics/legs.ts";
import { legKey } from "../../lib/exotics/legs.ts";
import type { WinsCondition } from "../../lib/exotics/conditions.ts";
import { MAX_SCORERS_PER_SIDE } from "../../lib/exotics/match-pricer.ts";
import {
  LEAGUES,
  findMatchByName,
  findPlayer,
  findTeam,
  getLeague,
  normaliseName,
  splitEventName,
  teamOf,
  type TeLeague,
  type TeMatch,
} from "./catalog.ts";
import { LINE_RANGES, validateBetStruct, type ProductDef } from "./products.ts";

export interface RawLeg {
  league: string;
  event: string;
  market?: LegMarket;
  selection?: string;
  player?: string;
}

export interface ResolvedLeg {
  match: TeMatch;
  leg: LegSpec;
  market: LegMarket;
  /** Canonical selection text: team name, "yes", "over 2.5", "draw", or the player's name. */
  selection: string;
}

/** The canonical struct: catalogue names, defaults filled in. Its JSON is what a bet_id hashes. */
export interface CanonicalBet {
  product: string;
  matches: Array<{ league: string; event: string; market?: LegMarket; selection?: string; player?: string }>;
  acca_conditions: WinsCondition[];
}

export interface ResolvedBet {
  product: ProductDef;
  legs: ResolvedLeg[];
  conditions: WinsCondition[];
  canonical: CanonicalBet;
}

export type ResolveResult = { ok: true; value: ResolvedBet } | { ok: false; error: string };

const fmt = (ms: number) => new Date(ms).toISOString().replace(/:00\.000Z$/, "Z");

function parseLine(sel: string): { direction: "over" | "under"; line: number } {
  const [dir, num] = sel.trim().toLowerCase().split(/\s+/) as ["over" | "under", string];
  return { direction: dir, line: Number(num) };
}

function resolveLeg(i: number, raw: RawLeg, market: LegMarket, league: TeLeague, match: TeMatch): { ok: true; value: ResolvedLeg } | { ok: false; error: string } {
  const at = `matches[${i}]`;
  const sideOf = (name: string): "home" | "away" | null => {
    const t = findTeam(league, name);
    return t?.name === match.home ? "home" : t?.name === match.away ? "away" : null;
  };
  const teamLeg = (m: "match_winner" | "match_loser" | "clean_sheet") => {
    const side = sideOf(raw.selection ?? "");
    if (!side) {
      return { ok: false as const, error: `${at}.selection: "${raw.selection}" is not a team in ${match.name} (choose "${match.home}" or "${match.away}")` };
    }
    return { ok: true as const, value: { match, market: m, leg: { market: m, side } as LegSpec, selection: side === "home" ? match.home : match.away } };
  };
  const lineLeg = (m: "total_goals" | "corners" | "cards") => {
    const { direction, line } = parseLine(raw.selection ?? "");
    const [lo, hi] = LINE_RANGES[m];
    if (!(line >= lo && line <= hi)) {
      return { ok: false as const, error: `${at}.selection: line ${line} is out of range for ${m.replace("_", " ")} (${lo} to ${hi})` };
    }
    return { ok: true as const, value: { match, market: m, leg: { market: m, direction, line } as LegSpec, selection: `${direction} ${line}` } };
  };
  switch (market) {
    case "match_winner":
    case "match_loser":
    case "clean_sheet":
      return teamLeg(market);
    case "draw":
      return { ok: true, value: { match, market, leg: { market: "draw" }, selection: "draw" } };
    case "btts": {
      const yes = (raw.selection ?? "").trim().toLowerCase() === "yes";
      return { ok: true, value: { match, market, leg: { market: "btts", yes }, selection: yes ? "yes" : "no" } };
    }
    case "total_goals":
    case "corners":
    case "cards":
      return lineLeg(market);
    case "goalscorer": {
      const name = raw.player ?? "";
      for (const side of ["home", "away"] as const) {
        const team = teamOf(league, side === "home" ? match.home : match.away);
        const p = findPlayer(team, name);
        if (p) return { ok: true, value: { match, market, leg: { market: "goalscorer", side, player: p.name, share: p.share }, selection: p.name } };
      }
      return { ok: false, error: `${at}.player: "${name}" does not play for ${match.home} or ${match.away} (see GET /te/api/goalscorers?league=${league.name})` };
    }
  }
}

/**
 * Validates (JSON Schema) and resolves a pricing struct at time `nowMs`. Matches must not have
 * kicked off. Duplicated legs are refused; different legs on the same match are allowed (they are
 * priced jointly).
 */
export function resolveBet(body: unknown, nowMs: number): ResolveResult {
  const check = validateBetStruct(body);
  if (!check.ok) return check;
  const product = check.product;
  const rawLegs = (body as { matches: RawLeg[] }).matches;
  const rawConds = (body as { acca_conditions?: WinsCondition[] }).acca_conditions;
  const legs: ResolvedLeg[] = [];
  const seen = new Map<string, number>();
  const scorersPerSide = new Map<string, number>();
  for (const [i, raw] of rawLegs.entries()) {
    const league = getLeague(raw.league);
    if (!league) return { ok: false, error: `matches[${i}].league: league "${raw.league}" not found (known: ${LEAGUES.map((l) => l.name).join(", ")})` };
    const match = findMatchByName(league, raw.event, nowMs);
    if (!match) {
      const sides = splitEventName(raw.event);
      let hint = "";
      if (!sides) hint = ' (write it as "Home vs Away")';
      else {
        const unknown = sides.filter((s) => !findTeam(league, s));
        if (unknown.length) hint = ` (no club called ${unknown.map((u) => `"${u}"`).join(" or ")} in ${league.name})`;
        else if (normaliseName(sides[0]) === normaliseName(sides[1])) hint = " (a club cannot play itself)";
      }
      return { ok: false, error: `matches[${i}].event: match "${raw.event}" not found in ${league.name}${hint}` };
    }
    if (match.kickoffMs <= nowMs) {
      return { ok: false, error: `matches[${i}].event: ${match.name} (${league.name}) kicked off at ${fmt(match.kickoffMs)} and can no longer be priced` };
    }
    const market: LegMarket = product.market === "mixed" ? raw.market! : product.market;
    const r = resolveLeg(i, raw, market, league, match);
    if (!r.ok) return r;
    const key = `${match.id}|${legKey(r.value.leg)}`;
    const dup = seen.get(key);
    if (dup !== undefined) return { ok: false, error: `matches[${i}]: duplicates matches[${dup}] (same match and selection)` };
    seen.set(key, i);
    if (r.value.leg.market === "goalscorer") {
      const sk = `${match.id}|${r.value.leg.side}`;
      const count = (scorersPerSide.get(sk) ?? 0) + 1;
      if (count > MAX_SCORERS_PER_SIDE) return { ok: false, error: `matches[${i}]: at most ${MAX_SCORERS_PER_SIDE} goalscorer legs per team in one match` };
      scorersPerSide.set(sk, count);
    }
    legs.push(r.value);
  }
  const conditions: WinsCondition[] = rawConds ?? [{ type: "wins", condition: "at_least", value: legs.length }];
  const canonical: CanonicalBet = {
    product: product.name,
    matches: legs.map((l) => {
      const base = { league: l.match.league, event: l.match.name };
      const withMarket = product.market === "mixed" ? { ...base, market: l.market } : base;
      if (l.market === "goalscorer") return { ...withMarket, player: l.selection };
      return { ...withMarket, selection: l.selection };
    }),
    acca_conditions: conditions.map((c) => ({ type: c.type, condition: c.condition, value: c.value })),
  };
  return { ok: true, value: { product, legs, conditions, canonical } };
}
