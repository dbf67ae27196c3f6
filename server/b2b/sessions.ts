// ProphetX end-user sessions, kept server-side (PxUserSession): tokens encrypted at rest, the browser
// only holds our signed opaque session id. Access tokens (1 h) are renewed through extend-session a
// few minutes before they expire; the refresh token (30 d) is rolled over by the same call.
import type { Db } from "../db/client.ts";
import { newId } from "../ids.ts";
import { AppError } from "../http/errors.ts";
import type { TokenCrypto } from "./crypto.ts";
import { PxApiError, type PxUserClient } from "./px-client.ts";

export const ACCESS_TTL_MS = 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Renew the access token when it has less than this left. */
export const ACCESS_RENEW_BEFORE_MS = 5 * 60 * 1000;
/** Roll the refresh token over when it has less than this left (users log in once per 30 days). */
export const REFRESH_RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

export type SessionView = { email: string; pxUserId: string; accessExpiresAt: string; refreshExpiresAt: string };
export type ActiveSession = { id: string; pxUserId: string; email: string; accessToken: string };

type Row = Awaited<ReturnType<Db["pxUserSession"]["findUnique"]>> & {};

export class PxSessionStore {
  constructor(
    private readonly db: Db,
    private readonly crypto: TokenCrypto,
    private readonly client: PxUserClient,
    private readonly now: () => number = Date.now,
  ) {}

  view(row: Pick<Row, "email" | "pxUserId" | "accessExpiresAt" | "refreshExpiresAt">): SessionView {
    return { email: row.email, pxUserId: row.pxUserId, accessExpiresAt: row.accessExpiresAt.toISOString(), refreshExpiresAt: row.refreshExpiresAt.toISOString() };
  }

  /** Log in with the user's own ProphetX credentials; the password is used once and never stored. */
  async login(email: string, password: string): Promise<{ id: string; view: SessionView }> {
    let tokens;
    try {
      tokens = await this.client.login(email, password);
    } catch (err) {
      if (err instanceof PxApiError && (err.status === 401 || err.status === 403 || err.status === 400)) throw new AppError("unauthorized", "ProphetX did not accept that email and password.");
      throw upstream(err, "ProphetX login");
    }
    const me = await this.client.me(tokens.accessToken).catch((err) => {
      throw upstream(err, "ProphetX /me");
    });
    const id = newId("ses");
    const t = this.now();
    const row = await this.db.pxUserSession.create({
      data: {
        id,
        pxUserId: me.userId,
        email: me.email ?? email,
        accessTokenEnc: this.crypto.encrypt(tokens.accessToken, `${id}:access`),
        refreshTokenEnc: this.crypto.encrypt(tokens.refreshToken, `${id}:refresh`),
        accessExpiresAt: new Date(t + ACCESS_TTL_MS),
        refreshExpiresAt: new Date(t + REFRESH_TTL_MS),
        createdAt: new Date(t),
      },
    });
    return { id, view: this.view(row) };
  }

  async logout(id: string): Promise<void> {
    await this.db.pxUserSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(this.now()) } });
  }

  /** The live session row or null (revoked, unknown or refresh token expired). */
  async find(id: string): Promise<Row | null> {
    const row = await this.db.pxUserSession.findUnique({ where: { id } });
    if (!row || row.revokedAt) return null;
    if (row.refreshExpiresAt.getTime() <= this.now()) return null;
    return row;
  }

  /**
   * A usable access token for the session, extending the session first when the access token is
   * close to expiry or the refresh token is in its last day. Throws 401 when the user must log in again.
   */
  async active(id: string): Promise<ActiveSession> {
    let row = await this.find(id);
    if (!row) throw new AppError("unauthorized", "Your ProphetX session has ended. Log in again.");
    const t = this.now();
    if (row.accessExpiresAt.getTime() - t < ACCESS_RENEW_BEFORE_MS || row.refreshExpiresAt.getTime() - t < REFRESH_RENEW_BEFORE_MS) {
      row = await this.extend(row);
    }
    return { id: row.id, pxUserId: row.pxUserId, email: row.email, accessToken: this.crypto.decrypt(row.accessTokenEnc, `${row.id}:access`) };
  }

  /** Call extend-session with the refresh token; store the new token(s). */
  async extend(row: Row): Promise<Row> {
    const refresh = this.crypto.decrypt(row.refreshTokenEnc, `${row.id}:refresh`);
    let next;
    try {
      next = await this.client.extendSession(refresh);
    } catch (err) {
      if (err instanceof PxApiError && (err.status === 401 || err.status === 403)) {
        await this.db.pxUserSession.update({ where: { id: row.id }, data: { revokedAt: new Date(this.now()) } });
        throw new AppError("unauthorized", "Your ProphetX session has ended. Log in again.");
      }
      throw upstream(err, "ProphetX extend-session");
    }
    const t = this.now();
    const data: Record<string, unknown> = { refreshTokenEnc: this.crypto.encrypt(next.refreshToken, `${row.id}:refresh`), refreshExpiresAt: new Date(t + REFRESH_TTL_MS) };
    if (next.accessToken) {
      data.accessTokenEnc = this.crypto.encrypt(next.accessToken, `${row.id}:access`);
      data.accessExpiresAt = new Date(t + ACCESS_TTL_MS);
    } else if (row.accessExpiresAt.getTime() <= t) {
      // The service renewed only the refresh token and the access token is gone: a fresh login is needed.
      await this.db.pxUserSession.update({ where: { id: row.id }, data: { ...data, revokedAt: new Date(t) } });
      throw new AppError("unauthorized", "Your ProphetX access has expired. Log in again.");
    }
    return this.db.pxUserSession.update({ where: { id: row.id }, data });
  }
}

/** An upstream failure as a 502/503 AppError with a clear message (never the raw body). */
export const upstream = (err: unknown, what: string): AppError => {
  if (err instanceof AppError) return err;
  if (err instanceof PxApiError) {
    if (err.code === "network_error") return new AppError("unavailable", `${what} is unreachable right now. Try again in a moment.`);
    return new AppError("bad_gateway", `${what} failed (${err.code}: ${err.message}).`);
  }
  return new AppError("bad_gateway", `${what} failed.`);
};
