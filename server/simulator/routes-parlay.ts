// Parlay service-provider REST: websocket config and registration, supported lines, the offer and
// confirmation callbacks, and the orders list with cursor paging.

import { SP_BROADCAST_BINDINGS, SP_BROADCAST_CHANNEL, SP_PRIVATE_BINDINGS, spPrivateChannel } from "./channels";
import type { SimContext } from "./context";
import { ApiError, optionalInt, type Handler, type RequestContext, type Route } from "./http";
import { connectionConfig, encodeCursor, registerChannels } from "./routes-mm";
import { nsToMs } from "./wire";

const session = (ctx: RequestContext) => {
  if (!ctx.session) throw new ApiError(401, "unauthorized", "missing session");
  return ctx.session;
};

const lineIdsOf = (body: Record<string, unknown>, required: boolean): string[] | undefined => {
  const raw = body.supported_lines ?? body.line_ids;
  if (raw === undefined || raw === null) {
    if (required) throw new ApiError(400, "invalid_param", "supported_lines is required");
    return undefined;
  }
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== "string" || !x)) {
    throw new ApiError(400, "invalid_param", "supported_lines must be an array of line ids");
  }
  if (raw.length > 20_000) throw new ApiError(400, "invalid_param", "at most 20,000 line ids per request");
  return raw as string[];
};

const RELATIVE = /^(\d+)(s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A from/to query value: unix seconds, milliseconds or nanoseconds (by magnitude). */
const timeParam = (q: URLSearchParams, name: string): number | undefined => {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `invalid_${name}`, `${name} must be a unix timestamp`);
  const n = Number(raw);
  if (raw.length >= 17) return nsToMs(BigInt(raw));
  if (n >= 1e11) return n;
  return n * 1000;
};

export const parlayRoutes = (sim: SimContext): Route[] => {
  const register: Handler = async (ctx) => {
    const account = session(ctx).account;
    const body = await ctx.body();
    return {
      body: registerChannels(sim, body, [
        { channel_name: SP_BROADCAST_CHANNEL, binding_events: [...SP_BROADCAST_BINDINGS] },
        { channel_name: spPrivateChannel(account.partnerId), binding_events: [...SP_PRIVATE_BINDINGS] },
      ]),
    };
  };

  const offers: Handler = async (ctx) => {
    const r = sim.parlays.submitOffers(session(ctx).account, await ctx.body());
    return { body: { data: { success: true, parlay_id: r.parlayId, offers: r.offers } } };
  };

  return [
    { method: "GET", path: "/parlay/sp/websocket/connection-config", auth: true, handler: () => ({ body: connectionConfig(sim) }) },
    { method: "POST", path: "/parlay/sp/websocket/register", auth: true, handler: register },
    { method: "POST", path: "/parlay/sp/websocket/auth", auth: true, handler: register },
    { method: "POST", path: "/parlay/pusher", auth: true, handler: register },
    {
      method: "POST",
      path: "/parlay/sp/supported-lines",
      auth: true,
      handler: async (ctx) => {
        const ids = lineIdsOf(await ctx.body(), true)!;
        const unknown = ids.filter((id) => !sim.world.line(id));
        if (unknown.length > 0) throw new ApiError(400, "invalid_line_id", `unknown line ids: ${unknown.slice(0, 5).join(", ")}`);
        const count = sim.parlays.addSupported(session(ctx).account, ids);
        return { body: { data: { success: true, supported_lines_count: count } } };
      },
    },
    {
      method: "GET",
      path: "/parlay/sp/supported-lines",
      auth: true,
      handler: (ctx) => {
        const limit = optionalInt(ctx.query, "limit") ?? 10_000;
        if (limit < 1) throw new ApiError(400, "invalid_param", "limit must be positive");
        const all = sim.parlays.supportedOf(session(ctx).account);
        return { body: { data: { supported_lines: all.slice(0, limit), total: all.length } } };
      },
    },
    {
      method: "DELETE",
      path: "/parlay/sp/supported-lines",
      auth: true,
      handler: async (ctx) => {
        const ids = lineIdsOf(await ctx.body(), false);
        const count = sim.parlays.removeSupported(session(ctx).account, ids);
        return { body: { data: { success: true, supported_lines_count: count } } };
      },
    },
    { method: "POST", path: "/parlay/sp/orders/offers", auth: true, handler: offers },
    { method: "POST", path: "/parlay/sp/order/offers", auth: true, handler: offers },
    {
      method: "POST",
      path: "/parlay/sp/orders/confirmations",
      auth: true,
      handler: async (ctx) => {
        const body = await ctx.body();
        const uuid = ctx.query.get("order_uuid") ?? body.order_uuid;
        const order = sim.parlays.confirm(session(ctx).account, uuid, body);
        return { body: { data: { success: true, order_uuid: order.orderUuid, status: order.status } } };
      },
    },
    {
      method: "GET",
      path: "/parlay/sp/orders",
      auth: true,
      handler: (ctx) => {
        const q = ctx.query;
        const limit = optionalInt(q, "limit") ?? 50;
        if (limit < 1 || limit > 100) throw new ApiError(400, "invalid_param", "limit must be 1..100");
        let offset = 0;
        const token = q.get("token");
        if (token) {
          try {
            const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { o?: unknown };
            if (typeof parsed.o !== "number" || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error("bad");
            offset = parsed.o;
          } catch {
            throw new ApiError(400, "invalid_cursor", "token is not a valid cursor");
          }
        }
        let fromMs = timeParam(q, "from");
        const toMs = timeParam(q, "to");
        const relative = q.get("relative");
        if (relative) {
          const m = RELATIVE.exec(relative);
          if (!m) throw new ApiError(400, "invalid_param", "relative must look like 15m, 2h, 1d or 30s");
          fromMs = Date.now() - Number(m[1]) * UNIT_MS[m[2]!]!;
        }
        if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
          throw new ApiError(400, "from_date_greater_than_to_date", "from is after to");
        }
        const status = q.get("status");
        const all = sim.parlays
          .ordersOf(session(ctx).account)
          .filter((o) => (fromMs === undefined || o.createdMs >= fromMs) && (toMs === undefined || o.createdMs <= toMs) && (!status || o.status === status))
          .reverse();
        const page = all.slice(offset, offset + limit);
        const next = offset + limit < all.length ? encodeCursor(offset + limit) : null;
        return { body: { data: { orders: page.map((o) => sim.parlays.orderJson(o)), token: next } } };
      },
    },
  ];
};
