// One Pusher-protocol (v7) WebSocket connection, on `ws`: the handshake (socket_id, activity
// timeout), private-channel subscribe with a caller-supplied auth, ping/pong liveness, and channel
// events handed over as (channel, event, data).
//
// Why not pusher-js: on the quoting path it cost more than pricing an RFQ. Its logger JSON-stringifies
// every received event for a debug line that is discarded when logging is off, and each frame passes
// through faye-websocket's extension pipeline. This connection parses each frame once (and its data
// string once, exactly as pusher-js does) and does nothing else. Reconnecting is the owner's job
// (PxSocket): a connection is used once and reports how it ended.
import WebSocket from "ws";

export type PusherClose = {
  reason: string;
  /** Pusher error/close code when the server gave one (4000–4099: do not retry as is; 4100–4199: back off; 4200–4299: retry now). */
  code?: number;
};

export type PusherConnOptions = {
  url: string;
  /** Send pusher:ping after this long without any frame (the server's activity_timeout wins when shorter). */
  activityTimeoutMs: number;
  /** Close when no frame arrives this long after our ping. */
  pongTimeoutMs: number;
  /** The handshake must complete within this (default 10 s). */
  connectTimeoutMs?: number;
  onEstablished: (socketId: string) => void;
  onEvent: (channel: string, event: string, data: unknown) => void;
  onSubscribed: (channel: string) => void;
  onSubscriptionError: (channel: string, data: unknown) => void;
  /** A frame that is not a Pusher message (broken JSON, no event name). */
  onBadFrame?: (reason: string) => void;
  /** Called exactly once, however the connection ends (never after close()). */
  onClosed: (c: PusherClose) => void;
};

/** Pusher's own URL scheme (as pusher-js builds it; `client=js` is what the service has always seen from us). */
export const pusherUrl = (c: { key: string; cluster?: string; host?: string; port?: number; tls: boolean }): string => {
  const host = c.host ?? `ws-${c.cluster ?? "mt1"}.pusher.com`;
  const port = c.port ?? (c.tls ? 443 : 80);
  return `${c.tls ? "wss" : "ws"}://${host}:${port}/app/${encodeURIComponent(c.key)}?protocol=7&client=js&version=8.6.0&flash=false`;
};

type Frame = { event?: unknown; channel?: unknown; data?: unknown };

export class PusherConn {
  socketId: string | undefined;
  private readonly ws: WebSocket;
  private activityMs: number;
  private activityTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(private readonly o: PusherConnOptions) {
    this.activityMs = o.activityTimeoutMs;
    this.ws = new WebSocket(o.url, { perMessageDeflate: false, handshakeTimeout: o.connectTimeoutMs ?? 10_000 });
    this.connectTimer = setTimeout(() => this.end({ reason: "handshake timeout" }), o.connectTimeoutMs ?? 10_000);
    this.connectTimer.unref?.();
    this.ws.on("message", (raw: Buffer) => this.onFrame(raw));
    this.ws.on("close", (code, reason) => this.end({ reason: `socket closed (${code}${reason.length ? ` ${reason.toString()}` : ""})`, ...(code >= 4000 && code < 4300 ? { code } : {}) }));
    this.ws.on("error", (err) => this.end({ reason: `socket error: ${err.message}` }));
  }

  subscribe(channel: string, auth: string): void {
    this.send({ event: "pusher:subscribe", data: { auth, channel } });
  }

  /** Close without reporting (the owner is tearing down). */
  close(): void {
    this.ended = true;
    this.clearTimers();
    try {
      this.ws.terminate();
    } catch {
      /* already gone */
    }
  }

  private send(frame: { event: string; data: unknown; channel?: string }): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private end(c: PusherClose): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    try {
      this.ws.terminate();
    } catch {
      /* already gone */
    }
    this.o.onClosed(c);
  }

  private clearTimers(): void {
    clearTimeout(this.activityTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.connectTimer);
  }

  /** Any frame proves the connection alive: restart the idle countdown, cancel a pending pong wait. */
  private alive(): void {
    if (this.pongTimer) {
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
    }
    if (this.activityTimer) this.activityTimer.refresh();
    else {
      this.activityTimer = setTimeout(() => this.ping(), this.activityMs);
      this.activityTimer.unref?.();
    }
  }

  private ping(): void {
    this.activityTimer = undefined;
    this.send({ event: "pusher:ping", data: {} });
    this.pongTimer = setTimeout(() => this.end({ reason: "pong timeout" }), this.o.pongTimeoutMs);
    this.pongTimer.unref?.();
  }

  private onFrame(raw: Buffer): void {
    if (this.ended) return;
    this.alive();
    let f: Frame;
    try {
      f = JSON.parse(raw.toString("utf8")) as Frame;
    } catch {
      this.o.onBadFrame?.("frame is not JSON");
      return;
    }
    if (typeof f?.event !== "string") {
      this.o.onBadFrame?.("frame has no event name");
      return;
    }
    // pusher-js semantics: data that is a JSON string arrives parsed; anything else as sent.
    let data = f.data;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch {
        /* left as the raw string */
      }
    }
    const channel = typeof f.channel === "string" ? f.channel : undefined;
    switch (f.event) {
      case "pusher:connection_established": {
        const d = data as { socket_id?: unknown; activity_timeout?: unknown } | undefined;
        if (typeof d?.socket_id !== "string") return this.end({ reason: "handshake without socket_id" });
        clearTimeout(this.connectTimer);
        this.connectTimer = undefined;
        if (typeof d.activity_timeout === "number" && d.activity_timeout > 0) this.activityMs = Math.min(this.activityMs, d.activity_timeout * 1000);
        clearTimeout(this.activityTimer);
        this.activityTimer = undefined;
        this.alive();
        this.socketId = d.socket_id;
        this.o.onEstablished(d.socket_id);
        return;
      }
      case "pusher:ping":
        return this.send({ event: "pusher:pong", data: {} });
      case "pusher:pong":
        return;
      case "pusher:error": {
        const d = data as { code?: unknown; message?: unknown } | undefined;
        const code = typeof d?.code === "number" ? d.code : undefined;
        // 4000–4299 are followed by the server closing the socket; close now with the code.
        if (code !== undefined && code >= 4000 && code < 4300) return this.end({ reason: `pusher:error ${code} ${String(d?.message ?? "")}`.trim(), code });
        return;
      }
      case "pusher_internal:subscription_succeeded":
        if (channel) this.o.onSubscribed(channel);
        return;
      case "pusher:subscription_error":
        if (channel) this.o.onSubscriptionError(channel, data);
        return;
      default:
        if (f.event.startsWith("pusher:") || f.event.startsWith("pusher_internal:")) return;
        if (channel) this.o.onEvent(channel, f.event, data);
    }
  }
}
