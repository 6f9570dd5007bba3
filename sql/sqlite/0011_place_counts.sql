-- Staging Editor, SQLite schema 0011: the places counted by status and deep scan status.
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0011_place_counts.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- The same logical table as sql/pg/0011: the sum of `n` per (status, deep_scan_status) is the
-- number of places with that pair, so the summary never scans places_staging (a GROUP BY over
-- 200,000 rows held the one connection for about a second). SQLite has one writer at a time,
-- so there is no lock to spread: one row per pair, all 25 pairs the CHECK constraints allow,
-- kept by row triggers in the writing transaction. A script that adds a status or a deep scan
-- status must add its rows here too.

CREATE TABLE IF NOT EXISTS place_counts (
  status           text NOT NULL,
  -- NULL: never queued, as in places_staging.
  deep_scan_status text,
  n                integer NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS place_counts_pair_idx
  ON place_counts (status, deep_scan_status);

-- Every pair once, with the places already there (the first run only).
INSERT INTO place_counts (status, deep_scan_status, n)
  SELECT s.status, d.deep_scan_status, coalesce(c.n, 0)
  FROM (SELECT 'New' AS status UNION ALL SELECT 'Selected' UNION ALL SELECT 'Maybe'
        UNION ALL SELECT 'Not a Fit' UNION ALL SELECT 'Archived') AS s
  CROSS JOIN (SELECT NULL AS deep_scan_status UNION ALL SELECT 'Queued'
        UNION ALL SELECT 'Processing' UNION ALL SELECT 'Completed' UNION ALL SELECT 'Error') AS d
  -- One pass over the places, not one per pair.
  LEFT JOIN (SELECT status, deep_scan_status, count(*) AS n FROM places_staging GROUP BY 1, 2) AS c
    ON c.status = s.status AND c.deep_scan_status IS d.deep_scan_status
  WHERE NOT EXISTS (SELECT 1 FROM place_counts);

CREATE TRIGGER IF NOT EXISTS place_counts_insert
AFTER INSERT ON places_staging
BEGIN
  UPDATE place_counts SET n = n + 1
  WHERE status = NEW.status AND deep_scan_status IS NEW.deep_scan_status;
END;

CREATE TRIGGER IF NOT EXISTS place_counts_update
AFTER UPDATE OF status, deep_scan_status ON places_staging
WHEN OLD.status IS NOT NEW.status OR OLD.deep_scan_status IS NOT NEW.deep_scan_status
BEGIN
  UPDATE place_counts SET n = n - 1
  WHERE status = OLD.status AND deep_scan_status IS OLD.deep_scan_status;
  UPDATE place_counts SET n = n + 1
  WHERE status = NEW.status AND deep_scan_status IS NEW.deep_scan_status;
END;

CREATE TRIGGER IF NOT EXISTS place_counts_delete
AFTER DELETE ON places_staging
BEGIN
  UPDATE place_counts SET n = n - 1
  WHERE status = OLD.status AND deep_scan_status IS OLD.deep_scan_status;
END;

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0011');
