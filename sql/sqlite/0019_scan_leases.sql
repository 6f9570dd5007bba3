-- Staging Editor, SQLite schema 0019: nothing to change (the same number as sql/pg/0019).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0019_scan_leases.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- sql/pg/0019 moves PostgreSQL's deep scan claims into a lease table, so that a claim writes no
-- index of places_staging. SQLite's store has one process and one writer, and its indexes are
-- few: its claim still sets deep_scan_status to 'Processing' with the token and lease columns.

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0019');
