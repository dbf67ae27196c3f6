-- place_bets_batch(): several bet slips in one statement and one commit (group commit, as TigerBeetle
-- batches transfers). server/operator/place-batcher.ts sends the slips that arrive while earlier
-- statements are still running, so under load the per-statement costs (round trip, protocol, executor
-- start-up, WAL flush at commit) are paid once per batch instead of once per slip.
--
-- Each slip is exactly one place_bets() call (20261121060000_open_liability: same arguments, same
-- checks, same writes) inside its own subtransaction (the BEGIN … EXCEPTION block), so a slip is still
-- all or nothing on its own: a slip that raises (FALLBACK, INVALID_SESSION, …) rolls back only its own
-- writes (its debit and key claim included) and the other slips of the batch go on. Its outcome row
-- says what happened and the caller answers or re-runs that slip alone:
--   PLACED / REPLAY / CONFLICT / IN_FLIGHT / LIMITS   as place_bets() returned them;
--   RAISE   place_bets() raised: body is the message ('place_bets:<CODE>');
--   RETRY   anything else went wrong for that slip (a lock not granted within p_lock_timeout_ms, a
--           deadlock, a unique violation from a racing request, …): nothing of it was written; body is
--           SQLSTATE: message. The caller runs it again on its own.
-- The caller sorts the slips by cash account, so two batches lock accounts in the same order, and
-- keeps p_lock_timeout_ms short so that one slip waiting on a busy customer cannot hold the batch.
-- Slips of one customer in one batch see each other's writes (one transaction): balance, open
-- liability, an idempotency key used twice (the second replays or conflicts) all behave as if sent
-- one after the other.
CREATE OR REPLACE FUNCTION place_bets_batch(p_calls jsonb, p_lock_timeout_ms integer)
RETURNS TABLE (idx integer, outcome text, status integer, body text)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  c jsonb;
  n integer := 0;
  r record;
BEGIN
  FOR c IN SELECT e FROM jsonb_array_elements(p_calls) AS e LOOP
    idx := n;
    n := n + 1;
    BEGIN
      SELECT * INTO r FROM place_bets(c->>'key', c->>'scope', c->>'hash', c->>'now', c->>'expires', p_lock_timeout_ms,
        c->>'user', c->>'session', c->>'requestId', c->>'cash', c->>'pending', c->>'limitsKey', c->>'limitsJson',
        (c->>'cooldownMs')::bigint, (c->>'total')::bigint,
        ARRAY(SELECT jsonb_array_elements_text(c->'betIds')),
        ARRAY(SELECT jsonb_array_elements_text(c->'marketTypes')),
        ARRAY(SELECT jsonb_array_elements_text(c->'liability'))::bigint[],
        ARRAY(SELECT jsonb_array_elements_text(c->'liabilityCap'))::numeric[],
        c->'bets', c->>'response');
      outcome := r.outcome;
      status := r.status;
      body := r.body;
    EXCEPTION
      WHEN raise_exception THEN
        outcome := 'RAISE';
        status := NULL;
        body := SQLERRM;
      WHEN OTHERS THEN
        outcome := 'RETRY';
        status := NULL;
        body := SQLSTATE || ': ' || SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END;
$$;
