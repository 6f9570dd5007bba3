import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
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
import { OUTBOX_STATES, type OutboxState } from '../sync/outbox-states';
import { inList } from './sql-lists';

/** Milliseconds since the epoch, in SQL that the sqlite3 shell of Debian 12 (3.40) also runs. */
const NOW_MS = sql`(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`;
const ts = (name: string) => integer(name, { mode: 'timestamp_ms' });

/**
 * Mirrors sql/sqlite/0001_initial.sql, the search_text triggers of 0004 and the page indexes of
 * 0012 and 0020; test/db/schema.test.ts checks the two agree.
 */
export const placesStaging = sqliteTable(
  'places_staging',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    place_id: text('place_id').notNull().unique('places_staging_place_id_key'),
    name: text('name').notNull(),
    formatted_address: text('formatted_address'),
    business_type: text('business_type'),
    latitude: real('latitude'),
    longitude: real('longitude'),
    vicinity: text('vicinity'),
    rating: real('rating'),
    user_ratings_total: integer('user_ratings_total'),
    price_level: integer('price_level'),
    search_query: text('search_query'),
    search_location: text('search_location'),
    raw_data: text('raw_data', { mode: 'json' }).$type<unknown>(),
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
    created_at: ts('created_at').notNull().default(NOW_MS),
    updated_at: ts('updated_at').notNull().default(NOW_MS),
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
    // The grid's pages: one index per sortable column, (column, id) (sql 0020: without 0012's
    // status columns, so that a decision does not rewrite them).
    index('places_staging_sort_place_id_idx').on(t.place_id, t.id),
    index('places_staging_sort_name_idx').on(t.name, t.id),
    index('places_staging_sort_formatted_address_idx').on(t.formatted_address, t.id),
    index('places_staging_sort_business_type_idx').on(t.business_type, t.id),
    index('places_staging_sort_search_location_idx').on(t.search_location, t.id),
    index('places_staging_sort_rating_idx').on(t.rating, t.id),
    index('places_staging_sort_user_ratings_total_idx').on(t.user_ratings_total, t.id),
    index('places_staging_sort_price_level_idx').on(t.price_level, t.id),
    // A filtered page in one of those orders checks the filters here, by id (sqlite-page-filter).
    index('places_staging_id_filter_idx').on(t.id, t.status, t.deep_scan_status),
    // The columns a decision writes anyway keep 0012's shape, with the two filters.
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
    index('places_staging_lease_idx')
      .on(t.deep_scan_lease_expires_at)
      .where(sql`deep_scan_status = 'Processing'`),
  ],
);

export const localBusinesses = sqliteTable('local_businesses', {
  id: integer('id').primaryKey({ autoIncrement: true }),
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
  extra_categories: text('extra_categories', { mode: 'json' }).$type<string[]>(),
  rating: real('rating'),
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
  latitude: real('latitude'),
  longitude: real('longitude'),
  additional_json: text('additional_json', { mode: 'json' }).$type<unknown>(),
  created_at: ts('created_at').notNull().default(NOW_MS),
  updated_at: ts('updated_at').notNull().default(NOW_MS),
});

/** Mirrors sql/sqlite/0002_scan_control.sql (the same tables as PostgreSQL). */
export const scanControl = sqliteTable(
  'scan_control',
  {
    name: text('name').primaryKey(),
    paused_until: ts('paused_until'),
    pause_reason: text('pause_reason'),
    rate_tokens: real('rate_tokens').notNull().default(0),
    rate_refilled_at: ts('rate_refilled_at').notNull().default(NOW_MS),
    updated_at: ts('updated_at').notNull().default(NOW_MS),
    /** sql 0015: the store's daily call limit, one for every worker (NULL: none). */
    daily_call_limit: integer('daily_call_limit'),
  },
  (t) => [check('scan_control_daily_call_limit_check', sql`${t.daily_call_limit} >= 0`)],
);

/** Mirrors sql/sqlite/0002_scan_control.sql: every running scan loop, refreshed on its heartbeat. */
export const scanWorkers = sqliteTable('scan_workers', {
  worker_id: text('worker_id').primaryKey(),
  started_at: ts('started_at').notNull().default(NOW_MS),
  last_seen_at: ts('last_seen_at').notNull().default(NOW_MS),
  scans_last_minute: integer('scans_last_minute').notNull().default(0),
});

/**
 * Mirrors sql/sqlite/0005_scan_counters.sql: cumulative counters of the scan loop ('cancelled').
 */
