// MM REST (paths and envelopes as in protocol-decisions.md): auth, balance, ladder, catalogue,
// wagers, histories, websocket config and channel registration.

import { ODDS_LADDER } from "../../lib/odds/ladder";
import { MM_BROADCAST_CHANNEL, MM_PRIVATE_BINDINGS, mmBroadcastEvent, mmPrivateChannel } from "./channels";
import type { SimContext } from "./context";
import { ApiError, RawJson, optionalInt, type RequestContext, type Route } from "./http";
import { channelAuth } from "./pusher-server";
import { eventMarketsJson, sportEventJson, tournamentJson, wagerJson } from "./serialize";
import type { Wager } from "./wagers";
import { dollars } from "./wire";
import type { EventRuntime } from "./world-runtime";

const session = (ctx: RequestContext) => {
  if (!ctx.session) throw new ApiError(401, "unauthorized", "missing session");
  return ctx.session;
};

const parseIdList = (raw: string | null, name: string): number[] => {
  if (raw === null || raw.trim() === "") return [];
  return raw.split(",").map((s) => {
    const t = s.trim();
    if (!/^\d+$/.test(t)) throw new ApiError(400, "invalid_event_id", `${name} must be a comma-separated list of integers`);
    return Number(t);
  });
};

const SOCKET_ID = /^\d+\.\d+$/;

/** The ladder never changes: answer with a pre-serialised body. */
const LADDER_BODY = new RawJson(JSON.stringify({ data: ODDS_LADDER }));

/** Shared by both products' register endpoints: sign the channels for a socket. */
export const registerChannels = (
  ctx: SimContext,
  body: Record<string, unknown>,
  channels: ReadonlyArray<{ channel_name: string; binding_events: unknown }>,
) => {
  const socketId = body.socket_id;
  if (typeof socketId !== "string" || !SOCKET_ID.test(socketId)) {
    throw new ApiError(400, "invalid_param", "socket_id is required (format <digits>.<digits>)");
  }
  const app = ctx.pusher.app;
  const requested = typeof body.channel_name === "string" ? body.channel_name : undefined;
  if (requested && !channels.some((c) => c.channel_name === requested)) {
    throw new ApiError(401, "unauthorized", `channel ${requested} is not available to this session`);
  }
  const authorized = channels.map((c) => ({ ...c, auth: channelAuth(app, socketId, c.channel_name) }));
  return {
    auth: channelAuth(app, socketId, requested ?? channels[0]!.channel_name),
    data: { success: true, status: "CONNECTED", authorized_channel: authorized },
  };
};

export const connectionConfig = (ctx: SimContext) => ({
  key: ctx.pusher.app.key,
  cluster: "sim",
  app_id: ctx.pusher.app.appId,
  service: "pusher",
  ws_host: ctx.wsHost(),
  ws_port: ctx.wsPort(),
  use_tls: false,
});

const msRange = (q: URLSearchParams, required: boolean, defaultSpanMs: number): { fromMs: number; toMs: number } => {
  const from = optionalInt(q, "from", "invalid_from");
  const to = optionalInt(q, "to", "invalid_to");
  if (from === undefined || to === undefined) {
    if (required) throw new ApiError(400, "missing_date_range", "from and to (unix seconds) are required");
    const now = Date.now();
    return { fromMs: from !== undefined ? from * 1000 : now - defaultSpanMs, toMs: to !== undefined ? to * 1000 : now };
  }
  if (from > to) throw new ApiError(400, "from_date_greater_than_to_date", "from is after to");
  if ((to - from) * 1000 > 7 * 24 * 3600 * 1000) throw new ApiError(400, "invalid_from_to_range", "the range may span at most 7 days");
  return { fromMs: from * 1000, toMs: to * 1000 + 999 };
};

const decodeCursor = (raw: string | null): number => {
  if (raw === null || raw === "") return 0;
  try {
    const n = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as { o?: unknown };
    if (typeof n.o === "number" && Number.isInteger(n.o) && n.o >= 0) return n.o;
  } catch {
    /* fall through */
  }
  throw new ApiError(400, "invalid_cursor", "cursor is not valid");
};

export const encodeCursor = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString("base64");

