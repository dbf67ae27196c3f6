// TEST SUPPORT ONLY — helpers for the client/engine tests that run against the embedded exchange
// simulator (server/simulator, real HTTP + Pusher sockets): generous until-waits, a quiet simulator,
// the exchange's own count of our open wagers, and a frame-corrupting WebSocket proxy (the one fault
// the simulator cannot inject: malformed messages).
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from "../simulator/index.ts";
import type { ProphetXClient } from "./client.ts";

/** Polls `cond` until true; generous default (20 s) so a loaded 2-core machine only gets slower, never red. */
// Generous: these suites run a simulator, an engine and a database on a shared 2-core machine.
export const until = async (cond: () => boolean | Promise<boolean>, label = "condition", timeoutMs = 45_000): Promise<void> => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A simulator for tests: no random RFQs, fast heartbeats (250 ms), short activation (60 ms). */
export const startTestSim = (opts: SimulatorOptions = {}): Promise<SimulatorHandle> =>
  startSimulator({ seed: 7, port: 0, rfqPerSecond: 0, healthCheckIntervalMs: 250, activationDelayMs: 60, ...opts });

/**
 * A world whose books only move when someone trades: liquidity quoted once at listing, no takers,
 * no drift and no requotes during a test. Lets a test compare books exactly.
 */
export const quietWorld: SimulatorOptions = { takers: false, lpRequoteMs: 3_600_000, world: { driftBucketMs: 3_600_000 } };

type SimApi = { get: (path: string) => Promise<{ status: number; body: any }>; post: (path: string, body?: unknown) => Promise<{ status: number; body: any }> };

/** A separate REST session on the simulator (its own token): what the EXCHANGE says, not our client. */
export const simSession = async (sim: SimulatorHandle, accessKey = sim.credentials.accessKey, secretKey = sim.credentials.secretKey): Promise<SimApi> => {
  let token = "";
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const login = await call("POST", "/partner/auth/login", { access_key: accessKey, secret_key: secretKey });
  if (login.status !== 200) throw new Error(`simulator login failed: ${login.status}`);
  token = login.body.data.access_token;
  return { get: (p) => call("GET", p), post: (p, b = {}) => call("POST", p, b) };
};

/** Our open wagers as the simulator sees them: `inactive`, or `open` with an unmatched remainder. */
export const exchangeOpenWagers = async (api: SimApi): Promise<number> => {
  const now = Math.floor(Date.now() / 1000);
  const r = await api.get(`/partner/v2/mm/get_wager_histories?from=${now - 3600}&to=${now + 60}&limit=1000`);
  if (r.status !== 200) throw new Error(`get_wager_histories: ${r.status} ${JSON.stringify(r.body)}`);
  const ws = (r.body.data.wagers ?? []) as { status: string; unmatched_stake: number }[];
  return ws.filter((w) => w.status === "inactive" || (w.status === "open" && w.unmatched_stake > 0)).length;
};

/** The simulator's REST markets of some events (v2 get_multiple_markets), keyed by event id. */
export const exchangeMarkets = async (api: SimApi, eventIds: number[]): Promise<Map<number, any[]>> => {
  const out = new Map<number, any[]>();
  for (let i = 0; i < eventIds.length; i += 50) {
    const r = await api.get(`/partner/v2/mm/get_multiple_markets?event_ids=${eventIds.slice(i, i + 50).join(",")}`);
    if (r.status !== 200) throw new Error(`get_multiple_markets: ${r.status}`);
    for (const [k, v] of Object.entries(r.body.data as Record<string, any[] | null>)) out.set(Number(k), v ?? []);
  }
  return out;
};

export type CorruptingProxy = {
  port: number;
  /** Corrupt the next `count` frames whose data has this change_type (payload replaced by non-base64 text or the data by broken JSON). */
  corrupt: (changeType: string, count: number, how?: "payload" | "json") => void;
  corrupted: number;
  close: () => Promise<void>;
};

/**
 * A WebSocket proxy in front of the simulator's Pusher endpoint that passes every frame through
 * unchanged unless armed to corrupt some. Point a client at it with `viaProxy`.
 */
export const startCorruptingProxy = async (sim: SimulatorHandle): Promise<CorruptingProxy> => {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const arms: { changeType: string; left: number; how: "payload" | "json" }[] = [];
  const state = { corrupted: 0 };
  const mangle = (raw: string): string => {
    if (arms.length === 0) return raw;
    let frame: { event?: string; channel?: string; data?: unknown };
    try {
      frame = JSON.parse(raw) as typeof frame;
    } catch {
      return raw;
    }
    if (typeof frame.data !== "string") return raw;
    const arm = arms.find((a) => a.left > 0 && (frame.data as string).includes(`"change_type":"${a.changeType}"`));
    if (!arm) return raw;
    arm.left--;
    state.corrupted++;
    if (arm.how === "json") return JSON.stringify({ ...frame, data: "{broken json" });
    const data = JSON.parse(frame.data) as Record<string, unknown>;
    return JSON.stringify({ ...frame, data: JSON.stringify({ ...data, payload: "%%%not-base64" }) });
  };
  wss.on("connection", (down, req) => {
    const up = new WebSocket(`ws://${sim.pusher.wsHost}:${sim.pusher.wsPort}${req.url ?? "/"}`);
    const pending: string[] = [];
    up.on("open", () => {
      for (const m of pending.splice(0)) up.send(m);
    });
    up.on("message", (d) => {
      if (down.readyState === WebSocket.OPEN) down.send(mangle(d.toString()));
    });
    down.on("message", (d) => {
      if (up.readyState === WebSocket.OPEN) up.send(d.toString());
      else pending.push(d.toString());
    });
    const closeBoth = () => {
      if (up.readyState === WebSocket.OPEN || up.readyState === WebSocket.CONNECTING) up.terminate();
      if (down.readyState === WebSocket.OPEN) down.terminate();
    };
    up.on("close", closeBoth);
    up.on("error", closeBoth);
    down.on("close", closeBoth);
    down.on("error", closeBoth);
  });
  return {
    port: (wss.address() as AddressInfo).port,
    corrupt: (changeType, count, how = "payload") => void arms.push({ changeType, left: count, how }),
    get corrupted() {
      return state.corrupted;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
};

/** Makes the client's sockets connect through the proxy (the exchange's connection-config, port rewritten). */
export const viaProxy = (client: ProphetXClient, proxy: CorruptingProxy): void => {
  const original = client.getConnectionConfig;
  client.getConnectionConfig = async (product) => ({ ...(await original(product)), ws_host: "127.0.0.1", ws_port: proxy.port, use_tls: false });
};
