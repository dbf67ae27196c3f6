-- CreateTable
CREATE TABLE "TraderUser" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" TIMESTAMP(3),

    CONSTRAINT "TraderUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "detailsJson" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineLease" (
    "name" TEXT NOT NULL,
    "holderId" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "statusJson" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "EngineLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "EngineCommand" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "processedAt" TIMESTAMP(3),
    "resultJson" TEXT,

    CONSTRAINT "EngineCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineEvent" (
    "seq" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngineEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "valueJson" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Tournament" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sportId" INTEGER NOT NULL,
    "sportName" TEXT NOT NULL,
    "categoryName" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tournament_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SportEvent" (
    "id" INTEGER NOT NULL,
    "tournamentId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "competitorsJson" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SportEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Market" (
    "id" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Market_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MarketLine" (
    "lineId" TEXT NOT NULL,
    "marketKey" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,
    "outcomeId" INTEGER NOT NULL,
    "line" DOUBLE PRECISION,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "favourite" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MarketLine_pkey" PRIMARY KEY ("lineId")
);

-- CreateTable
CREATE TABLE "BookSnapshot" (
    "id" SERIAL NOT NULL,
    "lineId" TEXT NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bestOdds" INTEGER,
    "bestStakeCents" INTEGER NOT NULL DEFAULT 0,
    "depthJson" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "BookSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchedTrade" (
    "id" SERIAL NOT NULL,
    "lineId" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,
    "odds" INTEGER NOT NULL,
    "stakeCents" INTEGER NOT NULL,
    "matchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MatchedTrade_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParlayRequest" (
    "parlayId" TEXT NOT NULL,
    "stakeCents" INTEGER NOT NULL,
    "callbackUrl" TEXT NOT NULL,
    "createdAtNs" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "creatorId" TEXT,
    "status" TEXT NOT NULL,
    "declineReason" TEXT,
    "fairProbability" DOUBLE PRECISION,

    CONSTRAINT "ParlayRequest_pkey" PRIMARY KEY ("parlayId")
);

-- CreateTable
CREATE TABLE "ParlayLeg" (
    "id" SERIAL NOT NULL,
    "parlayId" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "lineId" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "outcomeId" INTEGER NOT NULL,
    "sportEventId" INTEGER NOT NULL,
    "line" DOUBLE PRECISION,
    "fairProbability" DOUBLE PRECISION,
    "bookOdds" INTEGER,

    CONSTRAINT "ParlayLeg_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParlayQuote" (
    "id" TEXT NOT NULL,
    "parlayId" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "odds" INTEGER NOT NULL,
    "maxRiskCents" INTEGER NOT NULL,
    "validUntilNs" TEXT NOT NULL,
    "fairProbability" DOUBLE PRECISION NOT NULL,
    "marginBps" INTEGER NOT NULL,
    "modelInputsJson" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ParlayQuote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParlayConfirmation" (
    "id" TEXT NOT NULL,
    "parlayId" TEXT NOT NULL,
    "orderUuid" TEXT,
    "requestedOdds" INTEGER NOT NULL,
    "requestedStakeCents" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "priceProbabilityJson" TEXT NOT NULL DEFAULT '[]',
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "latencyMicros" INTEGER NOT NULL,

    CONSTRAINT "ParlayConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParlayOrder" (
    "orderUuid" TEXT NOT NULL,
    "parlayId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "odds" INTEGER NOT NULL,
    "confirmedStakeCents" INTEGER NOT NULL,
    "riskCents" INTEGER NOT NULL,
    "creatorId" TEXT,
    "settlementStatus" TEXT,
    "profitCents" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finalizedAt" TIMESTAMP(3),
    "settledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ParlayOrder_pkey" PRIMARY KEY ("orderUuid")
);

-- CreateTable
CREATE TABLE "Wager" (
    "externalId" TEXT NOT NULL,
    "wagerId" TEXT,
    "lineId" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,
    "odds" INTEGER NOT NULL,
    "stakeCents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "matchingStatus" TEXT NOT NULL DEFAULT 'unmatched',
    "winningStatus" TEXT NOT NULL DEFAULT 'tbd',
    "matchedStakeCents" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Wager_pkey" PRIMARY KEY ("externalId")
);

-- CreateTable
CREATE TABLE "WagerStatusHistory" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "matchingStatus" TEXT NOT NULL,
    "matchedStakeCents" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,

    CONSTRAINT "WagerStatusHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeOperator" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "apiKeyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeOperator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeSession" (
    "token" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeSession_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "TeBet" (
    "betId" TEXT NOT NULL,
    "operatorId" TEXT,
    "productJson" TEXT NOT NULL,
    "legsJson" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "fairProbability" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL,
    "stakeCents" INTEGER,
    "settled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "placedAt" TIMESTAMP(3),
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "TeBet_pkey" PRIMARY KEY ("betId")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "lastBetAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerSession" (
    "token" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "refreshToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "refreshExpiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CustomerSession_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "debitsPosted" BIGINT NOT NULL DEFAULT 0,
    "creditsPosted" BIGINT NOT NULL DEFAULT 0,
    "debitsMustNotExceedCredits" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerTransfer" (
    "id" TEXT NOT NULL,
    "debitAccountId" TEXT NOT NULL,
    "creditAccountId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "betId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerTransfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlacedBet" (
    "betId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "sportId" TEXT NOT NULL,
    "sportName" TEXT NOT NULL,
    "sportDisplayName" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventAltId" TEXT,
    "eventName" TEXT NOT NULL,
    "eventDisplayName" TEXT NOT NULL,
    "eventStage" TEXT NOT NULL,
    "competitionId" TEXT NOT NULL,
    "competitionName" TEXT NOT NULL,
    "competitionDisplayName" TEXT NOT NULL,
    "marketTypeId" TEXT NOT NULL,
    "marketId" TEXT NOT NULL,
    "marketName" TEXT NOT NULL,
    "marketDisplayName" TEXT NOT NULL,
    "marketStage" TEXT NOT NULL,
    "selectionId" TEXT NOT NULL,
    "selectionName" TEXT NOT NULL,
    "selectionDisplayName" TEXT NOT NULL,
    "decimalPrice" TEXT NOT NULL,
    "stakeCents" INTEGER NOT NULL,
    "potentialPayoutCents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "PlacedBet_pkey" PRIMARY KEY ("betId")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "PxUserSession" (
    "id" TEXT NOT NULL,
    "pxUserId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "accessExpiresAt" TIMESTAMP(3) NOT NULL,
    "refreshExpiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "PxUserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OddsPlay" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "pxUserId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "odds" INTEGER NOT NULL,
    "stakeCents" INTEGER NOT NULL,
    "wagerRefId" TEXT,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "geoJson" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OddsPlay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingEvent" (
    "id" TEXT NOT NULL,
    "playId" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "TrackingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TraderUser_email_key" ON "TraderUser"("email");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_subjectType_subjectId_idx" ON "AuditLog"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "EngineCommand_status_createdAt_idx" ON "EngineCommand"("status", "createdAt");

-- CreateIndex
CREATE INDEX "EngineEvent_createdAt_idx" ON "EngineEvent"("createdAt");

-- CreateIndex
CREATE INDEX "SportEvent_tournamentId_scheduledAt_idx" ON "SportEvent"("tournamentId", "scheduledAt");

-- CreateIndex
CREATE UNIQUE INDEX "Market_eventId_marketId_key" ON "Market"("eventId", "marketId");

-- CreateIndex
CREATE INDEX "MarketLine_eventId_idx" ON "MarketLine"("eventId");

-- CreateIndex
CREATE INDEX "BookSnapshot_lineId_capturedAt_idx" ON "BookSnapshot"("lineId", "capturedAt");

-- CreateIndex
CREATE INDEX "MatchedTrade_lineId_matchedAt_idx" ON "MatchedTrade"("lineId", "matchedAt");

-- CreateIndex
CREATE INDEX "ParlayRequest_receivedAt_idx" ON "ParlayRequest"("receivedAt");

-- CreateIndex
CREATE INDEX "ParlayRequest_status_idx" ON "ParlayRequest"("status");

-- CreateIndex
CREATE INDEX "ParlayLeg_lineId_idx" ON "ParlayLeg"("lineId");

-- CreateIndex
CREATE UNIQUE INDEX "ParlayLeg_parlayId_idx_key" ON "ParlayLeg"("parlayId", "idx");

-- CreateIndex
CREATE INDEX "ParlayQuote_parlayId_idx" ON "ParlayQuote"("parlayId");

-- CreateIndex
CREATE INDEX "ParlayConfirmation_parlayId_idx" ON "ParlayConfirmation"("parlayId");

-- CreateIndex
CREATE INDEX "ParlayOrder_status_idx" ON "ParlayOrder"("status");

-- CreateIndex
CREATE INDEX "ParlayOrder_settledAt_idx" ON "ParlayOrder"("settledAt");

-- CreateIndex
CREATE UNIQUE INDEX "Wager_wagerId_key" ON "Wager"("wagerId");

-- CreateIndex
CREATE INDEX "Wager_status_idx" ON "Wager"("status");

-- CreateIndex
CREATE INDEX "Wager_lineId_idx" ON "Wager"("lineId");

-- CreateIndex
CREATE INDEX "WagerStatusHistory_externalId_idx" ON "WagerStatusHistory"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "TeOperator_apiKeyHash_key" ON "TeOperator"("apiKeyHash");

-- CreateIndex
CREATE INDEX "TeSession_expiresAt_idx" ON "TeSession"("expiresAt");

-- CreateIndex
CREATE INDEX "TeBet_status_idx" ON "TeBet"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerSession_refreshToken_key" ON "CustomerSession"("refreshToken");

-- CreateIndex
CREATE INDEX "CustomerSession_customerId_idx" ON "CustomerSession"("customerId");

-- CreateIndex
CREATE INDEX "LedgerAccount_customerId_idx" ON "LedgerAccount"("customerId");

-- CreateIndex
CREATE INDEX "LedgerTransfer_debitAccountId_idx" ON "LedgerTransfer"("debitAccountId");

-- CreateIndex
CREATE INDEX "LedgerTransfer_creditAccountId_idx" ON "LedgerTransfer"("creditAccountId");

-- CreateIndex
CREATE INDEX "LedgerTransfer_betId_idx" ON "LedgerTransfer"("betId");

-- CreateIndex
CREATE INDEX "PlacedBet_customerId_createdAt_idx" ON "PlacedBet"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "PlacedBet_status_idx" ON "PlacedBet"("status");

-- CreateIndex
CREATE INDEX "IdempotencyKey_expiresAt_idx" ON "IdempotencyKey"("expiresAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_deliveredAt_nextAttemptAt_idx" ON "TrackingEvent"("deliveredAt", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "SportEvent" ADD CONSTRAINT "SportEvent_tournamentId_fkey" FOREIGN KEY ("tournamentId") REFERENCES "Tournament"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Market" ADD CONSTRAINT "Market_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "SportEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketLine" ADD CONSTRAINT "MarketLine_marketKey_fkey" FOREIGN KEY ("marketKey") REFERENCES "Market"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParlayLeg" ADD CONSTRAINT "ParlayLeg_parlayId_fkey" FOREIGN KEY ("parlayId") REFERENCES "ParlayRequest"("parlayId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParlayQuote" ADD CONSTRAINT "ParlayQuote_parlayId_fkey" FOREIGN KEY ("parlayId") REFERENCES "ParlayRequest"("parlayId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParlayConfirmation" ADD CONSTRAINT "ParlayConfirmation_parlayId_fkey" FOREIGN KEY ("parlayId") REFERENCES "ParlayRequest"("parlayId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParlayOrder" ADD CONSTRAINT "ParlayOrder_parlayId_fkey" FOREIGN KEY ("parlayId") REFERENCES "ParlayRequest"("parlayId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WagerStatusHistory" ADD CONSTRAINT "WagerStatusHistory_externalId_fkey" FOREIGN KEY ("externalId") REFERENCES "Wager"("externalId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeSession" ADD CONSTRAINT "TeSession_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "TeOperator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerSession" ADD CONSTRAINT "CustomerSession_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacedBet" ADD CONSTRAINT "PlacedBet_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OddsPlay" ADD CONSTRAINT "OddsPlay_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PxUserSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingEvent" ADD CONSTRAINT "TrackingEvent_playId_fkey" FOREIGN KEY ("playId") REFERENCES "OddsPlay"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

