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
import { dollarsToCentsRounded, profitCentsAtAmerican } from "../../lib/money/cents.ts";
import { isDroppable, type CommandRow, type EngineEvent } from "./events.ts";
import { releaseLease, tryAcquireLease } from "./lease.ts";
import { fastId } from "./fast-id.ts";
import { Persister } from "./persist.ts";
import { performance } from "node:perf_hooks";
import { capTierRisk, riskCapacity, type OfferedQuote } from "../../lib/risk/index.ts";
import type { ParlayLeg, PricingConfig, QuoteDecision, Sport } from "../../lib/pricing/index.ts";
import { legSemantics, marketSpec } from "../../lib/pricing/index.ts";
import { PxApiError } from "../prophetx/errors.ts";
import { exposureLegsFor, manualConfirm, modelPricer, type ParlayPricer } from "./parlay/pricer.ts";
import { ExposureBook } from "./parlay/exposure-book.ts";
import { createEngineMarketView } from "./parlay/view.ts";
import {
  applySettingRow,
  baseRiskLimitsOf,
  confirmationPolicyOf,
  DEFAULT_SETTINGS,
  emptySettingsState,
  ENGINE_KEY,
  pricingConfigOf,
  riskLimitsFor,
  sportValues,
  storedValue,
  validateSetting,
  type EngineSettings,
  type SettingsState,
  type SportSettingValue,
} from "./settings.ts";

export { DEFAULT_SETTINGS, type EngineSettings } from "./settings.ts";

