-- DropIndex
DROP INDEX "LedgerTransfer_debitAccountId_idx";

-- DropIndex
DROP INDEX "LedgerTransfer_creditAccountId_idx";

-- DropIndex
DROP INDEX "LedgerTransfer_betId_idx";

