// One Pusher connection per product (MM = service 3, parlay SP = service 4): fetch the connection
// config (re-checked every 30 min), register each socket_id, authorise channels with the auths the
// register endpoint returns (customHandler), bind the announced events, watch health_check and tear
// down + reconnect when it stops. Callbacks only report; the engine decides.
import Pusher from "pusher-js";
import type { ProphetXClient } from "./client.ts";
import { decodeEnvelope, type DecodedMessage } from "./decode.ts";
import type { PxLogger } from "./rest.ts";
import type { AuthorizedChannel, ConnectionConfig, RegisterResponse } from "./schemas.ts";

export type Product = "mm" | "sp";
export type SocketState = "idle" | "connecting" | "connected" | "disconnected" | "reconnecting" | "closed";
export type ChannelKind = "broadcast" | "private";

export type SocketMessage = DecodedMessage & { product: Product; channel: string; channelKind: ChannelKind; event: string; receivedAtMs: number };

export type PxSocketOptions = {
  product: Product;
  /** No health_check for this long → tear down and reconnect (default 30 s). */
  healthTimeoutMs?: number;
  configRecheckMs?: number;
  /** pusher-js activity/pong timeouts (ms). */
  activityTimeoutMs?: number;
  pongTimeoutMs?: number;
  onMessage: (m: SocketMessage) => void;
  onMalformed?: (info: { product: Product; channel: string; event: string; reason: string }) => void;
  onState?: (s: { product: Product; state: SocketState; socketId: string | undefined; reason?: string }) => void;
  logger: PxLogger;
};

export type SocketCounters = { messages: number; malformed: number; healthChecks: number; registers: number; reconnects: number; healthTimeouts: number; configChanges: number };

const configKey = (c: ConnectionConfig) => JSON.stringify([c.key, c.cluster, c.ws_host, c.ws_port, c.use_tls]);

export class PxSocket {
  readonly product: Product;
  readonly counters: SocketCounters = { messages: 0, malformed: 0, healthChecks: 0, registers: 0, reconnects: 0, healthTimeouts: 0, configChanges: 0 };
  state: SocketState = "idle";
  socketId: string | undefined;
  lastHealthAtMs: number | undefined;
  /** Channels subscribed and confirmed (pusher:subscription_succeeded) on the current connection. */
  readonly subscribed = new Set<string>();
  private pusher: Pusher | undefined;
  private config: ConnectionConfig | undefined;
  private registrations = new Map<string, Promise<RegisterResponse>>();
  private channels = new Map<string, AuthorizedChannel>();
  private timers: NodeJS.Timeout[] = [];
  private connectedAtMs = 0;
  private stopped = false;
  private generation = 0;
  private readonly o: Required<Omit<PxSocketOptions, "onMalformed" | "onState">> & Pick<PxSocketOptions, "onMalformed" | "onState">;

  constructor(private readonly client: ProphetXClient, opts: PxSocketOptions) {
    this.product = opts.product;
    this.o = { healthTimeoutMs: 30_000, configRecheckMs: 30 * 60_000, activityTimeoutMs: 30_000, pongTimeoutMs: 10_000, ...opts };
  }

  /** ms since the last health_check (since connect when none yet); undefined when not connected. */
  heartbeatAgeMs(now = Date.now()): number | undefined {
    if (this.state !== "connected") return undefined;
    return now - (this.lastHealthAtMs ?? this.connectedAtMs);
  }

  /** Connected and every announced channel subscribed. */
  get healthy(): boolean {
    return this.state === "connected" && this.channels.size > 0 && [...this.channels.keys()].every((c) => this.subscribed.has(c));
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.timers.push(
      setInterval(() => this.checkHealth(), Math.max(50, Math.min(1000, this.o.healthTimeoutMs / 4))),
      setInterval(() => void this.recheckConfig(), this.o.configRecheckMs),
    );
    for (const t of this.timers) t.unref?.();
    await this.connect("start");
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.teardown();
    this.setState("closed");
  }

  /** Tear the connection down and build a new one (new socket_id, new registration). */
  async reconnect(reason: string): Promise<void> {
    if (this.stopped) return;
    this.o.logger.warn(`${this.product} socket reconnect: ${reason}`);
    this.counters.reconnects++;
    this.teardown();
    this.setState("reconnecting", reason);
    await this.connect(reason);
  }

  private setState(state: SocketState, reason?: string): void {
    if (this.state === state) return;
    this.state = state;
    this.o.onState?.({ product: this.product, state, socketId: this.socketId, ...(reason ? { reason } : {}) });
  }

  private teardown(): void {
    this.generation++;
    const p = this.pusher;
    this.pusher = undefined;
    this.socketId = undefined;
    this.subscribed.clear();
    this.registrations.clear();
    if (p) {
      try {
        p.unbind_all();
        p.connection.unbind_all();
        p.disconnect();
      } catch {
        /* already gone */
      }
    }
  }

