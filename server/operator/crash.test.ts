// A process killed in the middle of the placement transaction leaves no bets, no transfers, no
// idempotency record and a balanced ledger; the retry with the same key then places exactly once.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { placeBets } from "./place-bets.ts";
import { balances, verifyLedger } from "../wallet/ledger.ts";
import { customerWithSession, makeBet, makeSlip } from "./testkit.ts";

const runUntilMidTransaction = (url: string, key: string, body: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", path.join(import.meta.dirname, "crash-child.ts"), url, key, body], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let killed = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child never reached the transaction: ${out} ${err}`));
    }, 30_000);
    child.stderr.on("data", (d) => (err += String(d)));
    child.stdout.on("data", (d) => {
      out += String(d);
      const m = /MID-TRANSACTION pid=(\d+)/.exec(out);
      if (m && !killed) {
        // npx/tsx sit between us and the node process running the transaction: kill that one by id.
        killed = true;
        process.kill(Number(m[1]), "SIGKILL");
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      if (out.includes("MID-TRANSACTION")) resolve();
      else reject(new Error(`child exited early: ${out} ${err}`));
    });
  });

for (const provider of testProviders()) {
  describe(`crash mid-placement (${provider})`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(provider);
    });
    afterAll(async () => t?.drop());

    it("SIGKILL between inserting the bets and moving the stakes rolls everything back", async () => {
      const u = await customerWithSession(t.db, 10_000n);
      const key = randomUUID();
      const body = JSON.stringify(makeSlip(u, [makeBet({ stake: 10 }), makeBet({ stake: 20 })]));
      await runUntilMidTransaction(t.url, key, body);
      // Postgres notices the dropped connection and aborts; SQLite rolls back the journal on next write.
      const deadline = Date.now() + 15_000;
      let r = await placeBets(t.db, { idempotencyKey: key, bodyText: body });
      while (r.status === 503 && Date.now() < deadline) r = await placeBets(t.db, { idempotencyKey: key, bodyText: body });
      expect(await verifyLedger(t.db)).toEqual([]);
      expect(r.status).toBe(200);
      expect(await t.db.placedBet.count({ where: { customerId: u.userId } })).toBe(2);
      expect(await balances(t.db, u.userId)).toEqual({ cashCents: 7_000n, pendingCents: 3_000n });
      expect(await verifyLedger(t.db)).toEqual([]);
    });
  });
}
