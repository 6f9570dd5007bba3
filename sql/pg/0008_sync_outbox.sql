-- Staging Editor, PostgreSQL schema 0008: nothing to create, only recorded.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0008_sync_outbox.sql "$DATABASE_URL"
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- The outbox of offline decisions (sql/sqlite/0008, table sync_outbox) is local to each
-- machine's SQLite replica: the shared store only receives its decisions, through
-- applied_mutations (0006). The version exists here so both dialects ship the same numbers.

INSERT INTO schema_migrations (version) VALUES ('0008') ON CONFLICT (version) DO NOTHING;
