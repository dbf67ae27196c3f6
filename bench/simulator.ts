// Benchmark of the embedded exchange simulator (npx tsx bench/simulator.ts, < 60 s).
//
// The simulator runs in a child process (one core); load generators and WebSocket clients run here
// (the other core). Measured:
//   1. baseline: a bare node:http server answering a fixed JSON body, same load generator;
//   2. REST: GET get_balance / get_odds_ladder with keep-alive clients (rate limit disabled);
//   3. RFQs: price.ask.new broadcast at 2,000/s to 3 clients (2 pusher-js, 1 raw ws);
//   4. both at once.
// During every simulator phase a pusher-js client records health_check arrivals on its private
// channel (interval 1 s here, 5 s by default) and the child reports its event-loop delay.

import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Pusher from "pusher-js";
import { WebSocket } from "ws";

const here = path.dirname(fileURLToPath(import.meta.url));
const HEARTBEAT_MS = 1000;
const CONCURRENCY = 32;

interface Ready {
  type: "ready";
  port: number;
  pusher?: { key: string; secret: string; wsHost: string; wsPort: number };
  partnerId?: string;
}

const startChild = (mode: "baseline" | "sim"): Promise<{ child: ChildProcess; ready: Ready }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "simulator-child.ts"), mode], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, BENCH_HEARTBEAT_MS: String(HEARTBEAT_MS) },
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    child.on("message", (m: Ready) => {
      if (m.type === "ready") resolve({ child, ready: m });
    });
  });

const ask = <T>(child: ChildProcess, msg: unknown, type: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
    child.send(msg as never);
  });

const stopChild = async (child: ChildProcess) => {
  child.removeAllListeners("exit");
  const done = new Promise((r) => child.once("exit", r));
  child.send({ type: "exit" });
  await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
};

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

const get = (port: number, p: string, token?: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: p, method: "GET", agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end();
  });

const post = async (port: number, p: string, body: unknown, token?: string): Promise<any> => {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
};