export const scanCounters = sqliteTable('scan_counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

/**
 * Mirrors sql/sqlite/0011_place_counts.sql: one row per (status, deep_scan_status) pair, kept
 * by row triggers; `n` is the number of places with that pair.
 */
export const placeCounts = sqliteTable(
  'place_counts',
  {
    status: text('status').$type<PlaceStatus>().notNull(),
    deep_scan_status: text('deep_scan_status').$type<DeepScanStatus>(),
    n: integer('n').notNull(),
  },
  (table) => [uniqueIndex('place_counts_pair_idx').on(table.status, table.deep_scan_status)],
);

/** Mirrors sql/sqlite/0003_status_undo.sql: each reviewer's last status update, for undo. */
export const statusUndo = sqliteTable(
  'status_undo',
  {
    token: text('token').primaryKey(),
    user_id: text('user_id').notNull(),
    status: text('status').$type<PlaceStatus>().notNull(),
    applied_at: ts('applied_at').notNull(),
    previous: text('previous', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [index('status_undo_user_idx').on(t.user_id)],
);

/** Mirrors sql/sqlite/0006_status_revision_sync.sql (the same table as PostgreSQL). */
export const appliedMutations = sqliteTable(
  'applied_mutations',
  {
    mutation_id: text('mutation_id').primaryKey(),
    place_id: text('place_id').notNull(),
    user_id: text('user_id').notNull(),
    target_status: text('target_status').$type<PlaceStatus>().notNull(),
    base_revision: integer('base_revision').notNull(),
    outcome: text('outcome').$type<SyncOutcome>().notNull(),
    result: text('result', { mode: 'json' }).$type<SyncMutationResult>().notNull(),
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

/** Mirrors sql/sqlite/0007_sync_changes.sql: where the replica's pull stands (src-main/sync/pull.ts). */
export const syncState = sqliteTable('sync_state', {
  name: text('name').primaryKey(),
  cursor: text('cursor').notNull().default('0'),
  pass_target: text('pass_target'),
  pass_limit: text('pass_limit'),
  pass_after_xid: text('pass_after_xid'),
  pass_after_place_id: text('pass_after_place_id'),
  locations: text('locations', { mode: 'json' }).$type<string[]>(),
  last_pulled_at: ts('last_pulled_at'),
  /** sql/sqlite/0009: when a sync last finished with nothing left to send. */
  last_synced_at: ts('last_synced_at'),
});

/**
 * Mirrors sql/sqlite/0007_sync_changes.sql: the server's version of places the pull left alone
 * because they hold an unsent local decision.
 */
export const syncServerPlaces = sqliteTable('sync_server_places', {
  place_id: text('place_id').primaryKey(),
  change_xid: text('change_xid').notNull(),
  place: text('place', { mode: 'json' }).$type<Record<string, unknown>>(),
  pulled_at: ts('pulled_at').notNull().default(NOW_MS),
});

/** Mirrors sql/sqlite/0008_sync_outbox.sql: this machine's offline decisions (src-main/sync/outbox.ts). */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    mutation_id: text('mutation_id').primaryKey(),
    seq: integer('seq').notNull().unique(),
    place_id: text('place_id').notNull(),
    target_status: text('target_status').$type<PlaceStatus>().notNull(),
    base_revision: integer('base_revision').notNull(),
    base_status: text('base_status').$type<PlaceStatus>().notNull(),
    user_id: text('user_id').notNull(),
    decided_at: ts('decided_at').notNull(),
    state: text('state').$type<OutboxState>().notNull().default('pending'),
    result: text('result', { mode: 'json' }).$type<SyncMutationResult>(),
    sent_at: ts('sent_at'),
    /** sql/sqlite/0009: a conflict resolved, when and which way. */
    resolved_at: ts('resolved_at'),
    resolution: text('resolution').$type<'mine' | 'theirs'>(),
  },
  (t) => [
    check('sync_outbox_target_status_check', sql`${t.target_status} IN ${inList(PLACE_STATUSES)}`),
    check('sync_outbox_base_status_check', sql`${t.base_status} IN ${inList(PLACE_STATUSES)}`),
    check('sync_outbox_state_check', sql`${t.state} IN ${inList(OUTBOX_STATES)}`),
    index('sync_outbox_state_seq_idx').on(t.state, t.seq),
    index('sync_outbox_place_idx').on(t.place_id, t.state, t.seq),
    uniqueIndex('sync_outbox_one_pending_idx')
      .on(t.place_id)
      .where(sql`state = 'pending'`),
    check('sync_outbox_resolution_check', sql`${t.resolution} IN ('mine', 'theirs')`),
    index('sync_outbox_conflicts_idx')
      .on(t.user_id, t.seq)
      .where(sql`state = 'conflict' AND resolved_at IS NULL`),
  ],
);

/**
 * Mirrors sql/sqlite/0013_places_api_calls.sql: the spend ledger, one row per Places API call,
 * append-only (src-main/scan/ledger.ts describes how rows are written).
 */
export const placesApiCalls = sqliteTable(
  'places_api_calls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
