// A Pusher-protocol (v7) WebSocket server on `ws`, enough for unmodified pusher-js and pysher:
// connection_established with socket_id, ping/pong, private channels authorised with
// "<key>:" + hex(HMAC-SHA256(secret, "<socket_id>:<channel>")), subscription_succeeded/_error,
// unsubscribe (stack.md pitfall 6). Publishing goes through the message-fault rules (drop, delay,
// duplicate, reorder) so tests can disturb the stream per event type.

import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";

export interface PusherApp {
  readonly key: string;
  readonly secret: string;
  readonly appId: string;
}

export const channelSignature = (secret: string, socketId: string, channel: string): string =>
  createHmac("sha256", secret).update(`${socketId}:${channel}`).digest("hex");

export const channelAuth = (app: Pick<PusherApp, "key" | "secret">, socketId: string, channel: string): string =>
  `${app.key}:${channelSignature(app.secret, socketId, channel)}`;

export type MessageAction = "drop" | "delay" | "duplicate" | "reorder";

export interface MessageRuleInput {
  /** Pusher event name, e.g. "tournament_132", "price.ask.new", "health_check". */
  readonly event?: string;
  /** Envelope change_type, e.g. "market_selections". */
  readonly changeType?: string;
  /** Channel name; a trailing "*" matches a prefix. */
  readonly channel?: string;
  readonly action: MessageAction;
  /** How many messages to affect (default 1; Infinity = until removed). */
  readonly count?: number;
  /** For "delay" (default 1000 ms). */
  readonly delayMs?: number;
  /** Chance that a matching message is affected (default 1). */
  readonly probability?: number;
}

export interface MessageRule extends MessageRuleInput {
  readonly id: string;
  remaining: number;
}

export interface PusherServerOptions {
  readonly maxConnections: number;
  /** Per-socket outbound buffer cap; a slower consumer is closed with 4100 (pusher-js reconnects). */
  readonly maxBufferedBytes: number;
  readonly activityTimeoutSec: number;
  /** Cap on messages held back by delay rules. */
  readonly maxDelayedMessages: number;
}

export interface PusherStats {
  connections: number;
  connectionsTotal: number;
  subscriptions: number;
  subscriptionErrors: number;
  messagesPublished: number;
  framesSent: number;
  framesDroppedByFaults: number;
  framesDelayed: number;
  framesDuplicated: number;
  framesReordered: number;
  slowConsumersClosed: number;
  pingsAnswered: number;
}

interface Conn {
  readonly ws: WebSocket;
  readonly socketId: string;
  readonly channels: Set<string>;
}

const MAX_RULES = 1000;

const frameOf = (event: string, data: string, channel?: string): Buffer =>
  Buffer.from(JSON.stringify(channel === undefined ? { event, data } : { event, channel, data }), "utf8");

