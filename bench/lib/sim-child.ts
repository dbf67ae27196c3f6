// The exchange simulator in its own process for the engine benches (bench/lib/sim-process.ts starts
// it, pinned to its own core when possible), so the simulator's work never shares the engine's event
// loop. Options come as JSON in argv[2]; control over IPC:
//   {type:"gen", rate, count?, bettor?, rivals?, record?}  RFQs at `rate`/s (smooth: ~1 ms steps, not the
//                                                           simulator's 100 ms bursts) via triggerRfq;
//                                                           rate 0 stops; "gen-done" after `count`
//   {type:"truth", id, lineIds}                            joint/independent truth now
//   {type:"advance", simMs, stepMs?, pauseMs?}             advance simulated time in steps → "advanced"
//   {type:"rfqs"}                                          recorded RFQs (truth at creation) → "rfqs"
//   {type:"stats"}                                         simulator stats, event-loop delay, rss
//   {type:"exit"}
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startSimulator, type SimulatorOptions, type BettorScript } from "../../server/simulator/index.ts";

type GenMsg = { type: "gen"; rate: number; count?: number; bettor?: BettorScript; rivals?: "auto" | "none"; record?: boolean };
type Msg =
  | GenMsg
  | { type: "truth"; id: number; lineIds: string[] }
  | { type: "advance"; simMs: number; stepMs?: number; pauseMs?: number }
  | { type: "rfqs" }
  | { type: "stats" }
  | { type: "exit" };

export type ChildOptions = Omit<SimulatorOptions, "rivals" | "log"> & { rivals?: "default" | "none" };
export type RecordedRfq = { parlayId: string; legs: string[]; joint: number; independent: number; sharp: boolean; stake: number; creatorId: string };

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const send = (m: unknown) => process.send?.(m);

const main = async () => {
  const o = JSON.parse(process.argv[2] ?? "{}") as ChildOptions;
  const { rivals, ...rest } = o;
  const sim = await startSimulator({
    rateLimitPerSecond: 0,
    maxSessions: 100,
    maxLiveRfqs: 500_000,
    rfqPerSecond: 0,
    ...rest,
    ...(rivals === "none" ? { rivals: [] } : {}),
    log: (m) => console.error(`[sim] ${m}`),
  });
  send({ type: "ready", baseUrl: sim.baseUrl, port: sim.port, accounts: sim.accounts, adminKey: sim.adminKey, pid: process.pid });

  let gen: { timer: NodeJS.Timeout; made: number; failed: number } | undefined;
  const recorded: RecordedRfq[] = [];
  let generated = 0;
  let triggerFailures = 0;
  let lastError = "";
  const startGen = (g: GenMsg) => {
    if (gen) clearInterval(gen.timer);
    gen = undefined;
    if (!(g.rate > 0)) return;
    let last = performance.now();
    let acc = 0;
    const state = { made: 0, failed: 0, timer: undefined as unknown as NodeJS.Timeout };
    state.timer = setInterval(() => {
      const t = performance.now();
      acc = Math.min(acc + ((t - last) * g.rate) / 1000, g.rate / 10 + 1);
      last = t;
      while (acc >= 1) {
        acc -= 1;
        if (g.count !== undefined && state.made >= g.count) {
          clearInterval(state.timer);
          gen = undefined;
          send({ type: "gen-done", made: state.made, failed: state.failed });
          return;
        }
        try {
          const r = sim.control.triggerRfq({ bettor: g.bettor ?? "auto", rivals: g.rivals ?? "auto" });
          state.made++;
          generated++;
          if (g.record) {
            const v = sim.control.parlay(r.parlayId);
            recorded.push({ parlayId: r.parlayId, legs: r.legs, joint: v?.jointProbability ?? sim.truth.jointProbability(r.legs), independent: v?.independentProbability ?? NaN, sharp: v?.sharp ?? false, stake: v?.stake ?? NaN, creatorId: v?.creatorId ?? "" });
          }
        } catch (err) {
          state.failed++;
          triggerFailures++;
          lastError = String(err).slice(0, 200);
        }
      }
    }, 1);
    gen = state;
  };

  process.on("message", (m: Msg) => {
    switch (m.type) {
      case "gen":
        return startGen(m);
      case "truth":
        return send({ type: "truth", id: m.id, joint: sim.truth.jointProbability(m.lineIds), independent: sim.truth.independentProbability(m.lineIds), simNowMs: sim.control.simNowMs() });
      case "advance": {
        const step = m.stepMs ?? 5 * 60_000;
        let left = m.simMs;
        const next = () => {
          if (left <= 0) return send({ type: "advanced", simNowMs: sim.control.simNowMs() });
          const d = Math.min(step, left);
          left -= d;
          sim.control.advanceTime(d);
          setTimeout(next, m.pauseMs ?? 50);
        };
        return next();
      }
      case "rfqs":
        return send({ type: "rfqs", rfqs: recorded });
      case "stats": {
        const s = { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6, meanMs: loop.mean / 1e6 };
        loop.reset();
        const st = sim.stats;
        return send({ type: "stats", loop: s, rssMb: process.memoryUsage().rss / 2 ** 20, generated, triggerFailures, lastError, parlays: st.parlays, pusher: st.pusher, http: st.http, world: st.world, market: st.market });
      }
      case "exit":
        if (gen) clearInterval(gen.timer);
        void sim.close().then(() => process.exit(0));
        return;
    }
  });
  process.on("disconnect", () => process.exit(0));
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
