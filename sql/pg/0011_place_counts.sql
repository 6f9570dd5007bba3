-- Staging Editor, PostgreSQL schema 0011: the places counted by status and deep scan status.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0011_place_counts.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- The summary (counts by status and by deep scan status) without scanning places_staging: the
-- sum of `n` per (status, deep_scan_status) in place_counts is the number of places with that
-- pair, in every snapshot, whoever writes (a reviewer, the scan workers, a pull, SQL by hand).
--
-- Rows are deltas, appended by statement triggers in the writing transaction itself: one
-- INSERT per statement, built from its transition tables, so a 100,000-row update pays one
-- extra statement. Why not one counter row per pair: every writer (each scan worker completing,
-- each reviewer's decision) would then queue on the same few row locks. Deltas never conflict.
-- The app folds them now and then (src-main/places/place-counts.ts: DELETE ... RETURNING and
-- one INSERT of the sums, in one statement, safe beside concurrent writers under READ
-- COMMITTED: rows a writer appends meanwhile are not in the DELETE's snapshot and stay).
-- Nothing here uses session state (PgBouncer-safe). Not seen: writes with
-- session_replication_role = replica (triggers off).

CREATE TABLE IF NOT EXISTS place_counts (
  status           text NOT NULL,
  -- NULL: never queued, as in places_staging.
  deep_scan_status text,
  n                bigint NOT NULL
);

CREATE OR REPLACE FUNCTION place_counts_record() RETURNS trigger
  LANGUAGE plpgsql
AS $record$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO place_counts (status, deep_scan_status, n)
      SELECT status, deep_scan_status, count(*) FROM new_rows GROUP BY 1, 2;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO place_counts (status, deep_scan_status, n)
      SELECT status, deep_scan_status, sum(d) FROM (
        SELECT status, deep_scan_status, 1 AS d FROM new_rows
        UNION ALL
        SELECT status, deep_scan_status, -1 AS d FROM old_rows
      ) AS changed
      GROUP BY 1, 2 HAVING sum(d) <> 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO place_counts (status, deep_scan_status, n)
      SELECT status, deep_scan_status, -count(*) FROM old_rows GROUP BY 1, 2;
  ELSE
    -- TRUNCATE: nothing left to count.
    DELETE FROM place_counts;
  END IF;
  RETURN NULL;
END
$record$;

DO $create$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'place_counts_insert' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER place_counts_insert AFTER INSERT ON places_staging
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION place_counts_record();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'place_counts_update' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER place_counts_update AFTER UPDATE ON places_staging
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION place_counts_record();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'place_counts_delete' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER place_counts_delete AFTER DELETE ON places_staging
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION place_counts_record();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'place_counts_truncate' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER place_counts_truncate AFTER TRUNCATE ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION place_counts_record();
  END IF;

  -- The places already there, counted once (the first run only: the script's transaction holds
  -- the new triggers, so nothing is counted twice).
  IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '0011') THEN
    DELETE FROM place_counts;
    INSERT INTO place_counts (status, deep_scan_status, n)
      SELECT status, deep_scan_status, count(*) FROM places_staging GROUP BY 1, 2;
  END IF;
END
$create$;

INSERT INTO schema_migrations (version) VALUES ('0011') ON CONFLICT (version) DO NOTHING;
