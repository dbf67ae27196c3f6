// Reference data (tournaments, events, markets, lines) kept current from REST seeding and the
// broadcast `tournament` / `sport_event` / `market` / `market_line` messages. In-place reducers.
export type RefTournament = { id: number; name: string; sportId: number; sportName: string; categoryName: string | null };
export type RefEvent = { id: number; tournamentId: number; name: string; displayName: string; scheduledAt: string; status: string; competitors: unknown[] };
export type RefMarket = { key: string; eventId: number; marketId: number; name: string; type: string; status: string };
export type RefLine = { lineId: string; eventId: number; marketId: number; outcomeId: number; line: number | null; name: string; status: string; favourite: boolean };

export type RefState = { tournaments: Map<number, RefTournament>; events: Map<number, RefEvent>; markets: Map<string, RefMarket>; lines: Map<string, RefLine> };
export type RefChange = { kind: "tournament" | "event" | "market" | "line"; id: string; deleted: boolean };

export const emptyRef = (): RefState => ({ tournaments: new Map(), events: new Map(), markets: new Map(), lines: new Map() });

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);
const str = (v: unknown, d = ""): string => (typeof v === "string" ? v : d);

export const eventFromWire = (e: Obj, fallbackTournamentId?: number): RefEvent | undefined => {
  const id = num(e.event_id) ?? num(e.id);
  const tournamentId = num(e.tournament_id) ?? fallbackTournamentId;
  if (id === undefined || tournamentId === undefined) return undefined;
  return {
    id,
    tournamentId,
    name: str(e.name),
    displayName: str(e.display_name) || str(e.name),
    scheduledAt: str(e.scheduled, new Date(0).toISOString()),
    status: str(e.status, "not_started"),
    competitors: Array.isArray(e.competitors) ? e.competitors : [],
  };
};

export const tournamentFromWire = (t: Obj): RefTournament | undefined => {
  const id = num(t.id);
  if (id === undefined) return undefined;
  const sport = obj(t.sport) ?? {};
  const category = obj(t.category) ?? {};
  return { id, name: str(t.name), sportId: num(sport.id) ?? 0, sportName: str(sport.name), categoryName: typeof category.name === "string" ? category.name : null };
};

/** Lines and markets of one event from REST markets (lines come from the selections). */
export const refFromMarkets = (
  eventId: number,
  markets: { id: number; name?: string | undefined; type?: string | undefined; status?: string | undefined; selections?: unknown[][] | null | undefined; market_lines?: { line?: number | null | undefined; favourite?: boolean | null | undefined; selections?: unknown[][] | null | undefined }[] | null | undefined }[],
): { markets: RefMarket[]; lines: RefLine[] } => {
  const outM: RefMarket[] = [];
  const outL = new Map<string, RefLine>();
  for (const m of markets) {
    const key = `${eventId}:${m.id}`;
    outM.push({ key, eventId, marketId: m.id, name: m.name ?? String(m.id), type: m.type ?? "unknown", status: m.status ?? "active" });
    const blocks = [...(m.selections ? [{ line: null as number | null, favourite: false, selections: m.selections }] : []), ...(m.market_lines ?? []).map((b) => ({ line: b.line ?? null, favourite: !!b.favourite, selections: b.selections ?? [] }))];
    for (const b of blocks) {
      for (const side of b.selections ?? []) {
        for (const raw of side ?? []) {
          const s = obj(raw);
          if (!s || typeof s.line_id !== "string" || !s.line_id) continue;
          if (outL.has(s.line_id)) continue;
          outL.set(s.line_id, { lineId: s.line_id, eventId, marketId: m.id, outcomeId: num(s.outcome_id) ?? 0, line: num(s.line) ?? b.line, name: str(s.display_name) || str(s.name), status: "active", favourite: b.favourite });
        }
      }
    }
  }
  return { markets: outM, lines: [...outL.values()] };
};

/** Applies one decoded broadcast reference message; returns what changed, or undefined if ignored. */
export const applyRefMessage = (state: RefState, changeType: string, op: string | undefined, payload: unknown): RefChange | undefined => {
  const p = obj(payload);
  if (!p) return undefined;
  const info = obj(p.info);
  const del = op === "d";
  switch (changeType) {
    case "tournament": {
      const id = num(info?.id) ?? num(p.id);
      if (id === undefined) return undefined;
      if (del) state.tournaments.delete(id);
      else {
        const t = tournamentFromWire(info ?? p);
        if (!t) return undefined;
        state.tournaments.set(id, t);
      }
      return { kind: "tournament", id: String(id), deleted: del };
    }
    case "sport_event": {
      const id = num(info?.event_id) ?? num(p.id);
      if (id === undefined) return undefined;
      if (del) {
        const e = state.events.get(id);
        if (e) e.status = "unlisted";
        return { kind: "event", id: String(id), deleted: true };
      }
      const e = eventFromWire(info ?? {}, num(p.tournament_id));
      if (!e) return undefined;
      state.events.set(id, e);
      return { kind: "event", id: String(id), deleted: false };
    }
    case "market": {
      const eventId = num(info?.sport_event_id) ?? num(p.id);
      const marketId = num(info?.id);
      if (eventId === undefined || marketId === undefined) return undefined;
      const key = `${eventId}:${marketId}`;
      const prev = state.markets.get(key);
      state.markets.set(key, { key, eventId, marketId, name: str(info?.name, prev?.name ?? String(marketId)), type: str(info?.type, prev?.type ?? "unknown"), status: del ? "inactive" : str(info?.status, "active") });
      return { kind: "market", id: key, deleted: del };
    }
    case "market_line": {
      const lineId = typeof info?.line_id === "string" ? info.line_id : undefined;
      const eventId = num(info?.sport_event_id);
      const marketId = num(info?.market_id);
      if (!lineId || eventId === undefined || marketId === undefined) return undefined;
      const prev = state.lines.get(lineId);
      state.lines.set(lineId, {
        lineId,
        eventId,
        marketId,
        outcomeId: num(info?.outcome_id) ?? prev?.outcomeId ?? 0,
        line: num(info?.line) ?? prev?.line ?? null,
        name: str(info?.name, prev?.name ?? ""),
        status: del ? "inactive" : str(info?.status, "active"),
        favourite: typeof info?.favourite === "boolean" ? info.favourite : (prev?.favourite ?? false),
      });
      return { kind: "line", id: lineId, deleted: del };
    }
    default:
      return undefined;
  }
};
