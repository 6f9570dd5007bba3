-- Staging Editor, PostgreSQL schema 0020: nothing to change (the same number as sql/sqlite/0020).
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0020_narrow_sort_indexes.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- sql/sqlite/0020 takes the status columns out of the embedded store's sort indexes, so that a
-- decision no longer rewrites eight index entries per place there. PostgreSQL keeps 0012's
-- (column, id, status, deep_scan_status): there a filtered deep page skips its rows from the
-- index alone (an index-only scan), where reading each one from the table would cost a heap
-- fetch, and those pages are held to 0.15x the naive query (issue 11).

INSERT INTO schema_migrations (version) VALUES ('0020') ON CONFLICT (version) DO NOTHING;
