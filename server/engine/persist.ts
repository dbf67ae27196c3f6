// Asynchronous, batched persistence: the engine loop never waits for the database. Ordered ops run
// first (upserts that later rows reference), then append-only batches (audit, outbox, snapshots,
// trades) as createMany. Failures are logged and counted, never thrown into the loop.
import type { Db } from "../db/client.ts";
import type { PxLogger } from "../prophetx/rest.ts";

export type AuditRow = { actorType: string; actorId: string; action: string; subjectType?: string | null; subjectId?: string | null; detailsJson: string };
export type OutboxRow = { type: string; payloadJson: string };
export type SnapshotRow = { lineId: string; bestOdds: number | null; bestStakeCents: number; depthJson: string };
export type TradeRow = { lineId: string; eventId: number; marketId: number; odds: number; stakeCents: number; matchedAt: Date };

export class Persister {
  private ops: ((db: Db) => Promise<unknown>)[] = [];
  private audit: AuditRow[] = [];
  private outbox: OutboxRow[] = [];
  private snapshots: SnapshotRow[] = [];
  private trades: TradeRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  readonly counters = { flushes: 0, failures: 0, rows: 0 };

  constructor(private readonly db: Db, private readonly logger: PxLogger, private readonly intervalMs = 100) {}

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

  op(fn: (db: Db) => Promise<unknown>): void {
    this.ops.push(fn);
  }
  addAudit(r: AuditRow): void {
    this.audit.push(r);
  }
  addOutbox(type: string, payload: unknown): void {
    this.outbox.push({ type, payloadJson: JSON.stringify(payload) });
  }
  addSnapshot(r: SnapshotRow): void {
    this.snapshots.push(r);
  }
  addTrade(r: TradeRow): void {
    this.trades.push(r);
  }
  get pending(): number {
    return this.ops.length + this.audit.length + this.outbox.length + this.snapshots.length + this.trades.length;
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
    for (const op of ops) {
      try {
        await op(this.db);
        this.counters.rows++;
      } catch (err) {
        this.counters.failures++;
        this.logger.error("persist op failed", String(err).slice(0, 300));
      }
    }
    const batches: [string, () => Promise<unknown>, number][] = [
      ["audit", () => this.db.auditLog.createMany({ data: audit }), audit.length],
      ["outbox", () => this.db.engineEvent.createMany({ data: outbox }), outbox.length],
      ["snapshots", () => this.db.bookSnapshot.createMany({ data: snapshots }), snapshots.length],
      ["trades", () => this.db.matchedTrade.createMany({ data: trades }), trades.length],
    ];
    for (const [name, run, n] of batches) {
      if (n === 0) continue;
      try {
        await run();
        this.counters.rows += n;
      } catch (err) {
        this.counters.failures++;
        this.logger.error(`persist ${name} failed`, String(err).slice(0, 300));
      }
    }
  }
}
