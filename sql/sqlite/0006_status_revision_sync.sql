-- Staging Editor, SQLite schema 0006: the status revision and the ledger of pushed decisions.
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0006_status_revision_sync.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Never edit a shipped script; add a new one.
--
-- Running it again changes nothing, but SQLite has no ADD COLUMN IF NOT EXISTS: a second run
-- stops at its first statement with "duplicate column name: status_revision" (with -bail, before
-- anything else; without it, every later statement is itself a no-op the second time).
--
-- The same logical schema as sql/pg/0006. status_revision counts the changes of a place's
-- reviewer status; the database keeps it itself whoever writes status (the app, undo, SQL by
-- hand); the scheduler never writes status, so scans never bump it. Existing rows start at 0.
ALTER TABLE places_staging ADD COLUMN status_revision integer NOT NULL DEFAULT 0;

-- SQLite cannot change NEW, so an AFTER trigger updates the row it fired for. It writes
-- status_revision only, never status, so it never fires itself (even with recursive_triggers).
-- Every change of status adds one, whatever else the UPDATE sets. A replica that takes the
-- server's status and revision (a pull) writes status first and status_revision in a second
-- UPDATE (which fires nothing), in the same transaction.
CREATE TRIGGER IF NOT EXISTS places_staging_status_revision
AFTER UPDATE OF status ON places_staging
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE places_staging SET status_revision = status_revision + 1 WHERE id = NEW.id;
END;

-- The same table as on PostgreSQL (one logical schema; a replica never fills it today): one row
-- per pushed decision, keyed by the client's mutation id (a UUID as text).
CREATE TABLE IF NOT EXISTS applied_mutations (
  mutation_id   text PRIMARY KEY NOT NULL,
  place_id      text NOT NULL,
  user_id       text NOT NULL,
  target_status text NOT NULL,
  base_revision integer NOT NULL,
  outcome       text NOT NULL,
  result        text NOT NULL,
  applied_at    integer NOT NULL,
  CONSTRAINT applied_mutations_target_status_check
    CHECK (target_status IN ('New', 'Selected', 'Maybe', 'Not a Fit', 'Archived')),
  CONSTRAINT applied_mutations_outcome_check
    CHECK (outcome IN ('applied', 'agreed', 'conflict', 'rejected'))
);
CREATE INDEX IF NOT EXISTS applied_mutations_place_idx ON applied_mutations (place_id);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0006');
