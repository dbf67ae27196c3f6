// Starts bench/lib/sim-child.ts (the simulator) as a child process and talks to it over IPC. On a
// machine with ≥ 2 cores the child is pinned to the last core and this process to the others
// (taskset), so the simulator's work does not steal the engine's core. `--no-pin` disables pinning.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ChildOptions, RecordedRfq } from "./sim-child.ts";

/** The repository root: the first directory up from `dir` with a package.json. This module also runs
 * bundled (engine-latency runs from data/build/), so children's sources are found from there. */
export const repoRoot = (dir: string): string => (existsSync(path.join(dir, "package.json")) || path.dirname(dir) === dir ? dir : repoRoot(path.dirname(dir)));
const simChildSource = path.join(repoRoot(path.dirname(fileURLToPath(import.meta.url))), "bench", "lib", "sim-child.ts");

export type SimReady = { baseUrl: string; port: number; accounts: { accessKey: string; secretKey: string; partnerId: string }[]; adminKey: string; pid: number };
export type SimStats = {
  loop: { maxMs: number; p99Ms: number; meanMs: number };
  rssMb: number;
  generated: number;
  triggerFailures: number;
  lastError: string;
  parlays: Record<string, number | boolean>;
  pusher: Record<string, unknown>;
  http: Record<string, number>;
  world: { events: number; lines: number; simNowMs: number; timeScale: number };
  market: { lpRequotes: number; takerTrades: number; mmMessages: number };
};

export type SimProcess = {
  ready: SimReady;
  child: ChildProcess;
  pinned: string;
  gen: (g: { rate: number; count?: number; bettor?: "auto" | "accept-all" | "decline"; rivals?: "auto" | "none"; record?: boolean }) => void;
  waitGenDone: () => Promise<{ made: number; failed: number }>;
  truth: (lineIds: string[]) => Promise<{ joint: number; independent: number; simNowMs: number }>;
  advance: (simMs: number, stepMs?: number, pauseMs?: number) => Promise<{ simNowMs: number }>;
  rfqs: () => Promise<RecordedRfq[]>;
  stats: () => Promise<SimStats>;
  stop: () => Promise<void>;
};

const hasTaskset = (): boolean => {
  try {
    return spawnSync("taskset", ["-V"]).status === 0;
  } catch {
    return false;
  }
};

/**
 * Lets one thread of this process run on every core again. Threads inherit the creating thread's
 * affinity, so a worker started after pinning (the engine's SQLite writer) would be confined to the
 * quoting thread's core; the GC helper threads, started before, already float.
 */
export const unpinThread = (tid: number): boolean => {
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  return hasTaskset() && spawnSync("taskset", ["-pc", `0-${cpus - 1}`, String(tid)]).status === 0;
};

export const startSimProcess = async (opts: ChildOptions, pin = !process.argv.includes("--no-pin")): Promise<SimProcess> => {
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  const doPin = pin && cpus >= 2 && hasTaskset();
  // SIM_NODE_FLAGS="…": extra node flags for the simulator child (diagnostics, e.g. --cpu-prof).
  const extra = (process.env.SIM_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const args = [...extra, "--import", "tsx", simChildSource, JSON.stringify(opts)];
  const child = doPin ? spawn("taskset", ["-c", String(cpus - 1), process.execPath, ...args], { stdio: ["ignore", "inherit", "inherit", "ipc"] }) : spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let pinned = "no";
  if (doPin) {
    const mine = cpus === 2 ? "0" : `0-${cpus - 2}`;
    const r = spawnSync("taskset", ["-pc", mine, String(process.pid)]);
    pinned = r.status === 0 ? `engine on cpu ${mine}, simulator on cpu ${cpus - 1}` : "simulator only";
  }
  const ready = await new Promise<SimReady>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`simulator child exited early (${code})`)));
    const on = (m: { type: string } & SimReady) => {
      if (m.type === "ready") {
        child.off("message", on);
        resolve(m);
      }
    };
    child.on("message", on);
  });
  child.removeAllListeners("exit");
  let truthSeq = 0;
  const pendingTruth = new Map<number, (v: { joint: number; independent: number; simNowMs: number }) => void>();
  const waiters = new Map<string, ((m: any) => void)[]>();
  child.on("message", (m: { type: string; id?: number } & Record<string, any>) => {
    if (m.type === "truth") {
      pendingTruth.get(m.id!)?.(m as never);
      pendingTruth.delete(m.id!);
      return;
    }
    const ws = waiters.get(m.type);
    if (ws && ws.length > 0) ws.shift()!(m);
  });
  const ask = <T>(msg: unknown, type: string): Promise<T> =>
    new Promise((resolve) => {
      const ws = waiters.get(type) ?? [];
      ws.push(resolve);
      waiters.set(type, ws);
      if (msg !== undefined) child.send(msg as never);
    });
  return {
    ready,
    child,
    pinned,
    gen: (g) => child.send({ type: "gen", ...g }),
    waitGenDone: () => ask(undefined, "gen-done"),
    truth: (lineIds) =>
      new Promise((resolve) => {
        const id = ++truthSeq;
        pendingTruth.set(id, resolve);
        child.send({ type: "truth", id, lineIds });
      }),
    advance: (simMs, stepMs, pauseMs) => ask({ type: "advance", simMs, stepMs, pauseMs }, "advanced"),
    rfqs: async () => (await ask<{ rfqs: RecordedRfq[] }>({ type: "rfqs" }, "rfqs")).rfqs,
    stats: () => ask({ type: "stats" }, "stats"),
    stop: async () => {
      const done = new Promise((r) => child.once("exit", r));
      child.send({ type: "exit" });
      await Promise.race([done, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
};
