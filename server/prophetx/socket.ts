// One Pusher connection per product (MM = service 3, parlay SP = service 4): fetch the connection
// config (re-checked every 30 min), open a Pusher connection (pusher-conn.ts), register each
// socket_id, subscribe the channels with the auths the register endpoint returns, pass on the
// announced events, watch health_check and tear down + reconnect when it stops or the connection
// drops (a new connection, socket_id and registration each time). Callbacks only report; the engine
// decides.
import type { ProphetXClient } from "./client.ts";
import { decodeEnvelope, type DecodedMessage } from "./decode.ts";
import { PusherConn, pusherUrl } from "./pusher-conn.ts";
import type { PxLogger } from "./rest.ts";
import type { ConnectionConfig, RegisterResponse } from "./schemas.ts";

export type Product = "mm" | "sp";
export type SocketState = "idle" | "connecting" | "connected" | "disconnected" | "reconnecting" | "closed";
export type ChannelKind = "broadcast" | "private";

export type SocketMessage = DecodedMessage & { product: Product; channel: string; channelKind: ChannelKind; event: string; receivedAtMs: number };

export type PxSocketOptions = {
  product: Product;
  /** No health_check for this long → tear down and reconnect (default 30 s). */
  healthTimeoutMs?: number;
  configRecheckMs?: number;
  /** Pusher activity (idle before we ping) and pong timeouts (ms). */
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
  private conn: PusherConn | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private config: ConnectionConfig | undefined;
  private registrations = new Map<string, Promise<RegisterResponse>>();
  /** The announced channels: kind and the events they bind (others are ignored, as pusher-js would). */
  private channels = new Map<string, { kind: ChannelKind; events: Set<string> }>();
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
    clearTimeout(this.retryTimer);
    const conn = this.conn;
    this.conn = undefined;
    this.socketId = undefined;
    this.subscribed.clear();
    this.registrations.clear();
    conn?.close();
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
      this.retryLater(gen, 1_000, "retry config");
      return;
    }
    if (gen !== this.generation || this.stopped) return;
    this.config = cfg;
    const tls = cfg.use_tls ?? true;
    const conn: PusherConn = new PusherConn({
      url: pusherUrl({ key: cfg.key, cluster: cfg.cluster, ...(cfg.ws_host ? { host: cfg.ws_host } : {}), ...(cfg.ws_port ? { port: cfg.ws_port } : {}), tls }),
      activityTimeoutMs: this.o.activityTimeoutMs,
      pongTimeoutMs: this.o.pongTimeoutMs,
      onEstablished: (socketId) => {
        if (gen !== this.generation) return;
        this.socketId = socketId;
        this.connectedAtMs = Date.now();
        this.lastHealthAtMs = undefined;
        this.failures = 0;
        this.subscribed.clear();
        this.setState("connected");
        void this.subscribeAll(conn, socketId, gen);
      },
      onEvent: (channel, event, data) => {
        const b = this.channels.get(channel);
        if (gen === this.generation && b?.events.has(event)) this.onEvent(channel, b.kind, event, data);
      },
      onSubscribed: (channel) => {
        if (gen === this.generation) this.subscribed.add(channel);
      },
      onSubscriptionError: (channel, e) => this.o.logger.warn(`${this.product} subscription error ${channel}`, e),
      onBadFrame: (why) => {
        this.counters.malformed++;
        this.o.onMalformed?.({ product: this.product, channel: "", event: "", reason: why });
      },
      onClosed: (c) => {
        if (gen !== this.generation || this.stopped) return;
        this.conn = undefined;
        this.socketId = undefined;
        this.subscribed.clear();
        this.setState("disconnected", c.reason);
        this.failures++;
        // Pusher's close-code ranges: 4000–4099 will fail again as is (wait long, the config may
        // change), 4100–4199 asks for a back-off, 4200–4299 for an immediate retry; a plain drop
        // backs off 1 s, doubling while failures repeat, up to 10 s.
        const c4 = c.code;
        const delay = c4 !== undefined && c4 < 4100 ? 10_000 : c4 !== undefined && c4 >= 4200 ? 0 : Math.min(10_000, 1_000 * 2 ** Math.min(4, this.failures - 1));
        this.retryLater(gen, delay, c.reason);
      },
    });
    this.conn = conn;
  }

  /** Reconnects after `delayMs` unless this connection generation was replaced or stopped meanwhile. */
  private retryLater(gen: number, delayMs: number, reason: string): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (gen === this.generation) void this.reconnect(reason);
    }, delayMs);
    this.retryTimer.unref?.();
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

  private async subscribeAll(conn: PusherConn, socketId: string, gen: number): Promise<void> {
    let reg: RegisterResponse;
    try {
      reg = await this.registerFor(socketId);
    } catch (err) {
      this.o.logger.warn(`${this.product} register failed`, String(err));
      this.retryLater(gen, 500, "register failed");
      return;
    }
    if (gen !== this.generation) return;
    for (const ch of reg.data?.authorized_channel ?? []) {
      const auth = ch.auth ?? reg.auth;
      if (!auth) {
        this.o.logger.warn(`${this.product} no auth for ${ch.channel_name}`);
        continue;
      }
      this.channels.set(ch.channel_name, {
        kind: ch.channel_name.includes("broadcast") ? "broadcast" : "private",
        events: new Set(ch.binding_events.map((be) => (typeof be === "string" ? be : be.name))),
      });
      conn.subscribe(ch.channel_name, auth);
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
