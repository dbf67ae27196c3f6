// Settlement entry point for jobs: settles every placed TE bet whose matches have all finished,
// from the simulated (deterministic) results of the fixtures, and forgets old unplaced quotes.
//
//   import { settleTeBets } from "@/server/te/settle";
//   await settleTeBets(new Date());

import { getDb, type Db } from "../db/client.ts";
import { settleDueBets } from "./service.ts";

/** Unplaced quotes are kept this long after they expire, so shared /acca?bet= links keep working. */
export const QUOTE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes guest-mode quotes (never placed) that expired more than `retentionMs` ago. */
export async function pruneTeQuotes(now: Date | number = new Date(), db: Db = getDb(), retentionMs = QUOTE_RETENTION_MS): Promise<number> {
  const nowMs = typeof now === "number" ? now : now.getTime();
  const r = await db.teBet.deleteMany({ where: { status: "priced", expiresAt: { lt: new Date(nowMs - retentionMs) } } });
  return r.count;
}

export async function settleTeBets(now: Date | number = new Date(), db: Db = getDb()) {
  const nowMs = typeof now === "number" ? now : now.getTime();
  const settled = await settleDueBets(db, nowMs);
  return { ...settled, pruned: await pruneTeQuotes(nowMs, db) };
}
