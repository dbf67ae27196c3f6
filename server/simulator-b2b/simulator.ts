// The B2B (partner odds screen) side of the ProphetX simulator: the affiliate market-data API, the
// end-user session API, the simulated GeoComply license/SDK/decrypt flow, the user wager endpoint and
// a tracking capture. It is one request handler so the core simulator can mount it into its own HTTP
// server; `startB2bSimulator` (start.ts) runs it standalone.
//
// Paths (see docs/b2b-odds-screen.md):
//   GET  /affiliate/get_tournaments                    Authorization: <affiliate key>  (raw, no Bearer)
//   GET  /affiliate/get_sport_events?tournament_id=    Authorization: <affiliate key>
//   GET  /affiliate/get_multiple_markets?event_ids=1,2 Authorization: <affiliate key>
//   POST /api/v1/auth/login {email,password}          → {accessToken (1 h), refreshToken (30 d)}
//   POST /api/v1/auth/extend-session                  Authorization: Bearer <refreshToken> → {accessToken, refreshToken}
//   GET  /api/v1/me                                   Authorization: Bearer <accessToken>
//   GET  /api/v1/geocomply/license?isSecure=true      Bearer access → {data:{license}}
//   POST /api/v1/geocomply/sim/sdk {license,userId}   simulated browser SDK → {data:{geoPacket}}
//   POST /api/v1/geocomply/decrypt {geoPacket}        Bearer access → {data:{result:"<xml…error_code…>", isActiveStates}}
//   POST /trade/private/api/v2/wagers {lineID,odds,stake[,external_id]}  Bearer access → {data:{wager:{id,refId,…}}}
//   POST /track/api/v1/customers/{user_id}/events     tracking capture (Customer.io shape)
//   /__b2b/admin/...                                  test/demo controls (users' states, allowed states, odds, wagers)
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { B2bWorld, MemoryWorld } from "./world.ts";

export const SIM_AFFILIATE_KEY = "sim-affiliate-key";
export const SIM_USER = { email: "bettor@prophetx.sim", password: "sim-password", state: "NJ" } as const;
export const SIM_BLOCKED_USER = { email: "traveller@prophetx.sim", password: "sim-password", state: "CA" } as const;
export const DEFAULT_ALLOWED_STATES = ["NJ", "NY", "PA", "OH", "MI", "IN", "TN", "CO", "AZ", "IA", "KS", "KY"];

export const ACCESS_TTL_MS = 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type B2bUser = { id: string; email: string; password: string; name: string; balanceCents: number; state: string | null };
export type B2bWager = {
  id: string;
  refId: string;
  userId: string;
  externalId: string | null;
  lineId: string;
  odds: number;
  stakeCents: number;
  status: "placed";
  createdAt: string;
};
export type TrackedEvent = { userId: string; authorization: string | null; body: unknown; receivedAt: string };

export type B2bSimOptions = {
  affiliateKey?: string;
  now?: () => number;
  allowedStates?: string[];
  /** Require a passed geolocation check within this many ms before a wager (default 10 min; 0 = off). */
  geoMaxAgeMs?: number;
  users?: { email: string; password: string; state?: string | null; name?: string; balanceCents?: number }[];
  log?: (msg: string) => void;
};

