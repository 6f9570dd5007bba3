-- Staging Editor, PostgreSQL schema 0006: the status revision and the ledger of pushed decisions.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0006_status_revision_sync.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- status_revision counts the changes of a place's reviewer status. An offline decision carries
-- the revision it was made on; the push applies it only if the place is still at that revision
-- (src-main/sync/apply-mutations.ts). The database keeps it itself, whoever writes the row (the
-- app, undo, a pushed decision, an import or SQL by hand): a trigger adds one whenever status
-- takes another value. The scheduler never writes status, so scans never bump it (no conflicts
-- from scans). Existing rows start at 0.
ALTER TABLE places_staging ADD COLUMN IF NOT EXISTS status_revision integer NOT NULL DEFAULT 0;

-- The revision belongs to the database: a write to status_revision itself is ignored (it keeps
-- its value unless status changes), so no writer can move it backwards or forwards by hand.
CREATE OR REPLACE FUNCTION places_staging_status_revision() RETURNS trigger
  LANGUAGE plpgsql
AS $trigger$
BEGIN
  NEW.status_revision := OLD.status_revision
    + CASE WHEN OLD.status IS DISTINCT FROM NEW.status THEN 1 ELSE 0 END;
  RETURN NEW;
END
$trigger$;

DO $create$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_trigger
    WHERE tgname = 'places_staging_status_revision' AND tgrelid = 'places_staging'::regclass
  ) THEN
    CREATE TRIGGER places_staging_status_revision
      BEFORE UPDATE OF status, status_revision ON places_staging
      FOR EACH ROW EXECUTE FUNCTION places_staging_status_revision();
  END IF;
END
$create$;

-- One row per pushed decision, keyed by the id the client gave it, written in the same
-- transaction as its effect: a repeat (a response lost after the commit) returns `result`
-- unchanged and writes nothing else. outcome: 'applied' (step 6 ran), 'agreed' (the place
-- already had the target status), 'conflict' (someone changed the status since the base; nothing
-- written), 'rejected' (permanent: an unknown place). `result` is what the client is answered.
CREATE TABLE IF NOT EXISTS applied_mutations (
  mutation_id   uuid PRIMARY KEY,
  place_id      text NOT NULL,
  user_id       text NOT NULL,
  target_status text NOT NULL,
  base_revision integer NOT NULL,
  outcome       text NOT NULL,
  result        jsonb NOT NULL,
  applied_at    timestamptz NOT NULL,
  CONSTRAINT applied_mutations_target_status_check
    CHECK (target_status IN ('New', 'Selected', 'Maybe', 'Not a Fit', 'Archived')),
  CONSTRAINT applied_mutations_outcome_check
    CHECK (outcome IN ('applied', 'agreed', 'conflict', 'rejected'))
);
CREATE INDEX IF NOT EXISTS applied_mutations_place_idx ON applied_mutations (place_id);

INSERT INTO schema_migrations (version) VALUES ('0006') ON CONFLICT (version) DO NOTHING;
