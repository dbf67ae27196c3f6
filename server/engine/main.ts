// `npm run engine`: the long-running trading process (separate from the web server). Without
// PROPHETX_BASE_URL it connects to the embedded simulator at http://127.0.0.1:${SIM_PORT} with the
// simulator's default keys. SIGINT/SIGTERM → cancel all (unless ENGINE_CANCEL_ON_STOP=0), release the
// lease, exit. ENGINE_LEASE_TTL_MS / ENGINE_LEASE_RENEW_MS (positive integers) override the lease
// timing (defaults 10 s / 2 s): how long a crashed engine's lease blocks its successor.
import { getDb } from "../db/client.ts";
import { env } from "../env.ts";
import { startEngine } from "./engine.ts";

/** A positive integer from the environment, or undefined when unset (anything else fails at start). */
const positiveIntEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (ms), got "${raw}"`);
  return n;
};

const main = async () => {
  const e = env();
  const baseUrl = e.PROPHETX_BASE_URL ?? `http://127.0.0.1:${e.SIM_PORT}`;
  const accessKey = e.PROPHETX_ACCESS_KEY ?? "sim-access-key";
  const secretKey = e.PROPHETX_SECRET_KEY ?? "sim-secret-key";
  const leaseTtlMs = positiveIntEnv("ENGINE_LEASE_TTL_MS");
  const leaseRenewMs = positiveIntEnv("ENGINE_LEASE_RENEW_MS");
  const tournaments = (e.PROPHETX_TOURNAMENTS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const engine = await startEngine({
    db: getDb(),
    baseUrl,
    accessKey,
    secretKey,
    ...(e.ENGINE_ID ? { engineId: e.ENGINE_ID } : {}),
    settings: { tournaments },
    ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
    ...(leaseRenewMs !== undefined ? { leaseRenewMs } : {}),
    cancelAllOnStop: process.env.ENGINE_CANCEL_ON_STOP !== "0",
  });
  console.log(`[engine] ${engine.engineId} started against ${baseUrl} (${engine.isHolder() ? "holder" : "standby: waiting for the lease"})`);
  // The engine's timers are unref'd (embeddable in tests); a standby has no socket either, so without
  // this the process would exit 0 at once instead of waiting for the lease (e.g. restarted right after a crash).
  setInterval(() => undefined, 60_000);
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[engine] ${sig}: stopping`);
    const hard = setTimeout(() => process.exit(1), 15_000);
    hard.unref();
    engine
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error("[engine] stop failed", err);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
};

main().catch((err) => {
  console.error("[engine] fatal", err);
  process.exit(1);
});
