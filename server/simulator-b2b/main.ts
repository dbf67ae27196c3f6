// Standalone B2B simulator with the in-memory world: `npx tsx server/simulator-b2b/main.ts`
// (port from B2B_SIM_PORT, default 4210; prices drift every few seconds unless B2B_SIM_DRIFT=0).
import { startB2bSimulator } from "./start.ts";
import { createMemoryWorld, defaultFixture } from "./world.ts";
import { SIM_BLOCKED_USER, SIM_USER } from "./simulator.ts";

const world = createMemoryWorld();
const running = await startB2bSimulator({ port: Number(process.env.B2B_SIM_PORT ?? 4210), world, log: (m) => console.log(m) });
console.log(`[b2b-sim] listening on ${running.url} — users ${SIM_USER.email} (NJ) and ${SIM_BLOCKED_USER.email} (CA), password ${SIM_USER.password}`);

if (process.env.B2B_SIM_DRIFT !== "0") {
  // Nudge one price by a tick now and then, so the odds screen shows live movement.
  const lines = defaultFixture().tournaments.flatMap((t) => t.events.flatMap((e) => e.markets.flatMap((m) => m.selections.map((s) => s.lineId))));
  let i = 0;
  setInterval(() => {
    const id = lines[i++ % lines.length]!;
    const s = world.selection(id)!;
    const next = s.odds > 0 ? s.odds + (i % 2 ? 2 : -2) : s.odds + (i % 2 ? -2 : 2);
    if (Math.abs(next) >= 101) world.setOdds(id, next);
  }, Number(process.env.B2B_SIM_DRIFT_MS ?? 7000)).unref();
}

const stop = () => void running.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
