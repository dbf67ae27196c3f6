// The SQLite writer worker against a real database file: a batch commits as one transaction, a bad
// unit is replayed alone and loses only itself, and a worker that cannot open its file fails the
// call (so the persister falls back to the main thread) instead of hanging.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteWriter } from "./sqlite-writer.ts";

const dir = mkdtempSync(path.join(tmpdir(), "sqlite-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteWriter", () => {
  it("commits units, replays a failing batch unit by unit and keeps every good unit", async () => {
    const file = path.join(dir, "w.db");
    const setup = new Database(file);
    setup.exec(`CREATE TABLE p (id TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE c (pid TEXT NOT NULL REFERENCES p(id), k INTEGER NOT NULL)`);
    const w = new SqliteWriter(file);
    const sql = ["INSERT INTO p (id, n) VALUES (?, ?)", "INSERT INTO c (pid, k) VALUES (?, ?)"];
    const unit = (id: string): [number, unknown[]][] => [[0, [id, 1]], [1, [id, 1]], [1, [id, 2]]];
    expect(await w.write({ sql, units: [unit("a"), unit("b")] })).toMatchObject({ units: 2, failedUnits: 0 });
    // "a" again violates the primary key: its whole unit (parent and children) is rolled back, "c" commits.
    const r = await w.write({ sql, units: [unit("c"), unit("a")] });
    expect(r).toMatchObject({ units: 2, failedUnits: 1 });
    expect(r.firstError).toMatch(/UNIQUE/);
    expect(setup.prepare("SELECT id FROM p ORDER BY id").pluck().all()).toEqual(["a", "b", "c"]);
    expect(setup.prepare("SELECT count(*) FROM c").pluck().get()).toBe(6);
    // A child without its parent fails on the foreign key (enforced in the worker's connection).
    expect(await w.write({ sql, units: [[[1, ["zz", 1]]]] })).toMatchObject({ failedUnits: 1 });
    await w.close();
    await expect(w.write({ sql, units: [unit("d")] })).rejects.toThrow(/closed/);
    setup.close();
  });

  it("fails the call when the worker cannot open its database", async () => {
    const w = new SqliteWriter(path.join(dir, "missing-dir", "x.db"));
    await expect(w.write({ sql: ["SELECT 1"], units: [] })).rejects.toThrow();
    await w.close();
  });

  it.runIf(existsSync("/proc/thread-self"))("reports its own OS thread id (Linux), not the main thread's", async () => {
    const file = path.join(dir, "tid.db");
    new Database(file).close();
    const w = new SqliteWriter(file);
    await w.write({ sql: [], units: [] });
    expect(w.osThreadId).toBeGreaterThan(0);
    expect(w.osThreadId).not.toBe(process.pid);
    expect(existsSync(`/proc/self/task/${w.osThreadId}`)).toBe(true); // a thread of this process
    await w.close();
  });
});
