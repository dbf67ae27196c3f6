// Starts bench/lib/nothing-child.ts (engine-latency's do-nothing handler) in its own process, run the
// way the engine process runs (esbuild bundle under plain node with the engine's V8 flags, or
// ENGINE_NODE_FLAGS="…"), on any core; talks to it over IPC.
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEngine } from "../../server/engine/bundle.ts";
import type { NothingChildMessage, NothingChildOptions, NothingLatencies } from "./nothing-child.ts";
import { benchEngineFlags } from "./bench-engine.ts";
import { repoRoot, unpinThread } from "./sim-process.ts";

export const startNothingChild = async (opts: NothingChildOptions) => {
  const root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const argv = await bundleEngine(root, path.join(root, "bench", "lib", "nothing-child.ts"), path.join(root, "data", "build", "nothing-child.mjs"));
  const flags = benchEngineFlags(argv);
  const child = fork(argv[argv.length - 1]!, [JSON.stringify(opts)], { execArgv: flags, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  // Forked after the simulator pinned this process to the engine's core: let it run anywhere.
  if (child.pid !== undefined) unpinThread(child.pid);
  const next = (type: NothingChildMessage["type"], timeoutMs: number) =>
    new Promise<NothingChildMessage>((resolve, reject) => {
      const t = setTimeout(() => (cleanup(), reject(new Error(`do-nothing child: no ${type} within ${timeoutMs} ms`))), timeoutMs);
      const onMessage = (m: NothingChildMessage) => {
        if (m.type === "error") (cleanup(), reject(new Error(`do-nothing child: ${m.error}`)));
        else if (m.type === type) (cleanup(), resolve(m));
      };
      const onExit = (code: number | null) => (cleanup(), reject(new Error(`do-nothing child exited (${code})`)));
      const cleanup = () => {
        clearTimeout(t);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  await next("ready", 60_000);
  return {
    pid: child.pid,
    measure: (on: boolean) => child.send({ type: "measure", on }),
    take: async (): Promise<NothingLatencies> => {
      const reply = next("latencies", 30_000);
      child.send({ type: "take" });
      const m = await reply;
      return m.type === "latencies" ? m.latencies : { handoff: [], sent: [] };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => (child.kill("SIGKILL"), resolve()), 5_000);
        child.once("exit", () => (clearTimeout(t), resolve()));
        child.send({ type: "exit" });
      }),
  };
};
