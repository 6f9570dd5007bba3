-- Staging Editor, PostgreSQL schema 0010: the search index, described.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0010_search_index.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- A search needs every one of its terms somewhere in a place's search_text (the rule is
-- src-shared/search-query.ts): one LIKE '%term%' per term. PostgreSQL answers each from the
-- trigram GIN index on search_text that 0001 created, so there is nothing to build here;
-- sql/sqlite/0010 gives SQLite its own trigram index (FTS5). The version exists here so both
-- dialects ship the same numbers.

COMMENT ON INDEX places_staging_search_text_trgm_idx IS
  'answers each term of a free-text search (search_text LIKE ''%term%''), see sql/pg/0010_search_index.sql';

INSERT INTO schema_migrations (version) VALUES ('0010') ON CONFLICT (version) DO NOTHING;
