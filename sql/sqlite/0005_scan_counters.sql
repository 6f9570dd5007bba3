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

-- Only Selected places are scanned (the claim takes no other). A place queued before this rule
-- with another status (by the old queue-deep-scan, or by hand) would wait in the queue forever:
-- it goes back to "never queued", as step 6 does to a place that leaves Selected while waiting.
UPDATE places_staging
SET deep_scan_status = NULL, deep_scan_queued_at = NULL, deep_scan_next_attempt_at = NULL
WHERE deep_scan_status = 'Queued' AND status <> 'Selected';

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0005');
