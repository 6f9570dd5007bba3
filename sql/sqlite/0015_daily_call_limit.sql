-- Staging Editor, SQLite schema 0015: the daily Places API call limit lives in the store.
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0015_daily_call_limit.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Never edit a shipped script; add a new one.
--
-- Running it again changes nothing, but SQLite has no ADD COLUMN IF NOT EXISTS: a second run
-- stops at its first statement with "duplicate column name: daily_call_limit".
--
-- The same column as sql/pg/0015 (one logical schema): the limit of the store, read by the scan
-- loop at each claim and before each call, written by `staging-editor spend --limit` or by a
-- process started or saved with DEEP_SCAN_DAILY_CALL_LIMIT. NULL: no limit; 0: no calls at all.
ALTER TABLE scan_control ADD COLUMN daily_call_limit integer
  CONSTRAINT scan_control_daily_call_limit_check CHECK (daily_call_limit >= 0);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0015');
