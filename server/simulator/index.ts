// The embedded ProphetX exchange simulator: REST (MM + parlay SP + odds-screen paths), a Pusher-
// protocol WebSocket on the same port, a living seeded world, simulated liquidity, takers, bettors
// and rival providers, fault injection and a truth oracle. See docs/simulator.md.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRng, hashSeed } from "../../lib/simulation/rng";
import { DEFAULT_LP_CONFIG, DEFAULT_TAKER_CONFIG, type LpConfig, type TakerConfig } from "../../lib/simulation/liquidity";
import { DEFAULT_RIVALS, type BettorProfile, type RivalProfile } from "../../lib/simulation/parlay";
import { DEFAULT_WORLD_OPTIONS, type WorldOptions } from "../../lib/simulation/world";
import { Accounts, type Account } from "./accounts";
import { isUserChannel } from "./channels";
import { SimClock } from "./clock";
import type { SimContext } from "./context";
import { buildControl, buildFaults, buildTruth, type SimulatorControl, type SimulatorFaults, type SimulatorTruth } from "./control";
import { ApiError, Router, readBody, sendError, sendJson, type RequestContext } from "./http";
import { HttpFaults } from "./http-faults";
import { MarketActivity } from "./market-activity";
import { MmFeed } from "./mm-feed";
import { ParlayService } from "./parlays";
import { PusherServer, type PusherStats } from "./pusher-server";
import { ADMIN_KEY_HEADER, adminRoutes } from "./routes-admin";
import { mmRoutes } from "./routes-mm";
import { parlayRoutes } from "./routes-parlay";
import { createB2bSimulator } from "../simulator-b2b/simulator";
import { fromSimulator } from "../simulator-b2b/from-simulator";
import { TimerQueue } from "./timer-queue";
import { WagerService } from "./wagers";
import { nowNs, toJson } from "./wire";
import { WorldRuntime } from "./world-runtime";

export type { SimulatorControl, SimulatorFaults, SimulatorTruth } from "./control";
export type { ParlayView, TriggerRfqOptions, RivalScript, BettorScript } from "./parlays";
export type { MessageRuleInput } from "./pusher-server";
export { channelAuth } from "./pusher-server";
export * from "./channels";

export interface SimulatorOptions {
  /** World seed (default 1): same seed → same tournaments, events, lines, truth and results. */
  seed?: number;
  /** 0 = a random free port (default 0). */
  port?: number;
  host?: string;
  /** Base URL advertised in callback URLs and connection-config (default http://<host>:<port>). */
  publicBaseUrl?: string;
  accessKey?: string;
  secretKey?: string;
  /** More key pairs (each its own partner and balance). */
  extraAccounts?: ReadonlyArray<{ accessKey: string; secretKey: string; balance?: number }>;
  /** Starting balance in dollars (default 100,000). */
  initialBalance?: number;
  adminKey?: string;
  pusherKey?: string;
  pusherSecret?: string;
  pusherAppId?: string;
  /** Simulated RFQs per second (default 0.5). */
  rfqPerSecond?: number;
  /** Simulated time runs this many times faster than wall time (default 1). */
  timeScale?: number;
  /** Simulated start time (default now). Fix it (with the seed) to reproduce scheduled times too. */
  startTimeMs?: number;
  offerWindowMs?: number;
  confirmDeadlineMs?: number;
  /** Minimum offer validity (default 5,000 ms). */
  minOfferValidityMs?: number;
  accessTokenTtlMs?: number;
  refreshTokenTtlMs?: number;
  maxSessions?: number;
  /** Requests per second per session (default 50; 0 disables). */
  rateLimitPerSecond?: number;
  healthCheckIntervalMs?: number;
  /** Wager activation delay (the inactive window; default 150 ms). */
  activationDelayMs?: number;
  fillOrKillMs?: number;
  /** Wipe unmatched wagers when their event goes live (default true). */
  wipeOnLive?: boolean;
  /** Simulation step (default 100 ms). */
  tickMs?: number;
  world?: Partial<Omit<WorldOptions, "seed" | "startTimeMs">>;
  /** Liquidity providers quote the books (default true). */
  liquidity?: boolean;
  /** Simulated takers trade against the books (default true). */
  takers?: boolean;
  lp?: Partial<LpConfig>;
  taker?: Partial<TakerConfig>;
  lpRequoteMs?: number;
  /** Step of the liquidity providers' log-odds pricing error per requote (default 0.03; 0 = books keep their price). */
  lpNoiseSd?: number;
  rivals?: readonly RivalProfile[];
  bettorCount?: number;
  sharpShare?: number;
  maxConnections?: number;
  maxSocketBufferBytes?: number;
  maxLiveRfqs?: number;
  log?: (message: string) => void;
}

