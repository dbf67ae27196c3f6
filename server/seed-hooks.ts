// Seeding steps owned by the product areas. Each returns lines for `npm start` to print.
import type { Db } from "./db/client.ts";
import { ensureDemoCustomer } from "./operator/seed.ts";

export const runSeedHooks = async (db: Db): Promise<string[]> => {
  const demo = await ensureDemoCustomer(db);
  return [`Demo customer (acca bets): ${demo.email} / ${demo.password}`];
};
