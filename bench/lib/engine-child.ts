// The parlay engine alone in its own process, for benches that measure the engine process itself
// (resident memory): the same startEngine + model pricer as `npm run engine`, with the benches'
// engine options (bench-engine.ts: limits nobody reaches). Options as JSON in argv[2];
// control over IPC: {type:"stats"} → counters + memory; {type:"exit"} → stop and exit.
import { createDb } from "../../server/db/client.ts";
import { benchEngineOptions } from "./bench-engine.ts";
import { startEngine } from "../../server/engine/engine.ts";

export type EngineChildOptions = { baseUrl: string; accessKey: string; secretKey: string; dbUrl: string };
export type EngineChildStats = { counters: Record<string, number>; rfqStates: number; exposure: number; queue: number; rss: number; heapUsed: number; external: number; ready: boolean };

const main = async () => {
  const o = JSON.parse(process.argv[2] ?? "{}") as EngineChildOptions;
  const engine = await startEngine({
    db: createDb(o.dbUrl),
    baseUrl: o.baseUrl,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    engineId: "bench-soak",
    ...benchEngineOptions,
  });
  const ready = () => engine.debug.balance() !== undefined && engine.state.connection.sp === "connected" && engine.state.connection.mm === "connected";
  process.on("message", (m: { type: string }) => {
    if (m.type === "stats") {
      const mem = process.memoryUsage();
      const stats: EngineChildStats = {
        counters: { ...engine.state.counters },
        rfqStates: engine.debug.rfqs.size,
        exposure: engine.debug.exposure.size,
        queue: engine.debug.queue.depth,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external + mem.arrayBuffers,
        ready: ready(),
      };
      process.send?.({ type: "stats", stats });
    } else if (m.type === "exit") {
      void engine.stop().finally(() => process.exit(0));
    }
  });
  process.send?.({ type: "started" });
};

main().catch((err) => {
  console.error("[engine-child] fatal", err);
  process.exit(1);
});
