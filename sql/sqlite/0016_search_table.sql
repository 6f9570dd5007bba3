-- Staging Editor, SQLite schema 0016: nothing to change (the same number as sql/pg/0016).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0016_search_table.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- sql/pg/0016 moves PostgreSQL's trigram index of free-text search off places_staging into a
-- table of its own (places_search), so that decisions and deep scan claims never write to it.
-- SQLite's index has been a table of its own, also named places_search, since 0010.

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0016');