export interface SimulatorStats {
  readonly uptimeMs: number;
  readonly http: { requests: number; errors: number; rateLimited: number; injected: number };
  readonly pusher: PusherStats;
  readonly heartbeats: { sent: number; lastAtMs: number; enabled: boolean };
  readonly world: { events: number; lines: number; simNowMs: number; timeScale: number };
  readonly wagers: { placed: number; fills: number; retained: number };
  readonly parlays: ParlayService["stats"] & { live: number; paused: boolean; rfqPerSecond: number };
  readonly market: { lpRequotes: number; takerTrades: number; mmMessages: number };
  readonly sessions: number;
  readonly timersPending: number;
}

export interface SimulatorHandle {
  readonly baseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly credentials: { readonly accessKey: string; readonly secretKey: string; readonly partnerId: string };
  readonly accounts: ReadonlyArray<{ readonly accessKey: string; readonly secretKey: string; readonly partnerId: string }>;
  readonly pusher: { readonly key: string; readonly secret: string; readonly appId: string; readonly cluster: string; readonly wsHost: string; readonly wsPort: number };
  readonly adminKey: string;
  readonly adminHeader: string;
  readonly seed: number;
  /** The mounted B2B odds-screen simulator (users, geolocation, user wagers, tracking capture). */
  readonly b2b: ReturnType<typeof createB2bSimulator>;
  readonly faults: SimulatorFaults;
  readonly control: SimulatorControl;
  readonly truth: SimulatorTruth;
  readonly stats: SimulatorStats;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const seed = (options.seed ?? 1) >>> 0;
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const root = createRng(seed);
  const runtimeRng = createRng(hashSeed(seed, "runtime", Date.now(), process.pid));

  const accounts = new Accounts({
    accessTtlMs: options.accessTokenTtlMs ?? 20 * 60_000,
    refreshTtlMs: options.refreshTokenTtlMs ?? 3 * 24 * 3600_000,
    maxSessions: options.maxSessions ?? 20,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 50,
  });
  const keyPairs = [
    { accessKey: options.accessKey ?? "sim-access-key", secretKey: options.secretKey ?? "sim-secret-key", balance: options.initialBalance ?? 100_000 },
    ...(options.extraAccounts ?? []).map((a) => ({ ...a, balance: a.balance ?? options.initialBalance ?? 100_000 })),
  ];
  const accountList: Account[] = keyPairs.map((k) => ({
    partnerId: root.fork("partner", k.accessKey).uuid(),
    accessKey: k.accessKey,
    secretKey: k.secretKey,
    balanceCents: Math.round(k.balance * 100),
  }));
  for (const a of accountList) accounts.add(a);

  const simStartMs = options.startTimeMs ?? Date.now();
  const clock = new SimClock(simStartMs, options.timeScale ?? 1);
  const pusher = new PusherServer(
    { key: options.pusherKey ?? "sim-pusher-key", secret: options.pusherSecret ?? "sim-pusher-secret", appId: options.pusherAppId ?? "sim-app" },
    {
      maxConnections: options.maxConnections ?? 1000,
      maxBufferedBytes: options.maxSocketBufferBytes ?? 16 * 1024 * 1024,
      activityTimeoutSec: 30,
      maxDelayedMessages: 10_000,
    },
    () => runtimeRng.next(),
  );
  const worldOpts: WorldOptions = { ...DEFAULT_WORLD_OPTIONS, ...options.world, seed, startTimeMs: simStartMs };
  const world = new WorldRuntime(worldOpts, 10 * 60_000, () => Number(nowNs() / 1000n));
  const timers = new TimerQueue((err) => log(`timer error: ${String(err)}`));
  const httpFaults = new HttpFaults();

