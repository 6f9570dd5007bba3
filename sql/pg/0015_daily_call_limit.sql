-- Staging Editor, PostgreSQL schema 0015: the daily Places API call limit lives in the store.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0015_daily_call_limit.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- One limit per store: every worker sharing the store reads it at each claim and before each
-- call (src-main/scan/pg-queue.ts), so raising it in one place (`staging-editor spend --limit`,
-- or a process started or saved with DEEP_SCAN_DAILY_CALL_LIMIT) resumes them all without a
-- restart. NULL: no limit; 0: no calls at all.
ALTER TABLE scan_control ADD COLUMN IF NOT EXISTS daily_call_limit integer
  CONSTRAINT scan_control_daily_call_limit_check CHECK (daily_call_limit >= 0);

INSERT INTO schema_migrations (version) VALUES ('0015') ON CONFLICT (version) DO NOTHING;
