-- Staging Editor, SQLite schema 0009: resolving conflicts, and when the replica last synced (issue 8).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0009_sync_conflicts.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Never edit a shipped script; add a new one.
--
-- Running it again changes nothing, but SQLite has no ADD COLUMN IF NOT EXISTS: a second run
-- stops at its first statement with "duplicate column name: resolved_at" (with -bail, before
-- anything else).
--
-- A decision the shared store answered 'conflict' (a colleague changed the place first) waits in
-- the reviewer's inbox until resolved: resolved_at is when, resolution which way ('mine': the
-- decision was made again on the colleague's revision, a new outbox entry; 'theirs': the shared
-- store's status stands). Local to this machine; existing entries stay unresolved.
ALTER TABLE sync_outbox ADD COLUMN resolved_at integer;
ALTER TABLE sync_outbox ADD COLUMN resolution text
  CONSTRAINT sync_outbox_resolution_check CHECK (resolution IN ('mine', 'theirs'));
-- The inbox: a user's unresolved conflicts.
CREATE INDEX IF NOT EXISTS sync_outbox_conflicts_idx ON sync_outbox (user_id, seq)
  WHERE state = 'conflict' AND resolved_at IS NULL;

-- When a sync (push, then pull) last finished with nothing left to send (epoch ms), on the
-- replica's 'pull' row.
ALTER TABLE sync_state ADD COLUMN last_synced_at integer;

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0009');
