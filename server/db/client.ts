// One Prisma client for the whole server side, on SQLite (default) or Postgres, chosen from
// DATABASE_URL at start. The two generated clients have identical models (one schema source), so the
// Postgres client is typed as the SQLite one.
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";

export type Db = InstanceType<typeof SqliteClient>;
export type DbProvider = "sqlite" | "postgres";

export const DEFAULT_DATABASE_URL = "file:./data/desk.db";

export const providerOf = (url: string): DbProvider => {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (Postgres), got "${url.slice(0, 20)}…"`);
};

/** Absolute path of a `file:` URL's database, relative paths resolved from the project root (cwd). */
export const sqlitePathOf = (url: string): string => {
  const raw = url.slice("file:".length).split("?")[0]!;
  return raw === ":memory:" ? raw : path.resolve(/*turbopackIgnore: true*/ process.cwd(), raw);
};

/** The SQLite file behind each client made here (for writers that need their own connection). */
const sqliteFiles = new WeakMap<object, string>();
export const sqliteFileOf = (db: Db): string | undefined => sqliteFiles.get(db);

export const createDb = (url: string): Db => {
  if (providerOf(url) === "postgres") {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
    return client as unknown as Db;
  }
  const file = sqlitePathOf(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  // Epoch-ms timestamps are what Prisma's native engine writes, so either can read the file.
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 10_000 }, { timestampFormat: "unixepoch-ms" });
  const client = new SqliteClient({ adapter });
  sqliteFiles.set(client, file);
  return client;
};

const globalForDb = globalThis as unknown as { __deskDb?: { url: string; db: Db } };

/** The process-wide client (cached on globalThis so Next's dev reloads do not open new pools). */
export const getDb = (): Db => {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const cached = globalForDb.__deskDb;
  if (cached && cached.url === url) return cached.db;
  const db = createDb(url);
  globalForDb.__deskDb = { url, db };
  return db;
};

export const currentProvider = (): DbProvider => providerOf(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
