// Helpers for the simulator's protocol tests: a small REST client and a pusher-js connection that
// authorizes channels through the register endpoint, recording every event it receives.

import Pusher from "pusher-js";
import { MM_BROADCAST_CHANNEL, SP_BROADCAST_CHANNEL, mmPrivateChannel, spPrivateChannel } from "./channels";
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from "./index";

export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
}

/** Quiet defaults for tests: no random RFQs, fast heartbeats; override as needed. */
export const startTestSimulator = (opts: SimulatorOptions = {}): Promise<SimulatorHandle> =>
  startSimulator({ seed: 11, rfqPerSecond: 0, healthCheckIntervalMs: 250, activationDelayMs: 60, ...opts });

export class Api {
  token: string | undefined;
  refreshToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request("GET", path, undefined, headers);
  }

  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request("POST", path, body, headers);
  }

  del(path: string, body?: unknown) {
    return this.request("DELETE", path, body);
  }

  async login(accessKey = "sim-access-key", secretKey = "sim-secret-key"): Promise<Reply> {
    const r = await this.post("/partner/auth/login", { access_key: accessKey, secret_key: secretKey });
    if (r.status === 200) {
      this.token = r.body.data.access_token;
      this.refreshToken = r.body.data.refresh_token;
    }
    return r;
  }
}

export const waitFor = async <T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = "condition"): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

export interface ReceivedEvent {
  readonly channel: string;
  readonly event: string;
  readonly data: any;
  readonly atMs: number;
}

export interface PusherSession {
  readonly pusher: Pusher;
  readonly events: ReceivedEvent[];
  readonly errors: Array<{ channel: string; error: unknown }>;
  readonly broadcast: string;
  readonly private: string;
  socketId(): string;
  close(): void;
}

/** Connect pusher-js (unmodified) to the simulator and subscribe the product's two channels. */
export const connectPusher = async (sim: SimulatorHandle, api: Api, product: "mm" | "sp", opts: { subscribe?: boolean } = {}): Promise<PusherSession> => {
  const registerPath = product === "mm" ? "/partner/mm/pusher" : "/parlay/sp/websocket/register";
  const pusher = new Pusher(sim.pusher.key, {
    cluster: "sim",
    wsHost: sim.pusher.wsHost,
    wsPort: sim.pusher.wsPort,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        api.post(registerPath, { socket_id: socketId, channel_name: channelName }).then(
          (r) => (r.status === 200 ? callback(null, { auth: r.body.auth }) : callback(new Error(`register ${r.status}`), null)),
          (err: Error) => callback(err, null),
        );
      },
    },
  });
  const events: ReceivedEvent[] = [];
  const errors: Array<{ channel: string; error: unknown }> = [];
  const broadcast = product === "mm" ? MM_BROADCAST_CHANNEL : SP_BROADCAST_CHANNEL;
  const priv = product === "mm" ? mmPrivateChannel(sim.credentials.partnerId) : spPrivateChannel(sim.credentials.partnerId);
  await waitFor(() => pusher.connection.state === "connected", 5000, "pusher connected");
  if (opts.subscribe !== false) {
    let ok = 0;
    for (const name of [broadcast, priv]) {
      const ch = pusher.subscribe(name);
      ch.bind("pusher:subscription_succeeded", () => ok++);
      ch.bind("pusher:subscription_error", (error: unknown) => errors.push({ channel: name, error }));
      ch.bind_global((event: string, data: unknown) => {
        if (!event.startsWith("pusher")) events.push({ channel: name, event, data, atMs: Date.now() });
      });
    }
    await waitFor(() => ok >= 2, 5000, "subscriptions");
  }
  return {
    pusher,
    events,
    errors,
    broadcast,
    private: priv,
    socketId: () => pusher.connection.socket_id,
    close: () => pusher.disconnect(),
  };
};

/** Decode an MM envelope's base64 JSON payload. */
export const decodeMm = (data: any): any => JSON.parse(Buffer.from(String(data.payload), "base64").toString("utf8"));

export const findEvents = (s: PusherSession, event: string, filter: (d: any) => boolean = () => true) =>
  s.events.filter((e) => e.event === event && filter(e.data));
