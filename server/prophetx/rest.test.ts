// The REST client's own timeout bound, against a real HTTP server that never answers: a request
// queued behind busy sockets in the connection pool must still fail at its timeout, so callers such
// as book reconciliation never wait forever.
import dc from "node:diagnostics_channel";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProphetXRest, silentLogger } from "./rest.ts";

let server: Server | undefined;
let rest: ProphetXRest | undefined;
const hung: ServerResponse[] = [];

afterEach(async () => {
  rest?.close();
  for (const res of hung.splice(0)) res.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** `/slow` never answers; `/fast` answers at once. */
const startServer = async (): Promise<string> => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/slow")) {
      hung.push(res);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ data: { ok: true } }));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
};

const ok = z.object({ ok: z.boolean() });

describe("ProphetXRest request timeout", () => {
  it("fails a request still queued in the pool at its timeout, and the pool serves again afterwards", async () => {
    const baseUrl = await startServer();
    rest = new ProphetXRest({ baseUrl, accessKey: "k", secretKey: "s", maxConnections: 1, maxRetries: 0, logger: silentLogger });
    const opts = { auth: false, maxRetries: 0, timeoutMs: 300 } as const;
    const t0 = Date.now();
    // The only socket is taken by the first call; the second waits in the pool's queue.
    const outcomes = await Promise.allSettled([rest.request("GET", "/slow/a", ok, opts), rest.request("GET", "/slow/b", ok, opts)]);
    const elapsed = Date.now() - t0;
    for (const o of outcomes) {
      expect(o.status).toBe("rejected");
      expect((o as PromiseRejectedResult).reason).toMatchObject({ name: "TimeoutError" });
    }
    // Bounded by the timeout (plus generous slack for a loaded machine), not by the server.
    expect(elapsed).toBeLessThan(10_000);
    await expect(rest.request("GET", "/fast", ok, { auth: false, timeoutMs: 5_000 })).resolves.toEqual({ ok: true });
  });
});

describe("ProphetXRest fast path", () => {
  it("hands a request to undici within the caller's turn when the token is fresh and a rate-limit slot is free", async () => {
    const baseUrl = await startServer();
    rest = new ProphetXRest({ baseUrl, accessKey: "k", secretKey: "s", maxConnections: 1, maxRetries: 0, rateLimit: 1_000, logger: silentLogger });
    const opts = { auth: false, body: { parlay_id: "p1" } } as const;
    await expect(rest.request("POST", "/fast/warm", ok, opts)).resolves.toEqual({ ok: true });
    const created: string[] = [];
    const onCreate = (m: unknown) => created.push(String((m as { request: { path: string } }).request.path));
    dc.subscribe("undici:request:create", onCreate);
    try {
      const pending = rest.request("POST", "/fast/now", ok, opts);
      // Dispatched before any microtask ran (undici itself then writes it in the loop's check phase,
      // after checking the idle keep-alive socket).
      expect(created).toEqual(["/fast/now"]);
      await expect(pending).resolves.toEqual({ ok: true });
      // A full rate-limit window falls back to the queued (awaited) path.
      const limited = new ProphetXRest({ baseUrl, accessKey: "k", secretKey: "s", maxConnections: 1, maxRetries: 0, rateLimit: 1, logger: silentLogger });
      try {
        await limited.request("POST", "/fast/first", ok, opts);
        created.length = 0;
        const second = limited.request("POST", "/fast/second", ok, { ...opts, maxQueueWaitMs: 5_000 });
        expect(created).toEqual([]);
        await expect(second).resolves.toEqual({ ok: true });
        expect(created).toEqual(["/fast/second"]);
      } finally {
        limited.close();
      }
    } finally {
      dc.unsubscribe("undici:request:create", onCreate);
    }
  });
});
