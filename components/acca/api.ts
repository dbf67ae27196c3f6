"use client";
// Browser-side calls to the designer's own server routes (/acca/api/*), which talk to the TE service.
import type { BetStruct } from "./slip";

export interface League {
  name: string;
  full_name: string;
}
export interface Match {
  name: string;
  id?: string;
  home?: string;
  away?: string;
  kickoff?: string;
  round?: number;
}
export interface Scorer {
  name: string;
  team: string;
}
export interface PriceLeg {
  league: string;
  event: string;
  market: string;
  selection: string;
  description?: string;
  probability: number;
}
export interface Quote {
  status: "ok";
  bet_id: string;
  price: string;
  fair_probability: number;
  description?: string;
  legs: PriceLeg[];
  expires_at?: string;
}
export interface StoredBet {
  status: "ok";
  bet_id: string;
  bet: BetStruct;
  price: string;
  description: string;
  bet_status?: string;
}

export class AccaApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...(init?.headers ?? {}) } });
  const body = (await res.json().catch(() => null)) as { status?: string; message?: string } | null;
  if (!res.ok || (body && !Array.isArray(body) && body.status === "error")) {
    throw new AccaApiError(body?.message ?? `request failed (HTTP ${res.status})`, res.status);
  }
  return body as T;
}

export const fetchLeagues = () => getJson<League[]>("/acca/api/leagues");
export const fetchMatches = (league: string) => getJson<Match[]>(`/acca/api/matches?league=${encodeURIComponent(league)}`);
export const fetchScorers = (league: string, event: string) =>
  getJson<Scorer[]>(`/acca/api/goalscorers?league=${encodeURIComponent(league)}&event=${encodeURIComponent(event)}`);
export const fetchQuote = (struct: BetStruct, signal?: AbortSignal) =>
  getJson<Quote>("/acca/api/price", { method: "POST", body: JSON.stringify(struct), headers: { "content-type": "application/json" }, signal });
export const fetchStoredBet = (betId: string) => getJson<StoredBet>(`/acca/api/bet?bet_id=${encodeURIComponent(betId)}`);
