// Team Exotics pricing benchmark: `npx tsx bench/te.ts` (BENCH_ROUNDS, default 4; BENCH_SECONDS per
// phase and round, default 1.5; BENCH_CONCURRENCY, default 16). Bounded: about 45 s in all.
//
// What runs: the real TE route handlers (server/te/handlers.ts, the same functions the Next route
// files call) mounted in a plain Node HTTP server, because `next build` belongs to the lead; plus a
// bare Node HTTP server that reads the body and returns a fixed JSON. A worker thread (its own core)
// drives both with keep-alive HTTP clients, one phase after another:
//   bare   → fixed JSON
//   te-5   → POST /te/api/bets/price, 5-leg accas (20 distinct structs, mixed markets, k of n)
//   te-10  → POST /te/api/bets/price, 10-leg accas (20 distinct structs)
//   shim   → the same two TE phases with a minimal Request look-alike instead of undici's Request
//            (isolates the cost of the web Request/Response wrapper, which Next also pays)
// It prints requests/s, the ratio to the bare server (tiny JSON, and a fixed JSON the size of a real
// 10-leg answer), client-side p50/p99 latency, and the server-side handler time (Request in →
// Response out) p50/p99. Database: a fresh SQLite file.
// Finally: cold 10-leg pricing of never-seen structs (grid build + DB insert), p50/max.
import http from "node:http";
import { Worker } from "node:worker_threads";
import type { AddressInfo } from "node:net";
import { createTestDb } from "../server/test/db.ts";
import { TeService } from "../server/te/service.ts";
import { TE_ROUTES, createTeHandlers } from "../server/te/handlers.ts";
import { LEAGUES, upcomingMatches } from "../server/te/catalog.ts";
import { sha256Hex } from "../server/seed.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4); // 4: each TE phase runs first after the bare ones once
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const API_KEY = "bench-key";

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const t = await createTestDb("sqlite");
try {
  await t.db.teOperator.create({ data: { id: "op_bench", name: "bench", apiKeyHash: sha256Hex(API_KEY) } });
  const service = new TeService({ db: t.db });
  const handlers = createTeHandlers(() => service);

  // Server-side timing of the handler, per phase.
  let handlerMs: number[] = [];
  // The adapter does what Next's does for a route handler: a web Request in (all headers, the body
  // as bytes), the handler's web Response out (status, headers, body with its length).
  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      req.on("error", reject);
    });
  const teServer = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    const name = TE_ROUTES[`${req.method} ${path}`];
    if (!name) {
      res.writeHead(404).end();
      return;
    }
    const t0 = performance.now();
    // Node joins repeated request headers into one string (cookie with "; "), so this is a plain record.
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: body.length ? (body as unknown as BodyInit) : undefined,
    });
    const response = await handlers[name](request);
    // As text, so Node writes headers and body in one write() rather than a writev().
    const out = await response.text();
    handlerMs.push(performance.now() - t0);
    const h: Record<string, string> = { "content-length": String(Buffer.byteLength(out)) };
    response.headers.forEach((v, k) => (h[k] = v));
    res.writeHead(response.status, h).end(out);
  });
  // The same handlers behind a minimal Request look-alike (url, method, headers.get, text) instead
  // of undici's Request: what the TE code itself costs without the web-standard wrapper that Next
  // (and the adapter above) puts around every route handler call. Reported separately.
  const liteServer = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const name = TE_ROUTES[`${req.method} ${(req.url ?? "/").split("?")[0]!}`];
    if (!name) {
      res.writeHead(404).end();
      return;
    }
    const t0 = performance.now();
    const lite = {
      url: `http://127.0.0.1${req.url}`,
      method: req.method,
      headers: { get: (k: string) => (req.headers[k.toLowerCase()] as string | undefined) ?? null },
      text: async () => body.toString("utf8"),
    } as unknown as Request;
    const response = await handlers[name](lite);
    const out = await response.text();
    handlerMs.push(performance.now() - t0);
    res.writeHead(response.status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": String(Buffer.byteLength(out)) }).end(out);
  });

  // Two bare servers: a tiny fixed JSON, and a fixed JSON the size of a real 10-leg price answer
  // (the same bytes on the wire as our server sends, so the ratio measures our work, not payload).
  let fixed = JSON.stringify({ status: "ok", bet_id: "te_0123456789abcdef01234567", price: "12.34", fair_probability: 0.07 });
  const bareServer = http.createServer(async (req, res) => {
    await readBody(req);
    const body = req.url === "/same-size" ? fixedLarge : fixed;
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": String(Buffer.byteLength(body)) }).end(body);
  });
  let fixedLarge = fixed;
  const listen = (s: http.Server) => new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
  const tePort = await listen(teServer);
  const barePort = await listen(bareServer);
  const litePort = await listen(liteServer);

  const login = await fetch(`http://127.0.0.1:${tePort}/te/api/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `api_key=${API_KEY}`,
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

  // Distinct accas over upcoming fixtures, mixing markets and "at least k of n".
  const upcoming = LEAGUES.flatMap((l) => upcomingMatches(l, Date.now()).slice(0, 30));
  const markets = [
    (m: { home: string }) => ({ market: "match_winner", selection: m.home }),
    () => ({ market: "total_goals", selection: "over 2.5" }),
    () => ({ market: "btts", selection: "yes" }),
    () => ({ market: "corners", selection: "over 9.5" }),
    (m: { away: string }) => ({ market: "clean_sheet", selection: m.away }),
    () => ({ market: "cards", selection: "over 3.5" }),
  ];
  const accas = (legs: number, count: number, salt = 0) =>
    Array.from({ length: count }, (_, i) => {
      const matches = Array.from({ length: legs }, (_, j) => {
        const m = upcoming[(i * 7 + j * 3 + salt) % upcoming.length]!;
        const pick = markets[(i + j + salt) % markets.length]!(m);
        return { league: m.league, event: m.name, ...pick };
      });
      // Two legs on one match (correlated) in every acca.
      matches[1] = { ...matches[0]!, market: "total_goals", selection: "over 1.5" };
      return JSON.stringify({ product: "Bet Builder", matches, acca_conditions: [{ type: "wins", condition: "at_least", value: Math.ceil(legs * 0.6) }] });
    });
  const five = accas(5, 20);
  const ten = accas(10, 20);
  for (const b of [...five, ...ten]) {
    const r = await fetch(`http://127.0.0.1:${tePort}/te/api/bets/price`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: b });
    const text = await r.text();
    const j = JSON.parse(text) as { status: string; message?: string };
    if (j.status !== "ok") throw new Error(`bench struct refused: ${j.message}`);
    fixedLarge = text;
  }
  void fixed;

  const workerCode = `
    const { parentPort, workerData } = require("node:worker_threads");
    const http = require("node:http");
    const { port, path, method, bodies, headers, seconds, concurrency } = workerData;
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const lat = [];
    let ok = 0, bad = 0, i = 0;
    const end = Date.now() + 300 + seconds * 1000;
    const warmEnd = Date.now() + 300;
    const one = () => new Promise((resolve) => {
      const body = bodies[i++ % bodies.length];
      const t0 = process.hrtime.bigint();
      const req = http.request({ host: "127.0.0.1", port, path, method, agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const okish = res.statusCode === 200 && Buffer.concat(chunks).includes('"status":"ok"');
          if (Date.now() >= warmEnd) { okish ? ok++ : bad++; lat.push(ms); }
          resolve();
        });
      });
      req.on("error", () => { bad++; resolve(); });
      req.end(body);
    });
    (async () => {
      const t0 = Date.now();
      await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < end) await one(); }));
      parentPort.postMessage({ ok, bad, seconds: (Date.now() - (t0 + 300)) / 1000, lat });
      agent.destroy();
    })();
  `;
  const drive = (port: number, path: string, bodies: string[]) =>
    new Promise<{ ok: number; bad: number; seconds: number; lat: number[] }>((resolve, reject) => {
      const w = new Worker(workerCode, {
        eval: true,
        workerData: { port, path, method: "POST", bodies, headers: { cookie, "content-type": "application/json" }, seconds: SECONDS, concurrency: CONCURRENCY },
      });
      w.once("message", resolve);
      w.once("error", reject);
    });

  // Phases are interleaved in ROUNDS short rounds and summarised by medians, because a shared
  // 2-core machine drifts a lot within a minute; a ratio is taken within each round.
  const phases = [
    { phase: "bare node http, tiny fixed JSON", port: barePort, path: "/", bodies: five, ref: null },
    { phase: "bare node http, same-size JSON", port: barePort, path: "/same-size", bodies: ten, ref: null },
    { phase: "POST /te/api/bets/price 5 legs", port: tePort, path: "/te/api/bets/price", bodies: five, ref: 1 },
    { phase: "POST /te/api/bets/price 10 legs", port: tePort, path: "/te/api/bets/price", bodies: ten, ref: 1 },
    { phase: "  same, minimal Request shim, 5", port: litePort, path: "/te/api/bets/price", bodies: five, ref: 1 },
    { phase: "  same, minimal Request shim, 10", port: litePort, path: "/te/api/bets/price", bodies: ten, ref: 1 },
  ] as const;
  const stats = phases.map(() => ({ rps: [] as number[], ratioSmall: [] as number[], ratioSame: [] as number[], lat: [] as number[], hms: [] as number[], errors: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    const rpsThisRound: number[] = [];
    // The bare references run first; the TE phases rotate each round, because whichever phase runs
    // right after the bare ones measures slower on this machine (an order effect, not a cost).
    const te = [2, 3, 4, 5];
    const order = [0, 1, ...te.slice(round % te.length), ...te.slice(0, round % te.length)];
    for (const i of order) {
      const ph = phases[i]!;
      handlerMs = [];
      const r = await drive(ph.port, ph.path, [...ph.bodies]);
      const rps = r.ok / r.seconds;
      rpsThisRound[i] = rps;
      const st = stats[i]!;
      st.rps.push(rps);
      st.lat.push(...r.lat);
      st.hms.push(...handlerMs.slice(Math.floor(handlerMs.length * 0.1)));
      st.errors += r.bad;
      st.ratioSmall.push(rps / rpsThisRound[0]!);
      st.ratioSame.push(rps / (rpsThisRound[1] ?? rps));
    }
  }
  const median = (xs: number[]) => pct(xs, 50);
  // Cold pricing: structs never seen before (model grids for new fixtures, fresh DB insert).
  const coldBodies = accas(10, 30, 11).map((b, i) => b.replace('"value":6', `"value":${(i % 4) + 4}`));
  const coldMs: number[] = [];
  for (const b of coldBodies) {
    const t0 = performance.now();
    const res = await handlers.price(new Request("http://127.0.0.1/te/api/bets/price", { method: "POST", headers: { cookie, "content-type": "application/json" }, body: b }));
    await res.text();
    coldMs.push(performance.now() - t0);
  }

  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
  const pc = (x: number) => `${(x * 100).toFixed(0)}%`;
  console.log(`\nTeam Exotics pricing — ${ROUNDS} interleaved rounds × ${SECONDS}s per phase (+0.3s warm-up), ${CONCURRENCY} concurrent keep-alive clients, SQLite, node ${process.version}`);
  console.log("phase                              req/s (median)   vs tiny bare   vs same-size bare   client p50/p99 ms   handler p50/p99 ms   errors");
  phases.forEach((ph, i) => {
    const st = stats[i]!;
    const bare = ph.port === barePort;
    console.log(
      `${ph.phase.padEnd(34)} ${String(Math.round(median(st.rps))).padStart(14)}   ${(i === 0 ? "-" : pc(median(st.ratioSmall))).padStart(12)}   ${(bare ? "-" : pc(median(st.ratioSame))).padStart(17)}   ${`${f(pct(st.lat, 50))} / ${f(pct(st.lat, 99))}`.padStart(17)}   ${bare ? "-".padStart(18) : `${f(pct(st.hms, 50))} / ${f(pct(st.hms, 99))}`.padStart(18)}   ${st.errors}`,
    );
  });
  console.log(`cold 10-leg price (new struct, DB insert): p50 ${f(pct(coldMs, 50))} ms, max ${f(Math.max(...coldMs))} ms`);
  const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const [s5, s10] = [stats[2]!, stats[3]!];
  console.log(
    `targets (web Request/Response adapter, vs tiny bare): ≥40% throughput — 5 legs ${pass(median(s5.ratioSmall) >= 0.4)}, 10 legs ${pass(median(s10.ratioSmall) >= 0.4)}; ` +
      `p99 ≤ 10 ms — 5 legs ${pass(pct(s5.lat, 99) <= 10)}, 10 legs ${pass(pct(s10.lat, 99) <= 10)}`,
  );
  teServer.close();
  bareServer.close();
  liteServer.close();
} finally {
  await t.drop();
}
