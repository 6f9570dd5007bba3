-- Staging Editor, PostgreSQL schema 0014: the deep scan claim's index names the places it claims.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0014_claim_index.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- A claim picks due places that are Queued AND Selected, oldest due first
-- (src-main/scan/pg-queue.ts). The queue index of 0001 holds the Queued ones only; the planner
-- guesses that few of them are Selected (in fact all are) and, on a backlog of a million, read
-- and sorted the whole backlog under the control row's lock (~50-100 ms a claim) instead of
-- taking the first rows of the index (~0.2 ms). An index whose predicate is the claim's own
-- makes the estimate exact.

CREATE INDEX IF NOT EXISTS places_staging_claim_idx
  ON places_staging (deep_scan_next_attempt_at, id)
  WHERE deep_scan_status = 'Queued' AND status = 'Selected';

INSERT INTO schema_migrations (version) VALUES ('0014') ON CONFLICT (version) DO NOTHING;
