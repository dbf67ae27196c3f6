import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "./decode.ts";
import { RateLimiter } from "./rate-limiter.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
describe("decodeEnvelope", () => {
  const cases: { name: string; data: unknown; ok: boolean; payload?: unknown }[] = [
    { name: "MM base64 payload", data: { timestamp: 1, change_type: "market", op: "u", payload: b64({ a: 1 }) }, ok: true, payload: { a: 1 } },
    { name: "SP object payload", data: { payload: { parlay_id: "p" } }, ok: true, payload: { parlay_id: "p" } },
    { name: "health check e30=", data: { change_type: "private_system_signal", payload: "e30=" }, ok: true, payload: {} },
    { name: "raw JSON string envelope", data: JSON.stringify({ payload: b64([1]) }), ok: true, payload: [1] },
    { name: "bare SP data without envelope", data: { parlay_id: "x" }, ok: true, payload: { parlay_id: "x" } },
    { name: "garbage string", data: "not json{", ok: false },
    { name: "base64 of non-JSON", data: { payload: Buffer.from("hello").toString("base64") }, ok: false },
    { name: "non-base64 text", data: { payload: "%%%" }, ok: false },
    { name: "numeric payload", data: { payload: 5 }, ok: false },
    { name: "null data", data: null, ok: false },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = decodeEnvelope(c.data);
      expect(r.ok).toBe(c.ok);
      if (r.ok) expect(r.msg.payload).toEqual(c.payload);
    });
  it("keeps ns timestamps exact when given as strings", () => {
    const r = decodeEnvelope({ timestamp: "1717689526365275600", payload: "e30=" });
    expect(r.ok && r.msg.timestampNs).toBe("1717689526365275600");
  });
});

describe("RateLimiter", () => {
  it("never starts more than `limit` requests in a window", async () => {
    const rl = new RateLimiter({ limit: 10, windowMs: 200 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 25 }, () => rl.acquire().then(() => starts.push(Date.now()))));
    for (let i = 10; i < starts.length; i++) expect(starts[i]! - starts[i - 10]!).toBeGreaterThanOrEqual(195);
    expect(rl.waitedCount).toBeGreaterThan(0);
  });
});
