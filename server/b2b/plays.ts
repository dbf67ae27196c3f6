// Placing a play: session → geolocation (every time) → OddsPlay row (id made BEFORE the call, sent as
// the wager's external_id / Idempotency-Key) → POST trade/private/api/v2/wagers → record the outcome →
// queue "Bet Placed" tracking. A moved price comes back as 409 with the current odds; nothing is placed.
import type { Db } from "../db/client.ts";
import { newId } from "../ids.ts";
import { AppError } from "../http/errors.ts";
import { oddsChangedMessage } from "../../lib/b2b/play.ts";
import type { GeoProvider, GeoResult } from "./geo.ts";
import { PxApiError, type PxUserClient } from "./px-client.ts";
import type { PxSessionStore } from "./sessions.ts";
import { betPlacedPayload, enqueueTracking } from "./tracking.ts";

export type PlayView = {
  id: string;
  lineId: string;
  odds: number;
  stakeCents: number;
  status: string;
  wagerRefId: string | null;
  error: string | null;
  createdAt: string;
};

export type PlayDeps = {
  db: Db;
  sessions: PxSessionStore;
  client: PxUserClient;
  geo: GeoProvider;
  /** null = tracking off. */
  tracking: { placementLocation: string; kick: () => void } | null;
  now?: () => number;
};

const viewOf = (p: { id: string; lineId: string; odds: number; stakeCents: number; status: string; wagerRefId: string | null; error: string | null; createdAt: Date }): PlayView => ({
  id: p.id,
  lineId: p.lineId,
  odds: p.odds,
  stakeCents: p.stakeCents,
  status: p.status,
  wagerRefId: p.wagerRefId,
  error: p.error,
  createdAt: p.createdAt.toISOString(),
});

export const runGeoCheck = async (deps: PlayDeps, sessionId: string, browserPacket?: string): Promise<GeoResult> => {
  const session = await deps.sessions.active(sessionId);
  return deps.geo.check(session, browserPacket);
};

export const placePlay = async (deps: PlayDeps, input: { sessionId: string; lineId: string; odds: number; stakeCents: number; geoPacket?: string }): Promise<PlayView> => {
  const now = deps.now ?? Date.now;
  const session = await deps.sessions.active(input.sessionId);

  const geo = await deps.geo.check(session, input.geoPacket);
  if (!geo.ok) {
    throw new AppError("forbidden", `Location check failed: ${geo.reason ?? "not allowed"} Nothing was placed. Retry the location check.`, { reason: "geolocation_failed", geo: publicGeo(geo) });
  }

  const id = newId("ply");
  await deps.db.oddsPlay.create({
    data: { id, sessionId: session.id, pxUserId: session.pxUserId, lineId: input.lineId, odds: input.odds, stakeCents: input.stakeCents, status: "pending", geoJson: JSON.stringify(publicGeo(geo)), createdAt: new Date(now()) },
  });

  const send = () => deps.client.placeWager(session.accessToken, { lineId: input.lineId, odds: input.odds, stake: input.stakeCents / 100, externalId: id });
  let placed;
  try {
    try {
      placed = await send();
    } catch (err) {
      // Unknown outcome (network) → one retry with the same external id; the exchange dedupes it.
      if (err instanceof PxApiError && (err.code === "network_error" || err.status >= 500)) placed = await send();
      else throw err;
    }
  } catch (err) {
    const rejected = err instanceof PxApiError && err.status >= 400 && err.status < 500;
    const message = rejectionMessage(err, input.odds);
    await deps.db.oddsPlay.update({ where: { id }, data: { status: rejected ? "rejected" : "pending", error: message.slice(0, 500) } });
    if (err instanceof PxApiError && err.code === "odds_changed") {
      const current = typeof err.body.current_odds === "number" ? err.body.current_odds : null;
      throw new AppError("conflict", message, { reason: "odds_changed", playId: id, seenOdds: input.odds, currentOdds: current });
    }
    if (rejected) throw new AppError(err.status === 401 ? "unauthorized" : "unprocessable", message, { reason: (err as PxApiError).code, playId: id });
    throw new AppError("bad_gateway", message, { reason: "unknown_outcome", playId: id });
  }

  const t = now();
  const row = await deps.db.$transaction(async (tx) => {
    const r = await tx.oddsPlay.update({ where: { id }, data: { status: "placed", wagerRefId: placed.refId, error: null } });
    if (deps.tracking) await enqueueTracking(tx, id, betPlacedPayload(session.pxUserId, placed.refId, deps.tracking.placementLocation), t);
    return r;
  });
  // Fire-and-forget: tracking must never slow down or fail the play.
  try {
    deps.tracking?.kick();
  } catch {
    /* ignored */
  }
  return viewOf(row);
};

const rejectionMessage = (err: unknown, seenOdds: number): string => {
  if (!(err instanceof PxApiError)) return "The play could not be placed.";
  switch (err.code) {
    case "odds_changed":
      return oddsChangedMessage(seenOdds, typeof err.body.current_odds === "number" ? err.body.current_odds : null);
    case "network_error":
      return "ProphetX could not be reached; the play may not have been placed. Check your plays before trying again.";
    case "geolocation_required":
      return "ProphetX needs a fresh location check before this play. Retry the location check.";
    case "insufficient_amount":
      return "Your ProphetX balance is too low for this stake.";
    case "insufficient_liquidity":
      return `Not enough is available at this price (${err.message}). Try a smaller stake.`;
    case "invalid_line_id":
      return "This selection is no longer offered.";
    case "unauthorized":
    case "token_expired":
      return "Your ProphetX session has ended. Log in again.";
    default:
      return `ProphetX refused the play (${err.code}: ${err.message}).`;
  }
};

/** What of a geo result may go to the browser and into OddsPlay.geoJson. */
export const publicGeo = (g: GeoResult) => ({ ok: g.ok, provider: g.provider, state: g.state, errorCode: g.errorCode, isActiveStates: g.isActiveStates, reason: g.reason, checkedAt: g.checkedAt });

export const recentPlays = async (db: Db, sessionId: string, limit = 20): Promise<PlayView[]> => {
  const rows = await db.oddsPlay.findMany({ where: { sessionId }, orderBy: { createdAt: "desc" }, take: limit });
  return rows.map(viewOf);
};