  let baseUrl = "";
  let boundPort = 0;
  const advertisedHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const feed = new MmFeed(pusher, world, () => clock.simNowMs());
  const wagers = new WagerService(world, feed, pusher, timers, {
    activationDelayMs: options.activationDelayMs ?? 150,
    fillOrKillMs: options.fillOrKillMs ?? 2000,
    wipeOnLive: options.wipeOnLive ?? true,
    settleToCloseMs: 200,
    maxWagersRetained: 200_000,
    maxMatchedBetsRetained: 200_000,
  });
  const activity = new MarketActivity(world, wagers, feed, runtimeRng.fork("market"), {
    liquidity: options.liquidity ?? true,
    takers: options.takers ?? true,
    lp: { ...DEFAULT_LP_CONFIG, ...options.lp },
    taker: { ...DEFAULT_TAKER_CONFIG, ...options.taker },
    lpRequoteMs: options.lpRequoteMs ?? 4000,
    lpNoiseSd: options.lpNoiseSd ?? 0.03,
    maxRequotesPerStep: 40,
  });
  const bettorRng = root.fork("bettors");
  const bettors: BettorProfile[] = Array.from({ length: Math.max(1, options.bettorCount ?? 200) }, () => ({
    id: bettorRng.uuid(),
    sharp: bettorRng.chance(options.sharpShare ?? 0.1),
  }));
  const parlays = new ParlayService(world, pusher, timers, runtimeRng.fork("parlays"), bettors, () => baseUrl, {
    rfqPerSecond: options.rfqPerSecond ?? 0.5,
    offerWindowMs: options.offerWindowMs ?? 1500,
    confirmDeadlineMs: options.confirmDeadlineMs ?? 3000,
    minValidityMs: options.minOfferValidityMs ?? 5000,
    rivals: options.rivals ?? DEFAULT_RIVALS,
    maxOrdersRetained: 100_000,
    rfqRetentionMs: 60_000,
    maxLiveRfqs: options.maxLiveRfqs ?? 50_000,
  });
  // Order matters on transitions: public feed first, then books, wagers, parlays.
  world.addListener(feed);
  world.addListener(activity);
  world.addListener(wagers);
  world.addListener(parlays);

  let lastTickMs = Date.now();
  const httpStats = { requests: 0, errors: 0, rateLimited: 0 };
  const heartbeat = { sent: 0, lastAtMs: 0 };
  const startedMs = Date.now();

