-- Staging Editor, SQLite schema 0013: the spend ledger, one row per Places API call.
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0013_places_api_calls.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- The same table as sql/pg/0013 (one logical schema; times in epoch milliseconds): append-only,
-- a row inserted (outcome NULL) just before the request is sent, completed in the transaction
-- that writes the scan's outcome; rows a crash left NULL are marked 'cancelled' on start-up.
CREATE TABLE IF NOT EXISTS places_api_calls (
  id          integer PRIMARY KEY AUTOINCREMENT,
  place_id    text NOT NULL,
  worker_id   text NOT NULL,
  started_at  integer NOT NULL,
  duration_ms integer,
  http_status integer,
  outcome     text,
  field_mask  text NOT NULL,
  CONSTRAINT places_api_calls_outcome_check
    CHECK (outcome IN ('completed', 'retried', 'failed', 'cancelled'))
);

CREATE INDEX IF NOT EXISTS places_api_calls_started_idx ON places_api_calls (started_at);
-- The open calls only (few): the sweep finds those a dead worker left without reading the rest.
CREATE INDEX IF NOT EXISTS places_api_calls_open_idx ON places_api_calls (started_at)
  WHERE outcome IS NULL;

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0013');
