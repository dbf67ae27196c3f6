// Periodic back-office jobs, one pass at a time: settle Team Exotics bets from match results, settle
// the operator's pending bets (TE bets by their TE status), and repair acca placements that were
// interrupted between the wallet bet and the TE bet. Each job is isolated: one failing does not stop
// the others, and every pass is bounded by the jobs' own batch limits.
import type { Db } from "../db/client.ts";
import { settleTeBets } from "../te/settle.ts";
import { settlePendingBets, teResultFromDb } from "../operator/settle.ts";
import { reconcileAccaPlacements } from "../acca-place/place.ts";
import type { TeClient } from "../te/client.ts";

export type JobsReport = Record<string, unknown>;

export const runJobsOnce = async (db: Db, te: TeClient, now = new Date()): Promise<JobsReport> => {
  const report: JobsReport = {};
  const step = async (name: string, job: () => Promise<unknown>) => {
    try {
      report[name] = await job();
    } catch (err) {
      report[name] = { error: (err as Error).message };
    }
  };
  await step("teSettlement", () => settleTeBets(now, db));
  // Only Team Exotics bets have a result source in this product; other bets wait for one.
  await step("operatorSettlement", () => settlePendingBets(db, { teResult: teResultFromDb(db), results: async () => null, now: () => now }));
  await step("accaReconcile", () => reconcileAccaPlacements(db, te, { now: () => now.getTime() }));
  return report;
};
