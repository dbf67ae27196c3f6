import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "./rate-limiter.ts";

afterEach(() => vi.useRealTimers());

describe("RateLimiter", () => {
  it("never lets more than `limit` requests start in any window, in FIFO order", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 5, windowMs: 1000, now: () => Date.now() });
    const admitted: { i: number; at: number }[] = [];
    const all = Array.from({ length: 12 }, (_, i) => limiter.acquire().then(() => admitted.push({ i, at: Date.now() })));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(admitted.map((a) => a.i)).toEqual([...Array(12).keys()]);
    for (let k = 5; k < admitted.length; k++) expect(admitted[k]!.at - admitted[k - 5]!.at).toBeGreaterThanOrEqual(1000);
    expect(limiter.waitedCount).toBeGreaterThan(0);
  });
});
