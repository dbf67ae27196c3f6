// Seeding steps owned by the product areas (demo customer wallet, ...). Each returns lines to print.
import type { Db } from "./db/client.ts";

export const runSeedHooks = async (_db: Db): Promise<string[]> => {
  return [];
};
