// Test helper run as a child process (npx tsx): places a betslip and, once the bets are inserted but
// before the stakes are moved, prints "MID-TRANSACTION" and hangs so the parent can SIGKILL it.
import { createDb } from "../db/client.ts";
import { placeBets } from "./place-bets.ts";

const [url, key, body] = process.argv.slice(2) as [string, string, string];
const db = createDb(url);
await placeBets(db, {
  idempotencyKey: key,
  bodyText: body,
  hooks: {
    afterBets: async () => {
      process.stdout.write(`MID-TRANSACTION pid=${process.pid}\n`);
      await new Promise(() => undefined); // wait for the kill
    },
  },
});
process.stdout.write("FINISHED\n");
