// The persister commits in chunked transactions, replays a failed chunk op by op (so one bad row
// loses nothing else), runs after-commit callbacks only for durable writes, and signals backpressure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { Persister } from "./persist.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never;

describe.each(testProviders())("Persister on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => t?.drop());

  it("writes a large burst, keeps good rows when one op fails, and calls back only for committed ops", async () => {
    const p = new Persister(t.db, quiet, 1_000_000);
    const committed: string[] = [];
    for (let i = 0; i < 450; i++) {
      const id = `cmd_${String(i).padStart(4, "0")}`;
      p.op((d) => d.engineCommand.create({ data: { id, type: "noop", createdBy: "test" } }), () => committed.push(id));
    }
    // A duplicate id in the middle of the second chunk: that chunk rolls back and is replayed op by op.
    p.op((d) => d.engineCommand.create({ data: { id: "cmd_0250", type: "dup", createdBy: "test" } }), () => committed.push("dup"));
    for (let i = 0; i < 10; i++) p.addOutbox("rfq", { i });
    await p.flush();
    expect(await t.db.engineCommand.count({ where: { type: "noop" } })).toBe(450);
    expect(committed).toHaveLength(450);
    expect(committed).not.toContain("dup");
    expect(p.counters.failures).toBe(1);
    expect(p.counters.chunkRetries).toBeGreaterThanOrEqual(1);
    expect(await t.db.engineEvent.count()).toBe(10);
    expect(p.pending).toBe(0);
  });

  it("reports overload above its high-water mark until the backlog drains", async () => {
    const p = new Persister(t.db, quiet, 1_000_000, 5);
    for (let i = 0; i < 6; i++) p.addOutbox("book", { i });
    expect(p.overloaded).toBe(true);
    await p.flush();
    expect(p.overloaded).toBe(false);
    expect(p.counters.maxPending).toBe(6);
  });
});
