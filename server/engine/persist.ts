// Asynchronous, batched persistence: the engine loop never waits for the database.
//
// One flush, in FK order, each step a handful of statements however many RFQs arrived:
//   1. per-RFQ rows as typed batches: ParlayRequest, its legs and the quote tiers sent for it, as
//      `createMany` per table, in chunks of REQUESTS_PER_CHUNK requests (one transaction per chunk,
//      a yield to the event loop between chunks). Status changes of a request still in the batch are
//      merged into its row before it is written (received → quoted is one INSERT, not INSERT+UPDATE).
//   2. ordered ops (anything else: upserts, confirmations, orders) in chunked transactions, in the
//      order they were queued; they may reference the requests of step 1.
//   3. coalesced updates of rows written by earlier flushes: request status (last patch per parlay
//      wins, one `updateMany` per distinct patch), failed quotes (one `updateMany`), then quotes sent
//      for requests written earlier (manual quotes).
//   4. append-only batches (audit, outbox, snapshots, trades) as createMany.
// The batches of step 1 and 4 are plain multi-row INSERTs through `$executeRawUnsafe` (same driver
// adapter, same transaction API): Prisma's createMany costs ~50–60 µs of main-thread CPU per row
// (query compiler + row mapping) against ~4 µs for one bound INSERT, and the engine writes ~12 rows
// per RFQ. Dates are bound as Date objects, which both adapters store exactly as Prisma does.
// A chunk whose transaction fails is replayed row by row (op by op), so one bad row cannot lose the
// others. Failures are logged and counted, never thrown into the loop. `overloaded` is the
// backpressure signal: above the high-water mark the engine stops taking new work (declines RFQs)
// until the backlog drains.
import { sqliteFileOf, type Db } from "../db/client.ts";
import { performance } from "node:perf_hooks";
import type { PxLogger } from "../prophetx/rest.ts";
import { SqliteWriter, type WriteBatch } from "./sqlite-writer.ts";

export type AuditRow = { actorType: string; actorId: string; action: string; subjectType?: string | null; subjectId?: string | null; detailsJson: string };
export type OutboxRow = { type: string; payloadJson: string };
export type SnapshotRow = { lineId: string; bestOdds: number | null; bestStakeCents: number; depthJson: string };
export type TradeRow = { lineId: string; eventId: number; marketId: number; odds: number; stakeCents: number; matchedAt: Date };

export type RequestRow = {
  parlayId: string;
  stakeCents: number;
  callbackUrl: string;
  createdAtNs: string;
  receivedAt: Date;
  creatorId: string | null;
  status: string;
  declineReason: string | null;
  fairProbability?: number | null;
};
export type LegRow = { idx: number; lineId: string; marketId: number; outcomeId: number; sportEventId: number; line: number | null; fairProbability: number | null; bookOdds: number | null };
export type QuoteRow = {
  id: string;
  parlayId: string;
  tier: number;
  odds: number;
  maxRiskCents: number;
  validUntilNs: string;
  fairProbability: number;
  marginBps: number;
  modelInputsJson: string;
  source: string;
  status: string;
  sentAt: Date;
};
export type RequestPatch = { status?: string; declineReason?: string | null; fairProbability?: number | null };

/** Column lists of the tables written with raw INSERTs (must match prisma/schema.prisma). */
const COLUMNS = {
  ParlayRequest: ["parlayId", "stakeCents", "callbackUrl", "createdAtNs", "receivedAt", "creatorId", "status", "declineReason", "fairProbability"],
  ParlayLeg: ["parlayId", "idx", "lineId", "marketId", "outcomeId", "sportEventId", "line", "fairProbability", "bookOdds"],
  ParlayQuote: ["id", "parlayId", "tier", "odds", "maxRiskCents", "validUntilNs", "fairProbability", "marginBps", "modelInputsJson", "source", "status", "sentAt"],
  AuditLog: ["at", "actorType", "actorId", "action", "subjectType", "subjectId", "detailsJson"],
  EngineEvent: ["type", "payloadJson", "createdAt"],
  BookSnapshot: ["lineId", "capturedAt", "bestOdds", "bestStakeCents", "depthJson"],
  MatchedTrade: ["lineId", "eventId", "marketId", "odds", "stakeCents", "matchedAt"],
} as const;
type Table = keyof typeof COLUMNS;

