// The do-nothing SP handler of engine-latency, in its own process: the same ProphetXClient + PxSocket
// stack as the engine, answering every RFQ at once with a fixed offer and keeping no state. In its
// own process it neither waits behind the engine's work nor adds its own to the engine's loop (the
// engine process has no such neighbour in production), so each handler's latency is its own.
// Options as JSON in argv[2]; control over IPC:
//   {type:"measure", on} → start/stop recording; {type:"take"} → the recorded latencies (and clears
//   them); {type:"exit"} → close and exit.
import { silentLogger } from "../../server/prophetx/rest.ts";
import { ProphetXClient } from "../../server/prophetx/client.ts";
import { PxSocket } from "../../server/prophetx/socket.ts";
import { tapOfferPosts } from "./measure.ts";

export type NothingChildOptions = { baseUrl: string; accessKey: string; secretKey: string };
/** Milliseconds from the PxSocket callback to the offers POST handed to the HTTP client / written to the socket. */
export type NothingLatencies = { handoff: number[]; sent: number[] };
export type NothingChildMessage = { type: "ready" } | { type: "latencies"; latencies: NothingLatencies } | { type: "error"; error: string };

const main = async () => {
  const o = JSON.parse(process.argv[2] ?? "{}") as NothingChildOptions;
  let measuring = false;
  let lat: NothingLatencies = { handoff: [], sent: [] };
  const cbAt = new Map<string, number>();
  const client = new ProphetXClient({ baseUrl: o.baseUrl, accessKey: o.accessKey, secretKey: o.secretKey, logger: silentLogger, rateLimit: 1_000_000 });
  client.start();
  const socket = new PxSocket(client, {
    product: "sp",
    logger: silentLogger,
    onMessage: (m) => {
      if (m.event !== "price.ask.new") return;
      const hr = performance.now();
      const p = m.payload as { parlay_id: string; callback_url: string };
      const validUntilNs = String(BigInt(Date.now() + 10_000) * 1_000_000n);
      client.sendOffers(p.callback_url, p.parlay_id, [{ validUntilNs, odds: 250, maxRiskCents: 1_000, estimatedPrice: [] }]).catch(() => undefined);
      if (!measuring) return;
      lat.handoff.push(performance.now() - hr);
      cbAt.set(p.parlay_id, hr);
    },
  });
  tapOfferPosts(
    () => "nothing",
    (_label, parlayId, _tFetch, tSent) => {
      const t0 = cbAt.get(parlayId);
      if (t0 === undefined) return;
      cbAt.delete(parlayId);
      if (measuring) lat.sent.push(tSent - t0);
    },
  );
  await socket.start();
  const send = (m: NothingChildMessage) => process.send?.(m);
  const t0 = Date.now();
  while (socket.state !== "connected") {
    if (Date.now() - t0 > 30_000) throw new Error(`do-nothing socket not connected: ${socket.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.on("message", (m: { type: string; on?: boolean }) => {
    if (m.type === "measure") {
      measuring = !!m.on;
      if (measuring) cbAt.clear();
    } else if (m.type === "take") {
      send({ type: "latencies", latencies: lat });
      lat = { handoff: [], sent: [] };
    } else if (m.type === "exit") {
      socket.stop();
      client.close();
      process.exit(0);
    }
  });
  send({ type: "ready" });
};

main().catch((e) => {
  process.send?.({ type: "error", error: String(e) });
  console.error(e);
  process.exit(1);
});
