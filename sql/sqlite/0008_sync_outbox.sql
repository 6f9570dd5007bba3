-- Staging Editor, SQLite schema 0008: the outbox of offline decisions (issue 8).
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0008_sync_outbox.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
-- Timestamps are integers: milliseconds since the Unix epoch (UTC).
--
-- Local to this machine (sql/pg/0008 only records itself). With the outbox on, every status
-- change the reviewer makes on the replica writes here in the same transaction as the change
-- (src-main/sync/outbox.ts). Only the reviewer's status is ever sent; the server derives the scan.
--
-- state:   pending  -- not yet handed to a push; later decisions on the place collapse into it
--          sent     -- handed to a push attempt whose answer is not known yet (sent again, with
--                      the same mutation_id, until it is: the server applies each id once)
--          synced   -- the server applied it, or already had the target ('applied' / 'agreed')
--          conflict -- a colleague changed the place since base_revision: nothing was written
--          rejected -- refused for good (no such place); `result` says why
-- base_revision: the place's status_revision on the server as last known when the decision was
--          made (the replica's own revision counts local changes too, so it is taken before the
--          first local change). base_status: the server's status at that revision; for an entry
--          made while an earlier one of the place is `sent`, the sent one's target and base.
-- seq:     the local order (the push order). Not the clock: no client clock decides anything;
--          decided_at is informational.
CREATE TABLE IF NOT EXISTS sync_outbox (
  mutation_id   text PRIMARY KEY NOT NULL,
  seq           integer NOT NULL UNIQUE,
  place_id      text NOT NULL,
  target_status text NOT NULL,
  base_revision integer NOT NULL,
  base_status   text NOT NULL,
  user_id       text NOT NULL,
  decided_at    integer NOT NULL,
  state         text NOT NULL DEFAULT 'pending',
  result        text,
  sent_at       integer,
  CONSTRAINT sync_outbox_target_status_check
    CHECK (target_status IN ('New', 'Selected', 'Maybe', 'Not a Fit', 'Archived')),
  CONSTRAINT sync_outbox_base_status_check
    CHECK (base_status IN ('New', 'Selected', 'Maybe', 'Not a Fit', 'Archived')),
  CONSTRAINT sync_outbox_state_check
    CHECK (state IN ('pending', 'sent', 'synced', 'conflict', 'rejected'))
);
-- The rows of one state in order: the pending (and sent) rows a push takes, oldest first.
CREATE INDEX IF NOT EXISTS sync_outbox_state_seq_idx ON sync_outbox (state, seq);
-- A place's entries (collapse, undo, the pull's pendingDecisions hook).
CREATE INDEX IF NOT EXISTS sync_outbox_place_idx ON sync_outbox (place_id, state, seq);
-- Unsent decisions on one place collapse into one: at most one pending entry per place.
CREATE UNIQUE INDEX IF NOT EXISTS sync_outbox_one_pending_idx ON sync_outbox (place_id)
  WHERE state = 'pending';

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0008');