type Op = { run: (db: Db) => Promise<unknown>; onCommitted?: () => void };
type PendingRequest = { row: RequestRow; legs: LegRow[]; quotes: QuoteRow[] };

const OPS_PER_TRANSACTION = 200;
/** Requests (with their legs and quotes) per transaction: small enough that one chunk holds the loop ~1 ms. */
const REQUESTS_PER_CHUNK = 8;
/** Rows per createMany statement of the append-only tables and ids per updateMany. */
const ROWS_PER_STATEMENT = 100;
const requestTuple = (r: RequestRow): unknown[] => [r.parlayId, r.stakeCents, r.callbackUrl, r.createdAtNs, r.receivedAt, r.creatorId, r.status, r.declineReason, r.fairProbability ?? null];
const legTuple = (parlayId: string, l: LegRow): unknown[] => [parlayId, l.idx, l.lineId, l.marketId, l.outcomeId, l.sportEventId, l.line, l.fairProbability, l.bookOdds];
const quoteTuple = (q: QuoteRow): unknown[] => [q.id, q.parlayId, q.tier, q.odds, q.maxRiskCents, q.validUntilNs, q.fairProbability, q.marginBps, q.modelInputsJson, q.source, q.status, q.sentAt];
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Single-row INSERTs (prepared once in the worker, run per row). */
const INSERT_SQL = Object.fromEntries(
  (Object.keys(COLUMNS) as Table[]).map((t) => [t, `INSERT INTO "${t}" (${COLUMNS[t].map((c) => `"${c}"`).join(",")}) VALUES (${COLUMNS[t].map(() => "?").join(",")})`]),
) as Record<Table, string>;

/** Dates as epoch ms: what Prisma's SQLite adapter stores (timestampFormat "unixepoch-ms"). */
const sqliteRow = (row: readonly unknown[]): unknown[] => row.map((v) => (v instanceof Date ? v.getTime() : v === undefined ? null : v));

class BatchBuilder {
  readonly batch: WriteBatch = { sql: [], units: [] };
  private index = new Map<string, number>();
  unit(statements: [string, unknown[]][]): void {
    this.batch.units.push(
      statements.map(([sql, params]) => {
        let i = this.index.get(sql);
        if (i === undefined) {
          i = this.batch.sql.push(sql) - 1;
          this.index.set(sql, i);
        }
        return [i, params];
      }),
    );
  }
}

/** One unit per request: its row, legs and quotes commit or fail together. */
const requestBatch = (requests: PendingRequest[]): WriteBatch => {
  const b = new BatchBuilder();
  for (const { row, legs, quotes } of requests)
    b.unit([
      [INSERT_SQL.ParlayRequest, sqliteRow(requestTuple(row))],
      ...legs.map((l): [string, unknown[]] => [INSERT_SQL.ParlayLeg, legTuple(row.parlayId, l)]),
      ...quotes.map((q): [string, unknown[]] => [INSERT_SQL.ParlayQuote, sqliteRow(quoteTuple(q))]),
    ]);
  return b.batch;
};

/** What a flush writes after the ordered ops: updates of earlier rows and the append-only rows. */
type LaterWrites = {
  leaseStatus: { name: string; holderId: string; json: string } | undefined;
  patches: Map<string, RequestPatch>;
  failedQuotes: string[];
  laterQuotes: QuoteRow[];
  /** [batch name, table, rows] per append-only table. */
  appendOnly: [string, Table, unknown[][]][];
};

