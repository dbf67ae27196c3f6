// The engine's bulk SQLite writes, on a worker thread with its own better-sqlite3 connection.
//
// better-sqlite3 (under Prisma's SQLite adapter too) runs every statement synchronously on the
// calling thread, so on the main thread each flush of the per-RFQ tables held the quoting loop for
// milliseconds. Here the main thread only posts plain rows (numbers and strings; a structured clone
// of a few µs) and awaits the commit; the worker runs prepared statements in transactions.
//
// A batch is a list of units (one RFQ with its legs and quotes, one audit row, …). Units commit
// together in transactions of ~200 statements, so the write lock is held for a millisecond or two
// at a time; a transaction that fails is replayed unit by unit, so one bad unit (a duplicate key)
// loses only itself — the same contract as the Prisma path in persist.ts. One batch in flight at a
// time (the persister's flush is sequential); each statement is bounded by SQLite's busy timeout,
// the whole call by `callTimeoutMs`, after which the worker is replaced.
//
// The worker reports its OS thread id (Linux), so a bench can place it on cores. It runs at normal
// priority: at nice +5 it kept commits from preempting quotes on a shared core, but when the whole
// engine had one core (engine-soak) it fell behind and the engine's resident memory grew past 400 MB.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** SQL text by index, then units of [sql index, bound parameters] statements. */
export type WriteBatch = { sql: string[]; units: [number, unknown[]][][] };
export type WriteResult = { units: number; failedUnits: number; firstError?: string; ms: number };

const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
let tid;
try {
  tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
} catch { /* not Linux */ }
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
db.pragma("foreign_keys = ON");
const MAX_STATEMENTS = 200;
const cache = new Map();
const prepare = (sql) => {
  let st = cache.get(sql);
  if (!st) {
    st = db.prepare(sql);
    if (cache.size > 500) cache.clear();
    cache.set(sql, st);
  }
  return st;
};
const runUnit = (sql, unit) => { for (const [i, params] of unit) prepare(sql[i]).run(params); };
const all = db.transaction((sql, units) => { for (const u of units) runUnit(sql, u); });
const one = db.transaction((sql, unit) => runUnit(sql, unit));
parentPort.on("message", (msg) => {
  if (msg.type === "close") { db.close(); parentPort.close(); return; }
  const t0 = performance.now();
  const { sql, units } = msg.batch;
  let failedUnits = 0;
  let firstError;
  // Transactions of at most ~MAX_STATEMENTS statements (whole units): the write lock is held for a
  // millisecond or two at a time, so the main thread's own occasional writes rarely wait on it.
  for (let start = 0; start < units.length; ) {
    let end = start;
    let n = 0;
    while (end < units.length && (end === start || n + units[end].length <= MAX_STATEMENTS)) n += units[end++].length;
    const chunk = units.slice(start, end);
    try {
      all(sql, chunk);
    } catch (err) {
      for (const u of chunk) {
        try { one(sql, u); } catch (e) { failedUnits++; firstError = firstError || String(e && e.message || e); }
      }
    }
    start = end;
  }
  parentPort.postMessage({ id: msg.id, units: units.length, failedUnits, firstError, ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true, tid });
`;

export class SqliteWriter {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: WriteResult) => void; reject: (e: Error) => void }>();
  private closed = false;
  /** The worker's OS thread id where known (Linux). */
  osThreadId: number | undefined;

  constructor(
    private readonly file: string,
    private readonly opts: { busyTimeoutMs?: number; callTimeoutMs?: number } = {},
  ) {}

  private spawn(): Promise<void> {
    const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driverPath, busyTimeoutMs: this.opts.busyTimeoutMs ?? 10_000 } });
    worker.unref();
    this.worker = worker;
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`sqlite writer exited (${code})`)));
    return new Promise<void>((resolve, reject) => {
      worker.once("message", (m: { ready?: boolean; tid?: number }) => {
        this.osThreadId = m.tid;
        if (m.ready) resolve();
        else reject(new Error("sqlite writer did not start"));
      });
      worker.once("error", reject);
    }).then(() => {
      worker.on("message", (m: WriteResult & { id: number }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        p.resolve({ units: m.units, failedUnits: m.failedUnits, firstError: m.firstError, ms: m.ms });
      });
    });
  }

  /** Commits the batch (unit by unit if the whole fails); rejects only if the worker itself fails. */
  async write(batch: WriteBatch): Promise<WriteResult> {
    if (this.closed) throw new Error("sqlite writer closed");
    if (!this.worker || !this.ready) this.ready = this.spawn();
    await this.ready;
    const worker = this.worker;
    if (!worker) throw new Error("sqlite writer is not running");
    const id = this.nextId++;
    const timeoutMs = this.opts.callTimeoutMs ?? 60_000;
    return new Promise<WriteResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`sqlite writer did not answer within ${timeoutMs} ms`));
        // A stuck worker is replaced; the next call starts a fresh one.
        if (this.worker === worker) {
          this.worker = undefined;
          this.ready = undefined;
        }
        void worker.terminate();
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => void worker.terminate().then(() => resolve()), 2_000);
      worker.once("exit", () => (clearTimeout(t), resolve()));
      worker.postMessage({ type: "close" });
    });
  }
}