export class PusherServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 });
  private readonly conns = new Set<Conn>();
  private readonly channels = new Map<string, Set<Conn>>();
  private rules: MessageRule[] = [];
  private ruleSeq = 0;
  private readonly held = new Map<string, { frame: Buffer; timer: NodeJS.Timeout }>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private pongs = true;
  private closed = false;
  readonly stats: PusherStats = {
    connections: 0,
    connectionsTotal: 0,
    subscriptions: 0,
    subscriptionErrors: 0,
    messagesPublished: 0,
    framesSent: 0,
    framesDroppedByFaults: 0,
    framesDelayed: 0,
    framesDuplicated: 0,
    framesReordered: 0,
    slowConsumersClosed: 0,
    pingsAnswered: 0,
  };

  constructor(
    readonly app: PusherApp,
    private readonly opts: PusherServerOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Take over an HTTP upgrade if it targets /app/<anything>; returns false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const m = /^\/app\/([^/]+)$/.exec(path);
    if (!m) return false;
    const key = decodeURIComponent(m[1]!);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, key));
    return true;
  }

  private onConnection(ws: WebSocket, key: string): void {
    if (this.closed) {
      ws.terminate();
      return;
    }
    if (key !== this.app.key) {
      ws.send(JSON.stringify({ event: "pusher:error", data: { code: 4001, message: `App key ${key} not in this cluster` } }));
      ws.close(4001, "App key not in this cluster");
      return;
    }
    if (this.conns.size >= this.opts.maxConnections) {
      ws.send(JSON.stringify({ event: "pusher:error", data: { code: 4004, message: "Over connection quota" } }));
      ws.close(4004, "Over connection quota");
      return;
    }
    const conn: Conn = { ws, socketId: `${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}`, channels: new Set() };
    this.conns.add(conn);
    this.stats.connections = this.conns.size;
    this.stats.connectionsTotal++;
    ws.on("message", (raw) => this.onMessage(conn, raw.toString()));
    ws.on("close", () => this.forget(conn));
    ws.on("error", () => this.forget(conn));
    ws.send(
      frameOf(
        "pusher:connection_established",
        JSON.stringify({ socket_id: conn.socketId, activity_timeout: this.opts.activityTimeoutSec }),
      ),
    );
  }

  private forget(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const ch of conn.channels) {
      const set = this.channels.get(ch);
      set?.delete(conn);
      if (set && set.size === 0) this.channels.delete(ch);
    }
    conn.channels.clear();
    this.stats.connections = this.conns.size;
  }

  private onMessage(conn: Conn, text: string): void {
    let msg: { event?: unknown; data?: unknown; channel?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.sendError(conn, 4200, "Invalid JSON");
      return;
    }
    let data = msg.data;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch {
        /* leave as string */
      }
    }
    const body = (data ?? {}) as { channel?: unknown; auth?: unknown };
    switch (msg.event) {
      case "pusher:ping":
        if (this.pongs) {
          this.stats.pingsAnswered++;
          conn.ws.send(frameOf("pusher:pong", "{}"));
        }
        return;
      case "pusher:pong":
        return;
      case "pusher:subscribe":
        this.subscribe(conn, body.channel, body.auth);
        return;
      case "pusher:unsubscribe":
        if (typeof body.channel === "string") this.unsubscribe(conn, body.channel);
        return;
      case "pusher:signin":
        return;
      default:
        if (typeof msg.event === "string" && msg.event.startsWith("client-")) {
          this.sendError(conn, 4301, "Client events are not enabled");
        }
    }
  }

  private sendError(conn: Conn, code: number, message: string): void {
    conn.ws.send(JSON.stringify({ event: "pusher:error", data: { code, message } }));
  }

  private subscriptionError(conn: Conn, channel: string, error: string, status: number): void {
    this.stats.subscriptionErrors++;
    conn.ws.send(frameOf("pusher:subscription_error", JSON.stringify({ type: "AuthError", error, status }), channel));
  }

  private subscribe(conn: Conn, channel: unknown, auth: unknown): void {
    if (typeof channel !== "string" || channel.length === 0 || channel.length > 200) {
      this.sendError(conn, 4009, "Invalid channel");
      return;
    }
    if (channel.startsWith("presence-")) {
      this.subscriptionError(conn, channel, "Presence channels are not supported", 403);
      return;
    }
    if (channel.startsWith("private-")) {
      const expected = channelAuth(this.app, conn.socketId, channel);
      const given = typeof auth === "string" ? auth : "";
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        this.subscriptionError(conn, channel, `Invalid signature for ${channel}`, 401);
        return;
      }
    }
    if (!conn.channels.has(channel)) {
      conn.channels.add(channel);
      let set = this.channels.get(channel);
      if (!set) {
        set = new Set();
        this.channels.set(channel, set);
      }
      set.add(conn);
      this.stats.subscriptions++;
    }
    conn.ws.send(frameOf("pusher_internal:subscription_succeeded", "{}", channel));
  }

  private unsubscribe(conn: Conn, channel: string): void {
    if (!conn.channels.delete(channel)) return;
    const set = this.channels.get(channel);
    set?.delete(conn);
    if (set && set.size === 0) this.channels.delete(channel);
  }

  hasSubscribers(channel: string): boolean {
    return (this.channels.get(channel)?.size ?? 0) > 0;
  }

  /** Channels that currently have at least one subscriber. */
  activeChannels(): string[] {
    return [...this.channels.keys()];
  }

  /** Publish `data` (the JSON text of the event's data) on a channel, through the fault rules. */
  publish(channel: string, event: string, data: string, changeType?: string): void {
    if (this.closed || !this.hasSubscribers(channel)) return;
    this.stats.messagesPublished++;
    const frame = frameOf(event, data, channel);
    const rule = this.rules.length > 0 ? this.matchRule(channel, event, changeType) : undefined;
    const held = this.held.get(channel);
    if (!rule) {
      this.deliver(channel, frame);
    } else {
      switch (rule.action) {
        case "drop":
          this.stats.framesDroppedByFaults++;
          break;
        case "duplicate":
          this.stats.framesDuplicated++;
          this.deliver(channel, frame);
          this.deliver(channel, frame);
          break;
        case "delay":
          if (this.delayed.size >= this.opts.maxDelayedMessages) {
            this.stats.framesDroppedByFaults++;
            break;
          }
          this.stats.framesDelayed++;
          {
            const t = setTimeout(() => {
              this.delayed.delete(t);
              this.deliver(channel, frame);
            }, rule.delayMs ?? 1000);
            this.delayed.add(t);
          }
          break;
        case "reorder":
          if (held) {
            // Already holding one on this channel: deliver normally to keep the bound at one.
            this.deliver(channel, frame);
          } else {
            this.stats.framesReordered++;
            const timer = setTimeout(() => {
              const h = this.held.get(channel);
              if (h) {
                this.held.delete(channel);
                this.deliver(channel, h.frame);
              }
            }, 2000);
            this.held.set(channel, { frame, timer });
            return;
          }
          break;
      }
    }
    if (held) {
      // The held message goes out right after the one that overtook it.
      clearTimeout(held.timer);
      this.held.delete(channel);
      this.deliver(channel, held.frame);
    }
  }

  private deliver(channel: string, frame: Buffer): void {
    const set = this.channels.get(channel);
    if (!set) return;
    for (const conn of set) {
      const ws = conn.ws;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
        this.stats.slowConsumersClosed++;
        ws.close(4100, "Over capacity: client too slow");
        this.forget(conn);
        continue;
      }
      ws.send(frame);
      this.stats.framesSent++;
    }
  }

  private matchRule(channel: string, event: string, changeType: string | undefined): MessageRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]!;
      if (r.event !== undefined && r.event !== event) continue;
      if (r.changeType !== undefined && r.changeType !== changeType) continue;
      if (r.channel !== undefined) {
        const ok = r.channel.endsWith("*") ? channel.startsWith(r.channel.slice(0, -1)) : channel === r.channel;
        if (!ok) continue;
      }
      if (r.probability !== undefined && r.probability < 1 && this.random() >= r.probability) continue;
      r.remaining--;
      if (r.remaining <= 0) this.rules.splice(i, 1);
      return r;
    }
    return undefined;
  }

  addRule(input: MessageRuleInput): string {
    const allowed: MessageAction[] = ["drop", "delay", "duplicate", "reorder"];
    if (!allowed.includes(input.action)) throw new RangeError(`unknown message action ${String(input.action)}`);
    if (this.rules.length >= MAX_RULES) throw new RangeError(`at most ${MAX_RULES} message rules`);
    const id = `rule-${++this.ruleSeq}`;
    const count = input.count ?? 1;
    if (!(count > 0)) throw new RangeError("count must be positive");
    this.rules.push({ ...input, id, remaining: count });
    return id;
  }

  removeRule(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clearRules(): void {
    this.rules = [];
    for (const h of this.held.values()) clearTimeout(h.timer);
    this.held.clear();
  }

  listRules(): MessageRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  setPongs(enabled: boolean): void {
    this.pongs = enabled;
  }

  /** Drop connections: abruptly (terminate: pusher-js reconnects after ~1 s) or with a close code. */
  dropSockets(opts: { code?: number; reason?: string; terminate?: boolean; channelPrefix?: string } = {}): number {
    let n = 0;
    for (const conn of [...this.conns]) {
      if (opts.channelPrefix && ![...conn.channels].some((c) => c.startsWith(opts.channelPrefix!))) continue;
      n++;
      if (opts.terminate !== false && opts.code === undefined) conn.ws.terminate();
      else conn.ws.close(opts.code ?? 4200, opts.reason ?? "Dropped by simulator");
      this.forget(conn);
    }
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearRules();
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    for (const conn of [...this.conns]) {
      conn.ws.terminate();
      this.forget(conn);
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
