// mulberry32: a small, fast, seeded generator of uniforms in [0, 1). Used where a plain stream of
// numbers is enough (fixtures, generated test instances, benches); the exchange simulator uses the
// labelled streams of lib/simulation/rng.ts instead.

export type Uniform = () => number;

export const mulberry32 = (seed: number): Uniform => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
