import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./test/db.ts";
import { readHealth } from "./health.ts";

describe("readHealth", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("reports a reachable database and no engine before one starts", async () => {
    const h = await readHealth(t.db, "sqlite", Date.now());
    expect(h.ok).toBe(true);
    expect(h.engine.leaseHolder).toBeNull();
    expect(h.exchange).toEqual({ connection: null, heartbeatAgeMs: null, heartbeatAgeMsByProduct: null });
  });

  it("reads the lease and the engine's per-product heartbeat ages (the oldest one counts)", async () => {
    const now = Date.now();
    await t.db.engineLease.create({
      data: {
        name: "engine",
        holderId: "eng_1",
        acquiredAt: new Date(now - 60_000),
        heartbeatAt: new Date(now - 1_500),
        expiresAt: new Date(now + 8_500),
        statusJson: JSON.stringify({ connection: { mm: "connected", sp: "reconnecting" }, heartbeatAgeMs: { mm: 1200, sp: 31000 } }),
      },
    });
    const h = await readHealth(t.db, "sqlite", now);
    expect(h.engine).toMatchObject({ leaseHolder: "eng_1", leaseHeartbeatAgeMs: 1500, leaseExpired: false });
    expect(h.exchange).toEqual({ connection: { mm: "connected", sp: "reconnecting" }, heartbeatAgeMs: 31000, heartbeatAgeMsByProduct: { mm: 1200, sp: 31000 } });
  });
});
