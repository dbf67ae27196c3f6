// Every model round-trips on both databases, money stays exact (BigInt beyond 2^53), and a
// transaction that fails half-way leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { readSchemaModels, type SchemaModel } from "./schema-model.ts";

const models = readSchemaModels(path.resolve("prisma/schema.prisma"));

/** Parents before children, so that every foreign key has its row. */
const inDependencyOrder = (all: SchemaModel[]): SchemaModel[] => {
  const done = new Set<string>();
  const out: SchemaModel[] = [];
  while (out.length < all.length) {
    const next = all.find((m) => !done.has(m.name) && m.parents.every((p) => done.has(p) || p === m.name));
    if (!next) throw new Error("cyclic relations in schema");
    done.add(next.name);
    out.push(next);
  }
  return out;
};

// The same key in every String/Int column makes every foreign key point at its parent's row.
const sampleValue = (type: string): unknown =>
  ({
    String: "k1",
    Int: 1,
    BigInt: 9_007_199_254_740_993n,
    Float: 1.5,
    Boolean: true,
    DateTime: new Date(1_700_000_000_123),
  })[type];

const delegate = (t: TestDb, model: string) => (t.db as unknown as Record<string, any>)[model[0]!.toLowerCase() + model.slice(1)];

describe.each(testProviders())("data model on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => t?.drop());

  it("round-trips every model with every column", async () => {
    for (const model of inDependencyOrder(models)) {
      // Autoincrement keys are left to the database (setting them would desync Postgres sequences).
      const data = Object.fromEntries(model.columns.filter((c) => !c.autoincrement).map((c) => [c.name, sampleValue(c.type)]));
      const created = await delegate(t, model.name).create({ data });
      const where = Object.fromEntries(model.primaryKey.map((k) => [k, created[k]]));
      const row = await delegate(t, model.name).findUnique({ where });
      for (const c of model.columns) {
        if (c.autoincrement) continue;
        if (c.name === "updatedAt") continue; // @updatedAt is set by Prisma on write
        expect(row[c.name], `${model.name}.${c.name}`).toEqual(data[c.name]);
      }
    }
  });

  it("rolls back a transaction that fails half-way", async () => {
    const before = await t.db.ledgerTransfer.count();
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.ledgerAccount.create({ data: { id: "half-way", kind: "house" } });
        await tx.ledgerTransfer.create({ data: { id: "t-half", debitAccountId: "half-way", creditAccountId: "k1", amount: 100n, code: "deposit" } });
        throw new Error("crash between steps");
      }),
    ).rejects.toThrow("crash between steps");
    expect(await t.db.ledgerAccount.findUnique({ where: { id: "half-way" } })).toBeNull();
    expect(await t.db.ledgerTransfer.count()).toBe(before);
  });

  it("keeps the audit log append-only", async () => {
    const row = await t.db.auditLog.create({ data: { actorType: "trader", actorId: "usr_1", action: "kill_switch" } });
    await expect(t.db.auditLog.update({ where: { id: row.id }, data: { action: "nothing happened" } })).rejects.toThrow(/append-only/);
    await expect(t.db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    expect((await t.db.auditLog.findUnique({ where: { id: row.id } }))?.action).toBe("kill_switch");
  });

  it("rejects a duplicate wire id instead of writing it twice", async () => {
    await t.db.wager.create({ data: { externalId: "wgr_dup", lineId: "l", eventId: 1, marketId: 1, odds: 110, stakeCents: 100, status: "pending_send" } });
    await expect(
      t.db.wager.create({ data: { externalId: "wgr_dup", lineId: "l", eventId: 1, marketId: 1, odds: 110, stakeCents: 100, status: "pending_send" } }),
    ).rejects.toThrow();
    expect(await t.db.wager.count({ where: { externalId: "wgr_dup" } })).toBe(1);
  });
});
