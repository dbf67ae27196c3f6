// CLI: `npm run --silent arb -- input.json` (or the request on stdin) prints the same JSON as
// POST /api/arbitrage. Exit code 2 with the validation problems on bad input, 1 on other errors.

import { readFileSync } from "node:fs";
import { parseArbJson, validateArbInput } from "@/lib/arbitrage/input";
import { SolverPool } from "./pool";
import { solveArbitrage } from "./solve";

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const main = async (): Promise<number> => {
  const file = process.argv.slice(2).find((a) => a !== "--");
  const text = file && file !== "-" ? readFileSync(file, "utf8") : await readStdin();
  const parsed = parseArbJson(text);
  const v = parsed.ok ? validateArbInput(parsed.value) : parsed;
  if (!v.ok) {
    const n = v.issues.length;
    const body = { error: { code: "validation_failed", message: `the request is not valid (${n} problem${n === 1 ? "" : "s"})`, details: v.issues } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 2;
  }
  // One-shot: a lazily compiled solver starts faster than an eagerly optimised one.
  const pool = new SolverPool({ size: 1, maxQueue: 0, eagerCompile: false });
  try {
    const out = await solveArbitrage(v.problem, { pool });
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  } finally {
    await pool.close();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`arb: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
