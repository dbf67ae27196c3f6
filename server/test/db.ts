// Real databases for integration tests: a fresh SQLite file or a fresh Postgres database per call,
// migrated from empty with the checked-in migrations and dropped afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db, type DbProvider } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";

export type TestDb = { db: Db; url: string; provider: DbProvider; drop: () => Promise<void> };

/** Admin URL for creating test databases; override with TEST_POSTGRES_URL. */
export const postgresAdminUrl = (): string => process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

const withDatabase = (adminUrl: string, database: string): string => {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
};

export const createTestDb = async (provider: DbProvider = "sqlite"): Promise<TestDb> => {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "desk-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    return opened(url, provider, async () => rmSync(dir, { recursive: true, force: true }));
  }
  const admin = postgresAdminUrl();
  const name = `desk_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${name}"`);
  await adminClient.end();
  return opened(withDatabase(admin, name), provider, async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
};

/** Migrates an empty database and opens a client on it; `drop` disconnects, then removes it. */
const opened = async (url: string, provider: DbProvider, remove: () => Promise<void>): Promise<TestDb> => {
  await migrate(url);
  const db = createDb(url);
  return {
    db,
    url,
    provider,
    drop: async () => {
      await db.$disconnect();
      await remove();
    },
  };
};

/** Providers to run integration suites against: both by default; TEST_DB_PROVIDERS=sqlite to narrow. */
export const testProviders = (): DbProvider[] =>
  (process.env.TEST_DB_PROVIDERS?.split(",").map((s) => s.trim()) as DbProvider[] | undefined) ?? ["sqlite", "postgres"];
