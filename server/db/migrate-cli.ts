// npm run db:migrate — applies pending migrations to DATABASE_URL (default: SQLite under data/).
import { DEFAULT_DATABASE_URL } from "./client.ts";
import { migrate } from "./migrate.ts";

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
try {
  const { applied, alreadyApplied } = await migrate(url);
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : `database is up to date (${alreadyApplied.length} migration(s))`);
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
