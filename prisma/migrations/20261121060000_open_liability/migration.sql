-- Open liability as a running total per customer and market type (see the Postgres migration of the
-- same name for the why, and server/operator/place-bets.ts / settle.ts for who keeps it), backfilled
-- from the pending bets. One transaction (BEGIN IMMEDIATE: no other writer while the totals are
-- summed), so the table never exists without its totals.
BEGIN IMMEDIATE;

-- CreateTable
CREATE TABLE "OpenLiability" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" TEXT NOT NULL,
    "marketTypeId" TEXT NOT NULL,
    "openCents" BIGINT NOT NULL,
    CONSTRAINT "OpenLiability_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OpenLiability_customerId_marketTypeId_key" ON "OpenLiability"("customerId", "marketTypeId");

-- Backfill
INSERT INTO "OpenLiability" ("customerId", "marketTypeId", "openCents")
SELECT "customerId", "marketTypeId", sum("potentialPayoutCents" - "stakeCents")
FROM "PlacedBet" WHERE "status" = 'pending'
GROUP BY "customerId", "marketTypeId";

COMMIT;
