// Partner accounts (one key pair = one partner, used for both MM and parlay SP), their balance and
// sessions: login/refresh with HS256 JWTs shaped like the real ones (§1.2: jti, iat, exp,
// partnerType, partnerID, type, accessKey), access 20 min, refresh 3 days, max 20 live sessions.
// Token checks are map lookups (fast enough for thousands of requests per second).

import { createHmac, randomUUID } from "node:crypto";

export interface Account {
  readonly partnerId: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Available cash, cents. */
  balanceCents: number;
}

export interface Session {
  readonly id: string;
  readonly account: Account;
  readonly refreshToken: string;
  refreshExpiresMs: number;
  /** Rate-limit bucket (per session: every access token of a session shares it). */
  tokens: number;
  tokensAtMs: number;
  /** Live access tokens of this session, oldest first (capped: older ones are revoked). */
  readonly accessTokens: string[];
}

interface AccessEntry {
  readonly session: Session;
  expiresMs: number;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresMs: number;
  readonly refreshExpiresMs: number;
}

export type LoginResult = { ok: true; tokens: IssuedTokens; session: Session } | { ok: false; status: number; code: string; message: string };

const MAX_ACCESS_TOKENS_PER_SESSION = 5;

const b64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

export interface AccountsOptions {
  readonly accessTtlMs: number;
  readonly refreshTtlMs: number;
  readonly maxSessions: number;
  /** Requests per second per session; 0 disables. */
  readonly rateLimitPerSecond: number;
}

export class Accounts {
  private readonly byKey = new Map<string, Account>();
  private readonly byPartner = new Map<string, Account>();
  private readonly access = new Map<string, AccessEntry>();
  private readonly refresh = new Map<string, Session>();
  private readonly sessions = new Map<string, Session>();
  private readonly jwtSecret = randomUUID();
  rateLimitPerSecond: number;

  constructor(private readonly opts: AccountsOptions) {
    this.rateLimitPerSecond = opts.rateLimitPerSecond;
  }

  add(account: Account): void {
    this.byKey.set(account.accessKey, account);
    this.byPartner.set(account.partnerId, account);
  }

  all(): Account[] {
    return [...this.byKey.values()];
  }

  byAccessKey(key: string): Account | undefined {
    return this.byKey.get(key);
  }

  byPartnerId(id: string): Account | undefined {
    return this.byPartner.get(id);
  }

  private sign(claims: Record<string, unknown>): string {
    const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = b64url(JSON.stringify(claims));
    const sig = createHmac("sha256", this.jwtSecret).update(`${head}.${body}`).digest("base64url");
    return `${head}.${body}.${sig}`;
  }

  private issueAccess(session: Session, nowMs: number): { token: string; expiresMs: number } {
    const expiresMs = nowMs + this.opts.accessTtlMs;
    const token = this.sign({
      jti: randomUUID(),
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor(expiresMs / 1000),
      partnerType: "mm",
      partnerID: session.account.partnerId,
      type: "access",
      accessKey: session.account.accessKey,
    });
    this.access.set(token, { session, expiresMs });
    session.accessTokens.push(token);
    while (session.accessTokens.length > MAX_ACCESS_TOKENS_PER_SESSION) this.access.delete(session.accessTokens.shift()!);
    return { token, expiresMs };
  }

