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

  it("writes per-RFQ batches in FK order with coalesced status updates, and keeps good requests when one fails", async () => {
    const p = new Persister(t.db, quiet, 1_000_000);
    const req = (parlayId: string, status = "received") => ({ parlayId, stakeCents: 1_000, callbackUrl: "http://x/offers", createdAtNs: "1", receivedAt: new Date(1_800_000_000_123), creatorId: null, status, declineReason: null });
    const legs = [0, 1].map((idx) => ({ idx, lineId: `l${idx}`, marketId: 1, outcomeId: idx, sportEventId: 7, line: idx ? 2.5 : null, fairProbability: 0.5, bookOdds: 120 }));
    const quote = (parlayId: string, tier: number) => ({ id: `quo_${parlayId}_${tier}`, parlayId, tier, odds: 300 + tier, maxRiskCents: 100, validUntilNs: "9", fairProbability: 0.2, marginBps: 10, modelInputsJson: "{}", source: "auto", status: "sent", sentAt: new Date() });
    for (let i = 0; i < 60; i++) {
      const id = `par_b_${i}`;
      p.addRequest(req(id), legs);
      p.addQuotes([quote(id, 0), quote(id, 1)]);
      p.updateRequest(id, { status: "quoted", fairProbability: 0.2 }); // merged into the INSERT
      // An op queued after the request may reference it (FK): runs after the batch.
      if (i === 3) p.op((d) => d.parlayConfirmation.create({ data: { id: "cnf_b3", parlayId: id, requestedOdds: 300, requestedStakeCents: 1_000, decision: "reject", priceProbabilityJson: "[]", receivedAt: new Date(), decidedAt: new Date(), latencyMicros: 1 } }));
    }
    p.failQuotes("par_b_5");
    await p.flush();
    expect(await t.db.parlayRequest.count({ where: { parlayId: { startsWith: "par_b_" } } })).toBe(60);
    expect(await t.db.parlayRequest.count({ where: { parlayId: { startsWith: "par_b_" }, status: "quoted" } })).toBe(60);
    expect(await t.db.parlayLeg.count({ where: { parlayId: { startsWith: "par_b_" } } })).toBe(120);
    expect(await t.db.parlayQuote.count({ where: { parlayId: { startsWith: "par_b_" } } })).toBe(120);
    expect(await t.db.parlayQuote.count({ where: { parlayId: "par_b_5", status: "failed" } })).toBe(2);
    expect(await t.db.parlayConfirmation.count({ where: { id: "cnf_b3" } })).toBe(1);
    const r = await t.db.parlayRequest.findUnique({ where: { parlayId: "par_b_7" }, include: { legs: { orderBy: { idx: "asc" } } } });
    expect(r?.receivedAt.getTime()).toBe(1_800_000_000_123);
    // On SQLite these rows were written by the worker thread's own connection, readable by Prisma as its own.
    expect(p.writesOffThread).toBe(provider === "sqlite");
    const q = await t.db.parlayQuote.findUnique({ where: { id: "quo_par_b_7_1" } });
    expect(q).toMatchObject({ tier: 1, odds: 301, status: "sent", fairProbability: 0.2 });
    expect(Math.abs(q!.sentAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(r?.legs.map((l) => l.line)).toEqual([null, 2.5]);
    expect(p.counters.failures).toBe(0);
    // A request that is already written (duplicate primary key) fails its chunk: replayed one by one, only it is lost.
    p.addRequest(req("par_b_0"), legs);
    p.addRequest(req("par_b_new"), legs);
    p.addQuotes([quote("par_b_new", 0)]);
    await p.flush();
    expect(p.counters.failures).toBe(1);
    expect(p.counters.chunkRetries).toBeGreaterThanOrEqual(1);
    expect(await t.db.parlayQuote.count({ where: { parlayId: "par_b_new" } })).toBe(1);
    // Later status changes of written rows: last one per parlay wins, a handful of statements.
    const before = p.counters.statements;
    for (let i = 0; i < 60; i++) p.updateRequest(`par_b_${i}`, { status: i % 2 ? "accepted" : "rejected" });
    p.updateRequest("par_b_0", { status: "settled" });
    p.failQuotes("par_b_6");
    p.addAudit({ actorType: "engine", actorId: "t", action: "quote", detailsJson: "{}" });
    await p.flush();
    expect(p.counters.statements - before).toBeLessThanOrEqual(5);
    expect(await t.db.parlayRequest.count({ where: { parlayId: { startsWith: "par_b_" }, status: "accepted" } })).toBe(30);
    expect(await t.db.auditLog.count({ where: { actorId: "t" } })).toBe(1);
    const a = await t.db.auditLog.findFirst({ where: { actorId: "t" } });
    expect(Math.abs(a!.at.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await t.db.parlayRequest.findUnique({ where: { parlayId: "par_b_0" } }))?.status).toBe("settled");
    expect(await t.db.parlayQuote.count({ where: { parlayId: "par_b_6", status: "failed" } })).toBe(2);
    expect(p.pending).toBe(0);
  });

  it("writes the engine status onto the lease row only while the holder matches, last status wins", async () => {
    const now = new Date();
    await t.db.engineLease.create({ data: { name: "status-test", holderId: "eng-a", acquiredAt: now, heartbeatAt: now, expiresAt: now } });
    const p = new Persister(t.db, quiet, 1_000_000);
    p.setLeaseStatus("status-test", "eng-a", '{"n":1}');
    p.setLeaseStatus("status-test", "eng-a", '{"n":2}');
    await p.flush();
    expect((await t.db.engineLease.findUnique({ where: { name: "status-test" } }))?.statusJson).toBe('{"n":2}');
    // Another holder's status never overwrites the row.
    p.setLeaseStatus("status-test", "eng-b", '{"n":3}');
    await p.flush();
    expect((await t.db.engineLease.findUnique({ where: { name: "status-test" } }))?.statusJson).toBe('{"n":2}');
    await p.stop();
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
