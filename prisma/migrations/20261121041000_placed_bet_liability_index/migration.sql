-- CreateIndex
CREATE INDEX "PlacedBet_customerId_marketTypeId_status_idx" ON "PlacedBet"("customerId", "marketTypeId", "status");

