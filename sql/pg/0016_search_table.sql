-- Staging Editor, PostgreSQL schema 0016: the trigram index of free-text search in a table of its own.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0016_search_table.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Why. An UPDATE of places_staging that changes an indexed column (status, the scan state: every
-- decision and every deep scan claim) writes a new entry into every index of the table, the
-- trigram GIN index on search_text (0001) too, although search_text did not change: about a
-- hundred trigrams per place into the index's pending list. Once that list passes
-- gin_pending_list_limit (4 MB), the statement that passed it merges the list into the index:
-- at 10,000,000 places a decision of 20 places then took 4 s instead of ~0.1 s, and so did, now
-- and then, a deep scan claim. Here the index is on places_search (id, search_text), a copy kept
-- by triggers that write it only when a place is inserted, deleted or its search_text changes
-- (a change of name, address, category or search location): decisions and claims never touch it.
--
-- places_staging.search_text stays (the fold of 0004 keeps it, and sync and SQLite read it);
-- the free-text filter `q` matches places_search.search_text (src-main/places/queries.ts).

CREATE TABLE IF NOT EXISTS places_search (
  id          integer PRIMARY KEY,
  search_text text NOT NULL
);

CREATE OR REPLACE FUNCTION places_search_record() RETURNS trigger
  LANGUAGE plpgsql
AS $record$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO places_search (id, search_text) SELECT id, search_text FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE places_search SET search_text = NEW.search_text WHERE id = NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM places_search s USING old_rows o WHERE s.id = o.id;
  ELSE
    -- TRUNCATE
    DELETE FROM places_search;
  END IF;
  RETURN NULL;
END
$record$;

DO $create$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'places_search_insert' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER places_search_insert AFTER INSERT ON places_staging
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION places_search_record();
  END IF;
  -- Per row, and only for a place whose search_text changed: the WHEN is checked without calling
  -- the function, so a decision costs nothing here. (Not `UPDATE OF search_text`: the fold of
  -- 0004 sets search_text in a BEFORE trigger, which a column list does not see.)
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'places_search_update' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER places_search_update AFTER UPDATE ON places_staging
      FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text)
      EXECUTE FUNCTION places_search_record();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'places_search_delete' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER places_search_delete AFTER DELETE ON places_staging
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION places_search_record();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'places_search_truncate' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER places_search_truncate AFTER TRUNCATE ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION places_search_record();
  END IF;

  -- The places already there, copied once (the first run only: this script's transaction holds
  -- the new triggers, so nothing is copied twice).
  IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '0016') THEN
    DELETE FROM places_search;
    INSERT INTO places_search (id, search_text) SELECT id, search_text FROM places_staging;
  END IF;
END
$create$;

-- Built after the copy (quicker than entry by entry).
CREATE INDEX IF NOT EXISTS places_search_text_trgm_idx ON places_search USING gin (search_text gin_trgm_ops);
DROP INDEX IF EXISTS places_staging_search_text_trgm_idx;
-- Statistics for the planner now, rather than at autovacuum's next visit.
ANALYZE places_search;

INSERT INTO schema_migrations (version) VALUES ('0016') ON CONFLICT (version) DO NOTHING;
