// Child process of bench/simulator.ts: either the simulator or a bare baseline HTTP server, on its
// own core, controlled over IPC. Reports its event-loop delay so the bench can see stalls.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startSimulator } from "../server/simulator/index";

type Msg = { type: "rfq"; rate: number } | { type: "stats" } | { type: "exit" };

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const send = (m: unknown) => process.send?.(m);
const loopStats = () => {
  const s = { maxMs: loop.max / 1e6, meanMs: loop.mean / 1e6, p99Ms: loop.percentile(99) / 1e6 };
  loop.reset();
  return s;
};

const main = async () => {
  const mode = process.argv[2];
  if (mode === "baseline") {
    const body = JSON.stringify({ data: { balance: 100000, matched_wager_balance: 0, unmatched_wager_balance: 0, unmatched_wager_balance_status: "active" } });
    const server = createServer({ keepAlive: true }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    send({ type: "ready", port: (server.address() as AddressInfo).port });
    process.on("message", (m: Msg) => {
      if (m.type === "stats") send({ type: "stats", loop: loopStats() });
      if (m.type === "exit") server.close(() => process.exit(0));
    });
    return;
  }
  const sim = await startSimulator({
    seed: 1,
    port: 0,
    rateLimitPerSecond: 0,
    rfqPerSecond: 0,
    healthCheckIntervalMs: Number(process.env.BENCH_HEARTBEAT_MS ?? 1000),
    maxSessions: 1000,
    maxLiveRfqs: 200_000,
    log: (m) => console.error(`[sim] ${m}`),
  });
  send({ type: "ready", port: sim.port, pusher: sim.pusher, partnerId: sim.credentials.partnerId });
  process.on("message", (m: Msg) => {
    if (m.type === "rfq") sim.control.setRfqRate(m.rate);
    if (m.type === "stats") send({ type: "stats", loop: loopStats(), sim: sim.stats });
    if (m.type === "exit") void sim.close().then(() => process.exit(0));
  });
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
