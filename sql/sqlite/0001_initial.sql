-- Staging Editor, SQLite schema 0001: places_staging and local_businesses.
-- Ready to run by hand: sqlite3 staging.sqlite < sql/sqlite/0001_initial.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
-- Timestamps are integers: milliseconds since the Unix epoch (UTC).

CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  applied_at integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

CREATE TABLE IF NOT EXISTS places_staging (
  id                         integer PRIMARY KEY AUTOINCREMENT,
  place_id                   text NOT NULL CONSTRAINT places_staging_place_id_key UNIQUE,
  name                       text NOT NULL,
  formatted_address          text,
  business_type              text,
  latitude                   real,
  longitude                  real,
  vicinity                   text,
  rating                     real,
  user_ratings_total         integer,
  price_level                integer,
  search_query               text,
  search_location            text,
  raw_data                   text,
  notes                      text,
  -- name, address and category folded by the app (lower case, no accents) for free-text search
  search_text                text NOT NULL DEFAULT '',
  status                     text NOT NULL DEFAULT 'New',
  deep_scan_status           text,
  deep_scan_error            text,
  deep_scan_attempts         integer NOT NULL DEFAULT 0,
  deep_scan_queued_at        integer,
  deep_scan_next_attempt_at  integer,
  deep_scan_claim_token      text,
  deep_scan_claimed_by       text,
  deep_scan_lease_expires_at integer,
  deep_scan_completed_at     integer,
  created_at                 integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at                 integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_by                 text,
  CONSTRAINT places_staging_status_check
    CHECK (status IN ('New', 'Selected', 'Maybe', 'Not a Fit', 'Archived')),
  CONSTRAINT places_staging_deep_scan_status_check
    CHECK (deep_scan_status IS NULL OR deep_scan_status IN ('Queued', 'Processing', 'Completed', 'Error'))
);

-- The grid's filters and sorts.
CREATE INDEX IF NOT EXISTS places_staging_status_name_idx ON places_staging (status, name, id);
CREATE INDEX IF NOT EXISTS places_staging_deep_scan_status_name_idx ON places_staging (deep_scan_status, name, id);
CREATE INDEX IF NOT EXISTS places_staging_name_idx ON places_staging (name, id);
CREATE INDEX IF NOT EXISTS places_staging_updated_at_idx ON places_staging (updated_at, id);
-- The scheduler's queue and its lease sweep.
CREATE INDEX IF NOT EXISTS places_staging_queue_idx ON places_staging (deep_scan_next_attempt_at, id)
  WHERE deep_scan_status = 'Queued';
CREATE INDEX IF NOT EXISTS places_staging_lease_idx ON places_staging (deep_scan_lease_expires_at)
  WHERE deep_scan_status = 'Processing';

CREATE TABLE IF NOT EXISTS local_businesses (
  id               integer PRIMARY KEY AUTOINCREMENT,
  place_id         text NOT NULL CONSTRAINT local_businesses_place_id_key UNIQUE
                   REFERENCES places_staging (place_id) ON DELETE CASCADE,
  business_name    text,
  full_address     text,
  street_address   text,
  city             text,
  state            text,
  zip              text,
  country          text,
  phone            text,
  website_url      text,
  main_category    text,
  extra_categories text,
  rating           real,
  reviews_count    integer,
  price_text       text,
  business_status  text,
  monday_hours     text,
  tuesday_hours    text,
  wednesday_hours  text,
  thursday_hours   text,
  friday_hours     text,
  saturday_hours   text,
  sunday_hours     text,
  timezone         text,
  latitude         real,
  longitude        real,
  additional_json  text,
  created_at       integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  updated_at       integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0001');
