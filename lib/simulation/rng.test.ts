import { describe, expect, it } from "vitest";
import { createRng, hashSeed } from "./rng";

describe("createRng", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    const seqC = Array.from({ length: 20 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it("derives forks from the seed only, not from consumed state", () => {
    const a = createRng(7);
    const before = a.fork("world", 3).next();
    for (let i = 0; i < 100; i++) a.next();
    expect(a.fork("world", 3).next()).toBe(before);
    expect(a.fork("world", 4).next()).not.toBe(before);
  });

  it.each([
    [0, 0],
    [-3, 3],
    [1, 6],
  ])("int(%i, %i) stays inside the inclusive range and hits both ends", (min, max) => {
    const r = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(min, max);
      expect(v).toBeGreaterThanOrEqual(min);
      expect(v).toBeLessThanOrEqual(max);
      seen.add(v);
    }
    expect(seen.has(min)).toBe(true);
    expect(seen.has(max)).toBe(true);
  });

  it("draws normals with the requested mean and sd", () => {
    const r = createRng(99);
    const xs = Array.from({ length: 20_000 }, () => r.normal(5, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(5, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it("makes version-4 shaped uuids and hex of the asked length", () => {
    const r = createRng("uuid");
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(r.hex(5)).toHaveLength(5);
  });

  it("shuffles without losing items and picks from the list", () => {
    const r = createRng(3);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    expect([...r.shuffled(items)].sort()).toEqual(items);
    expect(items).toContain(r.pick(items));
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it("hashes labels stably and distinguishes their order", () => {
    expect(hashSeed("a", 1)).toBe(hashSeed("a", 1));
    expect(hashSeed("a", 1)).not.toBe(hashSeed(1, "a"));
    expect(Number.isInteger(hashSeed("x"))).toBe(true);
    expect(hashSeed("x")).toBeGreaterThanOrEqual(0);
  });
});
