-- Wake every web process when the engine appends to the EngineEvent outbox (LISTEN engine_events).
-- The payload is only the new seq; listeners read the rows themselves.
CREATE OR REPLACE FUNCTION notify_engine_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('engine_events', NEW."seq"::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "EngineEvent_notify" AFTER INSERT ON "EngineEvent"
  FOR EACH ROW EXECUTE FUNCTION notify_engine_event();
