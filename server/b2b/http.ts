// Route handlers of the B2B odds screen (/api/odds/...), built on the shared route() wrapper. The
// browser gets a signed opaque session id in an HttpOnly cookie; ProphetX tokens never leave the server.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { getDb } from "../db/client.ts";
import { AppError } from "../http/errors.ts";
import { route } from "../http/route.ts";
import type { RateLimit } from "../http/rate-limit.ts";
import { b2bConfigFrom, type B2bConfig } from "./config.ts";
import { TokenCrypto } from "./crypto.ts";
import { geoProviderFor, type GeoProvider } from "./geo.ts";
import { MarketFeed } from "./market-feed.ts";
import { placePlay, publicGeo, recentPlays, runGeoCheck, type PlayDeps } from "./plays.ts";
import { AffiliateClient, PxUserClient, type FetchLike } from "./px-client.ts";
import { PxSessionStore } from "./sessions.ts";
import { createTrackingWorker } from "./tracking.ts";

export const SESSION_COOKIE = "px_odds_session";
const COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

export type OddsAppDeps = {
  db: () => Db;
  config: B2bConfig;
  fetch?: FetchLike;
  now?: () => number;
  /** Tracking worker interval; the worker is also kicked after each play. */
  trackingIntervalMs?: number;
  trackingBaseDelayMs?: number;
  /** Login attempts per client (default: burst 5, then one per 5 s). */
  loginRateLimit?: RateLimit;
};

const ZLogin = z.object({ email: z.email().max(254), password: z.string().min(1).max(256) });
const ZGeo = z.object({ geoPacket: z.string().max(64 * 1024).optional() }).strict();
const ZPlay = z
  .object({
    lineId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, "not a line id"),
    odds: z.number().int().refine((o) => Math.abs(o) >= 100 && o !== -100, "American odds need |odds| ≥ 100"),
    stakeCents: z.number().int().min(100, "the smallest stake is $1").max(100_000_000, "the largest stake is $1,000,000"),
    geoPacket: z.string().max(64 * 1024).optional(),
  })
  .strict();

const cookieOf = (req: Request, name: string): string | null => {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
};

/** Refuse cross-site state changes: an Origin header, when present, must name this host. */
const sameOrigin = (req: Request): void => {
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost = "";
  try {
    originHost = new URL(origin).host;
  } catch {
    /* bad origin */
  }
  if (originHost !== host) throw new AppError("forbidden", "cross-site requests are not accepted");
};

const noStore = { "cache-control": "no-store" };