  liveSessions(account: Account, nowMs: number): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.account === account && s.refreshExpiresMs > nowMs) n++;
    return n;
  }

  login(accessKey: unknown, secretKey: unknown, nowMs: number): LoginResult {
    if (typeof accessKey !== "string" || typeof secretKey !== "string" || !accessKey || !secretKey) {
      return { ok: false, status: 400, code: "invalid_request", message: "access_key and secret_key are required" };
    }
    const account = this.byKey.get(accessKey);
    if (!account || account.secretKey !== secretKey) {
      return { ok: false, status: 401, code: "unauthorized", message: "invalid access_key or secret_key" };
    }
    this.prune(nowMs);
    if (this.liveSessions(account, nowMs) >= this.opts.maxSessions) {
      return { ok: false, status: 403, code: "session_num_exceed", message: `at most ${this.opts.maxSessions} live sessions per key pair` };
    }
    const refreshExpiresMs = nowMs + this.opts.refreshTtlMs;
    const id = randomUUID();
    const refreshToken = this.sign({
      jti: id,
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor(refreshExpiresMs / 1000),
      partnerType: "mm",
      partnerID: account.partnerId,
      type: "refresh",
      accessKey: account.accessKey,
    });
    const session: Session = { id, account, refreshToken, refreshExpiresMs, tokens: this.rateLimitPerSecond, tokensAtMs: nowMs, accessTokens: [] };
    this.sessions.set(id, session);
    this.refresh.set(refreshToken, session);
    const access = this.issueAccess(session, nowMs);
    return {
      ok: true,
      session,
      tokens: { accessToken: access.token, refreshToken, accessExpiresMs: access.expiresMs, refreshExpiresMs },
    };
  }

  /**
   * New access token for a live refresh token. The Bearer header must carry an access token of the
   * same session (an expired one is fine: that is when clients refresh). The refresh token itself
   * is returned unchanged (its expiry stays 3 days after login).
   */
  refreshSession(refreshToken: unknown, bearer: string | undefined, nowMs: number): LoginResult {
    if (typeof refreshToken !== "string" || !refreshToken) {
      return { ok: false, status: 400, code: "invalid_request", message: "refresh_token is required" };
    }
    const session = this.refresh.get(refreshToken);
    if (!session || session.refreshExpiresMs <= nowMs) {
      return { ok: false, status: 401, code: "unauthorized", message: "refresh token invalid or expired" };
    }
    const entry = bearer ? this.access.get(bearer) : undefined;
    if (!entry || entry.session !== session) {
      return { ok: false, status: 401, code: "unauthorized", message: "Bearer access token of this session required" };
    }
    const access = this.issueAccess(session, nowMs);
    return {
      ok: true,
      session,
      tokens: { accessToken: access.token, refreshToken, accessExpiresMs: access.expiresMs, refreshExpiresMs: session.refreshExpiresMs },
    };
  }

  /** The session of a live access token, or undefined (missing, unknown or expired). */
  authenticate(token: string | undefined, nowMs: number): Session | undefined {
    if (!token) return undefined;
    const entry = this.access.get(token);
    if (!entry) return undefined;
    if (entry.expiresMs <= nowMs) return undefined;
    return entry.session;
  }

  /** Token-bucket rate limit per session; true when the request may proceed. */
  allow(session: Session, nowMs: number): boolean {
    const rate = this.rateLimitPerSecond;
    if (!(rate > 0)) return true;
    const elapsed = Math.max(0, nowMs - session.tokensAtMs);
    session.tokens = Math.min(rate, session.tokens + (elapsed * rate) / 1000);
    session.tokensAtMs = nowMs;
    if (session.tokens < 1) return false;
    session.tokens -= 1;
    return true;
  }

  /** Expire every access token now (and refresh tokens too if asked). Returns tokens affected. */
  expireAll(opts: { refresh?: boolean }, nowMs: number): number {
    let n = 0;
    for (const entry of this.access.values()) {
      if (entry.expiresMs > nowMs) {
        entry.expiresMs = nowMs;
        n++;
      }
    }
    if (opts.refresh) {
      for (const s of this.sessions.values()) {
        if (s.refreshExpiresMs > nowMs) {
          s.refreshExpiresMs = nowMs;
          n++;
        }
      }
    }
    return n;
  }

  clearSessions(): void {
    this.access.clear();
    this.refresh.clear();
    this.sessions.clear();
  }

  /** Forget expired tokens and dead sessions (keeps the maps bounded). */
  prune(nowMs: number): void {
    for (const [token, entry] of this.access) if (entry.expiresMs <= nowMs - 60_000) this.access.delete(token);
    for (const [id, s] of this.sessions) {
      if (s.refreshExpiresMs <= nowMs) {
        this.sessions.delete(id);
        this.refresh.delete(s.refreshToken);
        for (const token of s.accessTokens) this.access.delete(token);
      }
    }
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get accessTokenCount(): number {
    return this.access.size;
  }
}
