// `npm start`: everything a new user needs, in one command. Validates env, migrates and seeds the
// database, builds the web app if needed, then runs the exchange simulator, the trading engine, the
// back-office jobs (settlement) and the web server as child processes, prints the URL and login, and stops them all on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { EnvError, parseEnv } from "./env.ts";
import { createDb } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { loadOrCreateSecrets } from "./secrets.ts";
import { ensureAdmin, ensureTeOperator } from "./seed.ts";
import { bundleEngine } from "./engine/bundle.ts";

const root = process.cwd();
const log = (msg: string) => console.log(`[start] ${msg}`);

let env;
try {
  env = parseEnv();
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}

const secrets = loadOrCreateSecrets(path.join(root, "data"));
const webUrl = env.NEXTAUTH_URL ?? `http://${env.HOST}:${env.PORT}`;
const useSimulator = !env.PROPHETX_BASE_URL;

log(`database: ${env.DATABASE_URL.startsWith("file:") ? `SQLite (${env.DATABASE_URL})` : "Postgres"}`);
const fail = (what: string, err: unknown): never => {
  console.error(`[start] ${what}: ${(err as Error).message ?? err}`);
  process.exit(1);
};
const { applied } = await migrate(env.DATABASE_URL).catch((err) => fail("could not migrate the database", err));
log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");

const db = createDb(env.DATABASE_URL);
const seed = await ensureAdmin(db, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
await ensureTeOperator(db, secrets.TE_API_KEY);
const { runSeedHooks } = await import("./seed-hooks.ts");
const hookNotes = await runSeedHooks(db);
await db.$disconnect();

const nextBin = path.join(root, "node_modules/next/dist/bin/next");
if (!existsSync(path.join(root, ".next/BUILD_ID")) || process.env.DESK_FORCE_BUILD === "1") {
  log("building the web app (first start only; `npm run build` after code changes) …");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) {
    console.error("[start] next build failed");
    process.exit(1);
  }
}

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: env.DATABASE_URL,
  NEXTAUTH_SECRET: secrets.NEXTAUTH_SECRET,
  NEXTAUTH_URL: webUrl,
  TE_API_KEY: secrets.TE_API_KEY,
  TOKEN_ENCRYPTION_KEY: secrets.TOKEN_ENCRYPTION_KEY,
  SIM_PORT: String(env.SIM_PORT),
  SIM_SEED: String(env.SIM_SEED),
  SIM_RFQ_PER_SECOND: String(env.SIM_RFQ_PER_SECOND),
  // Simulated bettors wait this long for offers before choosing: long enough for a trader to override.
  SIM_OFFER_WINDOW_MS: process.env.SIM_OFFER_WINDOW_MS ?? "8000",
  NEXT_TELEMETRY_DISABLED: "1",
};

const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

const run = (name: string, args: string[]) => {
  const proc = spawn(process.execPath, args, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (line: string) => `[${name}] ${line}`;
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buf = "";
    stream.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) console.log(prefix(l));
    });
  }
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
    void stopAll(1);
  });
  children.push({ name, proc });
};

const tsxCli = path.join(root, "node_modules/tsx/dist/cli.mjs");
if (useSimulator) run("sim", [tsxCli, "server/simulator/main.ts"]);
// The engine runs from a fresh bundle under plain node with its memory flags (server/engine/bundle.ts).
const engineArgv = await bundleEngine(root).catch((err) => fail("could not bundle the engine", err));
run("engine", engineArgv);
run("jobs", [tsxCli, "server/jobs/main.ts"]);
run("web", [nextBin, "start", "-p", String(env.PORT), "-H", env.HOST]);

const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  log("stopping …");
  for (const c of children) c.proc.kill("SIGTERM");
  const deadline = Date.now() + 8_000;
  while (children.some((c) => c.proc.exitCode === null && c.proc.signalCode === null) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  process.exit(code);
};
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

// Wait until the web server answers, then tell the user where to go.
const deadline = Date.now() + 120_000;
while (!stopping && Date.now() < deadline) {
  try {
    const res = await fetch(`${webUrl}/api/health`);
    if (res.ok) break;
  } catch {
    /* not up yet */
  }
  await new Promise((r) => setTimeout(r, 300));
}
if (!stopping) {
  console.log("");
  console.log(`  Parlay Desk is running:  ${webUrl}`);
  console.log(`  Sign in as:              ${seed.adminEmail}`);
  console.log(
    seed.generatedAdminPassword
      ? `  Password (shown once):   ${seed.generatedAdminPassword}   (set ADMIN_PASSWORD to choose your own)`
      : `  Password:                the one you set (ADMIN_PASSWORD) or were shown on first start`,
  );
  for (const note of hookNotes) console.log(`  ${note}`);
  console.log(`  Exchange:                ${useSimulator ? `embedded simulator on port ${env.SIM_PORT}` : env.PROPHETX_BASE_URL}`);
  console.log("  Stop with Ctrl-C.");
  console.log("");
}