export const createOddsApp = (deps: OddsAppDeps) => {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  if (!config.tokenKeyHex) throw new Error("TOKEN_ENCRYPTION_KEY is not set (64 hex chars); `npm start` provides one");
  const crypto = new TokenCrypto(config.tokenKeyHex);
  const client = new PxUserClient(config.userApiUrl, deps.fetch);
  const affiliate = new AffiliateClient(config.affiliateUrl, config.affiliateKey, deps.fetch);
  const feed = new MarketFeed(affiliate, { pollMs: config.pollMs, tournaments: config.tournaments, now });
  const geo: GeoProvider = geoProviderFor(config.geoProvider, client, now);
  const sessions = () => new PxSessionStore(deps.db(), crypto, client, now);
  const worker = config.trackingUrl
    ? createTrackingWorker(deps.db, { url: config.trackingUrl, authorization: config.trackingAuthorization, maxAttempts: config.trackingMaxAttempts, fetch: deps.fetch, now, intervalMs: deps.trackingIntervalMs, baseDelayMs: deps.trackingBaseDelayMs })
    : null;
  worker?.start();
  const playDeps = (): PlayDeps => ({ db: deps.db(), sessions: sessions(), client, geo, tracking: worker ? { placementLocation: config.placementLocation, kick: worker.kick } : null, now });

  const sessionIdOf = (req: Request): string | null => {
    const v = cookieOf(req, SESSION_COOKIE);
    return v ? crypto.verifySessionCookie(v) : null;
  };
  const requireSessionId = (req: Request): string => {
    const id = sessionIdOf(req);
    if (!id) throw new AppError("unauthorized", "Log in with your ProphetX account first.");
    return id;
  };
  const setCookie = (value: string, maxAge: number): string =>
    `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${config.secureCookies ? "; Secure" : ""}`;

  return {
    feed,
    worker,
    geo,
    markets: {
      GET: route({ auth: "public" }, async () => Response.json(await feed.current(), { headers: noStore })),
    },
    session: {
      GET: route({ auth: "public" }, async ({ req }) => {
        const id = sessionIdOf(req);
        if (!id) return Response.json({ user: null, geo: { provider: geo.name, needsBrowserSdk: geo.needsBrowserSdk } }, { headers: noStore });
        try {
          const s = await sessions().active(id); // renews tokens when due
          const row = await sessions().find(s.id);
          return Response.json({ user: row ? sessions().view(row) : null, geo: { provider: geo.name, needsBrowserSdk: geo.needsBrowserSdk } }, { headers: noStore });
        } catch (err) {
          if (err instanceof AppError && err.code === "unauthorized") {
            return Response.json({ user: null, message: err.message, geo: { provider: geo.name, needsBrowserSdk: geo.needsBrowserSdk } }, { headers: { ...noStore, "set-cookie": setCookie("", 0) } });
          }
          throw err;
        }
      }),
      POST: route({ auth: "public", body: ZLogin, rateLimit: deps.loginRateLimit ?? { perSecond: 0.2, burst: 5 } }, async ({ req, body }) => {
        sameOrigin(req);
        const { id, view } = await sessions().login(body.email, body.password);
        return Response.json({ user: view }, { headers: { ...noStore, "set-cookie": setCookie(crypto.signSessionId(id), COOKIE_MAX_AGE_S) } });
      }),
      DELETE: route({ auth: "public" }, async ({ req }) => {
        sameOrigin(req);
        const id = sessionIdOf(req);
        if (id) await sessions().logout(id);
        return Response.json({ ok: true }, { headers: { ...noStore, "set-cookie": setCookie("", 0) } });
      }),
    },
    geoCheck: {
      POST: route({ auth: "public", body: ZGeo, rateLimit: { perSecond: 1, burst: 10 } }, async ({ req, body }) => {
        sameOrigin(req);
        const result = await runGeoCheck(playDeps(), requireSessionId(req), body.geoPacket);
        return Response.json({ geo: publicGeo(result) }, { headers: noStore });
      }),
    },
    geoLicense: {
      /** For a browser-SDK provider: the one-time license and the user id the SDK needs (steps 1–2). */
      POST: route({ auth: "public" }, async ({ req }) => {
        sameOrigin(req);
        const s = await sessions().active(requireSessionId(req));
        return Response.json({ provider: geo.name, ...(await geo.prepare(s)) }, { headers: noStore });
      }),
    },
    plays: {
      GET: route({ auth: "public" }, async ({ req }) => {
        const id = requireSessionId(req);
        return Response.json({ plays: await recentPlays(deps.db(), id) }, { headers: noStore });
      }),
      POST: route({ auth: "public", body: ZPlay, rateLimit: { perSecond: 2, burst: 10 } }, async ({ req, body }) => {
        sameOrigin(req);
        const sessionId = requireSessionId(req);
        if (!feed.knowsLine(body.lineId)) await feed.refresh();
        if (!feed.knowsLine(body.lineId)) throw new AppError("not_found", "This selection is no longer offered. Refresh the odds and pick again.");
        const play = await placePlay(playDeps(), { sessionId, lineId: body.lineId, odds: body.odds, stakeCents: body.stakeCents, geoPacket: body.geoPacket });
        return Response.json({ play }, { headers: noStore });
      }),
    },
  };
};

export type OddsApp = ReturnType<typeof createOddsApp>;

const g = globalThis as unknown as { __oddsApp?: OddsApp };

/** The process-wide odds app from the environment (lazily, so a build without env still works). */
export const oddsApp = (): OddsApp => (g.__oddsApp ??= createOddsApp({ db: getDb, config: b2bConfigFrom(process.env) }));

/** Route export helper: resolve the app on first request. */
export const lazy =
  (pick: (app: OddsApp) => (req: Request, ctx?: never) => Promise<Response>) =>
  (req: Request): Promise<Response> => {
    try {
      return pick(oddsApp())(req);
    } catch (err) {
      console.error("[odds] not configured", err);
      return Promise.resolve(Response.json({ error: { code: "unavailable", message: "The odds screen is not configured on this server (see docs/b2b-odds-screen.md)." } }, { status: 503 }));
    }
  };
