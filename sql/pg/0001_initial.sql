-- Staging Editor, PostgreSQL schema 0001: places_staging and local_businesses.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0001_initial.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.

CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS places_staging (
  id                         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  place_id                   text NOT NULL CONSTRAINT places_staging_place_id_key UNIQUE,
  name                       text NOT NULL,
  formatted_address          text,
  business_type              text,
  latitude                   double precision,
  longitude                  double precision,
  vicinity                   text,
  rating                     double precision,
  user_ratings_total         integer,
  price_level                integer,
  search_query               text,
  search_location            text,
  raw_data                   jsonb,
  notes                      text,
  -- name, address and category folded by the app (lower case, no accents) for free-text search
  search_text                text NOT NULL DEFAULT '',
  status                     text NOT NULL DEFAULT 'New',
  deep_scan_status           text,
  deep_scan_error            text,
  deep_scan_attempts         integer NOT NULL DEFAULT 0,
  deep_scan_queued_at        timestamptz,
  deep_scan_next_attempt_at  timestamptz,
  deep_scan_claim_token      text,
  deep_scan_claimed_by       text,
  deep_scan_lease_expires_at timestamptz,
  deep_scan_completed_at     timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
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
CREATE INDEX IF NOT EXISTS places_staging_search_text_trgm_idx ON places_staging USING gin (search_text gin_trgm_ops);
-- The scheduler's queue and its lease sweep.
CREATE INDEX IF NOT EXISTS places_staging_queue_idx ON places_staging (deep_scan_next_attempt_at, id)
  WHERE deep_scan_status = 'Queued';
CREATE INDEX IF NOT EXISTS places_staging_lease_idx ON places_staging (deep_scan_lease_expires_at)
  WHERE deep_scan_status = 'Processing';

CREATE TABLE IF NOT EXISTS local_businesses (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  extra_categories jsonb,
  rating           double precision,
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
  latitude         double precision,
  longitude        double precision,
  additional_json  jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

INSERT INTO schema_migrations (version) VALUES ('0001') ON CONFLICT (version) DO NOTHING;
