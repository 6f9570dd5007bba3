-- Staging Editor, SQLite schema 0020: the sort indexes of 0012 without the status columns.
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0020_narrow_sort_indexes.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Why. 0012 gave each sortable column an index (column, id, status, deep_scan_status), so that
-- a filtered deep page could skip its first rows from the index alone. But a decision writes
-- status (and, for Selected, deep_scan_status), so every decision rewrote an entry in each of
-- those eight indexes as well: updating 100,000 of 200,000 places took ~5.7 s, against ~2.9 s
-- with (column, id). A filtered page deep in one of those orders now checks each skipped place's
-- status in places_staging_id_filter_idx below, by id, instead of in the index it walks. The
-- status filter with the name sort still reads places_staging_status_name_idx (status, name,
-- id) alone. The indexes whose columns a decision writes anyway (status, deep_scan_status,
-- updated_at, updated_by) keep 0012's shape: a decision moves their entries whatever they hold.
--
-- New names, so the script is idempotent without rebuilding anything the second time.
-- PostgreSQL keeps 0012's wide indexes (sql/pg/0020 changes nothing): there a skipped row read
-- from the table costs a heap fetch, and its deep pages are held to 0.15x the naive query.

DROP INDEX IF EXISTS places_staging_page_place_id_idx;
DROP INDEX IF EXISTS places_staging_page_name_idx;
DROP INDEX IF EXISTS places_staging_page_formatted_address_idx;
DROP INDEX IF EXISTS places_staging_page_business_type_idx;
DROP INDEX IF EXISTS places_staging_page_search_location_idx;
DROP INDEX IF EXISTS places_staging_page_rating_idx;
DROP INDEX IF EXISTS places_staging_page_user_ratings_total_idx;
DROP INDEX IF EXISTS places_staging_page_price_level_idx;

CREATE INDEX IF NOT EXISTS places_staging_sort_place_id_idx ON places_staging (place_id, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_name_idx ON places_staging (name, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_formatted_address_idx
  ON places_staging (formatted_address, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_business_type_idx
  ON places_staging (business_type, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_search_location_idx
  ON places_staging (search_location, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_rating_idx ON places_staging (rating, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_user_ratings_total_idx
  ON places_staging (user_ratings_total, id);
CREATE INDEX IF NOT EXISTS places_staging_sort_price_level_idx ON places_staging (price_level, id);

-- What a filtered page in those orders checks instead of the table's row: the skipped places'
-- status and scan state, looked up by id in an index a fraction of the table's size
-- (src-main/places/sqlite-page-filter.ts). A decision moves one entry here, in place.
CREATE INDEX IF NOT EXISTS places_staging_id_filter_idx
  ON places_staging (id, status, deep_scan_status);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0020');
