-- Staging Editor, PostgreSQL schema 0005: cumulative counters of the deep scan scheduler.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0005_scan_counters.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- One row per counter, only ever incremented, in the same statement as what it counts:
-- 'cancelled': scans whose place left Selected while they ran and that ended without a result
-- (a transient failure, a returned claim, an expired lease): the place went back to "never
-- queued" (deep_scan_status NULL) instead of the queue.
CREATE TABLE IF NOT EXISTS scan_counters (
  name  text PRIMARY KEY,
  value integer NOT NULL DEFAULT 0
);

INSERT INTO scan_counters (name) VALUES ('cancelled') ON CONFLICT (name) DO NOTHING;

-- Only Selected places are scanned (the claim takes no other). A place queued before this rule
-- with another status (by the old queue-deep-scan, or by hand) would wait in the queue forever:
-- it goes back to "never queued", as step 6 does to a place that leaves Selected while waiting.
UPDATE places_staging
SET deep_scan_status = NULL, deep_scan_queued_at = NULL, deep_scan_next_attempt_at = NULL
WHERE deep_scan_status = 'Queued' AND status <> 'Selected';

INSERT INTO schema_migrations (version) VALUES ('0005') ON CONFLICT (version) DO NOTHING;
