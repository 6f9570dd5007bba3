-- Staging Editor, PostgreSQL schema 0018: page marks, so a jump deep into a big grid skips whole
-- stretches of the sort instead of counting through them.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0018_page_marks.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- A page by number (page 40,001 of 10,000,000 places, no filter) is read from the sort's index
-- (0012), but the index still has to step over the 4,000,000 entries before it: ~200 ms. A mark
-- set remembers, for one sort, which place stands at every k-th position of the index's order
-- (column, id), as of one snapshot; a jump then starts at the mark before it and steps over at
-- most k entries (src-main/places/page-marks.ts).
--
-- Marks are exact or not used. Every statement that could move a place in the order of a marked
-- column (an INSERT, a DELETE, a TRUNCATE, an UPDATE naming one of those columns) appends its
-- transaction id to page_order_changes, in its own transaction. A mark set is used only while no
-- such row comes from a transaction its snapshot did not see. Only the columns a reviewer's
-- decision or a deep scan never writes are marked (not status, deep_scan_status, updated_at,
-- updated_by: their marks would be stale at once). Nothing here uses session state (PgBouncer).

CREATE TABLE IF NOT EXISTS page_mark_sets (
  -- The places_staging column the marks are of.
  sort_column text PRIMARY KEY,
  -- The snapshot the marks were counted in.
  snap        pg_snapshot NOT NULL,
  -- Every k-th position is marked.
  spacing     integer NOT NULL CHECK (spacing > 0),
  -- Places in all, and those without a value in the column, in that snapshot.
  total       bigint NOT NULL,
  nulls       bigint NOT NULL,
  made_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS page_marks (
  sort_column text NOT NULL REFERENCES page_mark_sets (sort_column) ON DELETE CASCADE,
  -- The place's position (from 0) in the order (column ASC NULLS LAST, id ASC).
  pos         bigint NOT NULL,
  place_row   integer NOT NULL,
  PRIMARY KEY (sort_column, pos)
);

-- Few rows: the app deletes those every mark set's snapshot saw (src-main/places/page-marks.ts).
CREATE TABLE IF NOT EXISTS page_order_changes (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS page_order_changes_xid_idx ON page_order_changes (xid);

CREATE OR REPLACE FUNCTION page_order_changed() RETURNS trigger
  LANGUAGE plpgsql
AS $changed$
BEGIN
  -- One row per transaction is enough: the xid is all a reader compares.
  INSERT INTO page_order_changes (xid)
    SELECT pg_current_xact_id()
    WHERE NOT EXISTS (SELECT 1 FROM page_order_changes WHERE xid = pg_current_xact_id());
  RETURN NULL;
END
$changed$;

DO $create$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'page_order_insert' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER page_order_insert AFTER INSERT ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION page_order_changed();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'page_order_delete' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER page_order_delete AFTER DELETE ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION page_order_changed();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'page_order_truncate' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER page_order_truncate AFTER TRUNCATE ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION page_order_changed();
  END IF;
  -- id too: it breaks the ties of every order.
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'page_order_update' AND tgrelid = 'places_staging'::regclass) THEN
    CREATE TRIGGER page_order_update
      AFTER UPDATE OF id, place_id, name, formatted_address, business_type, search_location,
        rating, user_ratings_total, price_level ON places_staging
      FOR EACH STATEMENT EXECUTE FUNCTION page_order_changed();
  END IF;
END
$create$;

INSERT INTO schema_migrations (version) VALUES ('0018') ON CONFLICT (version) DO NOTHING;
