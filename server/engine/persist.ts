// Asynchronous, batched persistence: the engine loop never waits for the database. Ordered ops run
// first (upserts that later rows reference), in chunked transactions — one commit per chunk, not per
// row, and a yield to the event loop between chunks, so a burst of RFQs never stalls the sockets —
// then append-only batches (audit, outbox, snapshots, trades) as createMany. A chunk whose
// transaction fails is replayed op by op, so one bad row cannot lose the others. Failures are
// logged and counted, never thrown into the loop. `overloaded` is the backpressure signal: above the
// high-water mark the engine stops taking new work (declines RFQs) until the backlog drains.
import type { Db } from "../db/client.ts";
import type { PxLogger } from "../prophetx/rest.ts";

export type AuditRow = { actorType: string; actorId: string; action: string; subjectType?: string | null; subjectId?: string | null; detailsJson: string };
export type OutboxRow = { type: string; payloadJson: string };
export type SnapshotRow = { lineId: string; bestOdds: number | null; bestStakeCents: number; depthJson: string };
export type TradeRow = { lineId: string; eventId: number; marketId: number; odds: number; stakeCents: number; matchedAt: Date };

type Op = { run: (db: Db) => Promise<unknown>; onCommitted?: () => void };

const OPS_PER_TRANSACTION = 200;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Persister {
  private ops: Op[] = [];
  private audit: AuditRow[] = [];
  private outbox: OutboxRow[] = [];
  private snapshots: SnapshotRow[] = [];
  private trades: TradeRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  readonly counters = { flushes: 0, failures: 0, rows: 0, chunkRetries: 0, maxPending: 0 };

  constructor(
    private readonly db: Db,
    private readonly logger: PxLogger,
    private readonly intervalMs = 100,
    /** Pending rows above which `overloaded` is true (the engine then declines new work). */
    private readonly highWater = 20_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref?.();
  }
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.flush();
  }

  /** Queues a write; `onCommitted` runs once it is durable (never for a failed write). */
  op(fn: (db: Db) => Promise<unknown>, onCommitted?: () => void): void {
    this.ops.push({ run: fn, onCommitted });
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
  addTrade(r: TradeRow): void {
    this.trades.push(r);
    this.track();
  }
  get pending(): number {
    return this.ops.length + this.audit.length + this.outbox.length + this.snapshots.length + this.trades.length;
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
    if (this.pending === 0) return;
    const ops = this.ops.splice(0);
    const audit = this.audit.splice(0);
    const outbox = this.outbox.splice(0);
    const snapshots = this.snapshots.splice(0);
    const trades = this.trades.splice(0);
    this.counters.flushes++;
    for (let i = 0; i < ops.length; i += OPS_PER_TRANSACTION) {
      await this.runChunk(ops.slice(i, i + OPS_PER_TRANSACTION));
      await yieldToLoop();
    }
    const batches: [string, () => Promise<unknown>, number][] = [
      ["audit", () => this.db.auditLog.createMany({ data: audit }), audit.length],
      ["outbox", () => this.db.engineEvent.createMany({ data: outbox }), outbox.length],
      ["snapshots", () => this.db.bookSnapshot.createMany({ data: snapshots }), snapshots.length],
      ["trades", () => this.db.matchedTrade.createMany({ data: trades }), trades.length],
    ];
    for (const [name, run, n] of batches) {
      if (n === 0) continue;
      await yieldToLoop();
      try {
        await run();
        this.counters.rows += n;
      } catch (err) {
        this.counters.failures++;
        this.logger.error(`persist ${name} failed`, String(err).slice(0, 300));
      }
    }
  }

  private async runChunk(chunk: Op[]): Promise<void> {
    try {
      await this.db.$transaction(async (tx) => {
        for (const op of chunk) await op.run(tx as unknown as Db);
      });
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
