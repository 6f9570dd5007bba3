-- Staging Editor, PostgreSQL schema 0019: a deep scan's claim is a row of its own (a lease).
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0019_scan_leases.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Why. Until now a claim set the place's deep_scan_status to 'Processing' and wrote its token
-- and lease into places_staging. deep_scan_status is in every page index (0012) and in the
-- queue and claim indexes, so that UPDATE can never be a HOT update: each claimed place wrote a
-- new entry into each of the ~17 indexes. On a store of 10,000,000 places those index leaf
-- pages are mostly not in memory and, the first time after a checkpoint, each goes to the WAL as
-- a full 8 kB page: a claim of 20 measured 410 WAL records, 161 full pages, 1.26 MB of WAL and
-- ~50 ms. Now a claim locks the places it picks (FOR UPDATE SKIP LOCKED, which still orders it
-- against a reviewer's decision on the same place) and inserts one narrow row per place here;
-- it writes nothing to places_staging. The scan's end (completed, retried, failed, released, or
-- its lease swept) deletes the lease and writes the place once, in the same statement.
--
-- What 'Processing' means on PostgreSQL from now on: a place whose deep_scan_status is 'Queued'
-- and that has a lease row. The app reads it that way everywhere (the grid's rows and filters,
-- the summary, the scan status, a decision's dequeue rule: src-main/places/queries.ts
-- scanState). The columns deep_scan_claim_token, deep_scan_claimed_by and
-- deep_scan_lease_expires_at of places_staging stay (SQLite's queue still uses them) but the
-- PostgreSQL queue no longer writes them.
--
-- Nothing here uses session state (PgBouncer-safe).

CREATE TABLE IF NOT EXISTS deep_scan_leases (
  place_row   integer PRIMARY KEY REFERENCES places_staging (id) ON DELETE CASCADE,
  -- The claim statement's token: every write that ends the attempt names it.
  claim_token text NOT NULL,
  claimed_by  text NOT NULL,
  -- This attempt's number: places_staging.deep_scan_attempts + 1 at the claim. The place's own
  -- count is written when the attempt ends, so a lease swept after the last attempt ends in Error.
  attempt     integer NOT NULL CHECK (attempt > 0),
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- Places left Processing by workers of the previous version: each becomes Queued with the lease
-- it had, so the lease sweep treats it as it would have (the attempt it was on counts).
DO $leases$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '0019') THEN
    INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
      SELECT id, COALESCE(deep_scan_claim_token, 'before-0019'),
             COALESCE(deep_scan_claimed_by, 'before-0019'), GREATEST(deep_scan_attempts, 1),
             COALESCE(deep_scan_lease_expires_at, now())
      FROM places_staging WHERE deep_scan_status = 'Processing'
      ON CONFLICT (place_row) DO NOTHING;
    UPDATE places_staging SET
      deep_scan_status = 'Queued',
      deep_scan_attempts = GREATEST(deep_scan_attempts - 1, 0),
      deep_scan_next_attempt_at = COALESCE(deep_scan_next_attempt_at, deep_scan_queued_at, now()),
      deep_scan_claim_token = NULL,
      deep_scan_claimed_by = NULL,
      deep_scan_lease_expires_at = NULL
    WHERE deep_scan_status = 'Processing';
  END IF;
END
$leases$;

-- The lease sweep found expired leases with it; the sweep now reads deep_scan_leases (a few
-- hundred rows at most: one per place being scanned).
DROP INDEX IF EXISTS places_staging_lease_idx;

INSERT INTO schema_migrations (version) VALUES ('0019') ON CONFLICT (version) DO NOTHING;
