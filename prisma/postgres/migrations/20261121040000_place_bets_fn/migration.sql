-- Bet placement in ONE round trip (server/operator/place-bets-pg.ts calls it in autocommit).
-- No tables change; these are functions only.

-- potentialPayout in whole cents: stake × decimalPrice rounded DOWN to the cent, exactly as
-- lib/ledger/decimal.ts payoutCents (floor(stakeCents × priceUnits / 10^priceScale)); numeric is
-- exact decimal arithmetic, so no float ever touches money. Returns numeric so that every stake and
-- price the parser accepts (up to 10^13 cents × 12-digit prices) is exact; callers cast.
CREATE OR REPLACE FUNCTION bet_payout_cents(p_stake_cents bigint, p_decimal_price text) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT floor(p_stake_cents::numeric * p_decimal_price::numeric)
$$;

-- A limits value as limitsFromJson/checkBetslip read it, when that is certain: a JSON number that is
-- an integer a JS number holds exactly (|n| ≤ 2^53 − 1). NULL for anything else (strings, fractions,
-- huge numbers, objects…), which place_bets treats as "not interpreted here" → FALLBACK.
CREATE OR REPLACE FUNCTION place_bets_safe_int(j jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(j) = 'number' THEN
    CASE WHEN j::text::numeric = trunc(j::text::numeric) AND abs(j::text::numeric) <= 9007199254740991 THEN j::text::numeric END
  END
$$;

-- The whole placement of one betslip, in the steps and lock order of the transactional path
-- (runPg): lock the customer's cash account row, claim the idempotency key (waiting at most
-- p_lock_timeout_ms for a transaction holding the same key), check user/session, read balance,
-- cool-down, limits, open liability and already-used bet ids under the lock, then insert the bets
-- and stake transfers, move the total cash → pending (debit conditional on the balance), stamp
-- lastBetAt and store the response under the key.
--
-- outcome:
--   PLACED    everything written and committed; the response is p_response (built by the caller).
--   REPLAY    the key holds a completed response for this request hash: status/body to replay.
--   CONFLICT  the key was used with another request hash (409).
--   IN_FLIGHT the key's row is committed but not completed (never written that way; 503).
-- Anything that must leave NOTHING behind raises (the statement's transaction rolls back, key
-- claim included) with message 'place_bets:<CODE>':
--   INVALID_USER, INVALID_SESSION, AUTHENTICATION_FAILED  answer directly, nothing stored;
--   FALLBACK  a business rejection, or a limits setting this function does not interpret exactly as
--             lib/operator/betslip.ts does: the caller re-runs the placement in the transactional
--             path, which builds and stores the exact rejection. So this function only ever ACCEPTS
--             slips that checkBetslip accepts; it never has to reproduce the rejection bodies.
--   PAYOUT_MISMATCH  the caller's potentialPayout differs from bet_payout_cents (a bug).
-- p_bets: jsonb array, one object per bet, in slip order, with the PlacedBet column names plus
-- "payoutCents" (the caller's), "transferId" and "transferCode" (lib/ledger/rules.ts stakeTransfer).
-- Times are ISO-8601 UTC text; the timestamp(3) columns hold UTC like Prisma writes them.
CREATE OR REPLACE FUNCTION place_bets(
  p_key text, p_scope text, p_hash text, p_now text, p_expires text, p_lock_timeout_ms integer,
  p_user text, p_session text, p_request_id text, p_cash text, p_pending text, p_limits_key text,
  p_bets jsonb, p_response text,
  OUT outcome text, OUT status integer, OUT body text)
LANGUAGE plpgsql VOLATILE
-- PL/pgSQL caches one generic plan per statement, often made while PlacedBet was nearly empty; a
-- sequential scan chosen then would stay (until the next ANALYZE) and grow with the table. Every
-- statement here is an index lookup, so rule sequential scans out.
SET enable_seqscan = off
AS $$
DECLARE
  v_now timestamp(3) := (p_now::timestamptz AT TIME ZONE 'UTC');
  v_expires timestamp(3) := (p_expires::timestamptz AT TIME ZONE 'UTC');
  v_now_ms numeric := extract(epoch FROM (p_now::timestamptz AT TIME ZONE 'UTC')) * 1000;
  k record;
  v_claimed boolean;
  v_debits bigint;
  v_credits bigint;
  v_customer text;
  v_blocked boolean;
  v_last timestamp(3);
  v_sess_customer text;
  v_sess_expires timestamp(3);
  v_sess_revoked timestamp(3);
  v_dup boolean;
  v_lo bigint;
  v_hi bigint;
  v_ok boolean;
  v_total numeric;
  v_n integer;
  v_bad integer;
  v_limits_text text;
  v_limits jsonb;
  v_liab jsonb := '{}'::jsonb;
  v_min numeric := 100;
  v_max numeric := 1000000;
  v_cool numeric := 0;
  v_default_cap numeric := 10000000;
  v_j jsonb;
BEGIN
  PERFORM set_config('lock_timeout', p_lock_timeout_ms::text || 'ms', true);

  -- 0. A finished request with this key: answer without locking or writing anything.
  SELECT i."requestHash", i."state", i."responseStatus", i."responseBody" INTO k
    FROM "IdempotencyKey" i WHERE i."key" = p_key AND i."expiresAt" > v_now AND i."scope" = p_scope;
  IF FOUND THEN
    IF k."requestHash" <> p_hash THEN outcome := 'CONFLICT'; RETURN; END IF;
    IF k."state" = 'completed' AND k."responseStatus" IS NOT NULL AND k."responseBody" IS NOT NULL THEN
      outcome := 'REPLAY'; status := k."responseStatus"; body := k."responseBody"; RETURN;
    END IF;
  END IF;

  -- 1. Lock the cash account (always before the key, as in the transactional path: no deadlock
  --    between the two), then claim the key; a transaction holding the same key makes us wait.
  --    The key row goes in already holding the PLACED response: this function either commits the
  --    placement or raises and leaves nothing, so no second version of the row is ever needed.
  SELECT a."debitsPosted", a."creditsPosted" INTO v_debits, v_credits
    FROM "LedgerAccount" a WHERE a."id" = p_cash FOR UPDATE;
  INSERT INTO "IdempotencyKey" AS i ("key", "scope", "requestHash", "state", "responseStatus", "responseBody", "createdAt", "expiresAt")
    VALUES (p_key, p_scope, p_hash, 'completed', 200, p_response, v_now, v_expires)
    ON CONFLICT ("key") DO UPDATE SET "scope" = EXCLUDED."scope", "requestHash" = EXCLUDED."requestHash", "state" = EXCLUDED."state",
      "responseStatus" = EXCLUDED."responseStatus", "responseBody" = EXCLUDED."responseBody", "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
    WHERE i."expiresAt" <= v_now OR i."scope" <> p_scope
    RETURNING true INTO v_claimed;
  IF v_claimed IS NULL THEN
    SELECT i."requestHash", i."state", i."responseStatus", i."responseBody" INTO k FROM "IdempotencyKey" i WHERE i."key" = p_key;
    IF k."requestHash" <> p_hash THEN outcome := 'CONFLICT'; RETURN; END IF;
    IF k."state" = 'completed' AND k."responseStatus" IS NOT NULL AND k."responseBody" IS NOT NULL THEN
      outcome := 'REPLAY'; status := k."responseStatus"; body := k."responseBody"; RETURN;
    END IF;
    outcome := 'IN_FLIGHT'; RETURN;
  END IF;

  -- 2. Everything else the checks need, in one statement under the lock: user, session, limits
  --    setting, already-used bet ids, and the slip's payouts (recomputed here, exactly), total,
  --    smallest and largest stake.
  SELECT c."id", c."blocked", c."lastBetAt", s."customerId", s."expiresAt", s."revokedAt",
    (SELECT st."valueJson" FROM "Setting" st WHERE st."key" = p_limits_key),
    EXISTS (SELECT 1 FROM "PlacedBet" b WHERE b."betId" = ANY (ARRAY(SELECT r."betId" FROM jsonb_to_recordset(p_bets) AS r("betId" text)))),
    x.n, x.bad, x.total, x.lo, x.hi
  INTO v_customer, v_blocked, v_last, v_sess_customer, v_sess_expires, v_sess_revoked, v_limits_text, v_dup, v_n, v_bad, v_total, v_lo, v_hi
  FROM (
    SELECT count(*) AS n,
      count(*) FILTER (WHERE r."payoutCents" IS DISTINCT FROM bet_payout_cents(r."stakeCents", r."decimalPrice")
                          OR r."decimalPrice" !~ '^[0-9]+(\.[0-9]+)?$' OR r."stakeCents" < 0) AS bad,
      COALESCE(sum(r."stakeCents"), 0) AS total, min(r."stakeCents") AS lo, max(r."stakeCents") AS hi
    FROM jsonb_to_recordset(p_bets) AS r("stakeCents" bigint, "decimalPrice" text, "payoutCents" numeric)
  ) x
  LEFT JOIN "Customer" c ON c."id" = p_user
  LEFT JOIN "CustomerSession" s ON s."token" = p_session;
  -- User and session errors are not remembered under the key: raising rolls the claim back.
  IF v_customer IS NULL OR v_credits IS NULL THEN RAISE EXCEPTION 'place_bets:INVALID_USER'; END IF;
  IF v_sess_customer IS NULL OR v_sess_revoked IS NOT NULL OR v_sess_expires <= v_now THEN RAISE EXCEPTION 'place_bets:INVALID_SESSION'; END IF;
  IF v_sess_customer <> v_customer THEN RAISE EXCEPTION 'place_bets:AUTHENTICATION_FAILED'; END IF;
  IF v_n = 0 OR v_bad > 0 THEN RAISE EXCEPTION 'place_bets:PAYOUT_MISMATCH'; END IF;

  -- 3. Checks. Any rejection → FALLBACK (the transactional path builds and stores it).
  IF v_dup OR v_total > v_credits - v_debits OR v_blocked THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;

  -- Limits: the Setting JSON merged over the defaults as limitsFromJson does. Only integers that a
  -- JS number holds exactly are interpreted; anything else (invalid JSON, fractions, strings,
  -- arrays, huge numbers) → FALLBACK, where limitsFromJson/checkBetslip decide.
  IF v_limits_text IS NOT NULL THEN
    BEGIN
      v_limits := v_limits_text::jsonb;
    EXCEPTION WHEN others THEN
      v_limits := NULL;
    END;
    IF v_limits IS NULL OR jsonb_typeof(v_limits) <> 'object' THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
    -- typeof === "number" or the default; a number that is not a safe integer → FALLBACK.
    IF jsonb_typeof(v_limits->'minStakeCents') = 'number' THEN
      v_min := place_bets_safe_int(v_limits->'minStakeCents');
      IF v_min IS NULL THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
    END IF;
    IF jsonb_typeof(v_limits->'maxStakeCents') = 'number' THEN
      v_max := place_bets_safe_int(v_limits->'maxStakeCents');
      IF v_max IS NULL THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
    END IF;
    IF jsonb_typeof(v_limits->'cooldownMs') = 'number' THEN
      v_cool := place_bets_safe_int(v_limits->'cooldownMs');
      IF v_cool IS NULL THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
    END IF;
    v_j := v_limits->'maxLiabilityCents';
    IF v_j IS NOT NULL AND jsonb_typeof(v_j) <> 'null' THEN
      IF jsonb_typeof(v_j) <> 'object' THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
      v_liab := v_j;
    END IF;
    IF v_liab ? 'default' THEN
      IF jsonb_typeof(v_liab->'default') = 'null' THEN
        v_default_cap := 9007199254740991; -- `?? Number.MAX_SAFE_INTEGER`
      ELSE
        v_default_cap := place_bets_safe_int(v_liab->'default');
        IF v_default_cap IS NULL THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
      END IF;
    END IF;
  END IF;

  IF v_cool > 0 AND v_last IS NOT NULL AND v_now_ms - extract(epoch FROM v_last) * 1000 < v_cool THEN
    RAISE EXCEPTION 'place_bets:FALLBACK';
  END IF;
  IF v_lo < v_min OR v_hi > v_max THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;
  -- Max open liability per market type: pending bets plus this slip (liabilities are ≥ 0, so the
  -- slip fits bet by bet iff its total fits). cap NULL = a value not interpreted here → FALLBACK.
  SELECT count(*) FILTER (WHERE x.cap IS NULL OR COALESCE(o.l, 0) + x.l > x.cap) INTO v_bad
  FROM (
    SELECT r."marketTypeId" AS mt, sum(bet_payout_cents(r."stakeCents", r."decimalPrice") - r."stakeCents") AS l,
      CASE WHEN v_liab->r."marketTypeId" IS NULL OR jsonb_typeof(v_liab->r."marketTypeId") = 'null' THEN v_default_cap
           ELSE place_bets_safe_int(v_liab->r."marketTypeId")
      END AS cap
    FROM jsonb_to_recordset(p_bets) AS r("marketTypeId" text, "stakeCents" bigint, "decimalPrice" text)
    GROUP BY r."marketTypeId"
  ) x
  LEFT JOIN (
    SELECT b."marketTypeId" AS mt, sum(b."potentialPayoutCents"::bigint - b."stakeCents"::bigint) AS l
    FROM "PlacedBet" b
    -- (b."status" || '') keeps the cached generic plan on the customer's index: planned while the
    -- table was small, it would otherwise walk PlacedBet_status_idx over every customer's pending bets.
    WHERE b."customerId" = p_user AND (b."status" || '') = 'pending'
      AND b."marketTypeId" = ANY (ARRAY(SELECT DISTINCT r."marketTypeId" FROM jsonb_to_recordset(p_bets) AS r("marketTypeId" text)))
    GROUP BY b."marketTypeId"
  ) o ON o.mt = x.mt;
  IF v_bad > 0 THEN RAISE EXCEPTION 'place_bets:FALLBACK'; END IF;

  -- 4. Writes, one statement: every bet pending, every positive stake moved cash → pending (the
  --    debit conditional on the balance once more), lastBetAt. Rows in
  --    slip order (a function scan of jsonb_to_recordset yields the array's order).
  WITH bets AS (
    INSERT INTO "PlacedBet" ("betId", "requestId", "customerId", "sportId", "sportName", "sportDisplayName", "eventId", "eventAltId",
        "eventName", "eventDisplayName", "eventStage", "competitionId", "competitionName", "competitionDisplayName", "marketTypeId",
        "marketId", "marketName", "marketDisplayName", "marketStage", "selectionId", "selectionName", "selectionDisplayName",
        "decimalPrice", "stakeCents", "potentialPayoutCents", "status", "createdAt")
    SELECT r."betId", p_request_id, p_user, r."sportId", r."sportName", r."sportDisplayName", r."eventId", r."eventAltId",
        r."eventName", r."eventDisplayName", r."eventStage", r."competitionId", r."competitionName", r."competitionDisplayName", r."marketTypeId",
        r."marketId", r."marketName", r."marketDisplayName", r."marketStage", r."selectionId", r."selectionName", r."selectionDisplayName",
        r."decimalPrice", r."stakeCents"::integer, bet_payout_cents(r."stakeCents", r."decimalPrice")::integer, 'pending', v_now
    FROM jsonb_to_recordset(p_bets) AS r("betId" text, "sportId" text, "sportName" text, "sportDisplayName" text,
        "eventId" text, "eventAltId" text, "eventName" text, "eventDisplayName" text, "eventStage" text, "competitionId" text,
        "competitionName" text, "competitionDisplayName" text, "marketTypeId" text, "marketId" text, "marketName" text,
        "marketDisplayName" text, "marketStage" text, "selectionId" text, "selectionName" text, "selectionDisplayName" text,
        "decimalPrice" text, "stakeCents" bigint)
    RETURNING 1),
  trf AS (
    INSERT INTO "LedgerTransfer" ("id", "debitAccountId", "creditAccountId", "amount", "code", "betId", "createdAt")
    SELECT r."transferId", p_cash, p_pending, r."stakeCents", r."transferCode", r."betId", v_now
    FROM jsonb_to_recordset(p_bets) AS r("transferId" text, "transferCode" text, "betId" text, "stakeCents" bigint)
    WHERE r."stakeCents" > 0
    RETURNING 1),
  deb AS (
    UPDATE "LedgerAccount" SET "debitsPosted" = "debitsPosted" + v_total::bigint
    WHERE "id" = p_cash AND v_total > 0 AND "creditsPosted" - "debitsPosted" >= v_total::bigint
    RETURNING 1),
  cre AS (
    UPDATE "LedgerAccount" SET "creditsPosted" = "creditsPosted" + v_total::bigint
    WHERE "id" = p_pending AND v_total > 0
    RETURNING 1),
  cus AS (UPDATE "Customer" SET "lastBetAt" = v_now WHERE "id" = p_user RETURNING 1)
  SELECT (SELECT count(*) FROM bets) = v_n
     AND (SELECT count(*) FROM trf) = (SELECT count(*) FROM jsonb_to_recordset(p_bets) AS r("stakeCents" bigint) WHERE r."stakeCents" > 0)
     AND (SELECT count(*) FROM deb) = (CASE WHEN v_total > 0 THEN 1 ELSE 0 END)
     AND (SELECT count(*) FROM cre) = (CASE WHEN v_total > 0 THEN 1 ELSE 0 END)
     AND (SELECT count(*) FROM cus) = 1
  INTO v_ok;
  IF NOT v_ok THEN RAISE EXCEPTION 'place_bets: the writes did not fully apply (pending account missing?)'; END IF;
  outcome := 'PLACED';
  status := 200;
END;
$$;
