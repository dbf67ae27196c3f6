// Test helpers for the B2B odds screen: a local tracking capture server and Request builders.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Captured = { path: string; authorization: string | null; body: unknown };

/** A Customer.io stand-in: records POSTs; `failNext(n)` answers 503 n times, `down(true)` always. */
export const startCaptureServer = async () => {
  const received: Captured[] = [];
  let failures = 0;
  let down = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (down || failures > 0) {
        if (failures > 0) failures--;
        res.writeHead(503).end("down");
        return;
      }
      received.push({ path: req.url ?? "", authorization: req.headers.authorization ?? null, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    failNext: (n: number) => {
      failures = n;
    },
    down: (v: boolean) => {
      down = v;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};

/** A browser-like Request to an /api/odds route. */
export const oddsRequest = (method: string, path: string, opts: { body?: unknown; cookie?: string | null; origin?: string } = {}): Request =>
  new Request(`http://127.0.0.1:3000${path}`, {
    method,
    headers: {
      host: "127.0.0.1:3000",
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.origin ? { origin: opts.origin } : {}),
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });

/** `name=value` of the Set-Cookie header, as a browser would send it back. */
export const cookieFrom = (res: Response): string | null => res.headers.get("set-cookie")?.split(";")[0] ?? null;
