// Seeded pseudo-random numbers for the exchange simulator. Every random draw that shapes the world
// (teams, lines, true probabilities, results) comes from a stream derived from the run's seed, so
// the same seed always builds the same world. Streams are derived by label (`fork`), never by
// consuming the parent's state, so adding a draw in one place does not shift every other one.

export interface Rng {
  /** The 32-bit seed this stream was built from. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  /** Normal draw (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A new array with the items in random order. */
  shuffled<T>(items: readonly T[]): T[];
  /** `length` lowercase hex characters. */
  hex(length: number): string;
  /** An RFC 4122 version-4 shaped UUID. */
  uuid(): string;
  /** An independent stream named by `labels`, derived from this stream's seed only. */
  fork(...labels: ReadonlyArray<string | number>): Rng;
}

/** 32-bit hash of any labels (cyrb53 folded to 32 bits). Stable across platforms and runs. */
export const hashSeed = (...parts: ReadonlyArray<string | number>): number => {
  const text = parts.map(String).join("\u001f");
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
};

const splitmix32 = (state: number): [number, number] => {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
};

/** sfc32 generator state seeded through splitmix32 so nearby seeds give unrelated streams. */
class Sfc32Rng implements Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [state, out] = splitmix32(s);
      s = state;
      words.push(out);
    }
    this.a = words[0]!;
    this.b = words[1]!;
    this.c = words[2]!;
    this.d = words[3]!;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  private nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max < min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[parseInt(h[16]!, 16) & 3]!;
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  fork(...labels: ReadonlyArray<string | number>): Rng {
    return new Sfc32Rng(hashSeed(this.seed, ...labels));
  }
}

/** A seeded stream. Strings are hashed; numbers are used as 32-bit seeds. */
export const createRng = (seed: number | string): Rng =>
  new Sfc32Rng(typeof seed === "number" && Number.isInteger(seed) ? seed >>> 0 : hashSeed(seed));