  private async connect(reason: string): Promise<void> {
    const gen = ++this.generation;
    this.setState("connecting", reason);
    let cfg: ConnectionConfig;
    try {
      cfg = await this.client.getConnectionConfig(this.product);
    } catch (err) {
      this.o.logger.warn(`${this.product} connection-config failed`, String(err));
      this.setState("disconnected", "config failed");
      const t = setTimeout(() => void (gen === this.generation && !this.stopped ? this.connect("retry config") : undefined), 1000);
      t.unref?.();
      return;
    }
    if (gen !== this.generation || this.stopped) return;
    this.config = cfg;
    const pusher = new Pusher(cfg.key, {
      cluster: cfg.cluster,
      ...(cfg.ws_host ? { wsHost: cfg.ws_host } : {}),
      ...(cfg.ws_port ? { wsPort: cfg.ws_port, wssPort: cfg.ws_port } : {}),
      forceTLS: cfg.use_tls ?? true,
      enabledTransports: ["ws", "wss"],
      disableStats: true,
      activityTimeout: this.o.activityTimeoutMs,
      pongTimeout: this.o.pongTimeoutMs,
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, cb) => {
          this.registerFor(socketId)
            .then((r) => {
              const auth = r.data?.authorized_channel.find((c) => c.channel_name === channelName)?.auth ?? r.auth;
              if (!auth) cb(new Error(`no auth for ${channelName}`), null);
              else cb(null, { auth });
            })
            .catch((err: unknown) => cb(err instanceof Error ? err : new Error(String(err)), null));
        },
      },
    });
    this.pusher = pusher;
    pusher.connection.bind("state_change", ({ current }: { previous: string; current: string }) => {
      if (gen !== this.generation) return;
      if (current === "connected") {
        this.socketId = pusher.connection.socket_id;
        this.connectedAtMs = Date.now();
        this.lastHealthAtMs = undefined;
        this.subscribed.clear();
        this.setState("connected");
        void this.subscribeAll(pusher, gen);
      } else if (current === "connecting") {
        this.setState("connecting");
      } else if (current === "disconnected" || current === "unavailable" || current === "failed") {
        this.subscribed.clear();
        this.setState("disconnected", current);
      }
    });
  }

  private registerFor(socketId: string): Promise<RegisterResponse> {
    let p = this.registrations.get(socketId);
    if (!p) {
      this.counters.registers++;
      p = this.client.register(this.product, socketId);
      p.catch(() => this.registrations.delete(socketId));
      this.registrations.set(socketId, p);
    }
    return p;
  }

  private async subscribeAll(pusher: Pusher, gen: number): Promise<void> {
    const socketId = pusher.connection.socket_id;
    let reg: RegisterResponse;
    try {
      reg = await this.registerFor(socketId);
    } catch (err) {
      this.o.logger.warn(`${this.product} register failed`, String(err));
      if (gen === this.generation) setTimeout(() => void this.reconnect("register failed"), 500).unref?.();
      return;
    }
    if (gen !== this.generation) return;
    for (const ch of reg.data?.authorized_channel ?? []) {
      this.channels.set(ch.channel_name, ch);
      if (pusher.channel(ch.channel_name)) continue; // pusher-js resubscribes known channels itself
      const channel = pusher.subscribe(ch.channel_name);
      const kind: ChannelKind = ch.channel_name.includes("broadcast") ? "broadcast" : "private";
      channel.bind("pusher:subscription_succeeded", () => {
        if (gen === this.generation) this.subscribed.add(ch.channel_name);
      });
      channel.bind("pusher:subscription_error", (e: unknown) => this.o.logger.warn(`${this.product} subscription error ${ch.channel_name}`, e));
      for (const be of ch.binding_events) {
        const name = typeof be === "string" ? be : be.name;
        channel.bind(name, (data: unknown) => {
          if (gen === this.generation) this.onEvent(ch.channel_name, kind, name, data);
        });
      }
    }
  }

  private onEvent(channel: string, channelKind: ChannelKind, event: string, data: unknown): void {
    const receivedAtMs = Date.now();
    try {
      const d = decodeEnvelope(data);
      if (!d.ok) {
        this.counters.malformed++;
        this.o.logger.warn(`${this.product} malformed ${event} on ${channel}: ${d.reason}`);
        this.o.onMalformed?.({ product: this.product, channel, event, reason: d.reason });
        return;
      }
      this.counters.messages++;
      if (event === "health_check" || d.msg.changeType === "private_system_signal") {
        this.counters.healthChecks++;
        this.lastHealthAtMs = receivedAtMs;
      }
      this.o.onMessage({ ...d.msg, product: this.product, channel, channelKind, event, receivedAtMs });
    } catch (err) {
      this.counters.malformed++;
      this.o.logger.error(`${this.product} handler error for ${event}`, String(err));
    }
  }

  private checkHealth(): void {
    if (this.stopped || this.state !== "connected") return;
    const age = this.heartbeatAgeMs();
    if (age !== undefined && age > this.o.healthTimeoutMs) {
      this.counters.healthTimeouts++;
      void this.reconnect(`no health_check for ${age} ms`);
    }
  }

  private async recheckConfig(): Promise<void> {
    if (this.stopped || !this.config) return;
    try {
      const cfg = await this.client.getConnectionConfig(this.product);
      if (configKey(cfg) !== configKey(this.config)) {
        this.counters.configChanges++;
        await this.reconnect("connection config changed");
      }
    } catch (err) {
      this.o.logger.warn(`${this.product} config re-check failed`, String(err));
    }
  }
}
