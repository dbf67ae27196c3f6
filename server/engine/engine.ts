// The trading engine: one bounded event queue, one loop that owns all state (flumine), REST
// reconciliation of what the sockets deliver (hummingbot), a DB lease so only one engine trades.
import os from "node:os";
import type { Db } from "../db/client.ts";
import { newExternalId, newId } from "../ids.ts";
import { ProphetXClient } from "../prophetx/client.ts";
import { isPxCode } from "../prophetx/errors.ts";
import { consoleLogger, type PxLogger } from "../prophetx/rest.ts";
import * as S from "../prophetx/schemas.ts";
import { PxSocket, type Product, type SocketMessage, type SocketState } from "../prophetx/socket.ts";
import { BoundedQueue } from "../../lib/engine/queue.ts";
import { applyWagerUpdate, isActivated, isOpen, type WagerStatus, type WagerView } from "../../lib/engine/wagers.ts";
import { applyMarketSelections, emptyBook, reconcileEvents, type BookState } from "../../lib/market/book.ts";
import { applyRefMessage, emptyRef, eventFromWire, refFromMarkets, tournamentFromWire, type RefState } from "../../lib/market/reference.ts";
import { snapToLadder } from "../../lib/odds/ladder.ts";
import { dollarsToCentsRounded } from "../../lib/money/cents.ts";
import { isDroppable, type CommandRow, type EngineEvent } from "./events.ts";
import { releaseLease, tryAcquireLease } from "./lease.ts";
import { Persister } from "./persist.ts";
import { pricer as defaultParlayPricer, riskCentsFor, type ParlayPricer, type PricerLeg, type PricerSettings, type QuoteResult } from "./parlay/pricer.ts";

export type EngineSettings = PricerSettings & {
  /** Tournament names or ids to trade; empty = all. */
  tournaments: string[];
  /** Market types whose lines we register as supported for parlays; empty = all. */
  parlayMarketTypes: string[];
  offerValidMs: number;
};

export const DEFAULT_SETTINGS: EngineSettings = {
  tournaments: [],
  parlayMarketTypes: [],
  offerValidMs: 10_000,
  tiers: [
    { marginBps: 500, maxRiskCents: 20_000 },
    { marginBps: 900, maxRiskCents: 100_000 },
  ],
  maxLegs: 8,
  bookStaleMs: 15 * 60_000,
  minConfirmEdgeBps: 100,
  maxRiskPerParlayCents: 100_000,
  maxTotalExposureCents: 5_000_000,
  maxEventExposureCents: 500_000,
};

export type StartEngineOptions = {
  db: Db;
  baseUrl: string;
  accessKey: string;
  secretKey: string;
  engineId?: string;
  settings?: Partial<EngineSettings>;
  pricer?: ParlayPricer;
  logger?: PxLogger;
  leaseName?: string;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  statusIntervalMs?: number;
  commandPollMs?: number;
  tickMs?: number;
  queueCapacity?: number;
  /** Socket: no health_check for this long → reconnect (default 30 s). */
  healthTimeoutMs?: number;
  /** Cancel-on-disconnect: MM socket down or heartbeat older than this → cancel all, pause (default 15 s). */
  disconnectGraceMs?: number;
  /** 10-second rule (default 10 s). */
  activationTimeoutMs?: number;
  reconcileIntervalMs?: number;
  spOrdersReconcileMs?: number;
  supportedLinesIntervalMs?: number;
  snapshotThrottleMs?: number;
  cancelAllOnStop?: boolean;
  /** Seed on lease acquisition (default true). */
  seed?: boolean;
  restOptions?: { rateLimit?: number; maxRetries?: number; maxRetryTimeMs?: number; backoffBaseMs?: number; backoffMaxMs?: number; refreshIntervalMs?: number };
};

export type EngineCounters = Record<string, number>;

export type EngineStatus = {
  engineId: string;
  role: "holder" | "standby" | "stopped";
  connection: { mm: SocketState; sp: SocketState };
  heartbeatAgeMs: { mm: number | null; sp: number | null };
  tokenExpiresAt: string | null;
  rateLimitUsage: number;
  quotingPaused: boolean;
  pauseReasons: string[];
  killSwitch: boolean;
  queueDepth: number;
  openWagers: number;
  exposureCents: number;
  realisedPnlCents: number;
  counters: EngineCounters;
  updatedAt: string;
};

type RfqState = {
  parlayId: string;
  rfq: S.PxRfq;
  receivedAtMs: number;
  status: "received" | "quoted" | "declined" | "confirming" | "accepted" | "rejected" | "finalized" | "settled" | "failed";
  quote: QuoteResult | undefined;
  sentTiers: { odds: number; maxRiskCents: number }[];
  validUntilMs: number;
  manual: boolean;
};
type OrderState = { orderUuid: string; parlayId: string; status: string; riskCents: number; eventIds: number[]; profitCents: number | null };

export type EngineHandle = {
  engineId: string;
  stop: () => Promise<void>;
  readonly state: EngineStatus;
  isHolder: () => boolean;
  client: ProphetXClient;
  /** Test/bench access to the loop-owned state (read only). */
  debug: { book: BookState; ref: RefState; wagers: Map<string, WagerView>; rfqs: Map<string, RfqState>; orders: Map<string, OrderState>; sockets: () => { mm?: PxSocket | undefined; sp?: PxSocket | undefined }; queue: BoundedQueue<EngineEvent> };
  /** Enqueue a command directly (bypassing the DB table), mainly for benches. */
  enqueueCommand: (type: string, payload: Record<string, unknown>) => string;
  /** Waits until everything queued so far is handled and persisted. */
  drain: () => Promise<void>;
};

const OPEN_WAGER_STATUSES = new Set(["pending_send", "inactive", "open"]);

