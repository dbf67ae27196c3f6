// ProphetX REST: session (login, refresh, re-login, one retry after 401), a shared rate limiter,
// bounded retries with exponential backoff + jitter on 429/5xx and 300 ms on `opened_retry`, and
// zod-validated `{data}` envelopes. One instance per key pair = one exchange session.
//
// HTTP goes through an own undici Agent (not the global fetch, whose default dispatcher opens a new
// connection for every request that finds no idle one): at most `maxConnections` keep-alive sockets
// per origin, no pipelining; further requests wait in the pool (their timeout keeps running) instead
// of opening sockets. `dispatcher.request` rather than WHATWG fetch: no Request/Response/stream
// objects per call. Closed with the client.
import { Agent, type Dispatcher } from "undici";
import { z } from "zod";
import { PxApiError, PxValidationError } from "./errors.ts";
import { RateLimiter } from "./rate-limiter.ts";
import * as S from "./schemas.ts";

export type PxLogger = { info: (msg: string, extra?: unknown) => void; warn: (msg: string, extra?: unknown) => void; error: (msg: string, extra?: unknown) => void };
export const consoleLogger: PxLogger = {
  info: (m, e) => console.log(`[px] ${m}`, e ?? ""),
  warn: (m, e) => console.warn(`[px] ${m}`, e ?? ""),
  error: (m, e) => console.error(`[px] ${m}`, e ?? ""),
};
export const silentLogger: PxLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export type PxRestOptions = {
  baseUrl: string;
  accessKey: string;
  secretKey: string;
  /** Proactive refresh cadence (default 8 min); refresh also happens 60 s before expiry. */
  refreshIntervalMs?: number;
  rateLimit?: number;
  maxRetries?: number;
  /** Upper bound for one call including retries (default 15 s). */
  maxRetryTimeMs?: number;
  requestTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Most logins this client will ever make (default 20 = the exchange's session cap). */
  maxLogins?: number;
  /**
   * Keep-alive connections per origin (default 128); more concurrent requests queue in the pool. Offers
   * at 1,000 RFQs/s with a 50 ms round trip keep ~50 POSTs in flight, more during a burst; at 32 a
   * burst queued offers in the pool behind busy sockets (engine-latency, fifth session).
   */
  maxConnections?: number;
  logger?: PxLogger;
};

export type RequestOptions = {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  auth?: boolean;
  timeoutMs?: number;
  maxRetries?: number;
  /** Longest useful wait for a rate-limit slot; beyond it the call fails at once instead of queueing. */
  maxQueueWaitMs?: number;
};

export type RestCounters = { requests: number; retries: number; rateLimited: number; serverErrors: number; unauthorized: number; logins: number; refreshes: number; refreshFailures: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A request that took longer than its timeout (queueing in the pool included). */
export class PxTimeoutError extends Error {
  constructor(ms: number, path: string) {
    super(`request timed out after ${ms} ms: ${path}`);
    this.name = "TimeoutError";
  }
}

export class ProphetXRest {
  readonly baseUrl: string;
  readonly limiter: RateLimiter;
  readonly counters: RestCounters = { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, unauthorized: 0, logins: 0, refreshes: 0, refreshFailures: 0 };
  private readonly o: Required<Omit<PxRestOptions, "logger">> & { logger: PxLogger };
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private accessExpiresAtMs = 0;
  private lastRefreshAtMs = 0;
  private tokenPromise: Promise<string> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly dispatcher: Agent;
  /** Bumped whenever the access token changes (sockets re-register on change if they want). */
  tokenVersion = 0;

  constructor(opts: PxRestOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.o = {
      refreshIntervalMs: 8 * 60_000,
      rateLimit: 45,
      maxRetries: 5,
      maxRetryTimeMs: 15_000,
      requestTimeoutMs: 10_000,
      backoffBaseMs: 100,
      backoffMaxMs: 2_000,
      maxLogins: 20,
      maxConnections: 128,
      logger: consoleLogger,
      ...opts,
    } as ProphetXRest["o"];
    this.limiter = new RateLimiter({ limit: this.o.rateLimit });
    this.dispatcher = new Agent({ connections: this.o.maxConnections, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connect: { timeout: 5_000 } });
  }

  /** Open + pending connections, per origin (diagnostics). */
  get poolStats(): { connected: number; pending: number; running: number; queued: number } {
    const out = { connected: 0, pending: 0, running: 0, queued: 0 };
    for (const s of Object.values(this.dispatcher.stats ?? {}) as { connected?: number; pending?: number; running?: number; queued?: number }[]) {
      out.connected += s.connected ?? 0;
      out.pending += s.pending ?? 0;
      out.running += s.running ?? 0;
      out.queued += s.queued ?? 0;
    }
    return out;
  }

  get tokenExpiresAt(): number | undefined {
    return this.accessToken ? this.accessExpiresAtMs : undefined;
  }

  /** Starts the proactive refresh timer (checked every second). */
  start(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setInterval(() => {
      if (!this.accessToken || this.tokenPromise) return;
      const now = Date.now();
      if (now - this.lastRefreshAtMs >= this.o.refreshIntervalMs || now >= this.accessExpiresAtMs - 60_000) {
        void this.renew().catch((err) => this.o.logger.warn("session renew failed", String(err)));
      }
    }, 1000);
    this.refreshTimer.unref?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    // Idle sockets close at once; in-flight requests get a short grace, then are aborted.
    const force = setTimeout(() => void this.dispatcher.destroy().catch(() => undefined), 2_000);
    force.unref?.();
    void this.dispatcher
      .close()
      .catch(() => undefined)
      .finally(() => clearTimeout(force));
  }

  /** A valid access token, logging in if there is none. Concurrent callers share one login. */
  async token(): Promise<string> {
    return this.freshToken() ?? this.renew();
  }

  /** The access token if it is good for at least 5 more seconds. */
  private freshToken(): string | undefined {
    return this.accessToken && Date.now() < this.accessExpiresAtMs - 5_000 ? this.accessToken : undefined;
  }

  /** Refresh (or log in when there is no refresh token or refresh fails). Single-flight. */
  renew(staleToken?: string): Promise<string> {
    if (staleToken && this.accessToken && staleToken !== this.accessToken) return Promise.resolve(this.accessToken);
    if (!this.tokenPromise) {
      this.tokenPromise = (async () => {
        try {
          if (this.refreshToken) {
            try {
              return await this.doRefresh();
            } catch (err) {
              this.counters.refreshFailures++;
              this.o.logger.warn("refresh failed, logging in again", String(err));
            }
          }
          return await this.doLogin();
        } finally {
          this.tokenPromise = undefined;
        }
      })();
    }
    return this.tokenPromise;
  }

  private async doLogin(): Promise<string> {
    if (this.counters.logins >= this.o.maxLogins) throw new Error(`login cap reached (${this.o.maxLogins} sessions); refusing to open another`);
    this.counters.logins++;
    const data = await this.request("POST", "/partner/auth/login", S.zLoginData, { auth: false, body: { access_key: this.o.accessKey, secret_key: this.o.secretKey } });
    this.setTokens(data.access_token, data.refresh_token, data.access_expire_time);
    return data.access_token;
  }

  private async doRefresh(): Promise<string> {
    const old = this.accessToken;
    const data = await this.request("POST", "/partner/auth/refresh", S.zRefreshData, {
      auth: false,
      body: { refresh_token: this.refreshToken },
      maxRetries: 1,
      ...(old ? { headers: { authorization: `Bearer ${old}` } } : {}),
    } as RequestOptions);
    this.counters.refreshes++;
    // Without an expiry in the answer assume the documented 20 minutes.
    this.setTokens(data.access_token, data.refresh_token ?? this.refreshToken!, data.access_expire_time ?? Math.floor(Date.now() / 1000) + 20 * 60);
    return data.access_token;
  }

  private setTokens(access: string, refresh: string, expireUnixS: number): void {
    this.accessToken = access;
    this.refreshToken = refresh;
    this.accessExpiresAtMs = expireUnixS * 1000;
    this.lastRefreshAtMs = Date.now();
    this.tokenVersion++;
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** attempt);
    return cap / 2 + Math.random() * (cap / 2);
  }

  /** One REST call: `{data}` envelope unwrapped and validated with `schema` (bare body when `raw`). */
  async request<T extends z.ZodType>(method: "GET" | "POST" | "DELETE", path: string, schema: T, opts: RequestOptions & { raw?: boolean; headers?: Record<string, string> } = {}): Promise<z.output<T>> {
    const started = Date.now();
    const maxRetries = opts.maxRetries ?? this.o.maxRetries;
    const url = new URL(path.startsWith("http") ? path : this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let attempt = 0;
    let retried401 = false;
    for (;;) {
      if (this.closed) throw new Error("client closed");
      const headers: Record<string, string> = { accept: "application/json", ...(opts.headers ?? {}) };
      let usedToken: string | undefined;
      // With a fresh token and a free rate-limit slot nothing is awaited before the request is handed to
      // undici: an offer is dispatched within the caller's own turn, not after microtask hops behind
      // other work (undici then writes it to a reused keep-alive socket in the loop's check phase).
      if (opts.auth !== false) {
        usedToken = this.freshToken() ?? (await this.token());
        headers.authorization = `Bearer ${usedToken}`;
      }
      if (opts.body !== undefined) headers["content-type"] = "application/json";
      if (!this.limiter.tryAcquire()) await this.limiter.acquire(opts.maxQueueWaitMs);
      this.counters.requests++;
      let res: { status: number; headers: Dispatcher.ResponseData["headers"]; text: string } | undefined;
      let netErr: unknown;
      const timeoutMs = opts.timeoutMs ?? this.o.requestTimeoutMs;
      const ac = new AbortController();
      // The race, not only the signal, enforces the timeout: undici ignores the signal while the
      // request still waits in the pool queue, and a pool closed under it can leave it pending forever.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const e = new PxTimeoutError(timeoutMs, path);
          ac.abort(e);
          reject(e);
        }, timeoutMs);
      });
      try {
        const pending = this.dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method,
          headers,
          body: opts.body === undefined ? null : JSON.stringify(opts.body),
          signal: ac.signal,
        });
        // A response that arrives after we gave up still holds a socket until its body is drained.
        pending.then((r) => ac.signal.aborted && r.body.destroy(), () => undefined);
        const r = await Promise.race([pending, timedOut]);
        res = { status: r.statusCode, headers: r.headers, text: await Promise.race([r.body.text(), timedOut]) };
      } catch (err) {
        netErr = ac.signal.aborted && ac.signal.reason instanceof Error ? ac.signal.reason : err;
      } finally {
        clearTimeout(timer);
      }
      const elapsed = Date.now() - started;
      const canRetry = attempt < maxRetries && elapsed < this.o.maxRetryTimeMs;
      if (!res) {
        if (canRetry) {
          this.counters.retries++;
          await sleep(this.backoff(attempt++));
          continue;
        }
        throw netErr instanceof Error ? netErr : new Error(String(netErr));
      }
      const text = res.text;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (res.status >= 200 && res.status < 300) {
        const body = opts.raw ? json : json && typeof json === "object" && "data" in json ? (json as { data: unknown }).data : json;
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw new PxValidationError(path, parsed.error.message.slice(0, 500));
        return parsed.data;
      }
      const err = json as { error?: string; message?: string } | undefined;
      const code = err?.error ?? `http_${res.status}`;
      const apiErr = new PxApiError(res.status, code, err?.message ?? text.slice(0, 200), path);
      if (res.status === 401 && opts.auth !== false && !retried401) {
        this.counters.unauthorized++;
        retried401 = true;
        await this.renew(usedToken);
        continue;
      }
      if (code === "opened_retry" || code === "wager_opened_retry") {
        if (canRetry) {
          this.counters.retries++;
          attempt++;
          await sleep(300);
          continue;
        }
        throw apiErr;
      }
      if (res.status === 429 || res.status >= 500) {
        if (res.status === 429) this.counters.rateLimited++;
        else this.counters.serverErrors++;
        if (canRetry) {
          this.counters.retries++;
          const ra = res.headers["retry-after"];
          const retryAfter = Number(Array.isArray(ra) ? ra[0] : ra);
          const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, this.o.backoffMaxMs) : this.backoff(attempt);
          attempt++;
          await sleep(wait);
          continue;
        }
      }
      throw apiErr;
    }
  }
}
