-- Staging Editor, PostgreSQL schema 0002: shared state of the deep scan scheduler.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0002_scan_control.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

-- One row per shared setting of the scan loop, read and written by every desktop and worker:
-- the pause after a 429 (so one worker's "slow down" stops them all) and the token bucket of
-- the global rate limit (DEEP_SCAN_RATE_PER_SECOND across every process sharing this store).
CREATE TABLE IF NOT EXISTS scan_control (
  name             text PRIMARY KEY,
  paused_until     timestamptz,
  pause_reason     text,
  rate_tokens      double precision NOT NULL DEFAULT 0,
  rate_refilled_at timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

INSERT INTO scan_control (name) VALUES ('deep_scan') ON CONFLICT (name) DO NOTHING;

-- Every running scan loop, refreshed on its heartbeat: who is scanning, and how fast.
CREATE TABLE IF NOT EXISTS scan_workers (
  worker_id         text PRIMARY KEY,
  started_at        timestamptz NOT NULL DEFAULT now(),
  last_seen_at      timestamptz NOT NULL DEFAULT now(),
  scans_last_minute integer NOT NULL DEFAULT 0
);

INSERT INTO schema_migrations (version) VALUES ('0002') ON CONFLICT (version) DO NOTHING;