export const startEngine = async (opts: StartEngineOptions): Promise<EngineHandle> => {
  const db = opts.db;
  const logger = opts.logger ?? consoleLogger;
  const engineId = opts.engineId ?? `${os.hostname()}-${process.pid}-${newId("eng").slice(-6)}`;
  const leaseName = opts.leaseName ?? "engine";
  const leaseTtlMs = opts.leaseTtlMs ?? 10_000;
  const leaseRenewMs = opts.leaseRenewMs ?? 2_000;
  const healthTimeoutMs = opts.healthTimeoutMs ?? 30_000;
  const disconnectGraceMs = opts.disconnectGraceMs ?? 15_000;
  const activationTimeoutMs = opts.activationTimeoutMs ?? 10_000;
  const reconcileIntervalMs = opts.reconcileIntervalMs ?? 15 * 60_000;
  const spOrdersReconcileMs = opts.spOrdersReconcileMs ?? 60_000;
  const supportedLinesIntervalMs = opts.supportedLinesIntervalMs ?? 5_000;
  const snapshotThrottleMs = opts.snapshotThrottleMs ?? 1_000;
  const pricer = opts.pricer ?? defaultParlayPricer;
  let settings: EngineSettings = { ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) };
  try {
    const row = await db.setting.findUnique({ where: { key: "engine" } });
    if (row) settings = { ...settings, ...(JSON.parse(row.valueJson) as Partial<EngineSettings>) };
  } catch {
    /* no stored settings */
  }

  const client = new ProphetXClient({ baseUrl: opts.baseUrl, accessKey: opts.accessKey, secretKey: opts.secretKey, logger, ...(opts.restOptions ?? {}) });
  const persister = new Persister(db, logger);
  persister.start();
  const queue = new BoundedQueue<EngineEvent>(opts.queueCapacity ?? 10_000, isDroppable);

  // ── loop-owned state ──
  const ref = emptyRef();
  const book = emptyBook();
  const wagers = new Map<string, WagerView>();
  const byWagerId = new Map<string, string>();
  const rfqs = new Map<string, RfqState>();
  const orders = new Map<string, OrderState>();
  const inflightConfirms = new Map<string, { riskCents: number; eventIds: number[] }>();
  const pauseReasons = new Set<string>();
  let killSwitch = false;
  let holder = false;
  let stopped = false;
  let mm: PxSocket | undefined;
  let sp: PxSocket | undefined;
  let mmEverConnected = false;
  let spEverConnected = false;
  let mmUnhealthySince: number | undefined;
  let lastReconcileAt = 0;
  let lastSpOrdersAt = 0;
  let lastSupportedAt = 0;
  let reconcileInFlight = false;
  let pendingReconcileEvents = new Set<number>();
  let supportedLines = new Set<string>();
  let supportedInFlight = false;
  let lastWagerPollReconnectAt = 0;
  let seeded = false;
  let realisedPnlCents = 0;
  const dirtyLines = new Set<string>();
  const lastSnapshotAt = new Map<string, number>();
  const polledWagers = new Set<string>();
  const inflightCommands = new Set<string>();
  const counters = {
    events: 0,
    socketMessages: 0,
    malformed: 0,
    bookUpdates: 0,
    bookStale: 0,
    bookGaps: 0,
    reconciles: 0,
    reconcileDiffLines: 0,
    wagersPlaced: 0,
    wagersRejected: 0,
    wagerUpdates: 0,
    wagerUpdatesIgnored: 0,
    activationTimeouts: 0,
    cancelAlls: 0,
    cancelOnDisconnect: 0,
    rfqs: 0,
    rfqDuplicates: 0,
    quotes: 0,
    declines: 0,
    offerFailures: 0,
    confirms: 0,
    accepts: 0,
    rejects: 0,
    commands: 0,
    commandFailures: 0,
    queueDropped: 0,
    queueRejected: 0,
  } satisfies EngineCounters;

  const now = () => Date.now();
  const enqueue = (e: EngineEvent): void => {
    const r = queue.offer(e);
    if (r === "dropped") counters.queueDropped++;
    if (r === "rejected") counters.queueRejected++;
  };
  const ev = <T extends EngineEvent["type"]>(type: T, body: Omit<Extract<EngineEvent, { type: T }>, "type" | "receivedAtMs">): void =>
    enqueue({ type, receivedAtMs: now(), ...body } as unknown as EngineEvent);

  const audit = (action: string, subjectType: string | null, subjectId: string | null, details: unknown, actorType = "engine", actorId = engineId): void => {
    persister.addAudit({ actorType, actorId, action, subjectType, subjectId, detailsJson: JSON.stringify(details ?? {}) });
    persister.addOutbox("audit", { action, subjectType, subjectId });
  };
  const outbox = (type: string, payload: unknown): void => persister.addOutbox(type, payload);

  const quotingPaused = () => pauseReasons.size > 0 || killSwitch || !holder;
  const pause = (reason: string) => {
    if (!pauseReasons.has(reason)) {
      pauseReasons.add(reason);
      audit("pause_quoting", "engine", engineId, { reason });
      outbox("health", { quotingPaused: true, reason });
    }
  };
  const unpause = (reason: string) => {
    if (pauseReasons.delete(reason)) {
      audit("resume_quoting", "engine", engineId, { reason });
      outbox("health", { quotingPaused: quotingPaused(), resumed: reason });
    }
  };

  // ── persistence helpers ──
  const persistWager = (w: WagerView, source: "rest" | "socket" | "poll" | "engine") => {
    const snap = { ...w };
    persister.op(async (d) => {
      await d.wager.update({
        where: { externalId: snap.externalId },
        data: { wagerId: snap.wagerId ?? null, status: snap.status, matchingStatus: snap.matchingStatus, winningStatus: snap.winningStatus, matchedStakeCents: snap.matchedStakeCents },
      });
      await d.wagerStatusHistory.create({ data: { externalId: snap.externalId, status: snap.status, matchingStatus: snap.matchingStatus, matchedStakeCents: snap.matchedStakeCents, source } });
    });
    outbox("wager", { externalId: w.externalId, wagerId: w.wagerId ?? null, lineId: w.lineId, status: w.status, matchingStatus: w.matchingStatus, matchedStakeCents: w.matchedStakeCents, odds: w.odds, stakeCents: w.stakeCents });
  };

  const persistRef = (kinds: { tournaments?: number[]; events?: number[]; markets?: string[]; lines?: string[] }) => {
    const ts = (kinds.tournaments ?? []).map((id) => ref.tournaments.get(id)).filter((x) => !!x);
    const es = (kinds.events ?? []).map((id) => ref.events.get(id)).filter((x) => !!x);
    const ms = (kinds.markets ?? []).map((k) => ref.markets.get(k)).filter((x) => !!x);
    const ls = (kinds.lines ?? []).map((k) => ref.lines.get(k)).filter((x) => !!x);
    persister.op(async (d) => {
      for (const t of ts) {
        const data = { name: t.name, sportId: t.sportId, sportName: t.sportName, categoryName: t.categoryName };
        await d.tournament.upsert({ where: { id: t.id }, create: { id: t.id, ...data }, update: data });
      }
      for (const e of es) {
        if (!(await d.tournament.findUnique({ where: { id: e.tournamentId } }))) {
          await d.tournament.create({ data: { id: e.tournamentId, name: String(e.tournamentId), sportId: 0, sportName: "" } });
        }
        const data = { tournamentId: e.tournamentId, name: e.name, displayName: e.displayName, scheduledAt: new Date(e.scheduledAt), status: e.status, competitorsJson: JSON.stringify(e.competitors) };
        await d.sportEvent.upsert({ where: { id: e.id }, create: { id: e.id, ...data }, update: data });
      }
      for (const m of ms) {
        if (!(await d.sportEvent.findUnique({ where: { id: m.eventId } }))) continue;
        const data = { eventId: m.eventId, marketId: m.marketId, name: m.name, type: m.type, status: m.status };
        await d.market.upsert({ where: { id: m.key }, create: { id: m.key, ...data }, update: data });
      }
      for (const l of ls) {
        const mk = `${l.eventId}:${l.marketId}`;
        if (!(await d.market.findUnique({ where: { id: mk } }))) continue;
        const data = { marketKey: mk, eventId: l.eventId, marketId: l.marketId, outcomeId: l.outcomeId, line: l.line, name: l.name, status: l.status, favourite: l.favourite };
        await d.marketLine.upsert({ where: { lineId: l.lineId }, create: { lineId: l.lineId, ...data }, update: data });
      }
    });
  };

  // ── async actions (results come back as events) ──
  const seed = async () => {
    try {
      const all = await client.getTournaments();
      const wanted = settings.tournaments.map((s) => s.trim().toLowerCase()).filter(Boolean);
      const ts = all.filter((t) => wanted.length === 0 || wanted.includes(String(t.id)) || wanted.includes(t.name.toLowerCase()));
      const events: S.PxSportEvent[] = [];
      for (const t of ts) events.push(...(await client.getSportEvents({ tournamentId: t.id })));
      const markets = await client.getMultipleMarkets(events.map((e) => e.event_id));
      // Seeding is reference data: applied here before trading starts (the loop is not running trades yet).
      for (const t of ts) {
        const rt = tournamentFromWire(t as unknown as Record<string, unknown>);
        if (rt) ref.tournaments.set(rt.id, rt);
      }
      for (const e of events) {
        const re = eventFromWire(e as unknown as Record<string, unknown>);
        if (re) ref.events.set(re.id, re);
      }
      const mkeys: string[] = [];
      const lkeys: string[] = [];
      for (const [eventId, ms] of markets) {
        const r = refFromMarkets(eventId, ms);
        for (const m of r.markets) (ref.markets.set(m.key, m), mkeys.push(m.key));
        for (const l of r.lines) (ref.lines.set(l.lineId, l), lkeys.push(l.lineId));
      }
      persistRef({ tournaments: ts.map((t) => t.id), events: events.map((e) => e.event_id), markets: mkeys, lines: lkeys });
      ev("reconcile_result", { reason: "seed", snapshot: markets });
      ev("seeded", { ok: true, events: events.length });
    } catch (err) {
      ev("seeded", { ok: false, error: String(err), events: 0 });
    }
  };

  const startReconcile = (reason: string, eventIds?: number[]) => {
    if (reconcileInFlight) {
      for (const e of eventIds ?? ref.events.keys()) pendingReconcileEvents.add(e);
      return;
    }
    const ids = eventIds ?? [...ref.events.keys()].filter((id) => ref.events.get(id)?.status !== "unlisted");
    if (ids.length === 0) return;
    reconcileInFlight = true;
    client
      .getMultipleMarkets(ids)
      .then((snapshot) => ev("reconcile_result", { reason, snapshot }))
      .catch((err) => ev("reconcile_result", { reason, snapshot: undefined, error: String(err) }));
  };

  const sendPlacements = async (batch: WagerView[]) => {
    // Stored (pending_send) before anything is sent.
    try {
      await db.wager.createMany({
        data: batch.map((w) => ({ externalId: w.externalId, lineId: w.lineId, eventId: w.eventId, marketId: w.marketId, odds: w.odds, stakeCents: w.stakeCents, status: "pending_send" })),
      });
    } catch (err) {
      ev("place_result", { externalIds: batch.map((w) => w.externalId), succeeded: [], failed: batch.map((w) => ({ externalId: w.externalId, error: `not stored: ${String(err).slice(0, 200)}` })) });
      return;
    }
    for (let i = 0; i < batch.length; i += 20) {
      const chunk = batch.slice(i, i + 20);
      if (killSwitch || pauseReasons.has("mm_disconnected")) {
        ev("place_result", { externalIds: chunk.map((w) => w.externalId), succeeded: [], failed: chunk.map((w) => ({ externalId: w.externalId, error: "quoting stopped before send" })) });
        continue;
      }
      try {
        const r = await client.placeMultipleWagers(chunk.map((w) => ({ externalId: w.externalId, lineId: w.lineId, odds: w.odds, stakeCents: w.stakeCents })));
        const ok = new Set(r.succeed_wagers.map((s) => s.external_id));
        ev("place_result", {
          externalIds: chunk.map((w) => w.externalId),
          succeeded: r.succeed_wagers.map((s) => ({ externalId: s.external_id, wagerId: s.id, status: s.status })),
          failed: [
            ...r.failed_wagers.map((f) => ({ externalId: f.external_id, error: f.error ?? f.message ?? "failed" })),
            ...chunk.filter((w) => !ok.has(w.externalId) && !r.failed_wagers.some((f) => f.external_id === w.externalId)).map((w) => ({ externalId: w.externalId, error: "not in response" })),
          ],
        });
      } catch (err) {
        ev("place_result", { externalIds: chunk.map((w) => w.externalId), succeeded: [], failed: chunk.map((w) => ({ externalId: w.externalId, error: String(err).slice(0, 200) })) });
      }
    }
  };

  const cancelAll = (scope: string): Promise<void> => {
    counters.cancelAlls++;
    audit("cancel_all", "wagers", null, { scope });
    return client
      .cancelAllWagers()
      .then(() => ev("cancel_result", { scope, ok: true }))
      .catch((err) => ev("cancel_result", { scope, ok: false, error: String(err) }));
  };

  const pollWager = (w: WagerView) => {
    if (!w.wagerId) return;
    client
      .getWager(w.wagerId)
      .then((wager) => ev("wager_poll_result", { externalId: w.externalId, wager }))
      .catch((err) => ev("wager_poll_result", { externalId: w.externalId, wager: undefined, error: String(err) }));
  };

  // ── sockets ──
  const makeSocket = (product: Product) =>
    new PxSocket(client, {
      product,
      healthTimeoutMs,
      logger,
      onMessage: (m: SocketMessage) => enqueue({ type: "socket_message", receivedAtMs: m.receivedAtMs, m }),
      onMalformed: () => {
        counters.malformed++;
      },
      onState: (s) => ev("socket_state", { product: s.product, state: s.state, reason: s.reason }),
    });

  const startTrading = async () => {
    client.start();
    if (opts.seed !== false) await seed();
    else ev("seeded", { ok: true, events: 0 });
    mm = makeSocket("mm");
    sp = makeSocket("sp");
    await Promise.all([mm.start(), sp.start()]);
  };
  const stopTrading = () => {
    mm?.stop();
    sp?.stop();
    mm = undefined;
    sp = undefined;
    seeded = false;
  };

  // ── handlers ──
  const wagerFromWire = (w: S.PxWager): WagerView | undefined => {
    const ext = wagers.get(w.external_id) ?? (byWagerId.has(w.id) ? wagers.get(byWagerId.get(w.id)!) : undefined);
    return ext;
  };
  const applyWire = (w: S.PxWager, source: "socket" | "poll") => {
    const view = wagerFromWire(w);
    if (!view) {
      counters.wagerUpdatesIgnored++;
      return;
    }
    const changed = applyWagerUpdate(
      view,
      {
        status: w.status,
        matchingStatus: w.matching_status,
        winningStatus: w.winning_status,
        matchedStakeCents: w.totally_matched_stake != null ? dollarsToCentsRounded(w.totally_matched_stake) : w.matched_stake != null ? dollarsToCentsRounded(w.matched_stake) : undefined,
        wagerId: w.id,
        seq: w.sequence_number != null ? Number(w.sequence_number) : undefined,
      },
      now(),
    );
    if (view.wagerId) byWagerId.set(view.wagerId, view.externalId);
    if (changed) {
      counters.wagerUpdates++;
      persistWager(view, source);
    } else counters.wagerUpdatesIgnored++;
  };

  const handleMmBroadcast = (m: SocketMessage) => {
    const ct = m.changeType ?? "";
    if (ct === "market_selections") {
      const p = S.zMarketSelectionsPayload.safeParse(m.payload);
      if (!p.success) {
        counters.malformed++;
        return;
      }
      const r = applyMarketSelections(book, p.data, now());
      if (r.status === "stale") counters.bookStale++;
      else counters.bookUpdates++;
      if (r.status === "gap") {
        counters.bookGaps++;
        audit("book_gap", "event", String(p.data.sport_event_id), { marketId: p.data.market_id, seq: p.data.info.sequence_number });
        startReconcile("gap", [p.data.sport_event_id]);
      }
      for (const l of r.changedLines) dirtyLines.add(l);
      return;
    }
    if (ct === "matched_bet") {
      const p = S.zMatchedBetPayload.safeParse(m.payload);
      if (!p.success) {
        counters.malformed++;
        return;
      }
      const i = p.data.info;
      const t = { lineId: i.line_id, eventId: i.sport_event_id, marketId: i.market_id, odds: i.matched_odds, stakeCents: dollarsToCentsRounded(i.matched_stake), matchedAt: new Date(m.timestampNs ? Number(BigInt(m.timestampNs) / 1_000_000n) : m.receivedAtMs) };
      persister.addTrade(t);
      outbox("book", { kind: "trade", lineId: t.lineId, odds: t.odds, stakeCents: t.stakeCents });
      return;
    }
    const change = applyRefMessage(ref, ct, m.op, m.payload);
    if (!change) return;
    if (change.kind === "tournament") persistRef({ tournaments: [Number(change.id)] });
    if (change.kind === "event") {
      persistRef({ events: [Number(change.id)] });
      if (!change.deleted && !book.seqs.size) startReconcile("new_event", [Number(change.id)]);
    }
    if (change.kind === "market") persistRef({ markets: [change.id] });
    if (change.kind === "line") persistRef({ lines: [change.id] });
    outbox("book", { kind: "reference", ref: change.kind, id: change.id, deleted: change.deleted });
  };

  const handleMmPrivate = (m: SocketMessage) => {
    if (m.event === "health_check" || m.changeType === "private_system_signal") return;
    const p = S.zWager.safeParse((m.payload as { info?: unknown } | undefined)?.info ?? m.payload);
    if (!p.success) {
      counters.malformed++;
      return;
    }
    applyWire(p.data, "socket");
  };

  const legsFor = (rfq: S.PxRfq): PricerLeg[] =>
    rfq.market_lines.map((ml) => {
      const lb = book.lines.get(ml.line_id);
      const ev0 = ref.events.get(ml.sport_event_id);
      const mkt = ref.markets.get(`${ml.sport_event_id}:${ml.market_id}`);
      let opp: number | undefined;
      if (lb) {
        const gk = `${lb.eventId}:${lb.marketId}:${lb.line ?? 0}`;
        for (const id of book.groups.get(gk) ?? []) {
          const o = book.lines.get(id);
          if (o && o.lineId !== lb.lineId && o.side !== lb.side && o.levels[0]) opp = o.levels[0].odds;
        }
      }
      return {
        lineId: ml.line_id,
        eventId: ml.sport_event_id,
        marketId: ml.market_id,
        marketType: mkt?.type ?? "unknown",
        eventStatus: ev0?.status ?? "unknown",
        eventStartMs: ev0 ? Date.parse(ev0.scheduledAt) : 0,
        bestOdds: lb?.levels[0]?.odds,
        oppositeBestOdds: opp,
        bookAgeMs: lb ? now() - lb.updatedAtMs : undefined,
      };
    });

  const exposure = (excludeOrder?: string) => {
    let totalCents = 0;
    const byEventCents = new Map<number, number>();
    const add = (risk: number, evs: number[]) => {
      totalCents += risk;
      for (const e of evs) byEventCents.set(e, (byEventCents.get(e) ?? 0) + risk);
    };
    for (const o of orders.values()) if (o.status !== "settled" && o.status !== "failed" && o.status !== "rejected" && o.status !== "void") add(o.riskCents, o.eventIds);
    for (const [k, c] of inflightConfirms) if (k !== excludeOrder) add(c.riskCents, c.eventIds);
    return { totalCents, byEventCents };
  };

  const sendOffers = (st: RfqState, tiers: { odds: number; maxRiskCents: number }[], legs: { lineId: string; estimatedOdds: number }[], source: "auto" | "manual") => {
    const validUntilMs = now() + Math.max(6_000, settings.offerValidMs);
    const validUntilNs = (BigInt(validUntilMs) * 1_000_000n).toString();
    st.sentTiers = tiers;
    st.validUntilMs = validUntilMs;
    st.status = "quoted";
    client
      .sendOffers(st.rfq.callback_url, st.parlayId, tiers.map((t) => ({ validUntilNs, odds: t.odds, maxRiskCents: t.maxRiskCents, estimatedPrice: legs.map((l) => ({ lineId: l.lineId, odds: l.estimatedOdds })) })))
      .then(() => ev("offer_result", { parlayId: st.parlayId, ok: true }))
      .catch((err) => ev("offer_result", { parlayId: st.parlayId, ok: false, error: String(err) }));
    counters.quotes++;
    const fair = st.quote?.kind === "quote" ? st.quote.fairProbability : 0;
    const sentAt = new Date();
    persister.op((d) =>
      d.parlayQuote.createMany({
        data: tiers.map((t, i) => ({
          id: newId("quo"),
          parlayId: st.parlayId,
          tier: i,
          odds: t.odds,
          maxRiskCents: t.maxRiskCents,
          validUntilNs,
          fairProbability: fair,
          marginBps: "marginBps" in t ? Number((t as { marginBps: number }).marginBps) : 0,
          modelInputsJson: JSON.stringify(st.quote?.kind === "quote" ? st.quote.inputs : {}),
          source,
          status: "sent",
          sentAt,
        })),
      }),
    );
    persister.op((d) => d.parlayRequest.update({ where: { parlayId: st.parlayId }, data: { status: "quoted", fairProbability: fair || null } }));
    outbox("quote", { parlayId: st.parlayId, source, tiers, validUntilMs });
  };

  const handleRfq = (m: SocketMessage) => {
    const p = S.zRfqPayload.safeParse(m.payload);
    if (!p.success) {
      counters.malformed++;
      return;
    }
    const rfq = p.data;
    if (rfqs.has(rfq.parlay_id)) {
      counters.rfqDuplicates++;
      return;
    }
    counters.rfqs++;
    const st: RfqState = { parlayId: rfq.parlay_id, rfq, receivedAtMs: m.receivedAtMs, status: "received", quote: undefined, sentTiers: [], validUntilMs: 0, manual: false };
    rfqs.set(rfq.parlay_id, st);
    // Price first, answer, then persist (the DB never sits between the RFQ and the offer).
    let decision: QuoteResult;
    if (quotingPaused()) decision = { kind: "decline", reason: `quoting paused (${[...pauseReasons].join(",") || (killSwitch ? "kill_switch" : "standby")})` };
    else {
      try {
        decision = pricer.quoteParlay({ parlayId: rfq.parlay_id, stakeCents: dollarsToCentsRounded(rfq.stake), legs: legsFor(rfq), settings, nowMs: now() });
      } catch (err) {
        decision = { kind: "decline", reason: `pricer error: ${String(err).slice(0, 100)}` };
      }
      if (decision.kind === "quote") {
        const cap = settings.maxTotalExposureCents - exposure().totalCents;
        decision = { ...decision, tiers: decision.tiers.map((t) => ({ ...t, maxRiskCents: Math.min(t.maxRiskCents, cap) })).filter((t) => t.maxRiskCents > 0) };
        if (decision.tiers.length === 0) decision = { kind: "decline", reason: "no risk capacity" };
      }
    }
    st.quote = decision;
    const receivedAt = new Date(m.receivedAtMs);
    persister.op((d) =>
      d.parlayRequest.create({
        data: {
          parlayId: rfq.parlay_id,
          stakeCents: dollarsToCentsRounded(rfq.stake),
          callbackUrl: rfq.callback_url,
          createdAtNs: rfq.created_at ?? "0",
          receivedAt,
          creatorId: rfq.creator_id ?? null,
          status: decision.kind === "quote" ? "received" : "declined",
          declineReason: decision.kind === "decline" ? decision.reason : null,
          legs: { create: rfq.market_lines.map((l, idx) => ({ idx, lineId: l.line_id, marketId: l.market_id, outcomeId: l.outcome_id, sportEventId: l.sport_event_id, line: l.line ?? null, fairProbability: decision.kind === "quote" ? (decision.legs.find((x) => x.lineId === l.line_id)?.fairProbability ?? null) : null, bookOdds: book.lines.get(l.line_id)?.levels[0]?.odds ?? null })) },
        },
      }),
    );
    outbox("rfq", { parlayId: rfq.parlay_id, stakeCents: dollarsToCentsRounded(rfq.stake), legs: rfq.market_lines.map((l) => l.line_id), decision: decision.kind, reason: decision.kind === "decline" ? decision.reason : undefined });
    if (decision.kind === "quote") {
      sendOffers(st, decision.tiers, decision.legs, "auto");
      audit("quote", "parlay", rfq.parlay_id, { tiers: decision.tiers, fair: decision.fairProbability });
    } else {
      st.status = "declined";
      counters.declines++;
      audit("decline", "parlay", rfq.parlay_id, { reason: decision.reason });
    }
  };

  const handleConfirm = (m: SocketMessage) => {
    const p = S.zConfirmPayload.safeParse(m.payload);
    if (!p.success) {
      counters.malformed++;
      return;
    }
    const c = p.data;
    counters.confirms++;
    const st = rfqs.get(c.parlay_id);
    const stakeCents = dollarsToCentsRounded(c.stake);
    let action: "accept" | "reject" = "reject";
    let reason = "";
    let priceProbability: { maxRiskCents: number; lines: { lineId: string; probability: number }[] }[] = [];
    let riskCents = 0;
    const eventIds = st ? [...new Set(st.rfq.market_lines.map((l) => l.sport_event_id))] : [];
    // Fail closed: any exception or missing state → reject.
    try {
      riskCents = riskCentsFor(stakeCents, c.odds);
      if (!st) reason = "unknown parlay";
      else if (st.status === "declined" && !st.manual) reason = "declined";
      else if (quotingPaused()) reason = "quoting paused";
      else if (!st.sentTiers.some((t) => t.odds >= c.odds)) reason = `odds ${c.odds} better than any tier offered`;
      else if (riskCents > Math.max(...st.sentTiers.map((t) => t.maxRiskCents))) reason = `risk ${riskCents} above offered max_risk`;
      else {
        const requote = st.manual && st.quote?.kind !== "quote" ? ({ kind: "decline", reason: "manual quote has no model price" } as QuoteResult) : pricer.quoteParlay({ parlayId: st.parlayId, stakeCents, legs: legsFor(st.rfq), settings, nowMs: now() });
        const r = st.manual && requote.kind !== "quote" ? ({ accept: true as const, priceProbability: [] }) : pricer.checkConfirmation({ requote, requestedOdds: c.odds, stakeCents, riskCents, exposure: exposure(), eventIds, settings });
        if (r.accept) {
          action = "accept";
          priceProbability = r.priceProbability.length ? r.priceProbability : [{ maxRiskCents: riskCents, lines: st.rfq.market_lines.map((l) => ({ lineId: l.line_id, probability: 0.5 })) }];
        } else reason = r.reason;
      }
    } catch (err) {
      action = "reject";
      reason = `error: ${String(err).slice(0, 100)}`;
    }
    const key = c.order_uuid ?? c.parlay_id;
    if (action === "accept") inflightConfirms.set(key, { riskCents, eventIds });
    if (st) st.status = action === "accept" ? "confirming" : "rejected";
    action === "accept" ? counters.accepts++ : counters.rejects++;
    const deadline = 2_500;
    client
      .sendConfirmation(c.callback_url, { action, confirmedOdds: c.odds, orderUuid: c.order_uuid, priceProbability }, deadline)
      .then(() => ev("confirm_result", { parlayId: c.parlay_id, orderUuid: c.order_uuid ?? undefined, action, ok: true }))
      .catch((err) => ev("confirm_result", { parlayId: c.parlay_id, orderUuid: c.order_uuid ?? undefined, action, ok: false, error: String(err) }));
    const decidedAt = new Date();
    const latencyMicros = Math.max(0, (decidedAt.getTime() - m.receivedAtMs) * 1000);
    if (st)
      persister.op((d) =>
        d.parlayConfirmation.create({
          data: {
            id: newId("cnf"),
            parlayId: c.parlay_id,
            orderUuid: c.order_uuid ?? null,
            requestedOdds: c.odds,
            requestedStakeCents: stakeCents,
            decision: action,
            reason: reason || null,
            priceProbabilityJson: JSON.stringify(priceProbability),
            receivedAt: new Date(m.receivedAtMs),
            decidedAt,
            latencyMicros,
          },
        }),
      );
    if (st) persister.op((d) => d.parlayRequest.update({ where: { parlayId: c.parlay_id }, data: { status: action === "accept" ? "accepted" : "rejected" } }));
    outbox("confirm", { parlayId: c.parlay_id, orderUuid: c.order_uuid ?? null, action, reason: reason || null, odds: c.odds, stakeCents, riskCents, latencyMicros });
    audit(`confirm_${action}`, "parlay", c.parlay_id, { reason, odds: c.odds, stakeCents, riskCents });
  };

  const upsertOrder = (o: { orderUuid: string; parlayId: string; status: string; odds?: number | null; stakeCents?: number | undefined; profitCents?: number | null; settlementStatus?: string | null }) => {
    const prev = orders.get(o.orderUuid);
    const st = rfqs.get(o.parlayId);
    const inflight = inflightConfirms.get(o.orderUuid) ?? inflightConfirms.get(o.parlayId);
    const riskCents = prev?.riskCents || inflight?.riskCents || (o.stakeCents && o.odds ? riskCentsFor(o.stakeCents, Math.abs(o.odds) >= 100 ? -o.odds : 100) : 0);
    const eventIds = prev?.eventIds ?? inflight?.eventIds ?? (st ? [...new Set(st.rfq.market_lines.map((l) => l.sport_event_id))] : []);
    const next: OrderState = { orderUuid: o.orderUuid, parlayId: o.parlayId, status: o.status, riskCents, eventIds, profitCents: o.profitCents ?? prev?.profitCents ?? null };
    orders.set(o.orderUuid, next);
    inflightConfirms.delete(o.orderUuid);
    inflightConfirms.delete(o.parlayId);
    if (o.profitCents != null && prev?.profitCents == null && o.status === "settled") realisedPnlCents += o.profitCents;
    const snap = { ...next };
    const settled = o.status === "settled";
    persister.op(async (d) => {
      if (!(await d.parlayRequest.findUnique({ where: { parlayId: snap.parlayId } }))) return;
      const data = {
        parlayId: snap.parlayId,
        status: snap.status,
        odds: o.odds ?? 0,
        confirmedStakeCents: o.stakeCents ?? 0,
        riskCents: snap.riskCents,
        settlementStatus: o.settlementStatus ?? null,
        profitCents: snap.profitCents,
        ...(o.status === "finalized" ? { finalizedAt: new Date() } : {}),
        ...(settled ? { settledAt: new Date() } : {}),
      };
      const { odds: _o, confirmedStakeCents: _c, ...update } = data;
      await d.parlayOrder.upsert({ where: { orderUuid: snap.orderUuid }, create: { orderUuid: snap.orderUuid, ...data }, update: { ...update, ...(o.odds != null ? { odds: o.odds } : {}), ...(o.stakeCents ? { confirmedStakeCents: o.stakeCents } : {}) } });
    });
  };

  const handleSpPrivateOrBroadcast = (m: SocketMessage) => {
    if (m.event === "price.ask.new") return handleRfq(m);
    if (m.event === "price.confirm.new") return handleConfirm(m);
    if (m.event === "health_check" || m.changeType === "private_system_signal") return;
    const p = S.zOrderEventPayload.safeParse(m.payload);
    if (!p.success) {
      counters.malformed++;
      return;
    }
    const o = p.data;
    if (m.event === "order.matched") {
      outbox("order", { kind: "market_matched", parlayId: o.parlay_id, odds: o.matched_odds ?? null, stakeCents: o.matched_stake != null ? dollarsToCentsRounded(o.matched_stake) : null });
      return;
    }
    if (m.event === "order.finalized" && o.order_uuid) {
      upsertOrder({ orderUuid: o.order_uuid, parlayId: o.parlay_id, status: "finalized", odds: o.odds, stakeCents: o.confirmed_stake != null ? dollarsToCentsRounded(o.confirmed_stake) : undefined });
      const st = rfqs.get(o.parlay_id);
      if (st) st.status = "finalized";
      persister.op((d) => d.parlayRequest.updateMany({ where: { parlayId: o.parlay_id }, data: { status: "finalized" } }));
      outbox("order", { kind: "finalized", parlayId: o.parlay_id, orderUuid: o.order_uuid, odds: o.odds ?? null, stakeCents: o.confirmed_stake != null ? dollarsToCentsRounded(o.confirmed_stake) : null });
      audit("order_finalized", "parlay", o.parlay_id, { orderUuid: o.order_uuid });
      return;
    }
    if (m.event === "order.settled" && o.order_uuid) {
      const profitCents = o.profit != null ? dollarsToCentsRounded(o.profit) : null;
      upsertOrder({ orderUuid: o.order_uuid, parlayId: o.parlay_id, status: "settled", profitCents, settlementStatus: o.settlement_status ?? null });
      outbox("settlement", { kind: "order", parlayId: o.parlay_id, orderUuid: o.order_uuid, settlementStatus: o.settlement_status ?? null, profitCents });
      audit("order_settled", "parlay", o.parlay_id, { orderUuid: o.order_uuid, profitCents });
      return;
    }
    if (m.event === "parlay.settled") {
      const st = rfqs.get(o.parlay_id);
      if (st) st.status = "settled";
      persister.op((d) => d.parlayRequest.updateMany({ where: { parlayId: o.parlay_id }, data: { status: "settled" } }));
      outbox("settlement", { kind: "parlay", parlayId: o.parlay_id, settlementStatus: o.settlement_status ?? null, profitCents: o.profit != null ? dollarsToCentsRounded(o.profit) : null });
      return;
    }
  };

  // ── commands ──
  const finishCommand = (cmd: CommandRow, ok: boolean, result: unknown) => {
    if (!ok) counters.commandFailures++;
    persister.op(async (d) => {
      await d.engineCommand.updateMany({ where: { id: cmd.id }, data: { status: ok ? "done" : "failed", processedAt: new Date(), resultJson: JSON.stringify(result ?? {}) } });
      inflightCommands.delete(cmd.id);
    });
    audit(`command_${cmd.type}`, "command", cmd.id, { ok, payload: cmd.payload, result }, "trader", cmd.createdBy);
  };

  type PlaceReq = { lineId: string; odds: number; stakeCents: number };
  const handleCommand = (cmd: CommandRow) => {
    counters.commands++;
    const p = cmd.payload;
    const fail = (reason: string) => finishCommand(cmd, false, { error: reason });
    switch (cmd.type) {
      case "kill_switch": {
        const on = p.on !== false;
        killSwitch = on;
        outbox("health", { killSwitch: on });
        if (on) {
          pause("kill_switch");
          for (const st of rfqs.values()) if (st.status === "quoted") st.status = "declined";
          void cancelAll("kill_switch").then(() => {
            for (const w of wagers.values()) if (isOpen(w.status) && w.wagerId) pollWager(w);
          });
        } else unpause("kill_switch");
        return finishCommand(cmd, true, { killSwitch: on });
      }
      case "pause_quoting":
        pause("trader");
        return finishCommand(cmd, true, { quotingPaused: true });
      case "resume_quoting":
        unpause("trader");
        return finishCommand(cmd, true, { quotingPaused: quotingPaused(), pauseReasons: [...pauseReasons], killSwitch });
      case "cancel_all":
        void cancelAll("command");
        return finishCommand(cmd, true, { requested: true });
      case "place_wager": {
        if (quotingPaused()) return fail(`quoting paused (${[...pauseReasons].join(",") || "kill_switch"})`);
        const reqs = (Array.isArray(p.wagers) ? p.wagers : [p]) as PlaceReq[];
        const views: WagerView[] = [];
        for (const r of reqs) {
          if (typeof r.lineId !== "string" || !Number.isFinite(r.odds) || !Number.isInteger(r.stakeCents) || r.stakeCents <= 0) return fail("each wager needs lineId, odds, stakeCents (integer > 0)");
          const line = ref.lines.get(r.lineId);
          const lb = book.lines.get(r.lineId);
          if (!line && !lb) return fail(`unknown line ${r.lineId}`);
          views.push({
            externalId: newExternalId(),
            wagerId: undefined,
            lineId: r.lineId,
            eventId: line?.eventId ?? lb!.eventId,
            marketId: line?.marketId ?? lb!.marketId,
            odds: snapToLadder(r.odds),
            stakeCents: r.stakeCents,
            status: "pending_send",
            matchingStatus: "unmatched",
            winningStatus: "tbd",
            matchedStakeCents: 0,
            lastSeq: 0,
            sentAtMs: now(),
            activatedAtMs: undefined,
          });
        }
        for (const v of views) wagers.set(v.externalId, v);
        counters.wagersPlaced += views.length;
        void sendPlacements(views);
        audit("place_wagers", "wagers", null, { wagers: views.map((v) => ({ externalId: v.externalId, lineId: v.lineId, odds: v.odds, stakeCents: v.stakeCents })) });
        return finishCommand(cmd, true, { externalIds: views.map((v) => v.externalId), odds: views.map((v) => v.odds) });
      }
      case "cancel_wager": {
        const ids = (Array.isArray(p.externalIds) ? p.externalIds : p.externalId ? [p.externalId] : []) as string[];
        if (ids.length > 0) {
          const refs = ids.map((id) => wagers.get(id)).filter((w): w is WagerView => !!w && !!w.wagerId && isOpen(w.status)).map((w) => ({ wagerId: w.wagerId!, externalId: w.externalId }));
          if (refs.length === 0) return fail("no open wager with a wager id among those external ids");
          const call = refs.length === 1 ? client.cancelWager(refs[0]!) : client.cancelMultipleWagers(refs);
          call.then(() => ev("cancel_result", { scope: `wagers:${refs.length}`, ok: true })).catch((err) => ev("cancel_result", { scope: "wagers", ok: false, error: String(err) }));
          return finishCommand(cmd, true, { cancelling: refs.map((r) => r.externalId) });
        }
        if (typeof p.eventId === "number" && typeof p.marketId === "number") {
          client.cancelWagersByMarket(p.eventId, p.marketId, typeof p.lineId === "string" ? p.lineId : undefined).then(() => ev("cancel_result", { scope: "market", ok: true })).catch((err) => ev("cancel_result", { scope: "market", ok: false, error: String(err) }));
          return finishCommand(cmd, true, { scope: "market" });
        }
        if (typeof p.eventId === "number") {
          client.cancelWagersByEvent(p.eventId).then(() => ev("cancel_result", { scope: "event", ok: true })).catch((err) => ev("cancel_result", { scope: "event", ok: false, error: String(err) }));
          return finishCommand(cmd, true, { scope: "event" });
        }
        return fail("payload needs externalId | externalIds | eventId [+ marketId [+ lineId]]");
      }
      case "override_quote":
      case "manual_quote": {
        const st = rfqs.get(String(p.parlayId));
        if (!st) return fail("unknown parlay");
        if (quotingPaused()) return fail("quoting paused");
        if (now() - st.receivedAtMs > 60_000 || ["confirming", "accepted", "finalized", "settled"].includes(st.status)) return fail(`too late (status ${st.status})`);
        const tiers = (Array.isArray(p.tiers) ? p.tiers : [{ odds: p.odds, maxRiskCents: p.maxRiskCents }]) as { odds: number; maxRiskCents: number }[];
        if (!tiers.every((t) => Number.isInteger(t.odds) && Math.abs(t.odds) >= 100 && Number.isInteger(t.maxRiskCents) && t.maxRiskCents > 0)) return fail("tiers need integer American odds and maxRiskCents > 0");
        const legs = st.quote?.kind === "quote" ? st.quote.legs : st.rfq.market_lines.map((l) => ({ lineId: l.line_id, estimatedOdds: 100 }));
        st.manual = true;
        sendOffers(st, tiers, legs, "manual");
        return finishCommand(cmd, true, { parlayId: st.parlayId, tiers });
      }
      case "decline_rfq": {
        const st = rfqs.get(String(p.parlayId));
        if (!st) return fail("unknown parlay");
        st.status = "declined";
        st.manual = false;
        st.sentTiers = [];
        persister.op((d) => d.parlayRequest.updateMany({ where: { parlayId: st.parlayId }, data: { status: "declined", declineReason: "trader" } }));
        outbox("rfq", { parlayId: st.parlayId, decision: "decline", reason: "trader" });
        return finishCommand(cmd, true, { parlayId: st.parlayId });
      }
      case "update_settings": {
        const patch = (p.settings ?? p) as Partial<EngineSettings>;
        settings = { ...settings, ...patch };
        const value = JSON.stringify(settings);
        persister.op((d) => d.setting.upsert({ where: { key: "engine" }, create: { key: "engine", valueJson: value, updatedBy: cmd.createdBy }, update: { valueJson: value, updatedBy: cmd.createdBy } }));
        lastSupportedAt = 0;
        return finishCommand(cmd, true, { settings });
      }
      default:
        return fail(`unknown command type ${cmd.type}`);
    }
  };

  // ── periodic checks (tick) ──
  const tick = () => {
    const t = now();
    // Cancel-on-disconnect (client-side emulation).
    if (holder && seeded && mm) {
      const age = mm.heartbeatAgeMs(t);
      const healthy = mm.state === "connected" && age !== undefined && age <= disconnectGraceMs;
      if (healthy) {
        mmUnhealthySince = undefined;
        if (pauseReasons.has("mm_disconnected")) unpause("mm_disconnected");
      } else {
        mmUnhealthySince ??= t;
        if (t - mmUnhealthySince >= disconnectGraceMs && !pauseReasons.has("mm_disconnected")) {
          counters.cancelOnDisconnect++;
          pause("mm_disconnected");
          audit("cancel_on_disconnect", "engine", engineId, { state: mm.state, heartbeatAgeMs: age ?? null });
          void cancelAll("cancel_on_disconnect");
        }
      }
    }
    if (holder && sp) {
      const spAge = sp.heartbeatAgeMs(t);
      const ok = sp.state === "connected" && spAge !== undefined && spAge <= disconnectGraceMs;
      if (!ok && spEverConnected) pause("sp_disconnected");
      else if (ok) unpause("sp_disconnected");
    }
    // 10-second rule.
    let needReconnect = false;
    for (const w of wagers.values()) {
      if (w.status !== "inactive" || !w.wagerId || w.sentAtMs === undefined || polledWagers.has(w.externalId)) continue;
      if (t - w.sentAtMs >= activationTimeoutMs) {
        counters.activationTimeouts++;
        polledWagers.add(w.externalId);
        needReconnect = true;
        audit("activation_timeout", "wager", w.externalId, { wagerId: w.wagerId });
        pollWager(w);
      }
    }
    if (needReconnect && mm && t - lastWagerPollReconnectAt > activationTimeoutMs) {
      lastWagerPollReconnectAt = t;
      void mm.reconnect("10-second rule: no activation message");
    }
    // Throttled book snapshots (≤ 1 per line per snapshotThrottleMs).
    for (const id of dirtyLines) {
      if (t - (lastSnapshotAt.get(id) ?? 0) < snapshotThrottleMs) continue;
      dirtyLines.delete(id);
      lastSnapshotAt.set(id, t);
      const lb = book.lines.get(id);
      if (!lb) continue;
      const best = lb.levels[0];
      persister.addSnapshot({ lineId: id, bestOdds: best?.odds ?? null, bestStakeCents: best?.stakeCents ?? 0, depthJson: JSON.stringify(lb.levels.slice(0, 5)) });
      outbox("book", { kind: "snapshot", lineId: id, bestOdds: best?.odds ?? null, bestStakeCents: best?.stakeCents ?? 0 });
    }
    if (!holder || !seeded) return;
    if (t - lastReconcileAt >= reconcileIntervalMs || counters.queueDropped > droppedAtLastReconcile) {
      droppedAtLastReconcile = counters.queueDropped;
      lastReconcileAt = t;
      startReconcile("interval");
    }
    if (t - lastSpOrdersAt >= spOrdersReconcileMs) {
      lastSpOrdersAt = t;
      client
        .getSpOrders({ relative: "24h" })
        .then((o) => ev("sp_orders_result", { orders: o }))
        .catch((err) => ev("sp_orders_result", { orders: undefined, error: String(err) }));
    }
    if (t - lastSupportedAt >= supportedLinesIntervalMs && !supportedInFlight) {
      lastSupportedAt = t;
      updateSupportedLines(t);
    }
  };
  let droppedAtLastReconcile = 0;

  const updateSupportedLines = (t: number) => {
    const want = new Set<string>();
    if (!quotingPaused()) {
      for (const l of ref.lines.values()) {
        const e = ref.events.get(l.eventId);
        const m = ref.markets.get(`${l.eventId}:${l.marketId}`);
        const lb = book.lines.get(l.lineId);
        if (!e || e.status !== "not_started" || Date.parse(e.scheduledAt) <= t) continue;
        if (settings.parlayMarketTypes.length > 0 && !settings.parlayMarketTypes.includes(m?.type ?? "")) continue;
        if (!lb || lb.levels.length === 0 || t - lb.updatedAtMs > settings.bookStaleMs) continue;
        want.add(l.lineId);
      }
    }
    const added = [...want].filter((l) => !supportedLines.has(l));
    const removed = [...supportedLines].filter((l) => !want.has(l));
    if (added.length === 0 && removed.length === 0) return;
    supportedInFlight = true;
    (async () => {
      for (let i = 0; i < added.length; i += 500) await client.sendSupportedLines(added.slice(i, i + 500));
      for (let i = 0; i < removed.length; i += 500) await client.deleteSupportedLines(removed.slice(i, i + 500));
    })()
      .then(() => ev("supported_lines_result", { added, removed, ok: true }))
      .catch((err) => ev("supported_lines_result", { added, removed, ok: false, error: String(err) }));
  };

  // ── dispatcher ──
  const handle = (e: EngineEvent) => {
    counters.events++;
    switch (e.type) {
      case "tick":
        return tick();
      case "lease": {
        if (e.held === holder) return;
        holder = e.held;
        audit(e.held ? "lease_acquired" : "lease_lost", "engine", engineId, {});
        outbox("health", { role: holder ? "holder" : "standby", engineId });
        if (holder) void startTrading().catch((err) => logger.error("start trading failed", String(err)));
        else stopTrading();
        return;
      }
      case "seeded":
        seeded = e.ok;
        if (!e.ok) {
          logger.error("seeding failed; retrying in 2 s", e.error);
          setTimeout(() => holder && !stopped && void seed(), 2_000).unref?.();
        } else audit("seeded", "engine", engineId, { events: e.events });
        return;
      case "socket_state": {
        outbox("health", { product: e.product, state: e.state, reason: e.reason ?? null });
        if (e.state !== "connected") return;
        if (e.product === "mm") {
          if (mmEverConnected) {
            audit("mm_reconnected", "engine", engineId, {});
            startReconcile("reconnect");
            for (const w of wagers.values()) if (isOpen(w.status) && w.wagerId) pollWager(w);
          }
          mmEverConnected = true;
        } else {
          if (spEverConnected) lastSpOrdersAt = 0;
          spEverConnected = true;
        }
        return;
      }
      case "socket_message": {
        counters.socketMessages++;
        const m = e.m;
        if (m.product === "mm") return m.channelKind === "broadcast" ? handleMmBroadcast(m) : handleMmPrivate(m);
        return handleSpPrivateOrBroadcast(m);
      }
      case "reconcile_result": {
        reconcileInFlight = false;
        if (e.snapshot) {
          const changed = reconcileEvents(book, e.snapshot, now());
          counters.reconciles++;
          if (e.reason !== "seed") counters.reconcileDiffLines += changed.length;
          for (const l of changed) dirtyLines.add(l);
          if (changed.length > 0 && e.reason !== "seed") audit("book_reconciled", "book", null, { reason: e.reason, diffLines: changed.length });
        } else logger.warn("reconcile failed", e.error);
        if (pendingReconcileEvents.size > 0) {
          const ids = [...pendingReconcileEvents];
          pendingReconcileEvents = new Set();
          startReconcile("pending", ids);
        }
        return;
      }
      case "place_result": {
        for (const s of e.succeeded) {
          const w = wagers.get(s.externalId);
          if (!w) continue;
          w.wagerId = s.wagerId;
          w.sentAtMs = now();
          byWagerId.set(s.wagerId, s.externalId);
          applyWagerUpdate(w, { status: s.status && s.status !== "pending_send" ? s.status : "inactive", wagerId: s.wagerId }, now());
          persistWager(w, "rest");
        }
        for (const f of e.failed) {
          const w = wagers.get(f.externalId);
          if (!w) continue;
          counters.wagersRejected++;
          w.status = "rejected" as WagerStatus;
          persistWager(w, "rest");
          audit("wager_rejected", "wager", f.externalId, { error: f.error });
        }
        return;
      }
      case "wager_poll_result":
        if (e.wager) applyWire(e.wager, "poll");
        else logger.warn(`get_wager failed for ${e.externalId}`, e.error);
        return;
      case "cancel_result":
        outbox("wager", { kind: "cancel", scope: e.scope, ok: e.ok, error: e.error ?? null });
        if (!e.ok) audit("cancel_failed", "wagers", null, { scope: e.scope, error: e.error });
        return;
      case "offer_result":
        if (!e.ok) {
          counters.offerFailures++;
          persister.op((d) => d.parlayQuote.updateMany({ where: { parlayId: e.parlayId, status: "sent" }, data: { status: "failed" } }));
          audit("offer_failed", "parlay", e.parlayId, { error: e.error });
        }
        return;
      case "confirm_result":
        if (!e.ok) {
          if (e.action === "accept") {
            inflightConfirms.delete(e.orderUuid ?? e.parlayId);
            const st = rfqs.get(e.parlayId);
            if (st) st.status = "failed";
          }
          audit("confirm_send_failed", "parlay", e.parlayId, { error: e.error, action: e.action });
        }
        return;
      case "sp_orders_result":
        if (e.orders)
          for (const o of e.orders) {
            const parlayId = o.p_id ?? o.parlay_id;
            if (!parlayId) continue;
            const prev = orders.get(o.order_uuid);
            if (prev && prev.status === o.status) continue;
            if (!prev && !rfqs.has(parlayId)) continue;
            upsertOrder({ orderUuid: o.order_uuid, parlayId, status: o.status, odds: o.odds, stakeCents: o.confirmed_stake != null ? dollarsToCentsRounded(o.confirmed_stake) : undefined, profitCents: o.profit != null ? dollarsToCentsRounded(o.profit) : null, settlementStatus: o.settlement_status ?? null });
          }
        return;
      case "supported_lines_result":
        supportedInFlight = false;
        if (e.ok) {
          for (const l of e.added) supportedLines.add(l);
          for (const l of e.removed) supportedLines.delete(l);
          audit("supported_lines", "parlay", null, { added: e.added.length, removed: e.removed.length });
        } else lastSupportedAt = 0;
        return;
      case "command":
        try {
          return handleCommand(e.cmd);
        } catch (err) {
          return finishCommand(e.cmd, false, { error: String(err) });
        }
    }
  };

  // ── the loop ──
  let idleWaiters: (() => void)[] = [];
  const loop = (async () => {
    while (!stopped) {
      await queue.waitForItem();
      let e: EngineEvent | undefined;
      while ((e = queue.poll())) {
        try {
          handle(e);
        } catch (err) {
          logger.error(`handler for ${e.type} threw`, String(err));
        }
      }
      const ws = idleWaiters;
      idleWaiters = [];
      for (const w of ws) w();
    }
  })();

  // ── producers: timers ──
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    timers.push(t);
  };
  const leaseTick = async () => {
    try {
      const held = await tryAcquireLease(db, leaseName, engineId, leaseTtlMs);
      if (!stopped) ev("lease", { held });
    } catch (err) {
      logger.warn("lease renew failed", String(err));
      if (!stopped) ev("lease", { held: false });
    }
  };
  await leaseTick();
  every(leaseRenewMs, () => void leaseTick());
  every(opts.tickMs ?? 100, () => enqueue({ type: "tick", receivedAtMs: now() }));

  const status = (): EngineStatus => {
    const exp = client.rest.tokenExpiresAt;
    return {
      engineId,
      role: stopped ? "stopped" : holder ? "holder" : "standby",
      connection: { mm: mm?.state ?? "idle", sp: sp?.state ?? "idle" },
      heartbeatAgeMs: { mm: mm?.heartbeatAgeMs() ?? null, sp: sp?.heartbeatAgeMs() ?? null },
      tokenExpiresAt: exp ? new Date(exp).toISOString() : null,
      rateLimitUsage: client.rest.limiter.usage() / 50,
      quotingPaused: quotingPaused(),
      pauseReasons: [...pauseReasons],
      killSwitch,
      queueDepth: queue.depth,
      openWagers: [...wagers.values()].filter((w) => OPEN_WAGER_STATUSES.has(w.status)).length,
      exposureCents: exposure().totalCents,
      realisedPnlCents,
      counters: {
        ...counters,
        ...Object.fromEntries(Object.entries(client.rest.counters).map(([k, v]) => [`rest_${k}`, v])),
        ...Object.fromEntries(Object.entries(mm?.counters ?? {}).map(([k, v]) => [`mm_${k}`, v])),
        ...Object.fromEntries(Object.entries(sp?.counters ?? {}).map(([k, v]) => [`sp_${k}`, v])),
        queueEvicted: queue.counters.evictedDroppable,
        queueMaxDepth: queue.counters.maxDepth,
        persistFailures: persister.counters.failures,
      },
      updatedAt: new Date().toISOString(),
    };
  };
  every(opts.statusIntervalMs ?? 1_000, () => {
    if (!holder || stopped) return;
    const json = JSON.stringify(status());
    void db.engineLease.updateMany({ where: { name: leaseName, holderId: engineId }, data: { statusJson: json } }).catch(() => undefined);
  });
  every(opts.commandPollMs ?? 200, () => {
    if (!holder || stopped) return;
    void db.engineCommand
      .findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" }, take: 50 })
      .then((rows) => {
        for (const r of rows) {
          if (inflightCommands.has(r.id)) continue;
          inflightCommands.add(r.id);
          let payload: Record<string, unknown> = {};
          try {
            payload = JSON.parse(r.payloadJson) as Record<string, unknown>;
          } catch {
            payload = {};
          }
          ev("command", { cmd: { id: r.id, type: r.type, payload, createdBy: r.createdBy } });
        }
      })
      .catch((err) => logger.warn("command poll failed", String(err)));
  });

  const stop = async () => {
    if (stopped) return;
    if (holder && opts.cancelAllOnStop !== false) {
      try {
        await client.cancelAllWagers();
        audit("cancel_all", "wagers", null, { scope: "shutdown" });
      } catch (err) {
        logger.warn("cancel-all on stop failed", String(err));
      }
    }
    stopped = true;
    for (const t of timers) clearInterval(t);
    stopTrading();
    queue.wake();
    await loop;
    audit("engine_stopped", "engine", engineId, {});
    await persister.stop();
    try {
      await releaseLease(db, leaseName, engineId);
    } catch {
      /* db gone */
    }
    client.close();
  };

  return {
    engineId,
    stop,
    get state() {
      return status();
    },
    isHolder: () => holder,
    client,
    debug: { book, ref, wagers, rfqs, orders, sockets: () => ({ mm, sp }), queue },
    enqueueCommand: (type, payload) => {
      const id = newId("cmd");
      persister.op((d) => d.engineCommand.create({ data: { id, type, payloadJson: JSON.stringify(payload), createdBy: "bench", status: "pending" } }));
      inflightCommands.add(id);
      ev("command", { cmd: { id, type, payload, createdBy: "bench" } });
      return id;
    },
    drain: async () => {
      await new Promise<void>((r) => {
        idleWaiters.push(r);
        queue.wake();
      });
      await persister.flush();
      await persister.flush();
    },
  };
};
