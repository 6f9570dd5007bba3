-- Staging Editor, PostgreSQL schema 0003: the undo journal for status updates.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0003_status_undo.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- Each reviewer's last status update, with the state of every row it changed, written in the
-- same transaction as the update, so it can be undone for a short while (while no scan started).
CREATE TABLE IF NOT EXISTS status_undo (
  token      text PRIMARY KEY,
  user_id    text NOT NULL,
  status     text NOT NULL,
  applied_at timestamptz NOT NULL,
  previous   jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS status_undo_user_idx ON status_undo (user_id);

INSERT INTO schema_migrations (version) VALUES ('0003') ON CONFLICT (version) DO NOTHING;