  const sim: SimContext = {
    accounts,
    world,
    wagers,
    parlays,
    pusher,
    feed,
    activity,
    clock,
    timers,
    httpFaults,
    startedNs: nowNs(),
    adminKey: options.adminKey ?? "sim-admin-key",
    baseUrl: () => baseUrl,
    wsHost: () => advertisedHost,
    wsPort: () => boundPort,
    heartbeats: true,
    tick: () => {
      const now = Date.now();
      const dt = Math.min(5_000, Math.max(0, now - lastTickMs));
      lastTickMs = now;
      try {
        world.advance(clock.simNowMs());
        activity.step(dt, now);
        parlays.step(dt);
      } catch (err) {
        log(`tick error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    },
  };
  world.advance(clock.simNowMs());

  const faults = buildFaults(sim);
  const control = buildControl(sim);
  const truth = buildTruth(sim);

  const statsOf = (): SimulatorStats => ({
    uptimeMs: Date.now() - startedMs,
    http: { ...httpStats, injected: httpFaults.injected },
    pusher: { ...pusher.stats },
    heartbeats: { ...heartbeat, enabled: sim.heartbeats },
    world: { events: world.events.size, lines: world.allLineIds().length, simNowMs: clock.simNowMs(), timeScale: clock.timeScale },
    wagers: { placed: wagers.placed, fills: wagers.fills, retained: wagers.size },
    parlays: { ...parlays.stats, live: parlays.liveRfqs, paused: parlays.paused, rfqPerSecond: parlays.opts.rfqPerSecond },
    market: { lpRequotes: activity.lpRequotes, takerTrades: activity.takerTrades, mmMessages: feed.messages },
    sessions: accounts.sessionCount,
    timersPending: timers.size,
  });

  const api = new Router();
  for (const r of [...mmRoutes(sim), ...parlayRoutes(sim)]) api.add(r);
  // The B2B odds-screen side (affiliate data, end-user sessions, GeoComply, user wagers, tracking
  // capture, /__b2b admin) is server/simulator-b2b, mounted over this world and these books.
  const b2b = createB2bSimulator(fromSimulator(sim), { log });
  const admin = new Router();
  admin.add({ method: "GET", path: "/__sim/health", auth: false, handler: () => ({ body: { ok: true, uptime_ms: Date.now() - startedMs } }) });
  for (const r of adminRoutes({ sim, faults, control, truth, stats: statsOf })) admin.add(r);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    httpStats.requests++;
    const url = req.url ?? "/";
    const qi = url.indexOf("?");
    const rawPath = qi >= 0 ? url.slice(0, qi) : url;
    const path = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
    const method = req.method ?? "GET";
    if (b2b.handles(path)) {
      await b2b.handle(req, res);
      return;
    }
    const authorization = req.headers.authorization;
    const bearer = authorization && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, "").trim() : undefined;
    let bodyPromise: Promise<Record<string, unknown>> | undefined;
    const ctx: RequestContext = {
      req,
      method,
      path,
      query: new URLSearchParams(qi >= 0 ? url.slice(qi + 1) : ""),
      param: "",
      bearer,
      rawAuthorization: authorization,
      session: undefined,
      body: () => (bodyPromise ??= readBody(req)),
    };
    try {
      const isAdmin = path.startsWith("/__sim/");
      const router = isAdmin ? admin : api;
      if (isAdmin && path !== "/__sim/health" && req.headers[ADMIN_KEY_HEADER] !== sim.adminKey) {
        throw new ApiError(401, "unauthorized", `admin key required in ${ADMIN_KEY_HEADER}`);
      }
      if (!isAdmin) {
        const delay = httpFaults.latencyFor(path);
        if (delay > 0) await sleep(delay);
        const injected = httpFaults.take(path);
        if (injected) throw injected;
      }
      const m = router.match(method, path);
      if (!m) throw new ApiError(404, "data_not_found", `no route ${method} ${path}`);
      if ("allowed" in m) throw new ApiError(405, "invalid_request", `method ${method} not allowed; use ${m.allowed.join(", ")}`);
      if (m.route.auth) {
        const s = accounts.authenticate(bearer, Date.now());
        if (!s) throw new ApiError(401, "unauthorized", "missing, invalid or expired access token");
        if (!accounts.allow(s, Date.now())) {
          httpStats.rateLimited++;
          throw new ApiError(429, "rate_limit_reached", "rate limit reached: 50 requests per second");
        }
        ctx.session = s;
      }
      const reply = await m.route.handler(m.param ? { ...ctx, param: m.param } : ctx);
      sendJson(res, reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      httpStats.errors++;
      if (err instanceof ApiError) {
        sendError(res, err);
        return;
      }
      log(`request error ${method} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal_error", message: "internal error" });
      else res.destroy();
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.on("upgrade", (req, socket, head) => {
    if (!pusher.handleUpgrade(req, socket, head)) socket.destroy();
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  baseUrl = options.publicBaseUrl ?? `http://${advertisedHost}:${boundPort}`;

  const tickTimer = setInterval(() => sim.tick(), options.tickMs ?? 100);
  const heartbeatTimer = setInterval(() => {
    if (!sim.heartbeats) return;
    heartbeat.lastAtMs = Date.now();
    const data = toJson({ timestamp: nowNs(), change_type: "private_system_signal", payload: "e30=", op: "u" });
    for (const channel of pusher.activeChannels()) {
      if (!isUserChannel(channel)) continue;
      heartbeat.sent++;
      pusher.publish(channel, "health_check", data, "private_system_signal");
    }
  }, options.healthCheckIntervalMs ?? 5000);
  const pruneTimer = setInterval(() => accounts.prune(Date.now()), 60_000);
  pruneTimer.unref();

  let closing: Promise<void> | undefined;
  const primary = accountList[0]!;
  return {
    baseUrl,
    port: boundPort,
    host,
    credentials: { accessKey: primary.accessKey, secretKey: primary.secretKey, partnerId: primary.partnerId },
    accounts: accountList.map((a) => ({ accessKey: a.accessKey, secretKey: a.secretKey, partnerId: a.partnerId })),
    pusher: { key: pusher.app.key, secret: pusher.app.secret, appId: pusher.app.appId, cluster: "sim", wsHost: advertisedHost, wsPort: boundPort },
    adminKey: sim.adminKey,
    adminHeader: ADMIN_KEY_HEADER,
    seed,
    b2b,
    faults,
    control,
    truth,
    get stats() {
      return statsOf();
    },
    close: () =>
      (closing ??= (async () => {
        clearInterval(tickTimer);
        clearInterval(heartbeatTimer);
        clearInterval(pruneTimer);
        timers.close();
        feed.close();
        await pusher.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
