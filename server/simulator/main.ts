// `npm run sim`: start the simulator on SIM_PORT (default 4010) and print how to reach it.
// Env: SIM_PORT, SIM_HOST, SIM_SEED, SIM_RFQ_PER_SECOND, SIM_TIME_SCALE, SIM_RATE_LIMIT,
// SIM_OFFER_WINDOW_MS, SIM_CONFIRM_DEADLINE_MS, SIM_ACCESS_KEY, SIM_SECRET_KEY, SIM_ADMIN_KEY,
// SIM_PUBLIC_BASE_URL, SIM_LOG=1.

import { startSimulator } from "./index";

const num = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${raw}`);
  return n;
};

const main = async () => {
  const sim = await startSimulator({
    port: num("SIM_PORT") ?? 4010,
    host: process.env.SIM_HOST || "127.0.0.1",
    seed: num("SIM_SEED"),
    rfqPerSecond: num("SIM_RFQ_PER_SECOND"),
    timeScale: num("SIM_TIME_SCALE"),
    rateLimitPerSecond: num("SIM_RATE_LIMIT"),
    offerWindowMs: num("SIM_OFFER_WINDOW_MS"),
    confirmDeadlineMs: num("SIM_CONFIRM_DEADLINE_MS"),
    accessKey: process.env.SIM_ACCESS_KEY || undefined,
    secretKey: process.env.SIM_SECRET_KEY || undefined,
    adminKey: process.env.SIM_ADMIN_KEY || undefined,
    publicBaseUrl: process.env.SIM_PUBLIC_BASE_URL || undefined,
    log: process.env.SIM_LOG === "1" ? (m) => console.error(`[sim] ${m}`) : undefined,
  });
  console.log(
    [
      `ProphetX simulator listening on ${sim.baseUrl} (seed ${sim.seed})`,
      `  access_key   ${sim.credentials.accessKey}`,
      `  secret_key   ${sim.credentials.secretKey}`,
      `  partner_id   ${sim.credentials.partnerId}`,
      `  pusher       key=${sim.pusher.key} ws://${sim.pusher.wsHost}:${sim.pusher.wsPort}/app/${sim.pusher.key}`,
      `  admin        ${sim.adminHeader}: ${sim.adminKey}  (GET ${sim.baseUrl}/__sim/state)`,
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping simulator`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
