// `npm run engine`: the long-running trading process (separate from the web server). Without
// PROPHETX_BASE_URL it connects to the embedded simulator at http://127.0.0.1:${SIM_PORT} with the
// simulator's default keys. SIGINT/SIGTERM → cancel all (unless ENGINE_CANCEL_ON_STOP=0), release the
// lease, exit.
import { getDb } from "../db/client.ts";
import { env } from "../env.ts";
import { startEngine } from "./engine.ts";

const main = async () => {
  const e = env();
  const baseUrl = e.PROPHETX_BASE_URL ?? `http://127.0.0.1:${e.SIM_PORT}`;
  const accessKey = e.PROPHETX_ACCESS_KEY ?? "sim-access-key";
  const secretKey = e.PROPHETX_SECRET_KEY ?? "sim-secret-key";
  const tournaments = (e.PROPHETX_TOURNAMENTS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const engine = await startEngine({
    db: getDb(),
    baseUrl,
    accessKey,
    secretKey,
    ...(e.ENGINE_ID ? { engineId: e.ENGINE_ID } : {}),
    settings: { tournaments },
    cancelAllOnStop: process.env.ENGINE_CANCEL_ON_STOP !== "0",
  });
  console.log(`[engine] ${engine.engineId} started against ${baseUrl} (${engine.isHolder() ? "holder" : "standby: waiting for the lease"})`);
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
