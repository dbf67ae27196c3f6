import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "arb-cli-"));
const run = (args: string[], input?: string) =>
  spawnSync("npx", ["tsx", "server/arbitrage/cli.ts", ...args], { cwd: root, input, encoding: "utf8", timeout: 60_000 });

const greece = {
  wager_limit: 95.69,
  bets: [
    { bet_type: 1, value: "home", odds: 2.3 },
    { bet_type: 1, value: "draw", odds: 3.5 },
    { bet_type: 1, value: "away", odds: 4.23 },
  ],
};

describe("CLI (npx tsx server/arbitrage/cli.ts)", () => {
  it("prints the API's JSON for a file", () => {
    const file = path.join(dir, "greece.json");
    writeFileSync(file, JSON.stringify(greece));
    const r = run([file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { profit: number[]; bets: { wager: number }[]; solution: { optimal: boolean } };
    expect(out.profit).toEqual([4.305, 4.314]);
    expect(out.bets.map((b) => b.wager)).toEqual([43.48, 28.57, 23.64]);
    expect(out.solution.optimal).toBe(true);
  }, 60_000);

  it("reads stdin when no file is given", () => {
    const r = run([], JSON.stringify({ ...greece, mode: 2 }));
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { profit: number[] }).profit[1]).toBeCloseTo(17.43, 2);
  }, 60_000);

  it("exits 2 with every validation problem on bad input", () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ bets: [{ bet_type: 3, value: "over 2.3", odds: 1 }], extra: 1 }));
    const r = run([file]);
    expect(r.status).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["$.bets[0].odds", "$.bets[0].value", "$.extra"]);
    const notJson = run([], "{");
    expect(notJson.status).toBe(2);
  }, 60_000);
});
