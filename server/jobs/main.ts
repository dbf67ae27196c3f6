// `tsx server/jobs/main.ts` (started by `npm start`): runs the back-office jobs every JOBS_INTERVAL_MS.
import { getDb } from "../db/client.ts";
import { getHouseTeClient } from "../te/house-client.ts";
import { runJobsOnce } from "./run-jobs.ts";

const intervalMs = Number(process.env.JOBS_INTERVAL_MS ?? 15_000);
const webUrl = process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
let stopping = false;
let timer: NodeJS.Timeout | null = null;

const pass = async () => {
  const report = await runJobsOnce(getDb(), await getHouseTeClient(webUrl));
  const errors = Object.entries(report).filter(([, r]) => r && typeof r === "object" && "error" in r);
  for (const [name, r] of errors) console.error(`[jobs] ${name} failed: ${(r as { error: string }).error}`);
  if (!stopping) timer = setTimeout(() => void pass(), intervalMs);
};

const stop = async () => {
  stopping = true;
  if (timer) clearTimeout(timer);
  await getDb().$disconnect();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
console.log(`[jobs] settlement and reconciliation every ${intervalMs} ms`);
void pass();
