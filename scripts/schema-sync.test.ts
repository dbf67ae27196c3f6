// The Postgres schema is generated from the SQLite one; they must differ only in provider and output.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain JS module without types
import { postgresSchemaFrom } from "./sync-postgres-schema.mjs";

describe("prisma/postgres/schema.prisma", () => {
  it("is exactly what `npm run db:schema` generates from prisma/schema.prisma", () => {
    const sqlite = readFileSync("prisma/schema.prisma", "utf8");
    const postgres = readFileSync("prisma/postgres/schema.prisma", "utf8");
    expect(postgres).toBe(postgresSchemaFrom(sqlite));
  });
});
