// TEST SUPPORT ONLY — a minimal ProphetX-shaped HTTP server around the simulator's PusherServer (real
// sockets), used by the client/engine tests until `server/simulator`'s `startSimulator` is complete.
// It implements just what the tests need: auth with short tokens, fault injection (401/429/5xx),
// connection-config/register, reference data, wagers (place/cancel/get), health_check pushes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PusherServer, channelAuth } from "../simulator/pusher-server.ts";

export type TestExchange = {
  baseUrl: string;
  pusher: PusherServer;
  state: {
    accessTtlS: number;
    logins: number;
    refreshes: number;
    registers: number;
    fail429: number;
    fail500: number;
    revokeTokens: () => void;
    refreshFails: boolean;
    healthEnabled: boolean;
    requests: { method: string; path: string; at: number }[];
    wagers: Map<string, { id: string; external_id: string; line_id: string; odds: number; stake: number; status: string }>;
    activationEnabled: boolean;
  };
  publishMm: (changeType: string, payload: unknown, op?: string) => void;
  publishRaw: (channel: string, event: string, data: string) => void;
  close: () => Promise<void>;
};

export const MM_BC = "private-broadcast-service=3-device_type=5";
export const MM_PRIV = "private-service=3-device_type=5-user=partner1";
export const SP_BC = "private-broadcast-service=4-device_type=5";
export const SP_PRIV = "private-service=4-device_type=5-user=partner1";
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");

