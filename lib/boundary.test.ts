// lib/ is pure domain logic: no I/O, no clock, no env, no framework. This keeps it that way.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["']node:/, "node: built-ins"],
  [/from\s+["'](fs|http|https|net|child_process|worker_threads)["']/, "Node I/O modules"],
  [/from\s+["'](@prisma|pg|better-sqlite3|next|next-auth|pusher-js|ws)(\/|["'])/, "I/O or framework packages"],
  [/from\s+["'](@\/server|\.\.\/\.\.\/server|\.\.\/server)/, "server/ code"],
  [/\bprocess\.env\b/, "process.env"],
  [/\bDate\.now\(\)|new Date\(\)/, "the clock (pass time in)"],
  [/\bfetch\(/, "network calls"],
];

describe("lib/ boundary", () => {
  for (const file of files(path.resolve("lib"))) {
    it(`${path.relative(process.cwd(), file)} is pure`, () => {
      const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const [re, what] of FORBIDDEN) expect(re.test(text), `uses ${what}`).toBe(false);
    });
  }
});