export type StartEngineOptions = {
  db: Db;
  baseUrl: string;
  accessKey: string;
  secretKey: string;
  engineId?: string;
  settings?: Partial<EngineSettings>;
  /** Parlay pricer (default: lib/pricing + lib/risk; benches pass a naive one). */
  pricer?: ParlayPricer;
  /** Exchange free balance poll (default 2 s); quoting capacity is 0 until the first answer. */
  balancePollMs?: number;
  /**
   * RFQ states kept at most (oldest finished ones forgotten first; default 10,000); also forgotten
   * 30 s after receipt. A state whose offer can still be confirmed, or that is being confirmed, is
   * kept regardless; accepted orders have their own state. (The dashboard reads RFQs from the DB.)
   */
  maxRfqStates?: number;
  /**
   * An RFQ that waited longer than this between its socket message and our handling (a backlog in
   * the event queue) is declined without pricing (default 1,000 ms): an offer that late is useless,
   * and skipping the work is what lets an overloaded engine catch up instead of falling further behind.
   */
  maxRfqQueueDelayMs?: number;
  /** Bench hook: called when an offer POST is handed to the HTTP client, with the time since the socket callback. */
  onQuoteSent?: (info: { parlayId: string; latencyMs: number; source: "auto" | "manual" }) => void;
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

type EngineDecision = QuoteDecision | { kind: "decline"; reason: string; detail?: string };
/** What an RFQ's state keeps of the pricer's decision: no model inputs (they go to the DB with the
 * quote rows and are not needed again). */
type KeptDecision = Omit<Extract<QuoteDecision, { kind: "quote" }>, "inputs"> | { kind: "decline"; reason: string; detail?: string };
type RfqState = {
  parlayId: string;
  callbackUrl: string;
  legs: ParlayLeg[];
  creatorId: string | undefined;
  receivedAtMs: number;
  status: "received" | "quoted" | "declined" | "confirming" | "accepted" | "rejected" | "finalized" | "settled" | "failed";
  quote: KeptDecision | undefined;
  sentTiers: { odds: number; maxRiskCents: number }[];
  validUntilMs: number;
  manual: boolean;
  /** What we offered (for checkConfirmation); undefined until offers are sent. */
  offered: OfferedQuote | undefined;
};
type OrderState = { orderUuid: string; parlayId: string; status: string; riskCents: number; eventIds: number[]; profitCents: number | null; acceptedAtMs: number; finalized: boolean; closedAtMs?: number };
const OPEN_ORDER_STATUSES = ["accepted", "finalized", "matched"];
/** Settled orders stay remembered this long (by creation) — longer than GET parlay/sp/orders' 24 h window. */
const SETTLED_MEMORY_MS = 48 * 3_600_000;
/** How long a finished RFQ's state stays in memory (offer windows and confirmations take seconds). */
const RFQ_STATE_MS = 30_000;
/** A reconcile whose result never came back is considered lost after this (REST calls give up after ~25 s). */
const RECONCILE_STUCK_MS = 60_000;
const offerKey = (parlayId: string) => `offer:${parlayId}`;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** RFQs answered before their bookkeeping must run (bounds the rows held back and the book they read). */
const MAX_DEFERRED_BOOKKEEPING = 32;
const isRfq = (e: EngineEvent | undefined): boolean => e?.type === "socket_message" && e.m.product === "sp" && e.m.event === "price.ask.new";

export type EngineHandle = {
  engineId: string;
  stop: () => Promise<void>;
  readonly state: EngineStatus;
  isHolder: () => boolean;
  client: ProphetXClient;
  /** Test/bench access to the loop-owned state (read only). */
  debug: { persister: Persister; book: BookState; ref: RefState; wagers: Map<string, WagerView>; rfqs: Map<string, RfqState>; orders: Map<string, OrderState>; exposure: ExposureBook; balance: () => number | undefined; settings: () => SettingsState; sockets: () => { mm?: PxSocket | undefined; sp?: PxSocket | undefined }; queue: BoundedQueue<EngineEvent> };
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
  const balancePollMs = opts.balancePollMs ?? 2_000;
  const pricer = opts.pricer ?? modelPricer;
  const maxRfqStates = opts.maxRfqStates ?? 10_000;
  const maxRfqQueueDelayMs = opts.maxRfqQueueDelayMs ?? 1_000;
  // Settings: the Setting table is the one source of truth (server/engine/settings.ts); options only
  // give the defaults underneath the stored rows.
  let settingsState: SettingsState = emptySettingsState({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) });
  try {
    for (const row of await db.setting.findMany()) {
      try {
        settingsState = applySettingRow(settingsState, row.key, JSON.parse(row.valueJson));
      } catch {
        logger.warn(`setting ${row.key} is not JSON; ignored`);
      }
    }
  } catch {
    /* no stored settings */
  }
  let settings: EngineSettings = settingsState.engine;

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
  /** Settled orders whose P&L is already counted (uuid → created ms): a later listing of one (after a
   * restart, or once `orders` forgot it) must not be recovered and counted again. */
  const settledOrders = new Map<string, number>();
  // Parlay risk: every accepted order (key = order uuid) and every in-flight offer reservation
  // (key = "offer:<parlayId>"), exposure maintained incrementally.
  const exposureBook = new ExposureBook();
  /** Offer reservations in send order → valid-until (released after valid_until + grace). */
  const reservations = new Map<string, number>();
  const view = createEngineMarketView(book, ref);
  let balanceCents: number | undefined;
  let balancePolledAtMs = 0;
  let balanceInFlight = false;
  let lastBalanceAt = 0;
  let lastPruneAt = 0;
  // Derived settings (rebuilt when settings or tournaments change).
  let derived: { version: number; pricing: PricingConfig; sports: Map<Sport, SportSettingValue>; base: { paused: boolean; limits: ReturnType<typeof baseRiskLimitsOf> } } | undefined;
  let settingsVersion = 0;
  const sportNameById = (id: number): string | undefined => {
    for (const t of ref.tournaments.values()) if (t.sportId === id) return t.sportName;
    return undefined;
  };
  const derive = () => {
    const key = settingsVersion * 1000 + ref.tournaments.size;
    if (!derived || derived.version !== key) {
      const sports = sportValues(settingsState, sportNameById);
      derived = { version: key, pricing: pricingConfigOf(settingsState, sports), sports, base: { paused: false, limits: baseRiskLimitsOf(settingsState, false) } };
    }
    return derived;
  };
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
  let reconcileStartedAtMs = 0;
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
    rfqsStale: 0,
    quotes: 0,
    declines: 0,
    offerFailures: 0,
    confirms: 0,
    accepts: 0,
    rejects: 0,
    confirmDeadlineMissed: 0,
    confirmUnknown: 0,
    reservationsReleased: 0,
    balancePolls: 0,
    ordersRecovered: 0,
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
    // A result lost on the way back (queue past its hard capacity) must not block reconciling forever;
    // REST calls are bounded well inside this.
    if (reconcileInFlight && now() - reconcileStartedAtMs < RECONCILE_STUCK_MS) {
      for (const e of eventIds ?? ref.events.keys()) pendingReconcileEvents.add(e);
      return;
    }
    const ids = eventIds ?? [...ref.events.keys()].filter((id) => ref.events.get(id)?.status !== "unlisted");
    if (ids.length === 0) return;
    reconcileInFlight = true;
    reconcileStartedAtMs = now();
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
      onMessage: (m: SocketMessage) => enqueue({ type: "socket_message", receivedAtMs: m.receivedAtMs, m, hr: performance.now() }),
      onMalformed: () => {
        counters.malformed++;
      },
      onState: (s) => ev("socket_state", { product: s.product, state: s.state, reason: s.reason }),
    });

  const startTrading = async () => {
    // A standby may have waited a long time: what the previous holder wrote since then counts.
    await reloadOpenOrders();
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
    view.invalidate();
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

  // ── parlays: pricing and risk (lib/pricing, lib/risk through ./parlay/pricer.ts) ──
  const legsOf = (rfq: S.PxRfq): ParlayLeg[] =>
    rfq.market_lines.map((ml) => ({ lineId: ml.line_id, marketId: ml.market_id, outcomeId: ml.outcome_id, sportEventId: String(ml.sport_event_id), ...(ml.line != null ? { line: ml.line } : {}) }));
  const sportsOf = (legs: readonly ParlayLeg[]): Sport[] => {
    const out = new Set<Sport>();
    for (const l of legs) {
      const sp = view.sportOfEvent(l.sportEventId);
      if (sp) out.add(sp);
    }
    return [...out];
  };
  /** Limits for this parlay: global rows, tightened by the per-sport rows of its legs' sports. */
  const limitsFor = (legs: readonly ParlayLeg[]) => {
    const d = derive();
    const base = quotingPaused() ? { ...d.base.limits, paused: true } : d.base.limits;
    return riskLimitsFor(base, sportsOf(legs), d.sports);
  };
  /** Exchange free balance minus liabilities accepted since (or not yet visible in) the last poll. */
  let availableBalanceCents = 0;
  const balanceSnapshot = () => ({ availableCents: balanceCents === undefined ? 0 : availableBalanceCents });

  const reserve = (st: RfqState, liabilityCents: number, validUntilMs: number) => {
    exposureBook.add({ orderId: offerKey(st.parlayId), state: "in_flight", ...(st.creatorId ? { creatorId: st.creatorId } : {}), liabilityCents, legs: exposureLegsFor(st.legs, view) });
    reservations.delete(st.parlayId);
    reservations.set(st.parlayId, validUntilMs);
  };
  const release = (parlayId: string) => {
    reservations.delete(parlayId);
    if (exposureBook.remove(offerKey(parlayId))) counters.reservationsReleased++;
  };

  /** Sends the offers and reserves them; returns the persistence step (queued after the request row). */
  const sendOffers = (st: RfqState, tiers: { odds: number; maxRiskCents: number }[], legs: { lineId: string; estimatedOdds: number }[], source: "auto" | "manual", hr?: number, inputs?: unknown): (() => void) => {
    const validUntilMs = now() + Math.max(6_000, settings.offerValidMs);
    const validUntilNs = (BigInt(validUntilMs) * 1_000_000n).toString();
    const fair = st.quote?.kind === "quote" ? st.quote.fairProbability : 0;
    st.sentTiers = tiers;
    st.validUntilMs = validUntilMs;
    st.status = "quoted";
    st.offered = { parlayId: st.parlayId, legs: st.legs, ...(st.creatorId ? { creatorId: st.creatorId } : {}), fairProbability: fair, tiers, validUntilMs };
    client
      .sendOffers(st.callbackUrl, st.parlayId, tiers.map((t) => ({ validUntilNs, odds: t.odds, maxRiskCents: t.maxRiskCents, estimatedPrice: legs.map((l) => ({ lineId: l.lineId, odds: l.estimatedOdds })) })))
      .then(() => ev("offer_result", { parlayId: st.parlayId, ok: true }))
      .catch((err) => ev("offer_result", { parlayId: st.parlayId, ok: false, error: String(err) }));
    if (opts.onQuoteSent && hr !== undefined) opts.onQuoteSent({ parlayId: st.parlayId, latencyMs: performance.now() - hr, source });
    // Reserve the whole offer at once so concurrent RFQs see it (released at valid_until).
    reserve(st, tiers.reduce((s, t) => s + t.maxRiskCents, 0), validUntilMs);
    counters.quotes++;
    return () => persistQuote(st, tiers, source, fair, validUntilNs, validUntilMs, inputs);
  };
  const persistQuote = (st: RfqState, tiers: { odds: number; maxRiskCents: number }[], source: "auto" | "manual", fair: number, validUntilNs: string, validUntilMs: number, inputs: unknown) => {
    const sentAt = new Date();
    const baseBps = inputs && typeof inputs === "object" && "marginBps" in inputs ? Number(inputs.marginBps) : 0;
    const stepBps = derive().pricing.margin.tierStepBps;
    const modelInputsJson = JSON.stringify({ pricer: source === "manual" ? "manual" : pricer.name, ...((inputs as object | undefined) ?? {}), ...(source === "manual" ? { manualTiers: tiers } : {}) });
    persister.addQuotes(
      tiers.map((t, i) => ({
        id: fastId("quo"),
        parlayId: st.parlayId,
        tier: i,
        odds: t.odds,
        maxRiskCents: t.maxRiskCents,
        validUntilNs,
        fairProbability: fair,
        marginBps: source === "auto" ? Math.round(baseBps + i * stepBps) : 0,
        modelInputsJson,
        source,
        status: "sent",
        sentAt,
      })),
    );
    persister.updateRequest(st.parlayId, { status: "quoted", fairProbability: fair || null });
    outbox("quote", { parlayId: st.parlayId, source, tiers, validUntilMs });
  };

  const handleRfq = (m: SocketMessage, hr: number | undefined) => {
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
    const legs = legsOf(rfq);
    const creatorId = rfq.creator_id ?? undefined;
    const st: RfqState = { parlayId: rfq.parlay_id, callbackUrl: rfq.callback_url, legs, creatorId, receivedAtMs: m.receivedAtMs, status: "received", quote: undefined, sentTiers: [], validUntilMs: 0, manual: false, offered: undefined };
    rfqs.set(rfq.parlay_id, st);
    const stakeCents = dollarsToCentsRounded(rfq.stake);
    // Price first, answer, then persist (the DB never sits between the RFQ and the offer).
    let decision: EngineDecision;
    const queuedMs = now() - m.receivedAtMs;
    if (quotingPaused()) decision = { kind: "decline", reason: `quoting paused (${[...pauseReasons].join(",") || (killSwitch ? "kill_switch" : "standby")})` };
    else if (queuedMs > maxRfqQueueDelayMs) {
      counters.rfqsStale++;
      decision = { kind: "decline", reason: "stale", detail: `waited ${queuedMs} ms in the engine queue` };
    } else if (persister.overloaded) decision = { kind: "decline", reason: "busy (persistence backlog)" };
    else {
      try {
        decision = pricer.quote({ legs, stakeCents, ...(creatorId ? { creatorId } : {}), nowMs: now(), market: view, config: derive().pricing, risk: { limits: limitsFor(legs), exposure: exposureBook, balance: balanceSnapshot() } });
      } catch (err) {
        decision = { kind: "decline", reason: "internal_error", detail: String(err).slice(0, 100) };
      }
    }
    // The state keeps the decision without the model inputs (they only go to the quote rows).
    let inputs: unknown;
    if (decision.kind === "quote") {
      const { inputs: i, ...kept } = decision;
      inputs = i;
      st.quote = kept;
    } else st.quote = decision;
    const persistQuoteStep = decision.kind === "quote" ? sendOffers(st, decision.tiers, decision.legs, "auto", hr, inputs) : undefined;
    if (decision.kind !== "quote") {
      st.status = "declined";
      counters.declines++;
    }
    // Everything below is bookkeeping: it runs after the loop has yielded once, so the offers POST is
    // on the wire first (the HTTP client writes it a few microtasks after sendOffers), and before the
    // next event is handled (the book it reads is the one the quote saw).
    const d = decision;
    afterSend.push(() => {
      const receivedAt = new Date(m.receivedAtMs);
      const reason = d.kind === "decline" ? (d.detail ? `${d.reason}: ${d.detail}` : d.reason) : null;
      const legFair = new Map(d.kind === "quote" ? d.legs.map((l) => [l.lineId, l.fairProbability] as const) : []);
      const legRows = rfq.market_lines.map((l, idx) => ({ idx, lineId: l.line_id, marketId: l.market_id, outcomeId: l.outcome_id, sportEventId: l.sport_event_id, line: l.line ?? null, fairProbability: legFair.get(l.line_id) ?? null, bookOdds: book.lines.get(l.line_id)?.levels[0]?.odds ?? null }));
      // Quoted requests are created "received" and moved to "quoted" by the quote step (merged into the row if not yet written).
      persister.addRequest(
        { parlayId: rfq.parlay_id, stakeCents, callbackUrl: rfq.callback_url, createdAtNs: rfq.created_at ?? "0", receivedAt, creatorId: creatorId ?? null, status: d.kind === "quote" ? "received" : "declined", declineReason: reason },
        legRows,
      );
      persistQuoteStep?.();
      outbox("rfq", { parlayId: rfq.parlay_id, stakeCents, legs: rfq.market_lines.map((l) => l.line_id), decision: d.kind, reason: reason ?? undefined });
      if (d.kind === "quote") audit("quote", "parlay", rfq.parlay_id, { tiers: d.tiers, fair: d.fairProbability, pricer: pricer.name });
      else audit("decline", "parlay", rfq.parlay_id, { reason });
    });
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
    // The answer must reach the exchange within confirmDeadlineMs of the message (or its expires_at).
    let deadlineMs = m.receivedAtMs + settings.confirmDeadlineMs;
    const expiresNs = (m.payload as { expires_at?: unknown } | undefined)?.expires_at;
    if (typeof expiresNs === "number" || typeof expiresNs === "string") {
      const ms = Number(BigInt(Math.trunc(Number(expiresNs))) / 1_000_000n);
      if (ms > m.receivedAtMs - 60_000 && ms < m.receivedAtMs + 60_000) deadlineMs = Math.min(deadlineMs, ms);
    }
    let action: "accept" | "reject" = "reject";
    let reason = "";
    let send = true;
    let liabilityCents = 0;
    let priceProbability: { maxRiskCents: number; lines: { lineId: string; probability: number }[] }[] = [];
    // Fail closed: any exception or missing state → reject.
    try {
      const t = now();
      if (!st || !st.offered) reason = st ? "no offer sent" : "unknown parlay";
      else if (st.status === "declined" && !st.manual) reason = "declined";
      else if (t > deadlineMs - settings.confirmSafetyMs) {
        reason = "confirmation deadline";
        send = false;
        counters.confirmDeadlineMissed++;
      } else {
        const input = {
          nowMs: t,
          offer: st.offered,
          request: { odds: c.odds, stakeCents, ...(c.max_risk != null ? { maxRiskCents: dollarsToCentsRounded(c.max_risk) } : {}) },
          market: view,
          pricing: derive().pricing,
          policy: confirmationPolicyOf(settingsState),
          orders: exposureBook.listExcept(offerKey(st.parlayId)),
          limits: limitsFor(st.legs),
          balance: balanceSnapshot(),
        };
        // Manual quotes: the price is the trader's, every limit is still checked.
        const r = st.manual ? manualConfirm(input) : pricer.confirm(input);
        if (r.accept) {
          action = "accept";
          liabilityCents = r.liabilityCents;
          priceProbability = r.priceProbability.map((x: { lines: { line_id: string; probability: number }[] }) => ({ maxRiskCents: r.liabilityCents, lines: x.lines.map((l: { line_id: string; probability: number }) => ({ lineId: l.line_id, probability: l.probability })) }));
        } else reason = r.detail ? `${r.reason}: ${r.detail}` : r.reason;
      }
    } catch (err) {
      action = "reject";
      reason = `internal_error: ${String(err).slice(0, 100)}`;
    }
    const orderKey = c.order_uuid ?? `${c.parlay_id}:${m.receivedAtMs}`;
    const eventIds = st ? [...new Set(st.legs.map((l) => Number(l.sportEventId)))] : [];
    if (action === "accept" && st) {
      // The accepted order counts at once (concurrent confirmations see it); the offer's reservation shrinks by as much.
      const res = exposureBook.get(offerKey(st.parlayId));
      if (res) {
        const left = res.liabilityCents - liabilityCents;
        if (left > 0) exposureBook.add({ ...res, liabilityCents: left });
        else release(st.parlayId);
      }
      exposureBook.add({ orderId: orderKey, state: "accepted", ...(st.creatorId ? { creatorId: st.creatorId } : {}), liabilityCents, legs: exposureLegsFor(st.legs, view) });
      availableBalanceCents -= liabilityCents;
      orders.set(orderKey, { orderUuid: orderKey, parlayId: st.parlayId, status: "accepted", riskCents: liabilityCents, eventIds, profitCents: null, acceptedAtMs: now(), finalized: false });
      st.status = "confirming";
      counters.accepts++;
    } else {
      if (st && st.status !== "confirming") st.status = "rejected";
      counters.rejects++;
    }
    const decidedAt = new Date();
    const latencyMicros = Math.max(0, Math.round((decidedAt.getTime() - m.receivedAtMs) * 1000));
    if (st) {
      const creatorId = st.creatorId ?? null;
      const confirmRow = {
        id: newId("cnf"),
        parlayId: c.parlay_id,
        orderUuid: c.order_uuid ?? null,
        requestedOdds: c.odds,
        requestedStakeCents: stakeCents,
        decision: action,
        reason: reason || null,
        priceProbabilityJson: JSON.stringify(priceProbability.map((x) => ({ max_risk: x.maxRiskCents / 100, lines: x.lines.map((l) => ({ line_id: l.lineId, probability: l.probability })) }))),
        receivedAt: new Date(m.receivedAtMs),
        decidedAt,
        latencyMicros,
      };
      persister.op((d) => d.parlayConfirmation.create({ data: confirmRow }));
      if (action === "accept")
        persister.op((d) =>
          d.parlayOrder.upsert({
            where: { orderUuid: orderKey },
            create: { orderUuid: orderKey, parlayId: c.parlay_id, status: "accepted", odds: c.odds, confirmedStakeCents: stakeCents, riskCents: liabilityCents, creatorId },
            update: {},
          }),
        );
      persister.updateRequest(c.parlay_id, { status: action === "accept" ? "accepted" : "rejected" });
    }
    outbox("confirm", { parlayId: c.parlay_id, orderUuid: c.order_uuid ?? null, action, reason: reason || null, odds: c.odds, stakeCents, riskCents: liabilityCents, latencyMicros });
    audit(`confirm_${action}`, "parlay", c.parlay_id, { reason, odds: c.odds, stakeCents, riskCents: liabilityCents, sent: send });
    if (!send) return;
    const body = { action, confirmedOdds: c.odds, orderUuid: c.order_uuid ?? undefined, priceProbability };
    const post = () => {
      const remaining = deadlineMs - now();
      if (remaining < 20) return Promise.reject(new Error("confirmation deadline passed before send"));
      return client.sendConfirmation(c.callback_url, body, remaining);
    };
    // Accepts are written ahead (order row durable before the exchange hears "accept"); rejects go at once.
    const sending = action === "accept" ? persister.flush().then(() => persister.flush()).then(post) : post();
    sending
      .then(() => ev("confirm_result", { parlayId: c.parlay_id, orderUuid: orderKey, action, ok: true }))
      .catch((err) => ev("confirm_result", { parlayId: c.parlay_id, orderUuid: orderKey, action, ok: false, error: String(err), httpStatus: err instanceof PxApiError ? err.status : undefined }));
  };

  /** Applies an order state from the exchange (socket or GET parlay/sp/orders); recovers unknown orders. */
  const upsertOrder = (o: { orderUuid: string; parlayId: string; status: string; odds?: number | null | undefined; stakeCents?: number | undefined; liabilityCents?: number | undefined; profitCents?: number | null; settlementStatus?: string | null; legs?: ParlayLeg[] | undefined; creatorId?: string | null | undefined }) => {
    if (settledOrders.has(o.orderUuid)) return; // settled is final: P&L and row already done
    let prev = orders.get(o.orderUuid);
    const open = OPEN_ORDER_STATUSES.includes(o.status);
    const st = rfqs.get(o.parlayId);
    if (!prev) {
      // An order of ours we do not know (accepted just before a crash, or the DB write was lost).
      if (!open && o.status !== "settled") return;
      const legs = o.legs ?? st?.legs;
      if (!legs) {
        lastSpOrdersAt = 0; // GET orders carries the legs
        return;
      }
      const riskCents = o.liabilityCents ?? 0;
      prev = { orderUuid: o.orderUuid, parlayId: o.parlayId, status: o.status, riskCents, eventIds: [...new Set(legs.map((l) => Number(l.sportEventId)))], profitCents: null, acceptedAtMs: now(), finalized: o.status !== "accepted" };
      orders.set(o.orderUuid, prev);
      if (open) {
        exposureBook.add({ orderId: o.orderUuid, state: "accepted", ...(o.creatorId ? { creatorId: o.creatorId } : {}), liabilityCents: riskCents, legs: exposureLegsFor(legs, view) });
        availableBalanceCents -= 0; // already locked on the exchange: the next balance poll shows it
      }
      counters.ordersRecovered++;
      audit("order_recovered", "parlay", o.parlayId, { orderUuid: o.orderUuid, status: o.status, riskCents });
      const stake = o.stakeCents ?? 0;
      const legRows = legs.map((l, idx) => ({ idx, lineId: l.lineId, marketId: l.marketId, outcomeId: l.outcomeId, sportEventId: Number(l.sportEventId), line: l.line ?? null }));
      const creatorId = o.creatorId ?? null;
      const parlayId = o.parlayId;
      persister.op(async (d) => {
        if (await d.parlayRequest.findUnique({ where: { parlayId } })) return;
        await d.parlayRequest.create({ data: { parlayId, stakeCents: stake, callbackUrl: "", createdAtNs: "0", receivedAt: new Date(), creatorId, status: "recovered", legs: { create: legRows } } });
      });
    }
    const wasOpen = OPEN_ORDER_STATUSES.includes(prev.status);
    const next: OrderState = { ...prev, status: o.status, profitCents: o.profitCents ?? prev.profitCents, finalized: prev.finalized || o.status !== "accepted" };
    if (open && o.liabilityCents !== undefined && o.liabilityCents !== prev.riskCents && o.liabilityCents > 0) {
      // The exchange's liability is the truth (confirmed stake may be lower than asked).
      next.riskCents = o.liabilityCents;
      const cur = exposureBook.get(o.orderUuid);
      if (cur) exposureBook.add({ ...cur, liabilityCents: o.liabilityCents });
    }
    if (!open) {
      exposureBook.remove(o.orderUuid);
      next.closedAtMs ??= now();
      if (wasOpen) lastBalanceAt = 0;
    }
    orders.set(o.orderUuid, next);
    if (o.profitCents != null && prev.profitCents == null && o.status === "settled") {
      realisedPnlCents += o.profitCents;
      settledOrders.set(o.orderUuid, prev.acceptedAtMs);
    }
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
        ...(o.creatorId ? { creatorId: o.creatorId } : {}),
        ...(o.status === "finalized" ? { finalizedAt: new Date() } : {}),
        ...(settled ? { settledAt: new Date() } : {}),
      };
      const { odds: _o, confirmedStakeCents: _c, ...update } = data;
      await d.parlayOrder.upsert({ where: { orderUuid: snap.orderUuid }, create: { orderUuid: snap.orderUuid, ...data }, update: { ...update, ...(o.odds != null ? { odds: o.odds } : {}), ...(o.stakeCents ? { confirmedStakeCents: o.stakeCents } : {}) } });
    });
  };

  const liabilityOf = (payload: unknown): number | undefined => {
    const v = (payload as { liability?: unknown } | undefined)?.liability;
    return typeof v === "number" && Number.isFinite(v) ? dollarsToCentsRounded(v) : undefined;
  };

  const handleSpPrivateOrBroadcast = (m: SocketMessage, hr: number | undefined) => {
    if (m.event === "price.ask.new") return handleRfq(m, hr);
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
      const stakeCents = o.confirmed_stake != null ? dollarsToCentsRounded(o.confirmed_stake) : undefined;
      const confirmedOdds = (m.payload as { confirmed_odds?: unknown }).confirmed_odds;
      const liab = liabilityOf(m.payload) ?? (stakeCents && typeof confirmedOdds === "number" ? profitCentsAtAmerican(stakeCents, confirmedOdds) : undefined);
      upsertOrder({ orderUuid: o.order_uuid, parlayId: o.parlay_id, status: "finalized", odds: o.odds, stakeCents, liabilityCents: liab });
      const st = rfqs.get(o.parlay_id);
      if (st) st.status = "finalized";
      persister.updateRequest(o.parlay_id, { status: "finalized" });
      outbox("order", { kind: "finalized", parlayId: o.parlay_id, orderUuid: o.order_uuid, odds: o.odds ?? null, stakeCents: stakeCents ?? null });
      audit("order_finalized", "parlay", o.parlay_id, { orderUuid: o.order_uuid, liabilityCents: liab ?? null });
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
      persister.updateRequest(o.parlay_id, { status: "settled" });
      outbox("settlement", { kind: "parlay", parlayId: o.parlay_id, settlementStatus: o.settlement_status ?? null, profitCents: o.profit != null ? dollarsToCentsRounded(o.profit) : null });
      return;
    }
  };

  // ── commands ──
  const finishCommand = (cmd: CommandRow, ok: boolean, result: unknown) => {
    if (!ok) counters.commandFailures++;
    // Forget the command only once "done/failed" is committed, or the poller would run it twice.
    persister.op(
      (d) => d.engineCommand.updateMany({ where: { id: cmd.id }, data: { status: ok ? "done" : "failed", processedAt: new Date(), resultJson: JSON.stringify(result ?? {}) } }),
      () => inflightCommands.delete(cmd.id),
    );
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
        const legs = st.quote?.kind === "quote" ? st.quote.legs : st.legs.map((l) => ({ lineId: l.lineId, estimatedOdds: 100 }));
        // The price is the trader's; the size still goes through every limit (this offer's own earlier reservation excluded).
        const t = now();
        for (const l of st.legs) {
          const evi = view.event(l.sportEventId);
          if (!evi || evi.status !== "not_started" || evi.startsAtMs <= t) return fail(`event ${l.sportEventId} is not open for quoting`);
        }
        const own = exposureBook.remove(offerKey(st.parlayId));
        const cap = riskCapacity({ legs: exposureLegsFor(st.legs, view), ...(st.creatorId ? { creatorId: st.creatorId } : {}), exposure: exposureBook, limits: limitsFor(st.legs), balance: balanceSnapshot() });
        const sorted = [...tiers].sort((a, b) => b.odds - a.odds);
        const capped = capTierRisk(sorted, cap.capacityCents, 1);
        if (capped.length === 0) {
          if (own) exposureBook.add(own);
          return fail(`no risk capacity (${cap.binding})`);
        }
        st.manual = true;
        sendOffers(st, capped, legs, "manual")();
        audit("manual_quote", "parlay", st.parlayId, { requested: tiers, sent: capped, binding: cap.binding }, "trader", cmd.createdBy);
        return finishCommand(cmd, true, { parlayId: st.parlayId, tiers: capped, cappedBy: capped.some((c, i) => c.maxRiskCents < (sorted[i]?.maxRiskCents ?? 0)) ? cap.binding : null });
      }
      case "decline_rfq": {
        const st = rfqs.get(String(p.parlayId));
        if (!st) return fail("unknown parlay");
        st.status = "declined";
        st.manual = false;
        st.sentTiers = [];
        st.offered = undefined;
        release(st.parlayId);
        persister.updateRequest(st.parlayId, { status: "declined", declineReason: "trader" });
        outbox("rfq", { parlayId: st.parlayId, decision: "decline", reason: "trader" });
        return finishCommand(cmd, true, { parlayId: st.parlayId });
      }
      case "update_settings": {
        // Dashboard: {key, value} ("engine" | "risk.limits" | "sport.<id|name>"); legacy: {settings: {...}} or fields at the top level.
        const key = typeof p.key === "string" ? p.key : ENGINE_KEY;
        const value = typeof p.key === "string" ? p.value : (p.settings ?? p);
        const err = validateSetting(key, value);
        if (err) return fail(err);
        const before = storedValue(settingsState, key);
        settingsState = applySettingRow(settingsState, key, value);
        settings = settingsState.engine;
        settingsVersion++;
        const stored = storedValue(settingsState, key);
        const json = JSON.stringify(stored);
        // Written before the command is marked done (ops run in order): the desk reads what the engine uses.
        persister.op((d) => d.setting.upsert({ where: { key }, create: { key, valueJson: json, updatedBy: cmd.createdBy }, update: { valueJson: json, updatedBy: cmd.createdBy } }));
        audit("settings_changed", "setting", key, { before, after: stored }, "trader", cmd.createdBy);
        outbox("settings", { key });
        lastSupportedAt = 0;
        const d = derive();
        return finishCommand(cmd, true, { key, value: stored, effective: { perLegBpsBySport: d.pricing.margin.perLegBpsBySport, sports: Object.fromEntries(d.sports), limits: d.base.limits } });
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
    if (t - lastBalanceAt >= balancePollMs && !balanceInFlight) {
      lastBalanceAt = t;
      balanceInFlight = true;
      client
        .getBalanceCents()
        .then((cents) => ev("balance_result", { cents, startedAtMs: t }))
        .catch((err) => ev("balance_result", { cents: undefined, startedAtMs: t, error: String(err) }));
    }
    if (t - lastPruneAt >= 1_000) {
      lastPruneAt = t;
      prune(t);
    }
    if (t - lastSupportedAt >= supportedLinesIntervalMs && !supportedInFlight) {
      lastSupportedAt = t;
      updateSupportedLines(t);
    }
  };
  let droppedAtLastReconcile = 0;

  /** Offer reservations end at valid_until (+1 s); finished RFQs and closed orders are forgotten (bounded memory). */
  const prune = (t: number) => {
    for (const [parlayId, validUntilMs] of reservations) {
      if (validUntilMs + 1_000 > t) break; // insertion order ≈ valid_until order
      release(parlayId);
    }
    // RFQ states: forgotten after 30 s, or earlier (oldest first) beyond maxRfqStates. A state whose
    // offer is still reserved (the exchange may still confirm it) or that is being confirmed stays.
    let over = rfqs.size - maxRfqStates;
    for (const [parlayId, st] of rfqs) {
      if (t - st.receivedAtMs < RFQ_STATE_MS && over <= 0) break;
      if (reservations.has(parlayId) || st.status === "confirming") continue;
      rfqs.delete(parlayId);
      over--;
    }
    for (const [id, o] of orders) if (o.closedAtMs !== undefined && t - o.closedAtMs > 60_000) orders.delete(id);
    for (const [id, createdMs] of settledOrders) {
      if (t - createdMs <= SETTLED_MEMORY_MS) break; // ≈ creation order
      settledOrders.delete(id);
    }
  };

  /** Lines we can price now: supported market of a not-started event, fresh two-sided book. */
  const supportable = (lineId: string, t: number, pricing: PricingConfig): boolean => {
    const info = view.line(lineId);
    if (!info) return false;
    const e = view.event(info.eventId);
    if (!e || e.status !== "not_started" || e.startsAtMs - t < pricing.minTimeToStartMs) return false;
    const spec = marketSpec(info.marketId);
    if (!spec || !spec.sports.includes(e.sport) || !legSemantics(info)) return false;
    if (settings.parlayMarketTypes.length > 0 && !settings.parlayMarketTypes.includes(ref.markets.get(`${info.eventId}:${info.marketId}`)?.type ?? "")) return false;
    const lb = book.lines.get(lineId);
    return !!lb && lb.levels.length > 0 && t - lb.updatedAtMs <= pricing.staleAfterMs;
  };

  const updateSupportedLines = (t: number) => {
    const want = new Set<string>();
    if (!quotingPaused()) {
      const pricing = derive().pricing;
      for (const l of ref.lines.values()) if (supportable(l.lineId, t, pricing)) want.add(l.lineId);
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
        view.invalidate();
        derived = undefined;
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
        return handleSpPrivateOrBroadcast(m, e.hr);
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
          release(e.parlayId);
          persister.failQuotes(e.parlayId);
          audit("offer_failed", "parlay", e.parlayId, { error: e.error });
        }
        return;
      case "confirm_result": {
        if (e.ok || e.action !== "accept") {
          if (!e.ok) audit("confirm_send_failed", "parlay", e.parlayId, { error: e.error, action: e.action });
          return;
        }
        const key = e.orderUuid ?? e.parlayId;
        const o = orders.get(key);
        const definite = e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500 && !/finalized/i.test(e.error ?? "");
        if (/finalized/i.test(e.error ?? "")) return; // a retry of an accept the exchange already took
        if (definite || /deadline passed before send/.test(e.error ?? "")) {
          // The exchange did not take the order: it never locked anything.
          if (o && o.status === "accepted") upsertOrder({ orderUuid: key, parlayId: e.parlayId, status: "failed" });
          const st = rfqs.get(e.parlayId);
          if (st) st.status = "failed";
        } else {
          // Unknown (timeout, 5xx): keep the exposure (fail-closed) and reconcile with GET orders now.
          counters.confirmUnknown++;
          lastSpOrdersAt = 0;
        }
        audit("confirm_send_failed", "parlay", e.parlayId, { error: e.error, action: e.action, outcome: definite ? "not_accepted" : "unknown" });
        return;
      }
      case "balance_result":
        balanceInFlight = false;
        counters.balancePolls++;
        if (e.cents !== undefined) {
          balanceCents = e.cents;
          balancePolledAtMs = e.startedAtMs;
          // Accepted liabilities the exchange may not show yet are subtracted again (conservative).
          let pending = 0;
          for (const o of orders.values()) if (OPEN_ORDER_STATUSES.includes(o.status) && (!o.finalized || o.acceptedAtMs >= e.startedAtMs - 5_000)) pending += o.riskCents;
          availableBalanceCents = e.cents - pending;
        } else logger.warn("get_balance failed", e.error);
        return;
      case "sp_orders_result":
        if (e.orders)
          for (const o of e.orders) {
            const parlayId = o.p_id ?? o.parlay_id;
            if (!parlayId) continue;
            const prev = orders.get(o.order_uuid);
            if (prev && prev.status === o.status) continue;
            if (o.status === "sent_confirmation") continue;
            const raw = o as Record<string, unknown>;
            const lines = Array.isArray(raw.market_lines) ? (raw.market_lines as Record<string, unknown>[]) : undefined;
            const legs = lines?.map((l) => ({ lineId: String(l.line_id), marketId: Number(l.market_id), outcomeId: Number(l.outcome_id), sportEventId: String(l.sport_event_id), ...(typeof l.line === "number" ? { line: l.line } : {}) }));
            const stakeCents = o.confirmed_stake != null && o.confirmed_stake > 0 ? dollarsToCentsRounded(o.confirmed_stake) : undefined;
            upsertOrder({
              orderUuid: o.order_uuid,
              parlayId,
              status: o.status,
              odds: o.odds,
              stakeCents,
              liabilityCents: liabilityOf(o),
              profitCents: o.profit != null ? dollarsToCentsRounded(o.profit) : null,
              settlementStatus: o.settlement_status ?? null,
              legs,
              creatorId: typeof raw.creator_id === "string" ? raw.creator_id : undefined,
            });
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
  /** Bookkeeping of the last handled event that must run after its sends and before the next event. */
  const afterSend: (() => void)[] = [];
  const runAfterSend = () => {
    for (let i = 0; i < afterSend.length; i++) {
      try {
        afterSend[i]!();
      } catch (err) {
        logger.error("post-send bookkeeping threw", String(err));
      }
    }
    afterSend.length = 0;
  };
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
        if (afterSend.length > 0) {
          // Let the HTTP client write what the handler sent before the bookkeeping: undici writes a
          // request to a reused keep-alive socket only in the loop's check phase (it first lets the
          // socket show a pending FIN/RST), so a microtask-only yield would hold the POST back.
          await yieldToLoop();
          // RFQs already waiting are answered first; the bookkeeping of the ones answered runs before
          // any other event (a confirmation must find its request's rows queued) and after at most
          // MAX_DEFERRED_BOOKKEEPING answers, so a burst is answered at the pace of pricing alone.
          if (afterSend.length >= MAX_DEFERRED_BOOKKEEPING || !isRfq(queue.peek())) runAfterSend();
        }
      }
      runAfterSend();
      const ws = idleWaiters;
      idleWaiters = [];
      for (const w of ws) w();
    }
  })();

  // ── restart: open orders and realised P&L come back from the DB (the exchange reconcile follows) ──
  async function reloadOpenOrders(): Promise<void> {
    await persister.flush(); // our own unwritten orders first, so the reload sees them
    for (const id of orders.keys()) exposureBook.remove(id);
    orders.clear();
    settledOrders.clear();
    await rebuildFromDb();
  }

  async function rebuildFromDb(): Promise<void> {
    const rows = await db.parlayOrder.findMany({ where: { status: { in: OPEN_ORDER_STATUSES } }, include: { request: { include: { legs: true } } } });
    const eventIds = [...new Set(rows.flatMap((r) => r.request.legs.map((l) => l.sportEventId)))];
    const teams = new Map<number, { home?: string; away?: string }>();
    for (const e of await db.sportEvent.findMany({ where: { id: { in: eventIds } } })) {
      const t: { home?: string; away?: string } = {};
      try {
        for (const c of JSON.parse(e.competitorsJson) as { id?: unknown; side?: unknown }[]) {
          if (c?.side === "home" && c.id != null) t.home = String(c.id);
          if (c?.side === "away" && c.id != null) t.away = String(c.id);
        }
      } catch {
        /* no teams: line and event exposure still count */
      }
      teams.set(e.id, t);
    }
    for (const r of rows) {
      const legs = r.request.legs.map((l) => {
        const side = legSemantics({ marketId: l.marketId, outcomeId: l.outcomeId, ...(l.line != null ? { line: l.line } : {}) })?.side;
        const team = side === "home" ? teams.get(l.sportEventId)?.home : side === "away" ? teams.get(l.sportEventId)?.away : undefined;
        return { lineId: l.lineId, eventId: String(l.sportEventId), ...(team ? { teamId: team } : {}) };
      });
      const creatorId = r.creatorId ?? r.request.creatorId ?? undefined;
      exposureBook.add({ orderId: r.orderUuid, state: "accepted", ...(creatorId ? { creatorId } : {}), liabilityCents: r.riskCents, legs });
      orders.set(r.orderUuid, { orderUuid: r.orderUuid, parlayId: r.parlayId, status: r.status, riskCents: r.riskCents, eventIds: [...new Set(r.request.legs.map((l) => l.sportEventId))], profitCents: r.profitCents, acceptedAtMs: r.createdAt.getTime(), finalized: r.status !== "accepted" });
    }
    const pnl = await db.parlayOrder.aggregate({ where: { status: "settled" }, _sum: { profitCents: true } });
    realisedPnlCents = pnl._sum.profitCents ?? 0;
    const recent = await db.parlayOrder.findMany({ where: { status: "settled", createdAt: { gte: new Date(Date.now() - SETTLED_MEMORY_MS) } }, select: { orderUuid: true, createdAt: true }, orderBy: { createdAt: "asc" } });
    for (const r of recent) settledOrders.set(r.orderUuid, r.createdAt.getTime());
    if (rows.length > 0) audit("exposure_rebuilt", "engine", engineId, { openOrders: rows.length, acceptedCents: exposureBook.acceptedCents, realisedPnlCents });
  }

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
  await rebuildFromDb();
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
      exposureCents: exposureBook.acceptedCents,
      realisedPnlCents,
      counters: {
        ...counters,
        ...Object.fromEntries(Object.entries(client.rest.counters).map(([k, v]) => [`rest_${k}`, v])),
        ...Object.fromEntries(Object.entries(mm?.counters ?? {}).map(([k, v]) => [`mm_${k}`, v])),
        ...Object.fromEntries(Object.entries(sp?.counters ?? {}).map(([k, v]) => [`sp_${k}`, v])),
        queueEvicted: queue.counters.evictedDroppable,
        queueMaxDepth: queue.counters.maxDepth,
        parlayInFlightCents: exposureBook.inFlightCents,
        parlayOpenOrders: exposureBook.size,
        persistFailures: persister.counters.failures,
        persistPending: persister.pending,
        persistMaxPending: persister.counters.maxPending,
        persistChunkRetries: persister.counters.chunkRetries,
        persistStatements: persister.counters.statements,
        persistFlushes: persister.counters.flushes,
        persistMaxFlushMs: Math.round(persister.counters.maxFlushMs),
        httpConnections: client.rest.poolStats.connected,
        httpQueued: client.rest.poolStats.queued,
      },
      updatedAt: new Date().toISOString(),
    };
  };
  every(opts.statusIntervalMs ?? 1_000, () => {
    if (!holder || stopped) return;
    // Through the persister: on SQLite its worker writes it, so the quoting thread never waits on the lock.
    persister.setLeaseStatus(leaseName, engineId, JSON.stringify(status()));
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
    debug: { persister, book, ref, wagers, rfqs, orders, exposure: exposureBook, balance: () => (balanceCents === undefined ? undefined : availableBalanceCents), settings: () => settingsState, sockets: () => ({ mm, sp }), queue },
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
