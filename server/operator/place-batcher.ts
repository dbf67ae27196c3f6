// Group commit for the Postgres fast path: bet slips that arrive while earlier placements are still
// running go to the database together, in one place_bets_batch() statement and one commit
// (prisma/postgres/migrations/20261121104500_place_bets_batch). Under load the per-statement costs
// (Prisma and driver work in Node, the round trip, executor start-up, the WAL flush at commit) are
// paid once per batch; a slip arriving at a quiet moment goes alone through place_bets() as before.
//
// Nothing about a slip changes: each is one place_bets() call in its own subtransaction, all or
// nothing on its own. Any slip the batch did not settle (a lock not granted within BATCH_LOCK_TIMEOUT_MS,
// the limits setting changed, an unexpected error) runs again alone through pgPlace with the request's
// full lock timeout, and a batch statement that fails as a whole re-runs every slip of it alone.
//
// Bounds: at most `maxInFlight` batch statements at once, `maxBatch` slips per statement (a
// subtransaction each; Postgres keeps 64 per backend cheaply), `maxQueued` slips waiting (beyond it a
// slip runs alone at once, which the connection pool bounds in turn). A batch's slips wait on a busy
// customer for at most BATCH_LOCK_TIMEOUT_MS each.
import { pgPlace, placeCall, currentPlan, placeOutcome, raiseCodeOf, raisedOutcome, type PgPlaceArgs, type PgPlaceResult } from "./place-bets-pg.ts";
import type { Tx } from "../wallet/ledger.ts";

export const BATCH_LOCK_TIMEOUT_MS = 100;

export type BatcherOptions = { maxInFlight: number; maxBatch: number; maxQueued: number };
export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = { maxInFlight: 4, maxBatch: 32, maxQueued: 4_096 };

type Waiting = { args: PgPlaceArgs; resolve: (r: PgPlaceResult) => void; reject: (e: unknown) => void };
type Row = { idx: number; outcome: string; status: number | null; body: string | null };

export type BatcherStats = { batched: number; slipsInBatches: number; alone: number; rerun: number };

export class PgPlaceBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;
  readonly stats: BatcherStats = { batched: 0, slipsInBatches: 0, alone: 0, rerun: 0 };

  constructor(
    private readonly db: Tx,
    private readonly opts: BatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {}

  place(args: PgPlaceArgs): Promise<PgPlaceResult> {
    if (this.queue.length >= this.opts.maxQueued) return this.alone(args);
    return new Promise((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private alone(args: PgPlaceArgs): Promise<PgPlaceResult> {
    this.stats.alone++;
    return pgPlace(this.db, args);
  }

  private settle(w: Waiting, p: Promise<PgPlaceResult>): Promise<void> {
    return p.then(w.resolve, w.reject);
  }

  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.settle(batch[0]!, this.alone(batch[0]!.args));
    // Slips the limits (as last seen) hand to the transactional path skip the batch: pgPlace decides, alone.
    const calls: { w: Waiting; call: ReturnType<typeof placeCall> }[] = [];
    const rest: Waiting[] = [];
    for (const w of batch) {
      const { text, plan } = currentPlan(this.db, w.args.slip);
      if (plan) calls.push({ w, call: placeCall(w.args, text, plan) });
      else rest.push(w);
    }
    // One lock order for every batch: by cash account (then key), so two batches never wait on each other in a cycle.
    calls.sort((a, b) => (a.call.cash < b.call.cash ? -1 : a.call.cash > b.call.cash ? 1 : a.call.key < b.call.key ? -1 : 1));
    const answering: Promise<void>[] = rest.map((w) => this.settle(w, this.alone(w.args)));
    if (calls.length > 0) {
      this.stats.batched++;
      this.stats.slipsInBatches += calls.length;
      let rows: Row[];
      try {
        rows = await this.db.$queryRawUnsafe<Row[]>(`SELECT "idx", "outcome", "status", "body" FROM place_bets_batch($1::jsonb, $2::int)`, JSON.stringify(calls.map((c) => c.call)), BATCH_LOCK_TIMEOUT_MS);
      } catch {
        // Nothing of the batch was committed: every slip alone, with its own error handling.
        await Promise.all([...answering, ...calls.map((c) => this.rerun(c.w))]);
        return;
      }
      const byIdx = new Map(rows.map((r) => [Number(r.idx), r]));
      calls.forEach((c, i) => {
        const r = byIdx.get(i);
        const answer = this.answerOf(r);
        if (answer) c.w.resolve(answer);
        else answering.push(this.rerun(c.w));
      });
    }
    await Promise.all(answering);
  }

  /** A final answer from the batch's row for a slip, or null to run the slip again alone. */
  private answerOf(r: Row | undefined): PgPlaceResult | null {
    if (!r) return null;
    if (r.outcome === "RAISE") return raisedOutcome(raiseCodeOf(r.body ?? ""));
    if (r.outcome === "RETRY") return null;
    try {
      const a = placeOutcome(this.db, r);
      return a === "LIMITS" ? null : a;
    } catch {
      return null;
    }
  }

  private rerun(w: Waiting): Promise<void> {
    this.stats.rerun++;
    return this.settle(w, pgPlace(this.db, w.args));
  }
}

const batchers = new WeakMap<object, PgPlaceBatcher>();
/** The batcher of a database client (one per client: its pool is what the batches share). */
export const batcherFor = (db: Tx): PgPlaceBatcher => {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new PgPlaceBatcher(db)));
  return b;
};
