// A small pool of HiGHS worker threads. HiGHS `run()` is synchronous (stack.md pitfall 5), so every
// solve happens off the main thread. A job holds one worker for all of its solves (phases, mode-2
// candidates); jobs beyond the workers wait in a bounded FIFO queue, and a job that finds the queue
// full fails at once with PoolBusyError (HTTP 503). A worker that overruns its time limit by more
// than the grace period is terminated and replaced.

import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { LinearModel } from "@/lib/arbitrage/model";
import { WORKER_SOURCE } from "./worker-source";

export interface SolveRequest {
  readonly model: LinearModel;
  /** Seconds. */
  readonly timeLimit: number;
  readonly mipRelGap?: number;
  readonly mipAbsGap?: number;
  /** Feasible start (full column vector) for MIPs. */
  readonly start?: readonly number[];
  /** Extra HiGHS options (names as in HiGHS, e.g. `mip_heuristic_run_rins`). */
  readonly options?: Readonly<Record<string, boolean | number | string>>;
  /**
   * Instead of solving: bound tightening. For each listed column, min and max of it over the LP
   * relaxation of `model` (objective ignored); the result carries them in `ranges`.
   */
  readonly tighten?: readonly number[];
  /**
   * Integer columns to reformulate by lattice basis reduction before the MIP solve (same optimum,
   * far fewer nodes on thin polytopes; see lib/arbitrage/lattice.ts). The worker falls back to the
   * plain model when a step fails. The result's `x` is always in the original columns.
   */
  readonly lattice?: readonly number[];
}

/** What the lattice reformulation did (null: requested but fell back to the plain model). */
export interface LatticeInfo {
  readonly columns: number;
  readonly swaps: number;
  /** Interior point, analytic centre, reduction and rewrite (ms). */
  readonly prepMs: number;
  readonly centreIterations: number;
}

export interface SolveResult {
  readonly status: string;
  readonly statusCode: number;
  readonly optimal: boolean;
  readonly hasSolution: boolean;
  readonly x: number[];
  /** Reduced costs of an optimal LP (null for MIPs). */
  readonly reducedCosts: number[] | null;
  readonly objective: number | null;
  /** Proven bound on the objective (MIP dual bound; the optimum for an optimal LP). */
  readonly bound: number | null;
  /** Relative MIP gap as reported by HiGHS (0 for an optimal LP). */
  readonly gap: number | null;
  readonly mip: boolean;
  readonly nodes: number;
  readonly timeMs: number;
  /** Column ranges of a `tighten` request (null when an LP failed or time ran out). */
  readonly ranges?: { readonly lower: number[]; readonly upper: number[] } | null;
  /** Set when the request asked for a lattice reformulation. */
  readonly lattice?: LatticeInfo | null;
  /** Why the plain model was solved instead (when `lattice` is null). */
  readonly latticeFallback?: string;
}

export interface Solver {
  solve(req: SolveRequest): Promise<SolveResult>;
}

export class PoolBusyError extends Error {
  readonly code = "solver_busy";
  constructor(message = "the solver is busy; try again shortly") {
    super(message);
    this.name = "PoolBusyError";
  }
}

export class SolverFailure extends Error {
  readonly code = "solver_error";
  constructor(message: string) {
    super(message);
    this.name = "SolverFailure";
  }
}

export interface PoolOptions {
  /** Worker threads (default 2 on 2+ cores). */
  readonly size?: number;
  /** Jobs allowed to wait for a worker (default 16); more fail with PoolBusyError. */
  readonly maxQueue?: number;
  /** A queued job waiting longer than this fails with PoolBusyError (default 30 s). */
  readonly queueTimeoutMs?: number;
  /** Extra time past a solve's own time limit before its worker is killed (default 5 s). */
  readonly graceMs?: number;
  /**
   * Compile HiGHS with the optimising tier up front (~2 s once per process) so that even the first
   * solves run at full speed (default true; a one-shot CLI is faster without).
   */
  readonly eagerCompile?: boolean;
  /** Tiny MIPs each worker solves before reporting ready (default 2 when eager, else 0). */
  readonly warmSolves?: number;
}

interface Pending {
  resolve(r: SolveResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Finds the `highs` CommonJS entry for the worker (cwd first: robust under tsx, vitest and next start). */
export const resolveHighsPath = (): string => {
  const attempts: (() => string)[] = [
    () => {
      const p = process.env.ARB_HIGHS_PATH;
      if (!p) throw new Error("unset");
      return p;
    },
    () => createRequire(path.join(process.cwd(), "package.json")).resolve("highs"),
    () => createRequire(import.meta.url).resolve("highs"),
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next strategy
    }
  }
  throw new SolverFailure("cannot locate the highs package");
};

interface SharedCompile {
  module?: WebAssembly.Module;
  readonly eager: boolean;
  readonly warmSolves: number;
}

class Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  dead = false;
  busy = false;
  readonly pending = new Map<number, Pending>();

  constructor(highsPath: string, shared: SharedCompile, onDeath: (slot: Slot) => void) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { highsPath, eager: shared.eager, wasmModule: shared.module, warmSolves: shared.warmSolves },
    });
    this.worker.unref();
    this.worker.on("message", (msg: { type: string; module?: WebAssembly.Module }) => {
      if (msg.type === "module" && msg.module && !shared.module) shared.module = msg.module;
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { type: string; message?: string }): void => {
        if (msg.type === "ready") {
          this.worker.off("message", onMessage);
          resolve();
        } else if (msg.type === "fatal") {
          this.worker.off("message", onMessage);
          reject(new SolverFailure(`solver worker failed to start: ${msg.message}`));
        }
      };
      this.worker.on("message", onMessage);
    });
    this.ready.catch(() => undefined);
    this.worker.on("message", (msg: { type: string; id?: number; message?: string } & SolveResult) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.type === "result") {
        const { type: _t, id: _i, ...result } = msg;
        p.resolve(result as SolveResult);
      } else p.reject(new SolverFailure(msg.message ?? "solver error"));
    });
    const die = (err: Error): void => {
      if (this.dead) return;
      this.dead = true;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      this.pending.clear();
      onDeath(this);
    };
    this.worker.on("error", (e) => die(new SolverFailure(`solver worker crashed: ${e.message}`)));
    this.worker.on("exit", (code) => die(new SolverFailure(`solver worker exited (code ${code})`)));
  }

  kill(reason: string): void {
    const err = new SolverFailure(reason);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.dead = true;
    void this.worker.terminate();
  }
}

