-- Staging Editor, PostgreSQL schema 0013: the spend ledger, one row per Places API call.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0013_places_api_calls.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Append-only. A worker inserts a call's row (outcome NULL) in a short transaction of its own
-- just before it sends the request, after checking DEEP_SCAN_DAILY_CALL_LIMIT against the rows
-- of the current UTC day under the scan_control row lock; the row is completed (outcome,
-- duration_ms, http_status) only in the transaction that writes the scan's outcome. A row whose
-- worker died after the call stays NULL until the lease sweep marks it 'cancelled'. Rows are
-- never deleted, nor updated once their outcome is set; re-queued places keep their calls.
CREATE TABLE IF NOT EXISTS places_api_calls (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  place_id    text NOT NULL,
  worker_id   text NOT NULL,
  started_at  timestamptz NOT NULL,
  duration_ms integer,
  -- NULL: no HTTP answer (a timeout, a network error) or not finished yet.
  http_status integer,
  -- NULL: in flight (or its worker died and no sweep has run since).
  outcome     text CONSTRAINT places_api_calls_outcome_check
                CHECK (outcome IN ('completed', 'retried', 'failed', 'cancelled')),
  field_mask  text NOT NULL
);

CREATE INDEX IF NOT EXISTS places_api_calls_started_idx ON places_api_calls (started_at);
-- The open calls only (few): the sweep finds those a dead worker left without reading the rest.
CREATE INDEX IF NOT EXISTS places_api_calls_open_idx ON places_api_calls (started_at)
  WHERE outcome IS NULL;

INSERT INTO schema_migrations (version) VALUES ('0013') ON CONFLICT (version) DO NOTHING;
