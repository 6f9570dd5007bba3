import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  DEEP_SCAN_STATUSES,
  PLACE_STATUSES,
  PLACES_API_CALL_OUTCOMES,
  type DeepScanStatus,
  type PlacesApiCallOutcome,
  type PlaceStatus,
} from '../../src-shared/domain';
import {
  SYNC_OUTCOMES,
  type SyncMutationResult,
  type SyncOutcome,
} from '../../src-shared/contract/sync';
import { inList } from './sql-lists';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Mirrors sql/pg/0001_initial.sql, the search_text trigger of 0004 and the page indexes of 0012
 * (its trigram index moved to places_search in 0016); test/db/schema.test.ts checks the two agree.
 */
export const placesStaging = pgTable(
  'places_staging',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    place_id: text('place_id').notNull().unique('places_staging_place_id_key'),
    name: text('name').notNull(),
    formatted_address: text('formatted_address'),
    business_type: text('business_type'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    vicinity: text('vicinity'),
    rating: doublePrecision('rating'),
    user_ratings_total: integer('user_ratings_total'),
    price_level: integer('price_level'),
    search_query: text('search_query'),
    search_location: text('search_location'),
    raw_data: jsonb('raw_data'),
    notes: text('notes'),
    /**
     * Kept by the database: the trigger of 0004_search_text_trigger.sql folds name, address,
     * category and search location on every insert and rename. The app never writes it.
     */
    search_text: text('search_text').notNull().default(''),
    status: text('status').$type<PlaceStatus>().notNull().default('New'),
    deep_scan_status: text('deep_scan_status').$type<DeepScanStatus>(),
    deep_scan_error: text('deep_scan_error'),
    deep_scan_attempts: integer('deep_scan_attempts').notNull().default(0),
    deep_scan_queued_at: ts('deep_scan_queued_at'),
    deep_scan_next_attempt_at: ts('deep_scan_next_attempt_at'),
    deep_scan_claim_token: text('deep_scan_claim_token'),
    deep_scan_claimed_by: text('deep_scan_claimed_by'),
    deep_scan_lease_expires_at: ts('deep_scan_lease_expires_at'),
    deep_scan_completed_at: ts('deep_scan_completed_at'),
    created_at: ts('created_at').notNull().defaultNow(),
    updated_at: ts('updated_at').notNull().defaultNow(),
    updated_by: text('updated_by'),
    /** Kept by the database (0006's trigger): +1 whenever status changes. The app never writes it. */
    status_revision: integer('status_revision').notNull().default(0),
  },
  (t) => [
    check('places_staging_status_check', sql`${t.status} IN ${inList(PLACE_STATUSES)}`),
    check(
      'places_staging_deep_scan_status_check',
      sql`${t.deep_scan_status} IS NULL OR ${t.deep_scan_status} IN ${inList(DEEP_SCAN_STATUSES)}`,
    ),
    index('places_staging_status_name_idx').on(t.status, t.name, t.id),
    index('places_staging_deep_scan_status_name_idx').on(t.deep_scan_status, t.name, t.id),
    // The grid's pages (sql 0012): one per sortable column, (column, id) and the two filters.
    index('places_staging_page_place_id_idx').on(t.place_id, t.id, t.status, t.deep_scan_status),
    index('places_staging_page_name_idx').on(t.name, t.id, t.status, t.deep_scan_status),
    index('places_staging_page_formatted_address_idx').on(
      t.formatted_address,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_business_type_idx').on(
      t.business_type,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_search_location_idx').on(
      t.search_location,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_rating_idx').on(t.rating, t.id, t.status, t.deep_scan_status),
    index('places_staging_page_user_ratings_total_idx').on(
      t.user_ratings_total,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_price_level_idx').on(
      t.price_level,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_status_idx').on(t.status, t.id, t.deep_scan_status),
    index('places_staging_page_deep_scan_status_idx').on(t.deep_scan_status, t.id, t.status),
    index('places_staging_page_updated_at_idx').on(
      t.updated_at,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_page_updated_by_idx').on(
      t.updated_by,
      t.id,
      t.status,
      t.deep_scan_status,
    ),
    index('places_staging_queue_idx')
      .on(t.deep_scan_next_attempt_at, t.id)
      .where(sql`deep_scan_status = 'Queued'`),
    // The claim's own predicate (sql/*/0014).
    index('places_staging_claim_idx')
      .on(t.deep_scan_next_attempt_at, t.id)
      .where(sql`deep_scan_status = 'Queued' AND status = 'Selected'`),
    // places_staging_lease_idx went in 0019: the leases are rows of deep_scan_leases.
  ],
);

/**
 * A place being scanned (sql/pg/0019): the claim of one worker, until the attempt ends. On
 * PostgreSQL a place is Processing when its deep_scan_status is Queued and it has a lease here.
 */
export const deepScanLeases = pgTable(
  'deep_scan_leases',
  {
    place_row: integer('place_row')
      .primaryKey()
      .references(() => placesStaging.id, { onDelete: 'cascade' }),
    claim_token: text('claim_token').notNull(),
    claimed_by: text('claimed_by').notNull(),
    attempt: integer('attempt').notNull(),
    claimed_at: ts('claimed_at').notNull().defaultNow(),
    expires_at: ts('expires_at').notNull(),
  },
  (t) => [check('deep_scan_leases_attempt_check', sql`${t.attempt} > 0`)],
);

export const localBusinesses = pgTable('local_businesses', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  place_id: text('place_id')
    .notNull()
    .unique('local_businesses_place_id_key')
    .references(() => placesStaging.place_id, { onDelete: 'cascade' }),
  business_name: text('business_name'),
  full_address: text('full_address'),
  street_address: text('street_address'),
  city: text('city'),
  state: text('state'),
  zip: text('zip'),
  country: text('country'),
  phone: text('phone'),
  website_url: text('website_url'),
  main_category: text('main_category'),
  extra_categories: jsonb('extra_categories').$type<string[]>(),
  rating: doublePrecision('rating'),
  reviews_count: integer('reviews_count'),
  price_text: text('price_text'),
  business_status: text('business_status'),
  monday_hours: text('monday_hours'),
  tuesday_hours: text('tuesday_hours'),
  wednesday_hours: text('wednesday_hours'),
  thursday_hours: text('thursday_hours'),
  friday_hours: text('friday_hours'),
  saturday_hours: text('saturday_hours'),
  sunday_hours: text('sunday_hours'),
  timezone: text('timezone'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  additional_json: jsonb('additional_json'),
  created_at: ts('created_at').notNull().defaultNow(),
  updated_at: ts('updated_at').notNull().defaultNow(),
});

/** Mirrors sql/pg/0002_scan_control.sql: the scan loop's shared pause and global rate limit. */
export const scanControl = pgTable(
  'scan_control',
  {
    name: text('name').primaryKey(),
    paused_until: ts('paused_until'),
    pause_reason: text('pause_reason'),
    rate_tokens: doublePrecision('rate_tokens').notNull().default(0),
    rate_refilled_at: ts('rate_refilled_at').notNull().defaultNow(),
    updated_at: ts('updated_at').notNull().defaultNow(),
    /** sql 0015: the store's daily call limit, one for every worker (NULL: none). */
    daily_call_limit: integer('daily_call_limit'),
  },
  (t) => [check('scan_control_daily_call_limit_check', sql`${t.daily_call_limit} >= 0`)],
);

/** Mirrors sql/pg/0002_scan_control.sql: every running scan loop, refreshed on its heartbeat. */
export const scanWorkers = pgTable('scan_workers', {
  worker_id: text('worker_id').primaryKey(),
  started_at: ts('started_at').notNull().defaultNow(),
  last_seen_at: ts('last_seen_at').notNull().defaultNow(),
  scans_last_minute: integer('scans_last_minute').notNull().default(0),
});

/**
 * Mirrors sql/pg/0005_scan_counters.sql: cumulative counters of the scan loop ('cancelled').
 */
export const scanCounters = pgTable('scan_counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

/**
 * Mirrors sql/pg/0011_place_counts.sql: deltas appended by statement triggers; the sum of `n`
 * per (status, deep_scan_status) is the number of places with that pair (place-counts.ts).
 */
export const placeCounts = pgTable('place_counts', {
  status: text('status').$type<PlaceStatus>().notNull(),
  deep_scan_status: text('deep_scan_status').$type<DeepScanStatus>(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

/** Mirrors sql/pg/0003_status_undo.sql: each reviewer's last status update, for undo. */
export const statusUndo = pgTable(
  'status_undo',
  {
    token: text('token').primaryKey(),
    user_id: text('user_id').notNull(),
    status: text('status').$type<PlaceStatus>().notNull(),
    applied_at: ts('applied_at').notNull(),
    previous: jsonb('previous').notNull(),
  },
  (t) => [index('status_undo_user_idx').on(t.user_id)],
);

/** Mirrors sql/pg/0006_status_revision_sync.sql: one row per pushed offline decision. */
export const appliedMutations = pgTable(
  'applied_mutations',
  {
    mutation_id: uuid('mutation_id').primaryKey(),
    place_id: text('place_id').notNull(),
    user_id: text('user_id').notNull(),
    target_status: text('target_status').$type<PlaceStatus>().notNull(),
    base_revision: integer('base_revision').notNull(),
    outcome: text('outcome').$type<SyncOutcome>().notNull(),
    result: jsonb('result').$type<SyncMutationResult>().notNull(),
    applied_at: ts('applied_at').notNull(),
  },
  (t) => [
    check(
      'applied_mutations_target_status_check',
      sql`${t.target_status} IN ${inList(PLACE_STATUSES)}`,
    ),
    check('applied_mutations_outcome_check', sql`${t.outcome} IN ${inList(SYNC_OUTCOMES)}`),
    index('applied_mutations_place_idx').on(t.place_id),
  ],
);

/** PostgreSQL's 64-bit transaction id, read and written as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * Mirrors sql/pg/0007_sync_changes.sql: per place, the last transaction that wrote it or its
 * local_businesses row (kept by triggers); the change feed of src-main/sync/pull.ts.
 */
export const syncChanges = pgTable(
  'sync_changes',
  {
    place_id: text('place_id').primaryKey(),
    change_xid: xid8('change_xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [index('sync_changes_xid_idx').on(t.change_xid, t.place_id)],
);

/**
 * Mirrors sql/pg/0013_places_api_calls.sql: the spend ledger, one row per Places API call,
 * append-only (src-main/scan/ledger.ts describes how rows are written).
 */
export const placesApiCalls = pgTable(
  'places_api_calls',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    place_id: text('place_id').notNull(),
    worker_id: text('worker_id').notNull(),
    started_at: ts('started_at').notNull(),
    duration_ms: integer('duration_ms'),
    http_status: integer('http_status'),
    outcome: text('outcome').$type<PlacesApiCallOutcome>(),
    field_mask: text('field_mask').notNull(),
  },
  (t) => [
    check(
      'places_api_calls_outcome_check',
      sql`${t.outcome} IN ${inList(PLACES_API_CALL_OUTCOMES)}`,
    ),
    index('places_api_calls_started_idx').on(t.started_at),
    index('places_api_calls_open_idx')
      .on(t.started_at)
      .where(sql`${t.outcome} IS NULL`),
  ],
);

/**
 * The free-text filter's trigram index, off places_staging (sql/pg/0016): a copy of each place's
 * search_text under its id, kept by triggers that write it only when a place is inserted,
 * deleted or its search_text changes, so that decisions and deep scan claims never touch it.
 */
export const placesSearch = pgTable(
  'places_search',
  {
    id: integer('id').primaryKey(),
    search_text: text('search_text').notNull(),
  },
  (t) => [index('places_search_text_trgm_idx').using('gin', sql`${t.search_text} gin_trgm_ops`)],
);