export const startTestExchange = async (opts: { healthEveryMs?: number; events?: unknown[]; markets?: Record<string, unknown[]> } = {}): Promise<TestExchange> => {
  const app = { key: "tkey", secret: "tsecret", appId: "1" };
  const pusher = new PusherServer(app, { maxConnections: 100, maxBufferedBytes: 4 << 20, activityTimeoutSec: 120, maxDelayedMessages: 100 });
  let valid = new Set<string>();
  let seq = 0;
  const state: TestExchange["state"] = {
    accessTtlS: 1200,
    logins: 0,
    refreshes: 0,
    registers: 0,
    fail429: 0,
    fail500: 0,
    revokeTokens: () => (valid = new Set()),
    refreshFails: false,
    healthEnabled: true,
    requests: [],
    wagers: new Map(),
    activationEnabled: true,
  };
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const issue = () => {
    const t = `tok${++seq}`;
    valid.add(t);
    return { access_token: t, refresh_token: `ref${seq}`, access_expire_time: Math.floor(Date.now() / 1000) + state.accessTtlS, refresh_expire_time: Math.floor(Date.now() / 1000) + 3 * 86400 };
  };
  const pushWager = (w: { id: string; external_id: string; status: string }) =>
    pusher.publish(MM_PRIV, "wagers", JSON.stringify({ timestamp: Date.now() * 1e6, change_type: "wagers", op: "u", payload: b64({ info: { ...w, sequence_number: ++seq } }) }), "wagers");

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const p = url.pathname;
      state.requests.push({ method: req.method ?? "", path: p, at: Date.now() });
      const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (p === "/partner/auth/login") return (state.logins++, send(res, 200, { data: issue() }));
      if (p === "/partner/auth/refresh") {
        if (state.refreshFails) return send(res, 401, { error: "unauthorized", message: "refresh expired" });
        state.refreshes++;
        return send(res, 200, { data: issue() });
      }
      const tok = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!valid.has(tok)) return send(res, 401, { error: "unauthorized", message: "bad token" });
      if (state.fail429 > 0) return (state.fail429--, send(res, 429, { error: "rate_limit_reached", message: "slow down" }));
      if (state.fail500 > 0) return (state.fail500--, send(res, 500, { error: "internal_error", message: "boom" }));
      const port = (server.address() as AddressInfo).port;
      if (p.endsWith("/websocket/connection-config")) return send(res, 200, { key: app.key, cluster: "mt1", app_id: app.appId, ws_host: "127.0.0.1", ws_port: port, use_tls: false });
      if (p === "/partner/mm/pusher" || p === "/parlay/sp/websocket/register") {
        state.registers++;
        const sid = String(json.socket_id);
        const mm = p.startsWith("/partner");
        const chans = mm
          ? [
              { channel_name: MM_BC, binding_events: [{ name: "tournament_132", type: "tournament" }] },
              { channel_name: MM_PRIV, binding_events: [{ name: "wagers", type: "wagers" }, { name: "health_check", type: "private_system_signal" }] },
            ]
          : [
              { channel_name: SP_BC, binding_events: ["price.ask.new", "order.matched"] },
              { channel_name: SP_PRIV, binding_events: ["price.confirm.new", "order.finalized", "order.settled", "parlay.settled", "health_check"] },
            ];
        return send(res, 200, { auth: channelAuth(app, sid, chans[0]!.channel_name), data: { success: true, status: "CONNECTED", authorized_channel: chans.map((c) => ({ ...c, auth: channelAuth(app, sid, c.channel_name) })) } });
      }
      if (p === "/partner/mm/get_tournaments") return send(res, 200, { data: { tournaments: [{ id: 132, name: "NBA", sport: { id: 1, name: "Basketball" } }] } });
      if (p === "/partner/mm/get_sport_events") return send(res, 200, { data: { sport_events: opts.events ?? [] } });
      if (p.includes("get_multiple_markets")) {
        const ids = (url.searchParams.get("event_ids") ?? "").split(",").filter(Boolean);
        return send(res, 200, { data: Object.fromEntries(ids.map((id) => [id, opts.markets?.[id] ?? []])) });
      }
      if (p === "/partner/mm/place_multiple_wagers") {
        const ws = (json.data as { external_id: string; line_id: string; odds: number; stake: number }[]).map((w) => ({ ...w, id: `w_${w.external_id}`, status: "inactive" }));
        for (const w of ws) state.wagers.set(w.id, w);
        send(res, 200, { data: { succeed_wagers: ws } });
        if (state.activationEnabled)
          setTimeout(() => {
            for (const w of ws) if (w.status === "inactive") ((w.status = "open"), pushWager(w));
          }, 20);
        return;
      }
      if (p === "/partner/mm/cancel_all_wagers") {
        const open = [...state.wagers.values()].filter((w) => w.status === "open" || w.status === "inactive");
        if (open.length === 0) return send(res, 404, { error: "no_cancellable_wagers", message: "none" });
        for (const w of open) ((w.status = "canceled"), pushWager(w));
        return send(res, 200, { data: {} });
      }
      if (p.startsWith("/partner/mm/get_wager/")) {
        const w = state.wagers.get(decodeURIComponent(p.split("/").pop()!));
        return w ? send(res, 200, { data: { wager: w } }) : send(res, 404, { error: "data_not_found", message: "no" });
      }
      if (p === "/parlay/sp/orders") return send(res, 200, { data: { orders: [] } });
      if (p === "/parlay/sp/supported-lines") return send(res, 200, { data: {} });
      return send(res, 200, { data: {} });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (!pusher.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const health = setInterval(() => {
    if (!state.healthEnabled) return;
    for (const ch of [MM_PRIV, SP_PRIV]) pusher.publish(ch, "health_check", JSON.stringify({ timestamp: Date.now() * 1e6, change_type: "private_system_signal", op: "u", payload: "e30=" }), "private_system_signal");
  }, opts.healthEveryMs ?? 100);
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pusher,
    state,
    publishMm: (changeType, payload, op = "u") => pusher.publish(MM_BC, "tournament_132", JSON.stringify({ timestamp: Date.now() * 1e6, change_type: changeType, op, payload: b64(payload) }), changeType),
    publishRaw: (channel, event, data) => pusher.publish(channel, event, data),
    close: async () => {
      clearInterval(health);
      await pusher.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};
