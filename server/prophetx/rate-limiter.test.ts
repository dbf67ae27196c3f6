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

describe("RateLimiter queue bound", () => {
  it("refuses at once when the queue is full or the wait would exceed what the caller can use", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => Date.now(), maxQueue: 3 });
    const admitted: number[] = [];
    const take = (i: number, maxWaitMs?: number) => limiter.acquire(maxWaitMs).then(() => admitted.push(i));
    const first = [take(0), take(1)];
    await vi.advanceTimersByTimeAsync(0); // both admitted in this window
    first.push(take(2), take(3));
    // Two wait for the next window; a caller that can only wait 100 ms is refused at once.
    await expect(limiter.acquire(100)).rejects.toThrow(/already waiting/);
    const fifth = take(4);
    await expect(limiter.acquire()).rejects.toThrow(/already waiting/); // maxQueue 3 reached
    expect(limiter.refusedCount).toBe(2);
    await vi.runAllTimersAsync();
    await Promise.all([...first, fifth]);
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.queued).toBe(0);
  });
});

describe("RateLimiter.tryAcquire (the synchronous fast path)", () => {
  it("takes a free slot at once, counts it against the window, and never jumps the queue", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => Date.now() });
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.usage()).toBe(1);
    const order: string[] = [];
    const a = limiter.acquire().then(() => order.push("queued a"));
    // `a` waits for its turn in the chain: the fast path must not take the slot ahead of it.
    expect(limiter.queued).toBe(1);
    expect(limiter.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    await a;
    expect(order).toEqual(["queued a"]);
    expect(limiter.usage()).toBe(2);
    // The window is full: no slot until the first one leaves it.
    expect(limiter.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(limiter.usage()).toBe(0);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.usage()).toBe(1);
  });
});
