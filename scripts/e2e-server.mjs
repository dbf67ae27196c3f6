// Starts the whole desk (simulator, engine, web) for Playwright on a fresh SQLite database and
// ports of its own, exactly as `npm start` does; the web app must already be built.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(os.tmpdir(), "desk-e2e-"));
const port = process.env.E2E_PORT ?? "3100";
const env = {
  ...process.env,
  DATABASE_URL: `file:${path.join(dir, "desk.db")}`,
  PORT: port,
  HOST: "127.0.0.1",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  SIM_PORT: process.env.E2E_SIM_PORT ?? "4110",
  SIM_RFQ_PER_SECOND: process.env.E2E_RFQ_PER_SECOND ?? "1",
  EXCHANGE_MODE: "simulated",
};
const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server/start.ts"], { env, stdio: "inherit" });
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
