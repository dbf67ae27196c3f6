// Generates the two Prisma clients (SQLite and Postgres). Prisma's CLI insists on finding its native
// schema engine even for `generate`, which never runs it; on offline machines we point it at a
// placeholder script so that a machine with the real engine still uses the real one.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const enginesDir = path.join(root, "node_modules/@prisma/engines");
const hasRealEngine = existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!hasRealEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, "scripts/schema-engine-placeholder.sh");
}

execFileSync(process.execPath, [path.join(root, "scripts/sync-postgres-schema.mjs")], { stdio: "inherit" });
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");
for (const schema of ["prisma/schema.prisma", "prisma/postgres/schema.prisma"]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schema], { cwd: root, env, stdio: "inherit" });
}
