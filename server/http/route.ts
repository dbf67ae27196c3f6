// The one wrapper every route handler goes through: authenticate, rate-limit, validate (zod), call
// the handler, and turn errors into JSON with the right status (dub's withWorkspace pattern).
import type { z } from "zod";
import { getToken } from "next-auth/jwt";
import { AppError, errorResponse } from "./errors.ts";
import { RateLimiter, clientKeyOf, type RateLimit } from "./rate-limit.ts";
import type { SessionUser, TraderRole } from "../auth/options.ts";

export type Access = "public" | "viewer" | "trader";

type Ctx<B, Q> = {
  req: Request;
  body: B;
  query: Q;
  params: Record<string, string>;
  user: SessionUser | null;
};

type Options<B, Q> = {
  auth: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  rateLimit?: RateLimit;
  /** Largest accepted body in bytes (default 256 KiB). */
  maxBodyBytes?: number;
};

type NextCtx = { params?: Promise<Record<string, string | string[]>> };

const ROLE_RANK: Record<TraderRole, number> = { viewer: 1, trader: 2 };

const parseCookies = (header: string | null): Map<string, string> => {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
};

export const sessionUserOf = async (req: Request): Promise<SessionUser | null> => {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) return null;
  const token = await getToken({ req: { cookies: parseCookies(req.headers.get("cookie")), headers: req.headers } as never, secret }).catch(() => null);
  if (!token?.sub) return null;
  return { id: token.sub, email: String(token.email ?? ""), name: String(token.name ?? ""), role: token.role === "trader" ? "trader" : "viewer" };
};

const readBody = async (req: Request, maxBytes: number): Promise<unknown> => {
  const text = await req.text();
  if (text.length > maxBytes) throw new AppError("payload_too_large", `the request body is larger than ${maxBytes} bytes`);
  if (text.trim() === "") return undefined;
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "the request body is not valid JSON");
  }
};

export const route = <B = undefined, Q = undefined>(
  options: Options<B, Q>,
  handler: (ctx: Ctx<B, Q>) => Promise<Response | object | null> | Response | object | null,
) => {
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : null;
  return async (req: Request, nextCtx?: NextCtx): Promise<Response> => {
    try {
      const user = await sessionUserOf(req);
      if (options.auth !== "public") {
        if (!user) throw new AppError("unauthorized", "sign in to use this");
        if (ROLE_RANK[user.role] < ROLE_RANK[options.auth]) throw new AppError("forbidden", `this needs the ${options.auth} role`);
      }
      if (limiter) {
        const waitS = limiter.take(user?.id ?? clientKeyOf(req));
        if (waitS > 0) {
          throw new AppError("rate_limited", "too many requests; slow down", undefined, { "Retry-After": String(Math.ceil(waitS)) });
        }
      }
      const url = new URL(req.url);
      const query = options.query ? options.query.parse(Object.fromEntries(url.searchParams)) : (undefined as Q);
      const rawBody = options.body ? await readBody(req, options.maxBodyBytes ?? 256 * 1024) : undefined;
      const body = options.body ? options.body.parse(rawBody ?? {}) : (undefined as B);
      const rawParams = (await nextCtx?.params) ?? {};
      const params = Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      const result = await handler({ req, body, query, params, user });
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
};
