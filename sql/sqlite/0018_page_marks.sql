-- Staging Editor, SQLite schema 0018: nothing to change (the same number as sql/pg/0018).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0018_page_marks.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- sql/pg/0018 keeps page marks for jumps deep into PostgreSQL stores of millions of places. An
-- embedded store holds a laptop's share (hundreds of thousands at most), where the sort's index
-- alone reads a deep page in milliseconds.

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0018');
