// /account/api/{login,logout,me}: the customer's browser-facing session endpoints. They call the
// operator's customer endpoints' own handlers (same code path as /api/customer/*) and keep the
// tokens in the HttpOnly cookie (session.ts); the browser only ever sees {signedIn, balance, …}.
import type { Db } from "../db/client.ts";
import { customerHandlers } from "../operator/customer-http.ts";
import { RateLimiter, clientKeyOf } from "../http/rate-limit.ts";
import { clearCookieHeader, readCookie, readCustomerSession, decodeSession, sameOrigin, sessionCookieHeader, withCookie, type SessionTokens } from "./session.ts";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
const fail = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => json({ status: "error", code, message, ...extra }, status);

const internal = (path: string, init: RequestInit) => new Request(`http://internal.local${path}`, init);

export type AccountDeps = { db: () => Db; now?: () => number };

export function createAccountHandlers(deps: AccountDeps) {
  const customer = customerHandlers(deps.db);
  const loginLimiter = new RateLimiter({ perSecond: 1, burst: 10 }, deps.now);

  return {
    /** POST /account/api/login {email, password} → sets the session cookie. */
    login: async (req: Request): Promise<Response> => {
      if (!sameOrigin(req)) return fail(403, "FORBIDDEN", "cross-site request refused");
      let body: Record<string, unknown> = {};
      try {
        const text = await req.text();
        if (text.length > 8192) return fail(400, "MISSING_PARAMETER", "the request is too large");
        const type = req.headers.get("content-type") ?? "";
        body = type.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(text)) : (JSON.parse(text || "{}") as Record<string, unknown>);
      } catch {
        return fail(400, "MISSING_PARAMETER", "the body must be JSON {email, password}");
      }
      const email = typeof body.email === "string" ? body.email.trim() : "";
      const password = typeof body.password === "string" ? body.password : "";
      if (!email || !password) return fail(400, "MISSING_PARAMETER", "Enter your email and password.");
      // Password guessing: per address and email (10 at once, then 1 a second).
      if (loginLimiter.take(`${clientKeyOf(req)}|${email.toLowerCase()}`) > 0) return fail(429, "RATE_LIMITED", "Too many sign-in attempts; wait a moment and try again.");
      const res = await customer.login(internal("/api/customer/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) }));
      const out = (await res.json().catch(() => null)) as (SessionTokens & { errorCode?: string; errorMessage?: string }) | null;
      if (res.status === 200 && out) return json({ status: "ok", userId: out.userId }, 200, { "set-cookie": sessionCookieHeader(req, out, (deps.now ?? Date.now)()) });
      if (out?.errorCode === "INVALID_CREDENTIALS") return fail(401, "INVALID_CREDENTIALS", "Wrong email or password.");
      if (out?.errorCode === "USER_BLOCKED") return fail(403, "USER_BLOCKED", "This account is blocked. Contact support.");
      if (out?.errorCode === "MISSING_PARAMETER") return fail(400, "MISSING_PARAMETER", out.errorMessage ?? "Enter your email and password.");
      return fail(502, "UNAVAILABLE", "Sign-in is unavailable right now; try again in a moment.");
    },

    /** POST /account/api/logout → revokes the operator session and clears the cookie. */
    logout: async (req: Request): Promise<Response> => {
      if (!sameOrigin(req)) return fail(403, "FORBIDDEN", "cross-site request refused");
      const c = decodeSession(readCookie(req));
      if (c) {
        await customer.logout(internal("/api/customer/logout", { method: "POST", headers: { authorization: `Bearer ${c.s}` } })).catch((err: unknown) => {
          console.error("[account] logout failed", err);
        });
      }
      return json({ status: "ok" }, 200, { "set-cookie": clearCookieHeader(req) });
    },

    /** GET /account/api/me → {signedIn:false} or {signedIn:true, userId, email, name, balance, pendingStakes, openBets}. */
    me: async (req: Request): Promise<Response> => {
      const { session, cleared } = await readCustomerSession(req, deps);
      if (!session) return json({ signedIn: false }, 200, cleared ? { "set-cookie": cleared } : {});
      const res = await customer.me(internal("/api/customer/me", { headers: { authorization: `Bearer ${session.sessionToken}` } }));
      const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      if (res.status === 401 || res.status === 403) return json({ signedIn: false }, 200, { "set-cookie": clearCookieHeader(req) });
      if (res.status !== 200 || !body) return withCookie(fail(502, "UNAVAILABLE", "Your account could not be loaded; try again in a moment."), session.setCookie);
      return withCookie(json({ signedIn: true, ...body }), session.setCookie);
    },
  };
}

export type AccountHandlers = ReturnType<typeof createAccountHandlers>;
