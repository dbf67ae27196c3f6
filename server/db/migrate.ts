// Applies the checked-in migrations (prisma/migrations for SQLite, prisma/postgres/migrations for
// Postgres) and writes exactly the bookkeeping `prisma migrate deploy` writes, so Prisma's own CLI
// (where its native engine exists) sees the database as up to date. See docs/database.md.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePathOf } from "./client.ts";

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

type Migration = { name: string; sql: string; checksum: string };

const PRISMA_MIGRATE_LOCK_ID = 72707369;

export const migrationsDir = (provider: "sqlite" | "postgres", root = process.cwd()): string =>
  path.join(root, provider === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");

export const readMigrations = (dir: string): Migration[] => {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{14}_/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
};

const crlfVariantChecksum = (sql: string): string =>
  createHash("sha256").update(sql.includes("\r\n") ? sql.replace(/\r\n/g, "\n") : sql.replace(/\n/g, "\r\n")).digest("hex");

type AppliedRow = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };

/** Checks shared by both providers; returns the migrations still to apply. */
const planMigrations = (all: Migration[], rows: AppliedRow[]): { pending: Migration[]; done: string[] } => {
  const failed = rows.find((r) => r.finished_at == null && r.rolled_back_at == null);
  if (failed) {
    throw new Error(
      `migration ${failed.migration_name} failed earlier and was not rolled back (Prisma P3009). ` +
        `Fix the database by hand, then mark the row rolled back in _prisma_migrations.`,
    );
  }
  const finished = new Map(rows.filter((r) => r.finished_at != null).map((r) => [r.migration_name, r.checksum]));
  for (const m of all) {
    const seen = finished.get(m.name);
    if (seen && seen !== m.checksum && seen !== crlfVariantChecksum(m.sql)) {
      throw new Error(`migration ${m.name} was edited after it was applied (checksum mismatch); add a new migration instead`);
    }
  }
  return { pending: all.filter((m) => !finished.has(m.name)), done: all.filter((m) => finished.has(m.name)).map((m) => m.name) };
};

export const migrateSqlite = (url: string, root = process.cwd()): MigrationResult => {
  const file = sqlitePathOf(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_prisma_migrations'").get();
    if (!hasTable) {
      const other = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").get();
      if (other) throw new Error("database is not empty and has no _prisma_migrations table (Prisma P3005); refusing to migrate");
      db.exec(`CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`);
    }
    const rows = db.prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations").all() as AppliedRow[];
    const { pending, done } = planMigrations(readMigrations(migrationsDir("sqlite", root)), rows);
    for (const m of pending) {
      const id = randomUUID();
      db.prepare("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)").run(
        id,
        m.checksum,
        m.name,
        Date.now(),
      );
      try {
        // No wrapping transaction: Prisma's table-redefinition SQL toggles PRAGMA foreign_keys.
        db.exec(m.sql);
      } catch (err) {
        db.prepare("UPDATE _prisma_migrations SET logs = ? WHERE id = ?").run(String(err), id);
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      db.prepare("UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = ? WHERE id = ?").run(Date.now(), id);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: done };
  } finally {
    db.close();
  }
};

export const migratePostgres = async (url: string, root = process.cwd()): Promise<MigrationResult> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
    const { rows: tables } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const names = tables.map((t: { table_name: string }) => t.table_name);
    if (!names.includes("_prisma_migrations")) {
      if (names.length > 0) throw new Error("database is not empty and has no _prisma_migrations table (Prisma P3005); refusing to migrate");
      await client.query(`CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`);
    }
    const { rows } = await client.query<AppliedRow>("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations");
    const { pending, done } = planMigrations(readMigrations(migrationsDir("postgres", root)), rows);
    for (const m of pending) {
      const id = randomUUID();
      await client.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)", [
        id,
        m.checksum,
        m.name,
      ]);
      try {
        // One simple query = one implicit transaction: a failing script leaves nothing behind.
        await client.query(m.sql);
      } catch (err) {
        await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [String(err), id]);
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      await client.query("UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = now() WHERE id = $1", [id]);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: done };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
};

export const migrate = async (url: string, root = process.cwd()): Promise<MigrationResult> =>
  providerOf(url) === "postgres" ? migratePostgres(url, root) : migrateSqlite(url, root);