let nextId = 1;



export class SolverPool {
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly queueTimeoutMs: number;
  private readonly graceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: { resolve(slot: Slot): void; reject(e: Error): void; timer: NodeJS.Timeout }[] = [];
  private highsPath: string | undefined;
  private readonly shared: SharedCompile;
  private closed = false;
  /** Completed jobs, for monitoring. */
  completed = 0;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? 2);
    this.maxQueue = Math.max(0, opts.maxQueue ?? 16);
    this.queueTimeoutMs = opts.queueTimeoutMs ?? 30_000;
    this.graceMs = opts.graceMs ?? 5_000;
    const eager = opts.eagerCompile ?? true;
    this.shared = { eager, warmSolves: opts.warmSolves ?? (eager ? 2 : 0) };
  }

  stats(): { workers: number; busy: number; queued: number; size: number; maxQueue: number } {
    return {
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.busy).length,
      queued: this.queue.length,
      size: this.size,
      maxQueue: this.maxQueue,
    };
  }

  /**
   * Starts every worker ahead of the first request (loading and compiling HiGHS takes 0.1–3 s;
   * each worker also runs a tiny warm-up MIP before it reports ready). Never takes a job slot.
   */
  async warm(): Promise<void> {
    if (this.closed) return;
    this.removeDead();
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    await Promise.all(this.slots.map((s) => s.ready.catch(() => undefined)));
  }

  /** Runs `job` with exclusive use of one worker. Throws PoolBusyError when the queue is full. */
  async run<T>(job: (solver: Solver) => Promise<T>): Promise<T> {
    if (this.closed) throw new SolverFailure("the solver pool is closed");
    const slot = await this.acquire();
    slot.worker.ref();
    try {
      await slot.ready;
      return await job({ solve: (req) => this.solveOn(slot, req) });
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) {
      clearTimeout(q.timer);
      q.reject(new SolverFailure("the solver pool is closed"));
    }
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    this.highsPath ??= resolveHighsPath();
    return new Slot(this.highsPath, this.shared, (dead) => {
      const i = this.slots.indexOf(dead);
      if (i >= 0 && !dead.busy) this.slots.splice(i, 1);
    });
  }

  private acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy && !s.dead);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.slots.filter((s) => !s.dead).length < this.size) {
      this.removeDead();
      const slot = this.spawn();
      slot.busy = true;
      this.slots.push(slot);
      return Promise.resolve(slot);
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new PoolBusyError(`the solver is busy (${this.size} running, ${this.queue.length} queued); try again shortly`));
    }
    return new Promise<Slot>((resolve, reject) => {
      const entry = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.queue.indexOf(entry);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new PoolBusyError("timed out waiting for a free solver; try again shortly"));
        }, this.queueTimeoutMs),
      };
      entry.timer.unref();
      this.queue.push(entry);
    });
  }

  private removeDead(): void {
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]!.dead && !this.slots[i]!.busy) this.slots.splice(i, 1);
  }

  private release(slot: Slot): void {
    this.completed++;
    slot.busy = false;
    let target = slot;
    if (slot.dead) {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (this.queue.length === 0 || this.closed) return;
      target = this.spawn();
      this.slots.push(target);
    } else {
      slot.worker.unref();
    }
    const waiter = this.queue.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      target.busy = true;
      waiter.resolve(target);
    }
  }

  private solveOn(slot: Slot, req: SolveRequest): Promise<SolveResult> {
    if (slot.dead) return Promise.reject(new SolverFailure("solver worker is gone"));
    const id = nextId++;
    return new Promise<SolveResult>((resolve, reject) => {
      const timer = setTimeout(
        () => slot.kill(`the solver did not stop within its time limit (+${this.graceMs} ms); the worker was restarted`),
        req.timeLimit * 1000 + this.graceMs,
      );
      slot.pending.set(id, { resolve, reject, timer });
      slot.worker.postMessage({
        type: "solve",
        id,
        model: req.model,
        timeLimit: req.timeLimit,
        mipRelGap: req.mipRelGap ?? 1e-6,
        mipAbsGap: req.mipAbsGap ?? 1e-6,
        start: req.start ? [...req.start] : undefined,
        options: req.options,
        tighten: req.tighten ? [...req.tighten] : undefined,
        lattice: req.lattice ? [...req.lattice] : undefined,
      });
    });
  }
}

const GLOBAL_KEY = Symbol.for("parlay-desk.arbitrage.solverPool");

/** The process-wide pool (kept on globalThis so Next dev reloads do not leak workers). */
export const getSolverPool = (): SolverPool => {
  const g = globalThis as unknown as Record<symbol, SolverPool | undefined>;
  let pool = g[GLOBAL_KEY];
  if (!pool) {
    const size = Number(process.env.ARB_SOLVER_WORKERS ?? "") || 2;
    const maxQueue = Number(process.env.ARB_SOLVER_QUEUE ?? "") || 16;
    pool = new SolverPool({ size, maxQueue });
    g[GLOBAL_KEY] = pool;
  }
  return pool;
};
