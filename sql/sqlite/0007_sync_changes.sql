-- Staging Editor, SQLite schema 0007: the replica's side of pulling changes from PostgreSQL.
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0007_sync_changes.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
-- Timestamps are integers: milliseconds since the Unix epoch (UTC).
--
-- The change feed itself (sync_changes and its triggers, sql/pg/0007) exists only on PostgreSQL:
-- a replica does not serve one. Here: where the replica's pull stands, and the server's version
-- of places that hold an unsent local decision (src-main/sync/pull.ts).

-- One row per pull stream (name 'pull'). `cursor` (an xid8 in decimal): every change by a
-- PostgreSQL transaction with a lower id is in the replica. While a pull runs through its pages,
-- `pass_*` hold the cursor it will store when it finishes, its upper bound, and the last change
-- (change_xid, place_id) applied; they are written in the same transaction as that page's rows.
CREATE TABLE IF NOT EXISTS sync_state (
  name                text PRIMARY KEY NOT NULL,
  cursor              text NOT NULL DEFAULT '0',
  pass_target         text,
  pass_limit          text,
  pass_after_xid      text,
  pass_after_place_id text,
  -- JSON array of the search locations pulled; NULL: every place.
  locations           text,
  last_pulled_at      integer
);

-- The server's version of a place the pull did not apply because the place has an unsent local
-- decision: `place` is the places_staging row as JSON, NULL when the place is gone from the
-- server or out of the pulled locations. Replaced by each later pull; removed when a pull finds
-- the place without a pending decision.
CREATE TABLE IF NOT EXISTS sync_server_places (
  place_id   text PRIMARY KEY NOT NULL,
  change_xid text NOT NULL,
  place      text,
  pulled_at  integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0007');
