-- Staging Editor, SQLite schema 0002: state of the deep scan scheduler.
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0002_scan_control.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
-- Timestamps are integers: milliseconds since the Unix epoch (UTC).

-- The same tables as sql/pg/0002 (one logical schema). On SQLite one process scans, so the
-- 429 pause and the rate limit live in that process; the tables keep the two schemas equal
-- and record the running loop.
CREATE TABLE IF NOT EXISTS scan_control (
  name             text PRIMARY KEY NOT NULL,
  paused_until     integer,
  pause_reason     text,
  rate_tokens      real NOT NULL DEFAULT 0,
  rate_refilled_at integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at       integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

INSERT OR IGNORE INTO scan_control (name) VALUES ('deep_scan');

CREATE TABLE IF NOT EXISTS scan_workers (
  worker_id         text PRIMARY KEY NOT NULL,
  started_at        integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  last_seen_at      integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  scans_last_minute integer NOT NULL DEFAULT 0
);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0002');
