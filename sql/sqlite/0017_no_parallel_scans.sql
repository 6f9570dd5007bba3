-- Staging Editor, SQLite schema 0017: nothing to change (the same number as sql/pg/0017).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0017_no_parallel_scans.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- sql/pg/0017 turns off PostgreSQL's parallel plans for the grid's tables. SQLite runs every
-- query in the one connection that asks.

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0017');
