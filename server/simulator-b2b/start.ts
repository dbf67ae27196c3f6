// Run the B2B simulator on its own HTTP server (tests, local demos). In the product it is mounted
// into the core exchange simulator's server instead (see docs/b2b-odds-screen.md).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createB2bSimulator, type B2bSimOptions, type B2bSimulator } from "./simulator.ts";
import { createMemoryWorld, type B2bWorld } from "./world.ts";

export type RunningB2bSimulator = { url: string; port: number; sim: B2bSimulator; server: Server; close: () => Promise<void> };

export const startB2bSimulator = async (opts: B2bSimOptions & { port?: number; host?: string; world?: B2bWorld } = {}): Promise<RunningB2bSimulator> => {
  const sim = createB2bSimulator(opts.world ?? createMemoryWorld(), opts);
  const server = createServer((req, res) => {
    const r = sim.handle(req, res);
    const done = (handled: boolean) => {
      if (!handled) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "not_found", message: "no such endpoint" }));
      }
    };
    if (typeof r === "boolean") done(r);
    else void r.then(done);
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    sim,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
};
