// The signed-in customer's operator session, kept server-side in one HttpOnly, SameSite=Lax cookie.
// The browser never sees the tokens through JS; route handlers read the cookie, refresh the session a
// couple of minutes before it expires (through the customer refresh endpoint's own handler, single
// flight per refresh token because refresh tokens are single-use) and re-set the cookie.
import type { Db } from "../db/client.ts";
import { customerHandlers } from "../operator/customer-http.ts";

export { safeNext } from "./safe-next.ts";

export const CUSTOMER_COOKIE = "cus_session";
/** Refresh when the operator session has less than this left. */
export const REFRESH_AHEAD_MS = 2 * 60 * 1000;

export type SessionTokens = { userId: string; sessionToken: string; refreshToken: string; expiresAt: string; refreshExpiresAt: string };
type CookieValue = { u: string; s: string; r: string; e: number; re: number };

export type CustomerSession = { userId: string; sessionToken: string; /** Set-Cookie to send back (refreshed or cleared), if any. */ setCookie?: string };

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url").toString("utf8");

export const encodeSession = (t: SessionTokens): string =>
  b64(JSON.stringify({ u: t.userId, s: t.sessionToken, r: t.refreshToken, e: Date.parse(t.expiresAt), re: Date.parse(t.refreshExpiresAt) } satisfies CookieValue));

export const decodeSession = (raw: string | undefined | null): CookieValue | null => {
  if (!raw || raw.length > 2048) return null;
  try {
    const v = JSON.parse(unb64(raw)) as Partial<CookieValue>;
    if (typeof v.u === "string" && typeof v.s === "string" && typeof v.r === "string" && Number.isFinite(v.e) && Number.isFinite(v.re)) return v as CookieValue;
  } catch {
    /* fall through */
  }
  return null;
};

export const readCookie = (req: Request, name = CUSTOMER_COOKIE): string | null => {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
};

const isSecure = (req: Request): boolean => new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";

export const sessionCookieHeader = (req: Request, t: SessionTokens, nowMs = Date.now()): string => {
  const maxAge = Math.max(0, Math.floor((Date.parse(t.refreshExpiresAt) - nowMs) / 1000));
  return `${CUSTOMER_COOKIE}=${encodeSession(t)}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${isSecure(req) ? "; Secure" : ""}`;
};

export const clearCookieHeader = (req: Request): string => `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${isSecure(req) ? "; Secure" : ""}`;

/** Requests carrying an Origin header must come from this site (CSRF belt to SameSite's braces). */
export const sameOrigin = (req: Request): boolean => {
  const origin = req.headers.get("origin");
  if (!origin) return true;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

const internal = (path: string, init: RequestInit) => new Request(`http://internal.local${path}`, init);

/** In-flight and just-finished refreshes by refresh token: concurrent requests share one. */
const g = globalThis as unknown as { __cusRefresh?: Map<string, { p: Promise<SessionTokens | null>; atMs: number }> };
const refreshes = (g.__cusRefresh ??= new Map());

export type SessionDeps = { db: () => Db; now?: () => number };

const refreshOnce = (deps: SessionDeps, refreshToken: string): Promise<SessionTokens | null> => {
  const nowMs = (deps.now ?? Date.now)();
  for (const [k, v] of refreshes) if (nowMs - v.atMs > 60_000) refreshes.delete(k);
  const hit = refreshes.get(refreshToken);
  if (hit) return hit.p;
  const p = (async () => {
    const res = await customerHandlers(deps.db).refresh(
      internal("/api/customer/refresh", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) }),
    );
    if (res.status === 200) return (await res.json()) as SessionTokens;
    if (res.status === 401) return null;
    throw new Error(`customer refresh failed with HTTP ${res.status}`);
  })();
  refreshes.set(refreshToken, { p, atMs: nowMs });
  p.catch(() => refreshes.delete(refreshToken));
  return p;
};

/**
 * The customer behind the request's cookie, refreshed when it is about to expire; null when signed
 * out (then `cleared` holds a Set-Cookie that removes a dead cookie, if there was one).
 */
export const readCustomerSession = async (req: Request, deps: SessionDeps): Promise<{ session: CustomerSession | null; cleared?: string }> => {
  const c = decodeSession(readCookie(req));
  if (!c) return { session: null, cleared: readCookie(req) ? clearCookieHeader(req) : undefined };
  const nowMs = (deps.now ?? Date.now)();
  if (c.e - nowMs > REFRESH_AHEAD_MS) return { session: { userId: c.u, sessionToken: c.s } };
  if (c.re <= nowMs) return { session: null, cleared: clearCookieHeader(req) };
  try {
    const t = await refreshOnce(deps, c.r);
    if (!t) return { session: null, cleared: clearCookieHeader(req) };
    return { session: { userId: t.userId, sessionToken: t.sessionToken, setCookie: sessionCookieHeader(req, t, nowMs) } };
  } catch (err) {
    console.error("[account] session refresh failed", err);
    // Still usable for a moment: carry on with the old token rather than signing the customer out.
    return { session: c.e > nowMs ? { userId: c.u, sessionToken: c.s } : null };
  }
};

export const withCookie = (res: Response, setCookie: string | undefined): Response => {
  if (setCookie) res.headers.append("set-cookie", setCookie);
  return res;
};
