// Customer session endpoints (POST login/refresh/logout, GET me). Errors use the operator format
// `{status:"FAILURE", errorCode, errorMessage}` too, so one client parses both APIs.
import type { Db } from "../db/client.ts";
import { CustomerAuthError, login, logout, me, refresh } from "./customers.ts";

const json = (status: number, body: unknown): Response => Response.json(body, { status, headers: { "cache-control": "no-store" } });
const fail = (status: number, errorCode: string, errorMessage: string): Response => json(status, { status: "FAILURE", errorCode, errorMessage });

const readJson = async (req: Request): Promise<Record<string, unknown>> => {
  const text = await req.text();
  if (text.length > 16 * 1024) throw new CustomerAuthError(400, "MISSING_PARAMETER", "body too large");
  try {
    const v: unknown = JSON.parse(text || "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new CustomerAuthError(400, "MISSING_PARAMETER", "the body must be a JSON object");
};

const str = (body: Record<string, unknown>, k: string): string => {
  const v = body[k];
  if (typeof v !== "string" || v === "") throw new CustomerAuthError(400, "MISSING_PARAMETER", `${k} is required`);
  return v;
};

/** The session token from `Authorization: Bearer <sessionToken>` (or the X-Session-Token header). */
const bearer = (req: Request): string => {
  const h = req.headers.get("authorization") ?? "";
  const t = h.toLowerCase().startsWith("bearer ") ? h.slice(7).trim() : (req.headers.get("x-session-token") ?? "").trim();
  if (!t) throw new CustomerAuthError(401, "INVALID_SESSION", "send Authorization: Bearer <sessionToken>");
  return t;
};

const wrap =
  (fn: (req: Request) => Promise<Response>) =>
  async (req: Request): Promise<Response> => {
    try {
      return await fn(req);
    } catch (e) {
      if (e instanceof CustomerAuthError) return fail(e.status, e.code, e.message);
      console.error("[customer] unexpected error", e);
      return fail(500, "GENERAL_EXCEPTION", "unexpected error");
    }
  };

export const customerHandlers = (db: () => Db) => ({
  login: wrap(async (req) => {
    const b = await readJson(req);
    return json(200, await login(db(), str(b, "email"), str(b, "password")));
  }),
  refresh: wrap(async (req) => {
    const b = await readJson(req);
    return json(200, await refresh(db(), str(b, "refreshToken")));
  }),
  logout: wrap(async (req) => {
    await logout(db(), bearer(req));
    return json(200, { status: "LOGGED_OUT" });
  }),
  me: wrap(async (req) => json(200, await me(db(), bearer(req)))),
});
