-- Staging Editor, PostgreSQL schema 0009: nothing to create, only recorded.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0009_sync_conflicts.sql "$DATABASE_URL"
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Resolving conflicts (sql/sqlite/0009: sync_outbox.resolved_at and resolution) is local to each
-- machine's replica: "keep mine" reaches the shared store as a new decision, through
-- applied_mutations (0006). The version exists here so both dialects ship the same numbers.

INSERT INTO schema_migrations (version) VALUES ('0009') ON CONFLICT (version) DO NOTHING;