type Token = { userId: string; kind: "access" | "refresh"; expiresAt: number };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const userIdFor = (email: string): string => {
  const h = createHash("sha256").update(`px-user:${email.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
};

const readJson = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        reject(new HttpError(413, "payload_too_large", "body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (!text) return resolve({});
      try {
        const v: unknown = JSON.parse(text);
        if (v && typeof v === "object" && !Array.isArray(v)) return resolve(v as Record<string, unknown>);
      } catch {
        /* fall through */
      }
      reject(new HttpError(400, "invalid_request", "the body must be a JSON object"));
    });
    req.on("error", reject);
  });

const isAmerican = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && Math.abs(x) >= 100 && x !== -100;
const displayOdds = (o: number): string => (o > 0 ? `+${o}` : String(o));

export const createB2bSimulator = (world: B2bWorld, opts: B2bSimOptions = {}) => {
  const now = opts.now ?? Date.now;
  const affiliateKey = opts.affiliateKey ?? SIM_AFFILIATE_KEY;
  const geoMaxAgeMs = opts.geoMaxAgeMs ?? 10 * 60 * 1000;
  const allowed = new Set((opts.allowedStates ?? DEFAULT_ALLOWED_STATES).map((s) => s.toUpperCase()));
  const users = new Map<string, B2bUser>(); // by email (lower-case)
  const tokens = new Map<string, Token>();
  const licenses = new Map<string, { userId: string; used: boolean; expiresAt: number }>();
  const lastGeoPass = new Map<string, number>(); // userId → ms
  const wagers: B2bWager[] = [];
  const tracked: TrackedEvent[] = [];
  const counters = { logins: 0, extends: 0, wagerPosts: 0, decrypts: 0 };
  let trackingFailures = 0;

  const addUser = (u: { email: string; password: string; state?: string | null; name?: string; balanceCents?: number }): B2bUser => {
    const email = u.email.toLowerCase();
    const user: B2bUser = { id: userIdFor(email), email, password: u.password, name: u.name ?? email.split("@")[0]!, balanceCents: u.balanceCents ?? 1_000_000, state: u.state === undefined ? "NJ" : u.state };
    users.set(email, user);
    return user;
  };
  for (const u of opts.users ?? [SIM_USER, SIM_BLOCKED_USER]) addUser(u);
  const userById = (id: string) => [...users.values()].find((u) => u.id === id);

  const issue = (userId: string, kind: Token["kind"]): { token: string; expiresAt: number } => {
    const token = `${kind === "access" ? "pxa" : "pxr"}_${randomBytes(24).toString("hex")}`;
    const expiresAt = now() + (kind === "access" ? ACCESS_TTL_MS : REFRESH_TTL_MS);
    tokens.set(token, { userId, kind, expiresAt });
    return { token, expiresAt };
  };

  const authed = (req: IncomingMessage, kind: Token["kind"]): B2bUser => {
    const h = req.headers.authorization ?? "";
    if (!/^Bearer\s+/i.test(h)) throw new HttpError(401, "unauthorized", "send Authorization: Bearer <token>");
    const t = tokens.get(h.replace(/^Bearer\s+/i, "").trim());
    if (!t || t.kind !== kind) throw new HttpError(401, "unauthorized", `not a valid ${kind} token`);
    if (t.expiresAt <= now()) throw new HttpError(401, "token_expired", `the ${kind} token has expired`);
    const u = userById(t.userId);
    if (!u) throw new HttpError(401, "unauthorized", "unknown user");
    return u;
  };

  const affiliateAuth = (req: IncomingMessage): void => {
    // The affiliate API takes the raw key; "Bearer <key>" is refused like the real one would.
    if ((req.headers.authorization ?? "") !== affiliateKey) throw new HttpError(401, "unauthorized", "invalid affiliate key (send the raw key in Authorization, no Bearer)");
  };

  const geoXml = (errorCode: number, message: string, state: string | null, userId: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><response><error_code>${errorCode}</error_code><error_message>${message}</error_message>` +
    `<user_id>${userId}</user_id><state>${state ?? ""}</state><geolocate_in>600</geolocate_in></response>`;

  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const p = url.pathname.replace(/\/+$/, "");
    const m = req.method ?? "GET";

    // ---- affiliate market data
    if (m === "GET" && p === "/affiliate/get_tournaments") {
      affiliateAuth(req);
      return send(res, 200, { data: { tournaments: world.tournaments().map((t) => ({ id: t.id, name: t.name, sport: { id: t.sport.toLowerCase(), name: t.sport } })) } });
    }
    if (m === "GET" && p === "/affiliate/get_sport_events") {
      affiliateAuth(req);
      const tid = Number(url.searchParams.get("tournament_id"));
      if (!Number.isInteger(tid) || tid <= 0) throw new HttpError(400, "invalid_param", "tournament_id is required");
      const t = world.tournaments().find((x) => x.id === tid);
      const events = t ? world.events(tid) : [];
      return send(res, 200, {
        data: {
          sport_events: events.length
            ? events.map((e) => ({
                event_id: e.eventId,
                name: e.name,
                display_name: e.name,
                scheduled: e.scheduled,
                status: e.status,
                tournament_id: e.tournamentId,
                tournament_name: t?.name ?? "",
                sport_name: t?.sport ?? "",
                competitors: e.competitors ?? [],
                type: "match",
                sub_type: null,
              }))
            : null,
        },
      });
    }
    if (m === "GET" && p === "/affiliate/get_multiple_markets") {
      affiliateAuth(req);
      const ids = (url.searchParams.get("event_ids") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0 || ids.length > 50) throw new HttpError(400, "market_event_limit_exceeded", "event_ids must list 1 to 50 ids");
      const data: Record<string, unknown> = {};
      for (const id of ids) {
        const markets = world.markets(Number(id));
        if (!markets) continue;
        data[id] = markets.map((mk) => ({
          id: mk.id,
          name: mk.name,
          display_name: mk.name,
          type: mk.type,
          selections: mk.selections.map((s) => ({
            line_id: s.lineId,
            name: s.name,
            display_name: s.name,
            display_odds: displayOdds(s.odds),
            odds: s.odds,
            stake: s.stake,
            line: s.line ?? null,
            outcome_id: s.outcomeId ?? null,
          })),
        }));
      }
      return send(res, 200, { data });
    }

    // ---- user session
    if (m === "POST" && p === "/api/v1/auth/login") {
      const b = await readJson(req);
      counters.logins++;
      const u = users.get(String(b.email ?? "").toLowerCase());
      if (!u || typeof b.password !== "string" || b.password !== u.password) throw new HttpError(401, "invalid_credentials", "wrong email or password");
      const a = issue(u.id, "access");
      const r = issue(u.id, "refresh");
      return send(res, 200, { accessToken: a.token, refreshToken: r.token });
    }
    if (m === "POST" && p === "/api/v1/auth/extend-session") {
      const u = authed(req, "refresh");
      counters.extends++;
      tokens.delete((req.headers.authorization ?? "").replace(/^Bearer\s+/i, "").trim());
      const a = issue(u.id, "access");
      const r = issue(u.id, "refresh");
      return send(res, 200, { accessToken: a.token, refreshToken: r.token });
    }
    if (m === "GET" && p === "/api/v1/me") {
      const u = authed(req, "access");
      return send(res, 200, { data: { id: u.id, user_id: u.id, email: u.email, name: u.name, balance: u.balanceCents / 100 } });
    }

    // ---- geolocation
    if (m === "GET" && p === "/api/v1/geocomply/license") {
      const u = authed(req, "access");
      const license = `lic_${randomBytes(16).toString("hex")}`;
      licenses.set(license, { userId: u.id, used: false, expiresAt: now() + 5 * 60_000 });
      return send(res, 200, { data: { license, isSecure: url.searchParams.get("isSecure") === "true" } });
    }
    if (m === "POST" && p === "/api/v1/geocomply/sim/sdk") {
      // Stand-in for the GeoComply browser SDK: turns (license, user id) into an opaque packet that
      // carries the user's simulated location.
      const b = await readJson(req);
      const userId = String(b.userId ?? b.user_id ?? "");
      const u = userById(userId);
      const packet = { license: String(b.license ?? ""), userId, state: u?.state ?? null, at: now() };
      return send(res, 200, { data: { geoPacket: Buffer.from(JSON.stringify(packet)).toString("base64url") } });
    }
    if (m === "POST" && p === "/api/v1/geocomply/decrypt") {
      const u = authed(req, "access");
      counters.decrypts++;
      const b = await readJson(req);
      let packet: { license?: string; userId?: string; state?: string | null } = {};
      try {
        packet = JSON.parse(Buffer.from(String(b.geoPacket ?? b.data ?? ""), "base64url").toString("utf8"));
      } catch {
        /* handled below */
      }
      const lic = licenses.get(packet.license ?? "");
      let code = 0;
      let msg = "";
      if (!lic || lic.userId !== u.id) [code, msg] = [620, "invalid license"];
      else if (lic.used) [code, msg] = [621, "license already used"];
      else if (lic.expiresAt <= now()) [code, msg] = [622, "license expired"];
      else if (packet.userId !== u.id) [code, msg] = [603, "user mismatch"];
      else if (!packet.state) [code, msg] = [604, "location could not be determined"];
      if (lic) lic.used = true;
      const active = code === 0 && allowed.has(String(packet.state).toUpperCase());
      if (active) lastGeoPass.set(u.id, now());
      return send(res, 200, { data: { result: geoXml(code, msg, packet.state ?? null, u.id), isActiveStates: active, state: packet.state ?? null } });
    }

    // ---- wagers
    if (m === "POST" && p === "/trade/private/api/v2/wagers") {
      const u = authed(req, "access");
      counters.wagerPosts++;
      const b = await readJson(req);
      const lineId = b.lineID ?? b.line_id ?? b.lineId;
      const externalId = b.external_id ?? b.externalID ?? req.headers["idempotency-key"] ?? null;
      if (typeof lineId !== "string" || !lineId) throw new HttpError(400, "invalid_line_id", "lineID is required");
      if (!isAmerican(b.odds)) throw new HttpError(400, "wager_invalid_odds", "odds must be American integer odds");
      const stake = b.stake;
      if (typeof stake !== "number" || !(stake > 0) || Math.abs(Math.round(stake * 100) - stake * 100) > 1e-6) throw new HttpError(400, "invalid_stake", "stake must be a positive amount in dollars with at most 2 decimals");
      if (externalId !== null && (typeof externalId !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(externalId))) throw new HttpError(400, "invalid_external_id", "external_id must match [A-Za-z0-9_-]{1,100}");
      if (externalId) {
        const prior = wagers.find((w) => w.userId === u.id && w.externalId === externalId);
        if (prior) {
          if (prior.lineId !== lineId || prior.odds !== b.odds || prior.stakeCents !== Math.round(stake * 100)) throw new HttpError(400, "wager_external_id_existed", "external_id was already used for a different wager");
          return send(res, 200, { data: { wager: wagerJson(prior) } });
        }
      }
      if (geoMaxAgeMs > 0) {
        const at = lastGeoPass.get(u.id);
        if (at === undefined || now() - at > geoMaxAgeMs) throw new HttpError(403, "geolocation_required", "pass a geolocation check before placing a wager");
      }
      const stakeCents = Math.round(stake * 100);
      if (stakeCents > u.balanceCents) throw new HttpError(403, "insufficient_amount", "insufficient balance");
      const id = randomUUID();
      const result = world.placeUserWager({ userId: u.id, wagerId: id, lineId, odds: b.odds, stakeCents });
      if (!result.ok) {
        if (result.error === "odds_changed") throw new HttpError(400, "odds_changed", result.message, { current_odds: result.currentOdds, display_odds: displayOdds(result.currentOdds) });
        throw new HttpError(result.error === "invalid_line_id" ? 404 : 400, result.error, result.message);
      }
      u.balanceCents -= stakeCents;
      const w: B2bWager = { id, refId: `ref_${randomBytes(10).toString("hex")}`, userId: u.id, externalId, lineId, odds: b.odds, stakeCents, status: "placed", createdAt: new Date(now()).toISOString() };
      wagers.push(w);
      opts.log?.(`[b2b-sim] wager ${w.refId} ${u.email} ${lineId} ${w.odds} $${stake}`);
      return send(res, 200, { data: { wager: wagerJson(w) } });
    }

    // ---- tracking capture (Customer.io shape)
    const track = /^\/track\/api\/v1\/customers\/([^/]+)\/events$/.exec(p);
    if (m === "POST" && track) {
      const body = await readJson(req);
      if (trackingFailures > 0) {
        trackingFailures--;
        throw new HttpError(503, "unavailable", "tracking endpoint temporarily down");
      }
      tracked.push({ userId: decodeURIComponent(track[1]!), authorization: req.headers.authorization ?? null, body, receivedAt: new Date(now()).toISOString() });
      return send(res, 200, { ok: true });
    }

    // ---- admin (demo and tests)
    if (p === "/__b2b/admin/geo" && m === "POST") {
      const b = await readJson(req);
      if (Array.isArray(b.allowedStates)) {
        allowed.clear();
        for (const s of b.allowedStates) allowed.add(String(s).toUpperCase());
      }
      if (typeof b.email === "string") {
        const u = users.get(b.email.toLowerCase());
        if (!u) throw new HttpError(404, "data_not_found", "unknown user");
        u.state = b.state === null ? null : String(b.state ?? u.state).toUpperCase();
      }
      return send(res, 200, { data: geoState() });
    }
    if (p === "/__b2b/admin/geo" && m === "GET") return send(res, 200, { data: geoState() });
    if (p === "/__b2b/admin/users" && m === "POST") {
      const b = await readJson(req);
      if (typeof b.email !== "string" || typeof b.password !== "string") throw new HttpError(400, "invalid_request", "email and password are required");
      const u = addUser({ email: b.email, password: b.password, state: typeof b.state === "string" ? b.state.toUpperCase() : undefined });
      return send(res, 200, { data: { id: u.id, email: u.email, state: u.state } });
    }
    if (p === "/__b2b/admin/wagers" && m === "GET") {
      const email = url.searchParams.get("email");
      const uid = email ? users.get(email.toLowerCase())?.id : undefined;
      return send(res, 200, { data: { wagers: wagers.filter((w) => !email || w.userId === uid).map(wagerJson) } });
    }
    if (p === "/__b2b/admin/odds" && m === "POST") {
      const b = await readJson(req);
      const w = world as Partial<MemoryWorld>;
      if (typeof w.setOdds !== "function") throw new HttpError(501, "not_supported", "this world cannot be steered");
      if (typeof b.lineId !== "string" || !isAmerican(b.odds)) throw new HttpError(400, "invalid_request", "lineId and American odds are required");
      w.setOdds(b.lineId, b.odds);
      return send(res, 200, { data: { lineId: b.lineId, odds: b.odds } });
    }
    if (p === "/__b2b/admin/tracked" && m === "GET") return send(res, 200, { data: { events: tracked } });
    if (p === "/__b2b/admin/tracking-failures" && m === "POST") {
      const b = await readJson(req);
      trackingFailures = Math.max(0, Number(b.count ?? 0) | 0);
      return send(res, 200, { data: { trackingFailures } });
    }
    throw new HttpError(404, "not_found", `no such endpoint: ${m} ${p}`);
  };

  const wagerJson = (w: B2bWager) => ({
    id: w.id,
    refId: w.refId,
    ref_id: w.refId,
    external_id: w.externalId,
    lineID: w.lineId,
    odds: w.odds,
    stake: w.stakeCents / 100,
    status: w.status,
    created_at: w.createdAt,
  });
  const geoState = () => ({ allowedStates: [...allowed].sort(), users: [...users.values()].map((u) => ({ email: u.email, state: u.state })) });

  const PREFIXES = ["/affiliate/", "/api/v1/auth/", "/api/v1/me", "/api/v1/geocomply/", "/trade/private/api/v2/wagers", "/track/api/v1/customers/", "/__b2b/"];
  const handles = (pathname: string): boolean => PREFIXES.some((pre) => pathname === pre.replace(/\/$/, "") || pathname.startsWith(pre));

  /** Handle the request if it is a B2B path (returns true), else return false synchronously. */
  const handle = (req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://sim.local");
    if (!handles(url.pathname)) return false;
    return routes(req, res, url).then(
      () => true,
      (err: unknown) => {
        if (err instanceof HttpError) send(res, err.status, { error: err.code, message: err.message, ...err.extra });
        else {
          opts.log?.(`[b2b-sim] error ${(err as Error)?.stack ?? err}`);
          send(res, 500, { error: "internal_error", message: "unexpected simulator error" });
        }
        return true;
      },
    );
  };

  return {
    handle,
    handles,
    world,
    users: {
      add: addUser,
      get: (email: string) => users.get(email.toLowerCase()),
      setState: (email: string, state: string | null) => {
        const u = users.get(email.toLowerCase());
        if (!u) throw new Error(`unknown user ${email}`);
        u.state = state;
      },
    },
    geo: {
      allowedStates: () => [...allowed].sort(),
      setAllowedStates: (states: string[]) => {
        allowed.clear();
        for (const s of states) allowed.add(s.toUpperCase());
      },
    },
    wagers: (userId?: string) => wagers.filter((w) => !userId || w.userId === userId).map((w) => ({ ...w })),
    tracked: () => tracked.slice(),
    failNextTracking: (count: number) => {
      trackingFailures = count;
    },
    counters,
    /** Expire an access token now (tests of the refresh path). */
    expireAccessTokens: () => {
      for (const t of tokens.values()) if (t.kind === "access") t.expiresAt = Math.min(t.expiresAt, now());
    },
  };
};

export type B2bSimulator = ReturnType<typeof createB2bSimulator>;