export const mmRoutes = (sim: SimContext): Route[] => {
  const eventOr404 = (id: number): EventRuntime => {
    const ev = sim.world.events.get(id);
    if (!ev) throw new ApiError(404, "sport_event_not_found", `sport event ${id} not found`);
    return ev;
  };

  const markets = (v2: boolean) => (ctx: RequestContext) => {
    const raw = ctx.query.get("event_id");
    if (!raw || !/^\d+$/.test(raw)) throw new ApiError(400, "invalid_event_id", "event_id is required");
    const ev = eventOr404(Number(raw));
    return { body: { data: { markets: eventMarketsJson(ev, v2) } } };
  };

  const multipleMarkets = (v2: boolean) => (ctx: RequestContext) => {
    const ids = parseIdList(ctx.query.get("event_ids"), "event_ids");
    if (ids.length === 0 || ids.length > 50) throw new ApiError(400, "market_event_limit_exceeded", "event_ids must hold 1 to 50 ids");
    const data: Record<string, unknown> = {};
    for (const id of ids) {
      const ev = sim.world.events.get(id);
      if (ev) data[String(id)] = eventMarketsJson(ev, v2) ?? [];
    }
    return { body: { data } };
  };

  const cancelResult = (list: Wager[]) => {
    if (list.length === 0) throw new ApiError(404, "no_cancellable_wagers", "no cancellable wagers");
    return { body: { data: { canceled_wagers: list.map((w) => wagerJson(w)), count: list.length } } };
  };

  const intField = (v: unknown, name: string, code: string): number => {
    const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n)) throw new ApiError(400, code, `${name} must be an integer`);
    return n;
  };

  /**
   * A batch endpoint's body `data`: validated as a non-empty array of at most `max` items, each run
   * on its own; an item the exchange refuses (ApiError) is listed as failed, the rest still run.
   */
  const eachOfBatch = (
    items: unknown,
    limit: { max: number; what: string },
    run: (item: Record<string, unknown>) => unknown,
    ref: (item: Record<string, unknown>) => Record<string, unknown>,
  ) => {
    if (!Array.isArray(items) || items.length === 0) throw new ApiError(400, "invalid_request", "data must be a non-empty array");
    if (items.length > limit.max) throw new ApiError(400, "wager_limit_exceeded", `at most ${limit.max} ${limit.what} per batch`);
    const succeed: unknown[] = [];
    const failed: unknown[] = [];
    for (const raw of items as unknown[]) {
      const item = (raw ?? {}) as Record<string, unknown>;
      try {
        succeed.push(run(item));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        failed.push({ ...ref(item), error: err.code, message: err.message });
      }
    }
    return { succeed, failed };
  };

  /** The login and refresh answer: expiry times in unix seconds, as the exchange sends them. */
  const sessionTokensJson = (t: { accessToken: string; refreshToken: string; accessExpiresMs: number; refreshExpiresMs: number }) => ({
    access_token: t.accessToken,
    refresh_token: t.refreshToken,
    access_expire_time: Math.floor(t.accessExpiresMs / 1000),
    refresh_expire_time: Math.floor(t.refreshExpiresMs / 1000),
  });

  return [
    {
      method: "POST",
      path: "/partner/auth/login",
      auth: false,
      handler: async (ctx) => {
        const body = await ctx.body();
        const r = sim.accounts.login(body.access_key, body.secret_key, Date.now());
        if (!r.ok) throw new ApiError(r.status, r.code, r.message);
        return { body: { data: sessionTokensJson(r.tokens) } };
      },
    },
    {
      method: "POST",
      path: "/partner/auth/refresh",
      auth: false,
      handler: async (ctx) => {
        const body = await ctx.body();
        const r = sim.accounts.refreshSession(body.refresh_token, ctx.bearer, Date.now());
        if (!r.ok) throw new ApiError(r.status, r.code, r.message);
        return { body: { data: sessionTokensJson(r.tokens) } };
      },
    },
    {
      method: "GET",
      path: "/partner/mm/get_balance",
      auth: true,
      handler: (ctx) => {
        const account = session(ctx).account;
        const b = sim.wagers.balances(account);
        return {
          body: {
            data: {
              balance: dollars(account.balanceCents),
              matched_wager_balance: dollars(b.matchedCents),
              unmatched_wager_balance: dollars(b.unmatchedCents),
              unmatched_wager_balance_status: "active",
              unmatched_wager_last_synced_at: new Date().toISOString(),
            },
          },
        };
      },
    },
    { method: "GET", path: "/partner/mm/get_odds_ladder", auth: true, handler: () => ({ body: LADDER_BODY }) },
    {
      method: "GET",
      path: "/partner/mm/get_tournaments",
      auth: true,
      handler: (ctx) => {
        const activeOnly = ctx.query.get("has_active_events") === "true";
        const list = sim.world.tournaments
          .filter((t) => !activeOnly || sim.world.eventsOfTournament(t.spec.id).some((e) => e.status !== "ended"))
          .map((t) => tournamentJson(t, sim.startedNs));
        return { body: { data: { tournaments: list } } };
      },
    },
    {
      method: "GET",
      path: "/partner/mm/get_sport_events",
      auth: true,
      handler: (ctx) => {
        const tid = ctx.query.get("tournament_id");
        const ids = parseIdList(ctx.query.get("event_ids"), "event_ids");
        let events: EventRuntime[];
        if (tid !== null && tid !== "") {
          if (!/^\d+$/.test(tid)) throw new ApiError(400, "invalid_param", "tournament_id must be an integer");
          if (!sim.world.tournaments.some((t) => t.spec.id === Number(tid))) {
            throw new ApiError(404, "data_not_found", `tournament ${tid} not found`);
          }
          events = sim.world.eventsOfTournament(Number(tid));
        } else if (ids.length > 0) {
          if (ids.length > 50) throw new ApiError(400, "market_event_limit_exceeded", "event_ids must hold 1 to 50 ids");
          events = ids.map((id) => sim.world.events.get(id)).filter((e): e is EventRuntime => !!e);
        } else {
          throw new ApiError(400, "invalid_param", "tournament_id or event_ids is required");
        }
        const list = events.map((ev) => sportEventJson(ev, sim.world.tournaments[ev.def.tournamentIndex]!));
        // The real API answers null instead of an empty list.
        return { body: { data: { sport_events: list.length > 0 ? list : null } } };
      },
    },
    { method: "GET", path: "/partner/mm/get_markets", auth: true, handler: markets(false) },
    { method: "GET", path: "/partner/v2/mm/get_markets", auth: true, handler: markets(true) },
    { method: "GET", path: "/partner/mm/get_multiple_markets", auth: true, handler: multipleMarkets(false) },
    { method: "GET", path: "/partner/v2/mm/get_multiple_markets", auth: true, handler: multipleMarkets(true) },
    {
      method: "POST",
      path: "/partner/mm/place_wager",
      auth: true,
      handler: async (ctx) => {
        const w = sim.wagers.place(session(ctx).account, await ctx.body());
        return { body: { data: { wager: wagerJson(w) } } };
      },
    },
    {
      method: "POST",
      path: "/partner/mm/place_multiple_wagers",
      auth: true,
      handler: async (ctx) => {
        const account = session(ctx).account;
        const { succeed, failed } = eachOfBatch(
          (await ctx.body()).data,
          { max: 20, what: "wagers" },
          (item) => wagerJson(sim.wagers.place(account, item)),
          (item) => ({ external_id: typeof item.external_id === "string" ? item.external_id : String(item.external_id ?? ""), line_id: item.line_id ?? null }),
        );
        return { body: { data: { succeed_wagers: succeed, failed_wagers: failed } } };
      },
    },
    {
      method: "POST",
      path: "/partner/mm/cancel_wager",
      auth: true,
      handler: async (ctx) => {
        const body = await ctx.body();
        const w = sim.wagers.cancel(session(ctx).account, body.wager_id, body.external_id);
        return { body: { data: { wager: wagerJson(w) } } };
      },
    },
    {
      method: "POST",
      path: "/partner/mm/cancel_multiple_wagers",
      auth: true,
      handler: async (ctx) => {
        const account = session(ctx).account;
        const { succeed, failed } = eachOfBatch(
          (await ctx.body()).data,
          { max: 100, what: "cancels" },
          (item) => wagerJson(sim.wagers.cancel(account, item.wager_id, item.external_id)),
          (item) => ({ wager_id: item.wager_id ?? null, external_id: item.external_id ?? null }),
        );
        return { body: { data: { succeed_cancel_wagers: succeed, failed_cancel_wagers: failed } } };
      },
    },
    {
      method: "POST",
      path: "/partner/mm/cancel_all_wagers",
      auth: true,
      handler: (ctx) => cancelResult(sim.wagers.cancelWhere(session(ctx).account, () => true)),
    },
    {
      method: "POST",
      path: "/partner/mm/cancel_wagers_by_event",
      auth: true,
      handler: async (ctx) => {
        const body = await ctx.body();
        const eventId = intField(body.event_id, "event_id", "invalid_event_id");
        return cancelResult(sim.wagers.cancelWhere(session(ctx).account, (w) => w.eventId === eventId));
      },
    },
    {
      method: "POST",
      path: "/partner/mm/cancel_wagers_by_market",
      auth: true,
      handler: async (ctx) => {
        const body = await ctx.body();
        const eventId = intField(body.event_id, "event_id", "invalid_event_id");
        const marketId = intField(body.market_id, "market_id", "invalid_market_id");
        const lineId = typeof body.line_id === "string" && body.line_id ? body.line_id : undefined;
        return cancelResult(
          sim.wagers.cancelWhere(session(ctx).account, (w) => w.eventId === eventId && w.marketId === marketId && (!lineId || w.lineId === lineId)),
        );
      },
    },
    {
      method: "GET",
      path: "/partner/mm/get_wager",
      prefix: true,
      auth: true,
      handler: (ctx) => {
        const w = sim.wagers.get(ctx.param);
        if (!w || w.account !== session(ctx).account) throw new ApiError(404, "data_not_found", `wager ${ctx.param} not found`);
        return { body: { data: { wager: wagerJson(w) } } };
      },
    },
    {
      method: "GET",
      path: "/partner/v2/mm/get_wager_histories",
      auth: true,
      handler: (ctx) => {
        const q = ctx.query;
        const { fromMs, toMs } = msRange(q, true, 0);
        const limit = optionalInt(q, "limit") ?? 100;
        if (limit < 1 || limit > 1000) throw new ApiError(400, "invalid_param", "limit must be 1..1000");
        const offset = decodeCursor(q.get("cursor") ?? q.get("next_cursor"));
        const status = q.get("status");
        const matching = q.get("matching_status");
        const marketId = optionalInt(q, "market_id", "invalid_market_id");
        const eventId = optionalInt(q, "event_id", "invalid_event_id");
        const all = sim.wagers.history(session(ctx).account, fromMs, toMs, (w) => {
          if (status && w.status !== status) return false;
          if (marketId !== undefined && w.marketId !== marketId) return false;
          if (eventId !== undefined && w.eventId !== eventId) return false;
          if (matching) {
            const ms = w.matchedCents <= 0 ? "unmatched" : w.unmatchedCents > 0 ? "partially_matched" : "fully_matched";
            if (ms !== matching) return false;
          }
          return true;
        });
        const page = all.slice(offset, offset + limit);
        const next = offset + limit < all.length ? encodeCursor(offset + limit) : null;
        return { body: { data: { wagers: page.map((w) => wagerJson(w)), next_cursor: next } } };
      },
    },
    {
      method: "GET",
      path: "/partner/mm/get_matched_bets",
      auth: true,
      handler: (ctx) => {
        const { fromMs, toMs } = msRange(ctx.query, false, 7 * 24 * 3600 * 1000);
        const limit = optionalInt(ctx.query, "limit") ?? 100;
        if (limit < 1 || limit > 1000) throw new ApiError(400, "invalid_param", "limit must be 1..1000");
        const list = sim.wagers.matchedBets(session(ctx).account, fromMs, toMs).slice(0, limit);
        return {
          body: {
            data: {
              matched_bets: list.map((m) => ({
                id: m.id,
                wager_id: m.wager.id,
                external_id: m.wager.externalId,
                sport_event_id: m.wager.eventId,
                market_id: m.wager.marketId,
                outcome_id: m.wager.outcomeId,
                line_id: m.wager.lineId,
                line: m.wager.line ?? 0,
                odds: m.odds,
                matched_odds: m.odds,
                matched_stake: dollars(m.stakeCents),
                profit: dollars(m.profitCents),
                matched_at: m.matchedNs,
              })),
            },
          },
        };
      },
    },
    { method: "GET", path: "/partner/websocket/connection-config", auth: true, handler: () => ({ body: connectionConfig(sim) }) },
    {
      method: "POST",
      path: "/partner/mm/pusher",
      auth: true,
      handler: async (ctx) => {
        const account = session(ctx).account;
        const body = await ctx.body();
        return {
          body: registerChannels(sim, body, [
            {
              channel_name: MM_BROADCAST_CHANNEL,
              binding_events: sim.world.tournaments.map((t) => ({ name: mmBroadcastEvent(t.spec.id), type: "tournament" })),
            },
            { channel_name: mmPrivateChannel(account.partnerId), binding_events: MM_PRIVATE_BINDINGS.map((b) => ({ ...b })) },
          ]),
        };
      },
    },
  ];
};
