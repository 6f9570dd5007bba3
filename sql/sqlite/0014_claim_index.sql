-- Staging Editor, SQLite schema 0014: the deep scan claim's index names the places it claims.
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0014_claim_index.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- The same index as PostgreSQL's 0014: a claim picks due places that are Queued AND Selected,
-- oldest due first (src-main/scan/sqlite-queue.ts); an index whose predicate is the claim's own
-- lets the planner take its first rows without guessing how many Queued places are Selected.

CREATE INDEX IF NOT EXISTS places_staging_claim_idx
  ON places_staging (deep_scan_next_attempt_at, id)
  WHERE deep_scan_status = 'Queued' AND status = 'Selected';

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0014');
