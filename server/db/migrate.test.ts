// Migrations apply from empty on both databases, are idempotent, refuse unsafe states, and leave a
// database that matches the Prisma data model exactly (drift check).
import { afterAll, describe, expect, it } from "vitest";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import Database from "better-sqlite3";
import pg from "pg";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { migrate, migrateSqlite } from "./migrate.ts";
import { readSchemaModels } from "./schema-model.ts";

const models = readSchemaModels(path.resolve("prisma/schema.prisma"));

type DbColumn = { table: string; column: string; nullable: boolean; pk: boolean };

const columnsOf = async (t: TestDb): Promise<DbColumn[]> => {
  if (t.provider === "sqlite") {
    const sqlite = new Database(t.url.slice("file:".length), { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'").all() as { name: string }[];
    const out = tables.flatMap(({ name }) =>
      (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; notnull: number; pk: number }[]).map((c) => ({
        table: name,
        column: c.name,
        nullable: c.notnull === 0 && c.pk === 0,
        pk: c.pk > 0,
      })),
    );
    sqlite.close();
    return out;
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  const { rows } = await client.query(`
    SELECT c.table_name, c.column_name, c.is_nullable,
      EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc
              ON tc.constraint_name = k.constraint_name AND tc.constraint_type = 'PRIMARY KEY'
              WHERE k.table_name = c.table_name AND k.column_name = c.column_name) AS pk
    FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.table_name <> '_prisma_migrations'`);
  await client.end();
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, nullable: r.is_nullable === "YES", pk: r.pk }));
};

const uniqueIndexesOf = async (t: TestDb): Promise<Set<string>> => {
  const key = (table: string, cols: string[]) => `${table}(${cols.join(",")})`;
  if (t.provider === "sqlite") {
    const sqlite = new Database(t.url.slice("file:".length), { readonly: true });
    const out = new Set<string>();
    for (const { name } of sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
      for (const idx of sqlite.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number; origin: string }[]) {
        if (!idx.unique || idx.origin === "pk") continue;
        const cols = (sqlite.prepare(`PRAGMA index_info("${idx.name}")`).all() as { name: string }[]).map((c) => c.name);
        out.add(key(name, cols));
      }
    }
    sqlite.close();
    return out;
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  const { rows } = await client.query(`
    SELECT t.relname AS table, array_agg(a.attname::text ORDER BY k.ord) AS cols
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE i.indisunique AND NOT i.indisprimary AND n.nspname = current_schema()
    GROUP BY i.indexrelid, t.relname`);
  await client.end();
  return new Set(rows.map((r) => key(r.table, r.cols)));
};

describe.each(testProviders())("migrations on %s", (provider) => {
  let t: TestDb;
  afterAll(async () => t?.drop());

  it("apply from empty and are then up to date", async () => {
    t = await createTestDb(provider);
    const again = await migrate(t.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
  });

  it("leave exactly the tables and columns of the data model (no drift)", async () => {
    const cols = await columnsOf(t);
    const tables = new Set(cols.map((c) => c.table));
    expect([...tables].sort()).toEqual(models.map((m) => m.name).sort());
    for (const model of models) {
      const dbCols = cols.filter((c) => c.table === model.name);
      expect(dbCols.map((c) => c.column).sort(), model.name).toEqual(model.columns.map((c) => c.name).sort());
      for (const c of model.columns) {
        const dbCol = dbCols.find((d) => d.column === c.name)!;
        expect(dbCol.nullable, `${model.name}.${c.name} nullable`).toBe(c.nullable);
      }
      expect(dbCols.filter((c) => c.pk).map((c) => c.column).sort(), `${model.name} primary key`).toEqual([...model.primaryKey].sort());
    }
    const uniques = await uniqueIndexesOf(t);
    for (const model of models) for (const u of model.uniques) expect(uniques.has(`${model.name}(${u.join(",")})`), `${model.name} unique ${u}`).toBe(true);
  });
});

describe("the SQLite applier refuses unsafe states", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "desk-mig-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the database file and its folder on first start", () => {
    const url = `file:${path.join(dir, "new", "nested", "desk.db")}`;
    expect(migrateSqlite(url).applied.length).toBeGreaterThan(0);
  });

  it("refuses a non-empty database without the migrations table (P3005)", () => {
    const file = path.join(dir, "foreign.db");
    const sqlite = new Database(file);
    sqlite.exec("CREATE TABLE someone_elses (id INTEGER)");
    sqlite.close();
    expect(() => migrateSqlite(`file:${file}`)).toThrow(/P3005/);
  });

  it("refuses to continue after a failed migration (P3009) and detects edited migrations", () => {
    const file = path.join(dir, "broken.db");
    migrateSqlite(`file:${file}`);
    const sqlite = new Database(file);
    sqlite.prepare("UPDATE _prisma_migrations SET checksum = 'edited'").run();
    sqlite.close();
    expect(() => migrateSqlite(`file:${file}`)).toThrow(/edited/);
    const again = new Database(file);
    again.prepare("UPDATE _prisma_migrations SET finished_at = NULL").run();
    again.close();
    expect(() => migrateSqlite(`file:${file}`)).toThrow(/P3009/);
  });
});
