-- place_bets(), leaner: the same one-round-trip placement (server/operator/place-bets-pg.ts), with
-- less work per bet slip. Functions only; no table changes.
--
-- What changed against 20261121040000_place_bets_fn:
--   * The caller evaluates the regulatory limits itself, with lib/operator/betslip.ts (limitsFromJson
--     and checkBetslip, the very code of the transactional path), from the Setting text it last saw.
--     It sends that text (p_limits_json) and what the limits leave for the database to decide: the
--     cool-down (p_cooldown_ms) and, per market type of the slip, the open liability that still fits
--     (p_liability_room = cap − the slip's own liability). The function only checks that the Setting
--     still holds exactly that text (else outcome LIMITS: the caller re-reads and retries), so the
--     JSON is no longer parsed and interpreted in PL/pgSQL on every call.
--   * The cash account is locked by the debit itself (UPDATE … RETURNING the balance) instead of a
--     SELECT … FOR UPDATE followed by a second UPDATE of the same row.
--   * User, session, blocked, lastBetAt, already-placed bet ids and the open liability are read in the
--     same statement that stamps lastBetAt (UPDATE "Customer" … FROM … RETURNING the old values).
--   * The open liability is summed per market type of the slip with an index condition on all three
--     columns of PlacedBet_customerId_marketTypeId_status_idx (it used to walk all the customer's bets
--     and sort them), as integer sums, and not at all when a bound from the customer's pending_bets
--     account proves it fits (see step 2).
--   * The stakes written must add up to the total the caller debited (p_total).
-- Unchanged: the lock order (cash account, then the idempotency key, as the transactional path), the
-- replay/conflict answer without locking, the key row inserted already holding the PLACED response,
-- all-or-nothing by raising, and bet_payout_cents() as the exact payout every bet is checked against.

DROP FUNCTION IF EXISTS place_bets(text, text, text, text, text, integer, text, text, text, text, text, text, jsonb, text);
DROP FUNCTION IF EXISTS place_bets_safe_int(jsonb);

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
-- p_total = the sum of the stakes; p_bet_ids = the bets' ids; p_market_types / p_liability_room:
-- each market type of the slip once, with cap − the slip's liability in it (may be negative).
-- Times are ISO-8601 UTC text; the timestamp(3) columns hold UTC like Prisma writes them.
CREATE OR REPLACE FUNCTION place_bets(
  p_key text, p_scope text, p_hash text, p_now text, p_expires text, p_lock_timeout_ms integer,
  p_user text, p_session text, p_request_id text, p_cash text, p_pending text,
  p_limits_key text, p_limits_json text, p_cooldown_ms bigint,
  p_total bigint, p_bet_ids text[], p_market_types text[], p_liability_room numeric[],
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
  --    read everything the checks need: the customer as it was, the session, already-used bet ids,
  --    and whether the open liability of any of the slip's market types exceeds its room.
  --    The open liability is a sum over the customer's pending bets in the market type (index
  --    PlacedBet(customerId, marketTypeId, status)), so it costs in proportion to them.
  UPDATE "Customer" c SET "lastBetAt" = v_now
  FROM "Customer" o LEFT JOIN "CustomerSession" s ON s."token" = p_session
  WHERE c."id" = p_user AND o."id" = p_user
  RETURNING o."blocked", o."lastBetAt", s."customerId", s."expiresAt", s."revokedAt",
    EXISTS (SELECT 1 FROM "PlacedBet" b WHERE b."betId" = ANY (p_bet_ids)),
    EXISTS (SELECT 1 FROM unnest(p_market_types, p_liability_room) AS m(mt, room)
            WHERE COALESCE((SELECT sum(b."potentialPayoutCents") - sum(b."stakeCents") FROM "PlacedBet" b
                            WHERE b."customerId" = p_user AND b."marketTypeId" = m.mt AND b."status" = 'pending'), 0) > m.room)
  INTO v_blocked, v_last, v_sess_customer, v_sess_expires, v_sess_revoked, v_dup, v_over;
  -- User and session errors are not remembered under the key: raising rolls the claim back.
  IF NOT FOUND OR v_cash IS NOT TRUE THEN RAISE EXCEPTION 'place_bets:INVALID_USER'; END IF;
  IF v_sess_customer IS NULL OR v_sess_revoked IS NOT NULL OR v_sess_expires <= v_now THEN RAISE EXCEPTION 'place_bets:INVALID_SESSION'; END IF;
  IF v_sess_customer <> p_user THEN RAISE EXCEPTION 'place_bets:AUTHENTICATION_FAILED'; END IF;

  -- 3. Checks that need the database. Any rejection → FALLBACK (the transactional path builds and
  --    stores it): the balance (after the debit), blocked, cool-down, liability, already-placed ids.
  IF v_balance < 0 OR v_blocked OR v_dup OR v_over
     OR (p_cooldown_ms > 0 AND v_last IS NOT NULL
         AND extract(epoch FROM v_now) * 1000 - extract(epoch FROM v_last) * 1000 < p_cooldown_ms) THEN
    RAISE EXCEPTION 'place_bets:FALLBACK';
  END IF;

  -- 4. Writes: every bet pending (its payout checked against bet_payout_cents, exactly; the stakes
  --    must add up to the total debited above), every positive stake moved cash → pending.
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
    RETURNING "stakeCents")
  SELECT count(*), COALESCE(sum(b."stakeCents"), 0), count(*) FILTER (WHERE b."stakeCents" > 0) INTO v_rows, v_sum, v_positive FROM b;
  IF v_rows <> jsonb_array_length(p_bets) OR v_rows <> cardinality(p_bet_ids) THEN RAISE EXCEPTION 'place_bets:PAYOUT_MISMATCH'; END IF;
  IF v_sum <> p_total THEN RAISE EXCEPTION 'place_bets: the stakes do not add up to the total'; END IF;
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
