-- Staging Editor, PostgreSQL schema 0007: the change feed replicas pull from (offline sync).
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0007_sync_changes.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- One row per place ever seen: the id (xid8) of the last transaction that inserted, updated or
-- deleted the place or its local_businesses row. Statement triggers keep it, whoever writes (a
-- reviewer, an import by SQL, the deep scan scheduler), in the writing transaction itself.
--
-- How a replica uses it (src-main/sync/pull.ts): in a REPEATABLE READ transaction it reads
-- `pg_snapshot_xmin(pg_current_snapshot())` first, then the entries with change_xid >= its
-- cursor together with the places and businesses as of that same snapshot. Every transaction
-- whose id is below that xmin had ended when the snapshot was taken, so its writes were read;
-- a transaction still running (even one that wrote long before it commits) has an id >= xmin and
-- is read by the next pull. The xmin becomes the new cursor. Transaction ids are not commit
-- order, but "every id below xmin has ended" is exactly the guarantee a cursor needs.
--
-- Why a side table and not a column on places_staging: no change to the row types or the API,
-- a place and its business are one change (read together, so the replica's foreign key always
-- holds), and a deleted place keeps its entry: the replica sees the entry without a place and
-- deletes its copy (no tombstone table needed). Why not a global counter row: it would serialise
-- every writing transaction (scan workers completing, a reviewer's 100,000-row update) on one
-- row lock; here two writers only meet on the entry of a place both write, which they already
-- serialise on through the place's own row. Nothing here uses session state (PgBouncer-safe).
-- Not seen: TRUNCATE, and writes with session_replication_role = replica (triggers off).

CREATE TABLE IF NOT EXISTS sync_changes (
  place_id   text PRIMARY KEY,
  change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
-- What a pull scans, in its order (keyset pagination by change_xid, place_id).
CREATE INDEX IF NOT EXISTS sync_changes_xid_idx ON sync_changes (change_xid, place_id);

-- Set-based (one INSERT per statement from its transition table), so a 100,000-row update pays
-- one extra statement, not 100,000 trigger calls. Entries are taken in place_id order, so two
-- statements writing overlapping places never wait on each other's entries in a cycle.
CREATE OR REPLACE FUNCTION sync_changes_record() RETURNS trigger
  LANGUAGE plpgsql
AS $record$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sync_changes (place_id, change_xid)
      SELECT DISTINCT place_id, pg_current_xact_id() FROM new_rows ORDER BY place_id
      ON CONFLICT (place_id) DO UPDATE SET change_xid = EXCLUDED.change_xid;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Both ids: a place whose place_id is changed by hand leaves its old id behind.
    INSERT INTO sync_changes (place_id, change_xid)
      SELECT place_id, pg_current_xact_id() FROM (
        SELECT place_id FROM new_rows UNION SELECT place_id FROM old_rows
      ) AS touched ORDER BY place_id
      ON CONFLICT (place_id) DO UPDATE SET change_xid = EXCLUDED.change_xid;
  ELSE
    INSERT INTO sync_changes (place_id, change_xid)
      SELECT DISTINCT place_id, pg_current_xact_id() FROM old_rows ORDER BY place_id
      ON CONFLICT (place_id) DO UPDATE SET change_xid = EXCLUDED.change_xid;
  END IF;
  RETURN NULL;
END
$record$;

DO $create$
DECLARE
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['places_staging', 'local_businesses'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = tbl || '_sync_insert' AND tgrelid = tbl::regclass) THEN
      EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_changes_record()', tbl || '_sync_insert', tbl);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = tbl || '_sync_update' AND tgrelid = tbl::regclass) THEN
      EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_changes_record()', tbl || '_sync_update', tbl);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = tbl || '_sync_delete' AND tgrelid = tbl::regclass) THEN
      EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_changes_record()', tbl || '_sync_delete', tbl);
    END IF;
  END LOOP;
END
$create$;

-- The places already there: one entry each (a replica's first pull reads them all).
INSERT INTO sync_changes (place_id)
  SELECT place_id FROM places_staging
  ON CONFLICT (place_id) DO NOTHING;

INSERT INTO schema_migrations (version) VALUES ('0007') ON CONFLICT (version) DO NOTHING;
