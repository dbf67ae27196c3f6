// Vitest global setup: fail fast with a clear message when Postgres is not reachable, because the
// integration suites run against a real Postgres as well as SQLite.
import pg from "pg";
import { postgresAdminUrl, testProviders } from "./db.ts";

export default async function setup(): Promise<void> {
  if (!testProviders().includes("postgres")) return;
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw new Error(
      `Postgres is not reachable at ${postgresAdminUrl()} (${(err as Error).message}). ` +
        `Start it (see README) or set TEST_DB_PROVIDERS=sqlite to run only the SQLite suites.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
