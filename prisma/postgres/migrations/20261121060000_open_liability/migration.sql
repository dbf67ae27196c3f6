-- Open liability as a running total: table "OpenLiability", one row per customer and market type
-- holding Σ (potentialPayoutCents − stakeCents) over the customer's pending bets of that market type,
-- and place_bets() reading and bumping that row instead of summing the bets.
--
-- Why: the max-liability check summed the customer's pending bets of the slip's market types on every
-- placement (an index range plus a heap visit per bet), so a placement got slower as the customer's
-- open bets grew (1.4 ms of extra work at 4,000 of them, more than the rest of the function together).
--
-- Who keeps it (each in the transaction that changes the bets, so it always equals the sum):
--   * place_bets() (below), step 3b: per market type of the slip, UPDATE … SET "openCents" =
--     "openCents" + the slip's liability … RETURNING the new total, which is also the check (new total
--     ≤ cap; before, open ≤ cap − the slip's liability: the same); an INSERT for a first bet there;
--   * the transactional Postgres path (server/operator/place-bets-pg.ts: pgRead reads the rows, pgWrite
--     bumps them in its write statement) and the SQLite path (server/operator/place-bets.ts);
--   * settlement (server/operator/settle.ts): won, lost and void each subtract the bet's liability.
-- Lock order on every path: the customer's cash account first (placement's debit or FOR UPDATE,
-- settlement's lock), then their OpenLiability rows, then the pending account. So placements of one
-- customer are serialised by the cash account lock (a row is only ever inserted by one of them), a
-- settlement's decrement queues behind them, and no cycle is possible.
--
-- Backfill: from the pending bets, under a SHARE lock on "PlacedBet" (no bet written or settled while it
-- runs). Servers running code older than this migration do not keep the totals: stop them first.
--
-- place_bets() is otherwise 20261121050000_place_bets_lean (read its header), with its liability
-- arguments changed: p_liability_room (cap − the slip's liability) became p_liability (the slip's
-- liability per market type, which the caller computes from the same bets it sends in p_bets) and
-- p_liability_cap. Step 2 no longer reads any liability; step 3b is new; step 4 checks that the
-- liabilities of the rows it writes add up to what step 3b added.