/** One unit per update or row (a failing one loses only itself). */
const laterBatch = (w: LaterWrites): WriteBatch => {
  const b = new BatchBuilder();
  if (w.leaseStatus) b.unit([[`UPDATE "EngineLease" SET "statusJson"=? WHERE "name"=? AND "holderId"=?`, [w.leaseStatus.json, w.leaseStatus.name, w.leaseStatus.holderId]]]);
  for (const [parlayId, patch] of w.patches) {
    const keys = (["status", "declineReason", "fairProbability"] as const).filter((k) => patch[k] !== undefined);
    if (keys.length) b.unit([[`UPDATE "ParlayRequest" SET ${keys.map((k) => `"${k}"=?`).join(",")} WHERE "parlayId"=?`, [...keys.map((k) => patch[k] ?? null), parlayId]]]);
  }
  for (const parlayId of w.failedQuotes) b.unit([[`UPDATE "ParlayQuote" SET "status"='failed' WHERE "parlayId"=? AND "status"='sent'`, [parlayId]]]);
  for (const q of w.laterQuotes) b.unit([[INSERT_SQL.ParlayQuote, sqliteRow(quoteTuple(q))]]);
  for (const [, table, rows] of w.appendOnly) for (const r of rows) b.unit([[INSERT_SQL[table], sqliteRow(r)]]);
  return b.batch;
};

