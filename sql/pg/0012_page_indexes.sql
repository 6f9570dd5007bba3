-- Staging Editor, PostgreSQL schema 0012: an index per sortable column for the grid's pages.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0012_page_indexes.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- A grid page is the places of a filter in one column's order, the id breaking ties. A deep page
-- (page 4,000 of a million places) read as ORDER BY ... OFFSET fetched every skipped row from
-- the table: seconds. The app now reads a page's ids first (src-main/places/paging.ts) and then
-- only those rows. Each index below gives the ids of one sort in its order, (column, id), with
-- the two filter columns a page may have, status and deep_scan_status, as trailing columns: an
-- index-only scan skips the first rows of a page, filter or none, without reading the table.
-- (id is unique, so the trailing columns never change the order.) A scan backwards gives the
-- descending order. NULLs go last in both directions; where one scan of the index can't give
-- that (PostgreSQL descending, SQLite ascending) the app reads the places with a value and those
-- without as two ranges of the same index, so one index serves both directions.
-- places_staging_status_name_idx and places_staging_deep_scan_status_name_idx (0001) stay: the
-- name order within one status or scan state. The name and updated_at indexes of 0001 give way
-- to the wider ones.

DROP INDEX IF EXISTS places_staging_name_idx;
DROP INDEX IF EXISTS places_staging_updated_at_idx;

CREATE INDEX IF NOT EXISTS places_staging_page_place_id_idx
  ON places_staging (place_id, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_name_idx
  ON places_staging (name, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_formatted_address_idx
  ON places_staging (formatted_address, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_business_type_idx
  ON places_staging (business_type, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_search_location_idx
  ON places_staging (search_location, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_rating_idx
  ON places_staging (rating, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_user_ratings_total_idx
  ON places_staging (user_ratings_total, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_price_level_idx
  ON places_staging (price_level, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_status_idx
  ON places_staging (status, id, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_deep_scan_status_idx
  ON places_staging (deep_scan_status, id, status);
CREATE INDEX IF NOT EXISTS places_staging_page_updated_at_idx
  ON places_staging (updated_at, id, status, deep_scan_status);
CREATE INDEX IF NOT EXISTS places_staging_page_updated_by_idx
  ON places_staging (updated_by, id, status, deep_scan_status);

INSERT INTO schema_migrations (version) VALUES ('0012') ON CONFLICT (version) DO NOTHING;