-- CreateTable
CREATE TABLE "OpenLiability" (
    "id" SERIAL NOT NULL,
    "customerId" TEXT NOT NULL,
    "marketTypeId" TEXT NOT NULL,
    "openCents" BIGINT NOT NULL,

    CONSTRAINT "OpenLiability_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OpenLiability_customerId_marketTypeId_key" ON "OpenLiability"("customerId", "marketTypeId");

-- AddForeignKey
ALTER TABLE "OpenLiability" ADD CONSTRAINT "OpenLiability_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill
LOCK TABLE "PlacedBet" IN SHARE MODE;
INSERT INTO "OpenLiability" ("customerId", "marketTypeId", "openCents")
SELECT "customerId", "marketTypeId", sum("potentialPayoutCents"::bigint - "stakeCents"::bigint)
FROM "PlacedBet" WHERE "status" = 'pending'
GROUP BY "customerId", "marketTypeId";

DROP FUNCTION place_bets(text, text, text, text, text, integer, text, text, text, text, text, text, text, bigint, bigint, text[], text[], numeric[], jsonb, text);

-- outcome:
--   PLACED    everything written and committed; the response is p_response (built by the caller).
--   REPLAY    the key holds a completed response for this request hash: status/body to replay.
--   CONFLICT  the key was used with another request hash (409).
--   IN_FLIGHT the key's row is committed but not completed (never written that way; 503).
--   LIMITS    the Setting p_limits_key is not p_limits_json: nothing was done; status is 1 when the
--             row exists (body = its valueJson) and 0 when it does not. Re-evaluate and call again.
-- Anything that must leave NOTHING behind raises (the statement's transaction rolls back, key claim
-- and debit included) with message 'place_bets:<CODE>':
--   INVALID_USER, INVALID_SESSION, AUTHENTICATION_FAILED  answer directly, nothing stored;
--   FALLBACK  a business rejection (balance, blocked, cool-down, liability, already-placed bet id):
--             the caller re-runs the placement in the transactional path, which builds and stores the
--             exact rejection. So this function only ever ACCEPTS slips that checkBetslip accepts.
--   PAYOUT_MISMATCH  a caller's payoutCents differs from bet_payout_cents (a bug).
-- p_bets: jsonb array, one object per bet, in slip order, with the PlacedBet column names plus
-- "payoutCents" (the caller's), "transferId" and "transferCode" (lib/ledger/rules.ts stakeTransfer).
-- p_total = the sum of the stakes; p_bet_ids = the bets' ids; p_market_types / p_liability /
-- p_liability_cap: each market type of the slip once, with the slip's liability in it (Σ payoutCents −
-- stakeCents of its bets) and the cap on the customer's open liability in it, the slip included.
-- Times are ISO-8601 UTC text; the timestamp(3) columns hold UTC like Prisma writes them.
CREATE OR REPLACE FUNCTION place_bets(
  p_key text, p_scope text, p_hash text, p_now text, p_expires text, p_lock_timeout_ms integer,
  p_user text, p_session text, p_request_id text, p_cash text, p_pending text,
  p_limits_key text, p_limits_json text, p_cooldown_ms bigint,
  p_total bigint, p_bet_ids text[], p_market_types text[], p_liability bigint[], p_liability_cap numeric[],
  p_bets jsonb, p_response text,
  OUT outcome text, OUT status integer, OUT body text)
LANGUAGE plpgsql VOLATILE
-- PL/pgSQL caches one generic plan per statement, often made while the tables were nearly empty (no
-- statistics); a sequential scan chosen then would stay and grow with the table. Every statement
-- here is an index lookup, so rule sequential scans out.
SET enable_seqscan = off
AS $$
DECLARE
  v_now timestamp(3) := (p_now::timestamptz AT TIME ZONE 'UTC');
  k record;
  v_claimed boolean;
  v_cash boolean;
  v_balance bigint;
  v_pending boolean;
  v_blocked boolean;
  v_last timestamp(3);
  v_sess_customer text;
  v_sess_expires timestamp(3);
  v_sess_revoked timestamp(3);
  v_dup boolean;
  v_over boolean;
  v_rows bigint;
  v_sum numeric;
  v_positive bigint;
  v_open bigint;
  v_liability bigint := 0;
  v_rows_liability bigint;
BEGIN
  -- 0. lock_timeout for the waits below; a finished request with this key is answered without
  --    locking or writing anything; the caller's limits must be the current setting.
  SELECT i."requestHash", i."state", i."responseStatus", i."responseBody", st."valueJson" AS lim, st."key" IS NOT NULL AS has_lim INTO k
  FROM (SELECT set_config('lock_timeout', p_lock_timeout_ms::text || 'ms', true) AS v) cfg
  LEFT JOIN "IdempotencyKey" i ON i."key" = p_key AND i."expiresAt" > v_now AND i."scope" = p_scope
  LEFT JOIN "Setting" st ON st."key" = p_limits_key
  WHERE cfg.v IS NOT NULL;
  IF k."requestHash" IS NOT NULL THEN
    IF k."requestHash" <> p_hash THEN outcome := 'CONFLICT'; RETURN; END IF;
    IF k."state" = 'completed' AND k."responseStatus" IS NOT NULL AND k."responseBody" IS NOT NULL THEN
      outcome := 'REPLAY'; status := k."responseStatus"; body := k."responseBody"; RETURN;
    END IF;
  END IF;
  IF k.lim IS DISTINCT FROM p_limits_json THEN
    outcome := 'LIMITS'; status := CASE WHEN k.has_lim THEN 1 ELSE 0 END; body := k.lim; RETURN;
  END IF;

  -- 1. Lock the customer's cash account (always before the key, as in the transactional path: no
  --    deadlock between the two) by debiting the total; the balance after it is checked below, under
  --    this lock. Then claim the key; a transaction holding the same key makes us wait.
  UPDATE "LedgerAccount" a SET "debitsPosted" = a."debitsPosted" + p_total WHERE a."id" = p_cash
  RETURNING true, a."creditsPosted" - a."debitsPosted" INTO v_cash, v_balance;
  INSERT INTO "IdempotencyKey" AS i ("key", "scope", "requestHash", "state", "responseStatus", "responseBody", "createdAt", "expiresAt")
    VALUES (p_key, p_scope, p_hash, 'completed', 200, p_response, v_now, (p_expires::timestamptz AT TIME ZONE 'UTC'))
    ON CONFLICT ("key") DO UPDATE SET "scope" = EXCLUDED."scope", "requestHash" = EXCLUDED."requestHash", "state" = EXCLUDED."state",
      "responseStatus" = EXCLUDED."responseStatus", "responseBody" = EXCLUDED."responseBody", "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
    WHERE i."expiresAt" <= v_now OR i."scope" <> p_scope
    RETURNING true INTO v_claimed;
  IF v_claimed IS NULL THEN
    -- Another request finished with this key while we waited: undo the debit, answer like step 0.
    IF v_cash AND p_total <> 0 THEN
      UPDATE "LedgerAccount" a SET "debitsPosted" = a."debitsPosted" - p_total WHERE a."id" = p_cash;
    END IF;
    SELECT i."requestHash", i."state", i."responseStatus", i."responseBody" INTO k FROM "IdempotencyKey" i WHERE i."key" = p_key;
    IF k."requestHash" <> p_hash THEN outcome := 'CONFLICT'; RETURN; END IF;
    IF k."state" = 'completed' AND k."responseStatus" IS NOT NULL AND k."responseBody" IS NOT NULL THEN
      outcome := 'REPLAY'; status := k."responseStatus"; body := k."responseBody"; RETURN;
    END IF;
    outcome := 'IN_FLIGHT'; RETURN;
  END IF;

  -- 2. Stamp lastBetAt and, in the same statement (a snapshot taken after the lock, so current),
  --    read everything the checks need: the customer as it was, the session, already-used bet ids.
  UPDATE "Customer" c SET "lastBetAt" = v_now
  FROM "Customer" o LEFT JOIN "CustomerSession" s ON s."token" = p_session
  WHERE c."id" = p_user AND o."id" = p_user
  RETURNING o."blocked", o."lastBetAt", s."customerId", s."expiresAt", s."revokedAt",
    EXISTS (SELECT 1 FROM "PlacedBet" b WHERE b."betId" = ANY (p_bet_ids))
  INTO v_blocked, v_last, v_sess_customer, v_sess_expires, v_sess_revoked, v_dup;
  -- User and session errors are not remembered under the key: raising rolls the claim back.
  IF NOT FOUND OR v_cash IS NOT TRUE THEN RAISE EXCEPTION 'place_bets:INVALID_USER'; END IF;
  IF v_sess_customer IS NULL OR v_sess_revoked IS NOT NULL OR v_sess_expires <= v_now THEN RAISE EXCEPTION 'place_bets:INVALID_SESSION'; END IF;
  IF v_sess_customer <> p_user THEN RAISE EXCEPTION 'place_bets:AUTHENTICATION_FAILED'; END IF;

  -- 3. Checks that need the database. Any rejection → FALLBACK (the transactional path builds and
  --    stores it): the balance (after the debit), blocked, cool-down, already-placed ids, liability.
  IF v_balance < 0 OR v_blocked OR v_dup
     OR (p_cooldown_ms > 0 AND v_last IS NOT NULL
         AND extract(epoch FROM v_now) * 1000 - extract(epoch FROM v_last) * 1000 < p_cooldown_ms) THEN
    RAISE EXCEPTION 'place_bets:FALLBACK';
  END IF;

  -- 3b. Add the slip's liability to the customer's running total of each of its market types and check
  --     the new total against the cap. UPDATE … RETURNING reads the latest committed total under the
  --     row lock; the INSERT is the customer's first bet in that market type.
  IF cardinality(p_liability) <> cardinality(p_market_types) OR cardinality(p_liability_cap) <> cardinality(p_market_types) THEN
    RAISE EXCEPTION 'place_bets: p_market_types, p_liability and p_liability_cap differ in length';
  END IF;
  FOR i IN 1 .. cardinality(p_market_types) LOOP
    UPDATE "OpenLiability" o SET "openCents" = o."openCents" + p_liability[i]
    WHERE o."customerId" = p_user AND o."marketTypeId" = p_market_types[i]
    RETURNING o."openCents" INTO v_open;
    IF NOT FOUND THEN
      INSERT INTO "OpenLiability" ("customerId", "marketTypeId", "openCents") VALUES (p_user, p_market_types[i], p_liability[i])
      RETURNING "openCents" INTO v_open;
    END IF;
    IF (v_open <= p_liability_cap[i]) IS NOT TRUE THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
    v_liability := v_liability + p_liability[i];
  END LOOP;

  -- 4. Writes: every bet pending (its payout checked against bet_payout_cents, exactly; the stakes
  --    must add up to the total debited above and their liabilities to what step 3b added), every
  --    positive stake moved cash → pending.
  WITH b AS (
    INSERT INTO "PlacedBet" ("betId", "requestId", "customerId", "sportId", "sportName", "sportDisplayName", "eventId", "eventAltId",
        "eventName", "eventDisplayName", "eventStage", "competitionId", "competitionName", "competitionDisplayName", "marketTypeId",
        "marketId", "marketName", "marketDisplayName", "marketStage", "selectionId", "selectionName", "selectionDisplayName",
        "decimalPrice", "stakeCents", "potentialPayoutCents", "status", "createdAt")
    SELECT r."betId", p_request_id, p_user, r."sportId", r."sportName", r."sportDisplayName", r."eventId", r."eventAltId",
        r."eventName", r."eventDisplayName", r."eventStage", r."competitionId", r."competitionName", r."competitionDisplayName", r."marketTypeId",
        r."marketId", r."marketName", r."marketDisplayName", r."marketStage", r."selectionId", r."selectionName", r."selectionDisplayName",
        r."decimalPrice", r."stakeCents"::integer, r."payoutCents"::integer, 'pending', v_now
    FROM jsonb_to_recordset(p_bets) AS r("betId" text, "sportId" text, "sportName" text, "sportDisplayName" text,
        "eventId" text, "eventAltId" text, "eventName" text, "eventDisplayName" text, "eventStage" text, "competitionId" text,
        "competitionName" text, "competitionDisplayName" text, "marketTypeId" text, "marketId" text, "marketName" text,
        "marketDisplayName" text, "marketStage" text, "selectionId" text, "selectionName" text, "selectionDisplayName" text,
        "decimalPrice" text, "stakeCents" bigint, "payoutCents" numeric)
    WHERE r."stakeCents" >= 0 AND r."payoutCents" = bet_payout_cents(r."stakeCents", r."decimalPrice")
    RETURNING "stakeCents", "potentialPayoutCents")
  SELECT count(*), COALESCE(sum(b."stakeCents"), 0), count(*) FILTER (WHERE b."stakeCents" > 0), COALESCE(sum(b."potentialPayoutCents" - b."stakeCents"), 0)
  INTO v_rows, v_sum, v_positive, v_rows_liability FROM b;
  IF v_rows <> jsonb_array_length(p_bets) OR v_rows <> cardinality(p_bet_ids) THEN RAISE EXCEPTION 'place_bets:PAYOUT_MISMATCH'; END IF;
  IF v_sum <> p_total THEN RAISE EXCEPTION 'place_bets: the stakes do not add up to the total'; END IF;
  IF v_rows_liability <> v_liability THEN RAISE EXCEPTION 'place_bets: p_liability does not add up to the bets'' liability'; END IF;
  IF v_positive > 0 THEN
    INSERT INTO "LedgerTransfer" ("id", "debitAccountId", "creditAccountId", "amount", "code", "betId", "createdAt")
    SELECT r."transferId", p_cash, p_pending, r."stakeCents", r."transferCode", r."betId", v_now
    FROM jsonb_to_recordset(p_bets) AS r("transferId" text, "transferCode" text, "betId" text, "stakeCents" bigint)
    WHERE r."stakeCents" > 0;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    UPDATE "LedgerAccount" a SET "creditsPosted" = a."creditsPosted" + p_total WHERE a."id" = p_pending RETURNING true INTO v_pending;
    IF v_rows <> v_positive OR v_pending IS NOT TRUE THEN
      RAISE EXCEPTION 'place_bets: the writes did not fully apply (pending account missing?)';
    END IF;
  END IF;
  outcome := 'PLACED';
  status := 200;
END;
$$;