export class Persister {
  private requests = new Map<string, PendingRequest>();
  /** Quotes of requests written by an earlier flush (manual quotes, overrides). */
  private laterQuotes: QuoteRow[] = [];
  private patches = new Map<string, RequestPatch>();
  private failedQuotes = new Set<string>();
  private ops: Op[] = [];
  private audit: AuditRow[] = [];
  private outbox: OutboxRow[] = [];
  private snapshots: SnapshotRow[] = [];
  private trades: TradeRow[] = [];
  /** The engine's status document (last one wins; written with the next flush). */
  private leaseStatus: { name: string; holderId: string; json: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  readonly counters = { flushes: 0, failures: 0, rows: 0, chunkRetries: 0, maxPending: 0, statements: 0, lastFlushMs: 0, maxFlushMs: 0, dbMs: 0, maxStatementMs: 0 };
  /** Time spent awaiting the database per batch kind (ms, rows) — with better-sqlite3 this is loop time. */
  readonly timings = new Map<string, { ms: number; rows: number; statements: number }>();
  private time(name: string, ms: number, rows: number, statements = 1): void {
    const t = this.timings.get(name) ?? { ms: 0, rows: 0, statements: 0 };
    t.ms += ms;
    t.rows += rows;
    t.statements += statements;
    this.timings.set(name, t);
    this.counters.dbMs += ms;
    if (ms > this.counters.maxStatementMs) this.counters.maxStatementMs = ms;
  }

  private readonly postgres: boolean;

  constructor(
    private readonly db: Db,
    private readonly logger: PxLogger,
    private readonly intervalMs = 100,
    /** Pending rows above which `overloaded` is true (the engine then declines new work). */
    private readonly highWater = 20_000,
  ) {
    this.postgres = String((db as unknown as { _activeProvider?: string })._activeProvider ?? "").startsWith("postgres");
    const file = this.postgres ? undefined : sqliteFileOf(db);
    if (file && file !== ":memory:") this.writer = new SqliteWriter(file);
  }

  /** The SQLite writer's OS thread id, once it runs (Linux; for benches that place threads on cores). */
  get writerThreadId(): number | undefined {
    return this.writer?.osThreadId;
  }

  /** True when the bulk tables are written by the SQLite worker thread. */
  get writesOffThread(): boolean {
    return this.writer !== undefined;
  }

  /** On a SQLite file: the bulk tables are written by a worker thread (see sqlite-writer.ts). */
  private readonly writer: SqliteWriter | undefined;
  /** Set when the worker failed: this flush's bulk rows go through Prisma on the main thread instead. */
  private writerFailed = false;

  /** One multi-row INSERT (a Prisma promise, so it can go into a batch transaction). */
  private insert(table: Table, rows: readonly (readonly unknown[])[]) {
    const cols = COLUMNS[table];
    const params: unknown[] = [];
    const tuples: string[] = [];
    let n = 0;
    for (const r of rows) {
      const ph: string[] = [];
      for (let i = 0; i < cols.length; i++) {
        params.push(r[i] === undefined ? null : r[i]);
        ph.push(this.postgres ? `$${++n}` : "?");
      }
      tuples.push(`(${ph.join(",")})`);
    }
    return this.db.$executeRawUnsafe(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(",")}) VALUES ${tuples.join(",")}`, ...params);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref?.();
  }
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.flush();
    await this.writer?.close();
  }

  /** Queues a write; `onCommitted` runs once it is durable (never for a failed write). */
  op(fn: (db: Db) => Promise<unknown>, onCommitted?: () => void): void {
    this.ops.push({ run: fn, onCommitted });
    this.track();
  }
  /** A new ParlayRequest with its legs (written before anything queued after it that references it). */
  addRequest(row: RequestRow, legs: LegRow[]): void {
    this.requests.set(row.parlayId, { row, legs, quotes: [] });
    this.track();
  }
  /** Quote tiers sent for a request (all of one parlay). */
  addQuotes(rows: QuoteRow[]): void {
    if (rows.length === 0) return;
    const pending = this.requests.get(rows[0]!.parlayId);
    if (pending) pending.quotes.push(...rows);
    else this.laterQuotes.push(...rows);
    this.track();
  }
  /** Request status/fields: merged into the row if it is not written yet, else the last patch per parlay wins. */
  updateRequest(parlayId: string, patch: RequestPatch): void {
    const pending = this.requests.get(parlayId);
    if (pending) {
      Object.assign(pending.row, patch);
      return;
    }
    const prev = this.patches.get(parlayId);
    this.patches.set(parlayId, prev ? { ...prev, ...patch } : patch);
    this.track();
  }
  /** Every quote of this parlay sent so far (status "sent") becomes "failed". */
  failQuotes(parlayId: string): void {
    const pending = this.requests.get(parlayId);
    if (pending) {
      for (const q of pending.quotes) if (q.status === "sent") q.status = "failed";
      return; // its quotes are all in the batch: nothing written yet to update
    }
    for (const q of this.laterQuotes) if (q.parlayId === parlayId && q.status === "sent") q.status = "failed";
    this.failedQuotes.add(parlayId);
    this.track();
  }
  addAudit(r: AuditRow): void {
    this.audit.push(r);
    this.track();
  }
  addOutbox(type: string, payload: unknown): void {
    this.outbox.push({ type, payloadJson: JSON.stringify(payload) });
    this.track();
  }
  addSnapshot(r: SnapshotRow): void {
    this.snapshots.push(r);
    this.track();
  }
  /** The status document shown by the dashboard, on the lease row while we hold it (coalesced). */
  setLeaseStatus(name: string, holderId: string, json: string): void {
    this.leaseStatus = { name, holderId, json };
  }
  addTrade(r: TradeRow): void {
    this.trades.push(r);
    this.track();
  }
  get pending(): number {
    return (
      this.requests.size +
      this.laterQuotes.length +
      this.patches.size +
      this.failedQuotes.size +
      this.ops.length +
      this.audit.length +
      this.outbox.length +
      this.snapshots.length +
      this.trades.length
    );
  }
  get overloaded(): boolean {
    return this.pending > this.highWater;
  }
  private track(): void {
    const n = this.pending;
    if (n > this.counters.maxPending) this.counters.maxPending = n;
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (this.pending === 0 && !this.leaseStatus) return;
    const t0 = performance.now();
    const requests = [...this.requests.values()];
    this.requests = new Map();
    const laterQuotes = this.laterQuotes.splice(0);
    const patches = this.patches;
    this.patches = new Map();
    const failedQuotes = [...this.failedQuotes];
    this.failedQuotes = new Set();
    const ops = this.ops.splice(0);
    const audit = this.audit.splice(0);
    const outbox = this.outbox.splice(0);
    const snapshots = this.snapshots.splice(0);
    const trades = this.trades.splice(0);
    const leaseStatus = this.leaseStatus;
    this.leaseStatus = undefined;
    this.counters.flushes++;
    // 1. New requests with their legs and quotes.
    if (!(requests.length > 0 && this.writer && (await this.writeOffThread("requests+legs+quotes", requestBatch(requests)))))
      for (let i = 0; i < requests.length; i += REQUESTS_PER_CHUNK) {
        await this.writeRequests(requests.slice(i, i + REQUESTS_PER_CHUNK));
        await yieldToLoop();
      }
    // 2. Ordered ops.
    for (let i = 0; i < ops.length; i += OPS_PER_TRANSACTION) {
      await this.runChunk(ops.slice(i, i + OPS_PER_TRANSACTION));
      await yieldToLoop();
    }
    // 3 and 4: updates of earlier rows, then append-only rows.
    const at = new Date(); // what @default(now()) would have written
    const later: LaterWrites = {
      leaseStatus,
      patches,
      failedQuotes,
      laterQuotes,
      appendOnly: [
        ["audit", "AuditLog", audit.map((r) => [at, r.actorType, r.actorId, r.action, r.subjectType ?? null, r.subjectId ?? null, r.detailsJson])],
        ["outbox", "EngineEvent", outbox.map((r) => [r.type, r.payloadJson, at])],
        ["snapshots", "BookSnapshot", snapshots.map((r) => [r.lineId, at, r.bestOdds, r.bestStakeCents, r.depthJson])],
        ["trades", "MatchedTrade", trades.map((r) => [r.lineId, r.eventId, r.marketId, r.odds, r.stakeCents, r.matchedAt])],
      ],
    };
    const anyLater = leaseStatus || patches.size || failedQuotes.length || laterQuotes.length || later.appendOnly.some(([, , rows]) => rows.length);
    if (anyLater && !(this.writer && (await this.writeOffThread("updates+append-only", laterBatch(later))))) await this.writeLater(later);
    const ms = performance.now() - t0;
    this.counters.lastFlushMs = ms;
    if (ms > this.counters.maxFlushMs) this.counters.maxFlushMs = ms;
  }

  /** Steps 3 and 4 through Prisma: coalesced updates, quotes of earlier requests, append-only batches. */
  private async writeLater({ leaseStatus, patches, failedQuotes, laterQuotes, appendOnly }: LaterWrites): Promise<void> {
    if (leaseStatus) {
      const { name, holderId, json } = leaseStatus;
      await this.batch("lease status", 1, () => this.db.engineLease.updateMany({ where: { name, holderId }, data: { statusJson: json } }));
    }
    const byPatch = new Map<string, { patch: RequestPatch; ids: string[] }>();
    for (const [parlayId, patch] of patches) {
      const key = JSON.stringify(patch);
      const g = byPatch.get(key);
      if (g) g.ids.push(parlayId);
      else byPatch.set(key, { patch, ids: [parlayId] });
    }
    for (const { patch, ids } of byPatch.values())
      for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
        const chunk = ids.slice(i, i + ROWS_PER_STATEMENT);
        await this.batch("request status", chunk.length, () => this.db.parlayRequest.updateMany({ where: { parlayId: { in: chunk } }, data: patch }));
      }
    for (let i = 0; i < failedQuotes.length; i += ROWS_PER_STATEMENT) {
      const chunk = failedQuotes.slice(i, i + ROWS_PER_STATEMENT);
      await this.batch("failed quotes", chunk.length, () => this.db.parlayQuote.updateMany({ where: { parlayId: { in: chunk }, status: "sent" }, data: { status: "failed" } }));
    }
    for (let i = 0; i < laterQuotes.length; i += ROWS_PER_STATEMENT) {
      const chunk = laterQuotes.slice(i, i + ROWS_PER_STATEMENT);
      if (!(await this.batch("quotes", chunk.length, () => this.insert("ParlayQuote", chunk.map(quoteTuple)), false)))
        for (const q of chunk) await this.batch("quote", 1, () => this.insert("ParlayQuote", [quoteTuple(q)]));
    }
    for (const [name, table, rows] of appendOnly)
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        await this.batch(name, chunk.length, () => this.insert(table, chunk));
      }
  }

  /**
   * Hands a batch to the SQLite worker. True when the worker took it (failed units are logged and
   * counted like failed rows); false when there is no worker or it failed, and the caller writes the
   * rows through Prisma instead.
   */
  private async writeOffThread(name: string, batch: WriteBatch): Promise<boolean> {
    if (!this.writer || this.writerFailed) return false;
    try {
      const r = await this.writer.write(batch);
      const rows = batch.units.reduce((n, u) => n + u.length, 0);
      this.counters.statements += batch.sql.length;
      this.time(name, r.ms, rows, batch.sql.length);
      this.counters.rows += rows;
      if (r.failedUnits > 0) {
        this.counters.chunkRetries++;
        this.counters.failures += r.failedUnits;
        this.logger.error(`persist ${name}: ${r.failedUnits} of ${r.units} failed`, String(r.firstError).slice(0, 300));
      }
      return true;
    } catch (err) {
      this.logger.error(`persist ${name}: sqlite writer failed, writing on the main thread`, String(err).slice(0, 300));
      this.writerFailed = true;
      // Try the worker again from the next flush on (it is respawned on demand).
      setTimeout(() => (this.writerFailed = false), 5_000).unref?.();
      return false;
    }
  }

  /** One statement, after a yield to the loop; false (logged, counted) when it fails. */
  private async batch(name: string, n: number, run: () => Promise<unknown>, countFailure = true): Promise<boolean> {
    await yieldToLoop();
    this.counters.statements++;
    try {
      const t0 = performance.now();
      await run();
      this.time(name, performance.now() - t0, n);
      this.counters.rows += n;
      return true;
    } catch (err) {
      if (countFailure) {
        this.counters.failures++;
        this.logger.error(`persist ${name} failed`, String(err).slice(0, 300));
      } else this.counters.chunkRetries++;
      return false;
    }
  }

  /** Requests + legs + quotes of a chunk in one transaction (3 statements); on failure request by request. */
  private async writeRequests(chunk: PendingRequest[]): Promise<void> {
    const statements = (rs: PendingRequest[]) => {
      const legs = rs.flatMap((r) => r.legs.map((l) => legTuple(r.row.parlayId, l)));
      const quotes = rs.flatMap((r) => r.quotes.map(quoteTuple));
      return [
        this.insert("ParlayRequest", rs.map((r) => requestTuple(r.row))),
        ...(legs.length ? [this.insert("ParlayLeg", legs)] : []),
        ...(quotes.length ? [this.insert("ParlayQuote", quotes)] : []),
      ];
    };
    const rows = (rs: PendingRequest[]) => rs.reduce((n, r) => n + 1 + r.legs.length + r.quotes.length, 0);
    try {
      const st = statements(chunk);
      this.counters.statements += st.length;
      const t0 = performance.now();
      await this.db.$transaction(st);
      this.time("requests+legs+quotes", performance.now() - t0, rows(chunk), st.length);
      this.counters.rows += rows(chunk);
      return;
    } catch (err) {
      if (chunk.length === 1) {
        this.counters.failures++;
        this.logger.error("persist request failed", String(err).slice(0, 300));
        return;
      }
      this.counters.chunkRetries++;
    }
    for (const r of chunk) await this.writeRequests([r]);
  }

  private async runChunk(chunk: Op[]): Promise<void> {
    try {
      const t0 = performance.now();
      await this.db.$transaction(async (tx) => {
        for (const op of chunk) await op.run(tx as unknown as Db);
      });
      this.time("ops", performance.now() - t0, chunk.length, chunk.length);
      this.counters.rows += chunk.length;
      for (const op of chunk) op.onCommitted?.();
      return;
    } catch (err) {
      if (chunk.length === 1) {
        this.counters.failures++;
        this.logger.error("persist op failed", String(err).slice(0, 300));
        return;
      }
      this.counters.chunkRetries++;
    }
    // The chunk rolled back as a whole: replay op by op so only the bad row is lost.
    for (const op of chunk) await this.runChunk([op]);
  }
}
