-- Staging Editor, SQLite schema 0005: cumulative counters of the deep scan scheduler.
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0005_scan_counters.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- The same table as sql/pg/0005 (one logical schema): one row per counter, only ever
-- incremented, in the same transaction as what it counts ('cancelled': scans whose place left
-- Selected while they ran and that ended without a result).
CREATE TABLE IF NOT EXISTS scan_counters (
  name  text PRIMARY KEY NOT NULL,
  value integer NOT NULL DEFAULT 0
);

INSERT OR IGNORE INTO scan_counters (name) VALUES ('cancelled');

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0005');