/** Closed-loop load: `CONCURRENCY` workers issue requests back to back for `ms`. */
const load = async (port: number, paths: string[], token: string | undefined, ms: number) => {
  const end = Date.now() + ms;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const worker = async (w: number) => {
    let i = w;
    while (Date.now() < end) {
      const t0 = performance.now();
      const r = await get(port, paths[i++ % paths.length]!, token);
      latencies.push(performance.now() - t0);
      if (r.status === 200) ok++;
      else failed++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const secs = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: ok / secs,
    failed,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
};

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const main = async () => {
  const startedAt = Date.now();
  const report: Record<string, unknown> = { baseline: undefined };

  // 1. Baseline (measured again at the end: the machine is shared, so take the better of the two).
  const runBaseline = async () => {
    const { child, ready } = await startChild("baseline");
    await load(ready.port, ["/"], undefined, 1500);
    const r = await load(ready.port, ["/partner/mm/get_balance"], undefined, 4000);
    await stopChild(child);
    return { rps: Math.round(r.rps), p50Ms: round(r.p50Ms, 2), p99Ms: round(r.p99Ms, 2) };
  };
  const baselineBefore = await runBaseline();

  // 2–4. Simulator.
  const { child, ready } = await startChild("sim");
  const port = ready.port;
  const login = await post(port, "/partner/auth/login", { access_key: "sim-access-key", secret_key: "sim-secret-key" });
  const token: string = login.data.access_token;
  const tournaments = JSON.parse((await get(port, "/partner/mm/get_tournaments", token)).body).data.tournaments as Array<{ id: number }>;
  const eventIds: number[] = [];
  for (const t of tournaments) {
    const evs = JSON.parse((await get(port, `/partner/mm/get_sport_events?tournament_id=${t.id}`, token)).body).data.sport_events ?? [];
    for (const e of evs) eventIds.push(e.event_id);
  }
  const markets = JSON.parse((await get(port, `/partner/mm/get_multiple_markets?event_ids=${eventIds.join(",")}`, token)).body).data;
  const lineIds = new Set<string>();
  for (const list of Object.values(markets) as any[]) for (const m of list) for (const ml of m.market_lines) for (const side of ml.selections) lineIds.add(side[0].line_id);
  await post(port, "/parlay/sp/supported-lines", { supported_lines: [...lineIds] }, token);

  // WebSocket clients: two pusher-js (SP broadcast + private), one raw ws (broadcast only).
  const pusherApp = ready.pusher!;
  const spBroadcast = "private-broadcast-service=4-device_type=5";
  const spPrivate = `private-service=4-device_type=5-user=${ready.partnerId!.replace(/-/g, "")}`;
  const counters = [0, 0, 0];
  const heartbeatTimes: number[] = [];
  const clients: Pusher[] = [];
  for (let i = 0; i < 2; i++) {
    const p = new Pusher(pusherApp.key, {
      cluster: "sim",
      wsHost: pusherApp.wsHost,
      wsPort: pusherApp.wsPort,
      forceTLS: false,
      enabledTransports: ["ws"],
      disableStats: true,
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, cb) => {
          post(port, "/parlay/sp/websocket/register", { socket_id: socketId, channel_name: channelName }, token).then(
            (r) => cb(null, { auth: r.auth }),
            (e: Error) => cb(e, null),
          );
        },
      },
    });
    clients.push(p);
    p.subscribe(spBroadcast).bind("price.ask.new", () => counters[i]!++);
    if (i === 0) p.subscribe(spPrivate).bind("health_check", () => heartbeatTimes.push(Date.now()));
  }
  const raw = new WebSocket(`ws://127.0.0.1:${port}/app/${pusherApp.key}?protocol=7&client=js&version=8.6.0`);
  raw.on("message", (buf) => {
    const text = buf.toString();
    if (text.includes('"price.ask.new"')) {
      counters[2]!++;
      return;
    }
    const m = JSON.parse(text);
    if (m.event === "pusher:connection_established") {
      const socketId = JSON.parse(m.data).socket_id;
      const auth = `${pusherApp.key}:${createHmac("sha256", pusherApp.secret).update(`${socketId}:${spBroadcast}`).digest("hex")}`;
      raw.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: spBroadcast, auth } }));
    }
  });
  await new Promise((r) => setTimeout(r, 1500));

  const maxGap = (since: number) => {
    const t = heartbeatTimes.filter((x) => x >= since);
    let gap = 0;
    for (let i = 1; i < t.length; i++) gap = Math.max(gap, t[i]! - t[i - 1]!);
    return { beats: t.length, maxIntervalMs: gap };
  };

  // 2. REST.
  await ask(child, { type: "stats" }, "stats");
  let since = Date.now();
  await load(port, ["/partner/mm/get_balance", "/partner/mm/get_odds_ladder"], token, 2000);
  await ask(child, { type: "stats" }, "stats");
  since = Date.now();
  const rest = await load(port, ["/partner/mm/get_balance", "/partner/mm/get_odds_ladder"], token, 6000);
  const restLoop = (await ask<{ loop: unknown }>(child, { type: "stats" }, "stats")).loop;
  report.rest = { rps: Math.round(rest.rps), failed: rest.failed, p50Ms: round(rest.p50Ms, 2), p99Ms: round(rest.p99Ms, 2), heartbeat: maxGap(since), eventLoop: restLoop };

  // 3. RFQ broadcast at 2,000/s.
  child.send({ type: "rfq", rate: 2000 });
  await new Promise((r) => setTimeout(r, 1000));
  await ask(child, { type: "stats" }, "stats");
  since = Date.now();
  const c0 = counters.slice();
  const s0 = (await ask<{ sim: any }>(child, { type: "stats" }, "stats")).sim;
  await new Promise((r) => setTimeout(r, 8000));
  const st = await ask<{ sim: any; loop: unknown }>(child, { type: "stats" }, "stats");
  const secs = (Date.now() - since) / 1000;
  report.rfq = {
    targetPerSecond: 2000,
    createdPerSecond: Math.round((st.sim.parlays.rfqsCreated - s0.parlays.rfqsCreated) / secs),
    receivedPerSecondPerClient: counters.map((c, i) => Math.round((c - c0[i]!) / secs)),
    skipped: st.sim.parlays.rfqsSkipped - s0.parlays.rfqsSkipped,
    rivalFillsPerSecond: Math.round((st.sim.parlays.ordersFinalized - s0.parlays.ordersFinalized) / secs),
    liveRfqs: st.sim.parlays.live,
    slowConsumersClosed: st.sim.pusher.slowConsumersClosed,
    heartbeat: maxGap(since),
    eventLoop: st.loop,
  };

  // 4. Both at once.
  since = Date.now();
  const c1 = counters.slice();
  const both = await load(port, ["/partner/mm/get_balance", "/partner/mm/get_odds_ladder"], token, 6000);
  const secs2 = (Date.now() - since) / 1000;
  const st2 = await ask<{ loop: unknown }>(child, { type: "stats" }, "stats");
  report.combined = {
    restRps: Math.round(both.rps),
    restP99Ms: round(both.p99Ms, 2),
    rfqReceivedPerSecondPerClient: counters.map((c, i) => Math.round((c - c1[i]!) / secs2)),
    heartbeat: maxGap(since),
    eventLoop: st2.loop,
  };
  child.send({ type: "rfq", rate: 0 });

  for (const p of clients) p.disconnect();
  raw.close();
  await stopChild(child);
  agent.destroy();

  const baselineAfter = await runBaseline();
  report.baseline = { before: baselineBefore, after: baselineAfter };
  const baseline = Math.max(baselineBefore.rps, baselineAfter.rps);
  report.ratioRestToBaseline = round((report.rest as { rps: number }).rps / baseline, 2);
  report.heartbeatNominalMs = HEARTBEAT_MS;
  report.totalSeconds = round((Date.now() - startedAt) / 1000, 1);
  const r = report as any;
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\nREST ${r.rest.rps} req/s (baseline ${baseline} req/s, ratio ${r.ratioRestToBaseline}); ` +
      `RFQ broadcast ${r.rfq.receivedPerSecondPerClient.join("/")} per client/s (target 2000); ` +
      `combined ${r.combined.restRps} req/s + ${r.combined.rfqReceivedPerSecondPerClient.join("/")} RFQ/s; ` +
      `max heartbeat interval ${Math.max(r.rest.heartbeat.maxIntervalMs, r.rfq.heartbeat.maxIntervalMs, r.combined.heartbeat.maxIntervalMs)} ms (nominal ${HEARTBEAT_MS} ms)`,
  );
  process.exit(0);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
