import { and, asc, desc, eq, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import type { PlaceFilter } from '../../src-shared/contract';
import {
  DEEP_SCAN_FILTER_NONE,
  normaliseSearchText,
  type PlaceStatus,
  type SortField,
} from '../../src-shared/domain';
import type * as pgSchema from '../db/schema.pg';
import type * as sqliteSchema from '../db/schema.sqlite';
import type { UpdateTarget } from './repository';

/**
 * SQL fragments shared by both repositories. Drizzle's column objects differ in type between the
 * dialects but build the same SQL, so each fragment is written once here.
 */
export type PlacesTable = typeof pgSchema.placesStaging | typeof sqliteSchema.placesStaging;

/** `LIKE` pattern for a folded search term: both engines compare the column the database folds. */
export function searchPattern(q: string): string {
  return `%${normaliseSearchText(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function filterCondition(t: PlacesTable, filter: PlaceFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.status) parts.push(eq(t.status, filter.status));
  if (filter.deep_scan_status === DEEP_SCAN_FILTER_NONE) parts.push(isNull(t.deep_scan_status));
  else if (filter.deep_scan_status) parts.push(eq(t.deep_scan_status, filter.deep_scan_status));
  if (filter.q && normaliseSearchText(filter.q) !== '') {
    parts.push(sql`${t.search_text} LIKE ${searchPattern(filter.q)} ESCAPE '\\'`);
  }
  return parts.length ? and(...parts) : undefined;
}

/** The places a status update applies to; `idIn` is the dialect's one-parameter id list. */
export function targetCondition(
  t: PlacesTable,
  target: UpdateTarget,
  idIn: (ids: string[]) => SQL,
): SQL | undefined {
  if (target.kind === 'ids') return idIn(target.ids);
  const exclude = target.excludeIds.length ? not(idIn(target.excludeIds)) : undefined;
  return and(filterCondition(t, target.filter), exclude);
}

const SORT_COLUMNS = {
  place_id: (t: PlacesTable) => ({ column: t.place_id, nullable: false }),
  business_name: (t: PlacesTable) => ({ column: t.name, nullable: false }),
  address: (t: PlacesTable) => ({ column: t.formatted_address, nullable: true }),
  category: (t: PlacesTable) => ({ column: t.business_type, nullable: true }),
  search_location: (t: PlacesTable) => ({ column: t.search_location, nullable: true }),
  rating: (t: PlacesTable) => ({ column: t.rating, nullable: true }),
  reviews_count: (t: PlacesTable) => ({ column: t.user_ratings_total, nullable: true }),
  price_level: (t: PlacesTable) => ({ column: t.price_level, nullable: true }),
  status: (t: PlacesTable) => ({ column: t.status, nullable: false }),
  deep_scan_status: (t: PlacesTable) => ({ column: t.deep_scan_status, nullable: true }),
  updated_at: (t: PlacesTable) => ({ column: t.updated_at, nullable: false }),
  updated_by: (t: PlacesTable) => ({ column: t.updated_by, nullable: true }),
} satisfies Record<SortField, (t: PlacesTable) => unknown>;

/**
 * `field` or `field:desc` -> ORDER BY, with the id as tie-breaker so pages never overlap. NULLs
 * sort last in both directions on both engines (their defaults differ).
 */
export function orderBy(t: PlacesTable, sort: string | undefined): SQL[] {
  const [field, direction] = (sort ?? 'business_name').split(':') as [
    SortField,
    string | undefined,
  ];
  const descending = direction === 'desc';
  const { column, nullable } = SORT_COLUMNS[field](t);
  const primary = nullable
    ? sql`${column} ${sql.raw(descending ? 'DESC' : 'ASC')} NULLS LAST`
    : descending
      ? desc(column)
      : asc(column);
  return [primary, descending ? desc(t.id) : asc(t.id)];
}

const LIST_KEYS = [
  'place_id',
  'name',
  'formatted_address',
  'business_type',
  'search_location',
  'latitude',
  'longitude',
  'rating',
  'user_ratings_total',
  'price_level',
  'status',
  'deep_scan_status',
  'deep_scan_error',
  'updated_at',
  'updated_by',
] as const;

export type ListKey = (typeof LIST_KEYS)[number];

/** The columns a grid row needs (not the raw payloads). */
export function listColumns<T extends PlacesTable>(t: T): Pick<T, ListKey> {
  return Object.fromEntries(LIST_KEYS.map((k) => [k, t[k]])) as Pick<T, ListKey>;
}

/** Places whose scan may be (re)queued: never queued, or failed. */
export const queueable = (t: PlacesTable): SQL =>
  or(isNull(t.deep_scan_status), eq(t.deep_scan_status, 'Error'))!;

/**
 * The counts of step 6, computed over the matched rows before the update: how many change
 * status, get queued, get dequeued, or are left alone because their scan is under way or done.
 */
export function statusUpdateCounts(t: PlacesTable, status: PlaceStatus) {
  const n = (condition: SQL) =>
    sql<number>`CAST(COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0) AS INTEGER)`;
  return {
    matched: sql<number>`CAST(COUNT(*) AS INTEGER)`,
    updated: n(not(eq(t.status, status))),
    queueable: n(queueable(t)),
    queued: n(eq(t.deep_scan_status, 'Queued')),
    processing: n(eq(t.deep_scan_status, 'Processing')),
    completed: n(eq(t.deep_scan_status, 'Completed')),
  };
}

/**
 * Step 6 as one UPDATE's SET and WHERE: the new status, and the scan rule applied with CASE so
 * every matched row is judged on its values before this statement.
 */
export function statusUpdate(t: PlacesTable, status: PlaceStatus, userId: string, now: Date) {
  const selecting = status === 'Selected';
  const touch = selecting
    ? or(not(eq(t.status, status)), queueable(t))!
    : or(not(eq(t.status, status)), eq(t.deep_scan_status, 'Queued'))!;
  const scanChange = selecting ? queueable(t) : eq(t.deep_scan_status, 'Queued');
  // A Param with the column as encoder is bound as each driver expects (timestamptz / epoch ms).
  const whenQueued = selecting ? sql.param(now, t.deep_scan_queued_at) : sql`NULL`;
  const set = {
    status,
    updated_at: now,
    updated_by: userId,
    deep_scan_status: selecting
      ? sql`CASE WHEN ${scanChange} THEN 'Queued' ELSE ${t.deep_scan_status} END`
      : sql`CASE WHEN ${scanChange} THEN NULL ELSE ${t.deep_scan_status} END`,
    deep_scan_error: selecting
      ? sql`CASE WHEN ${scanChange} THEN NULL ELSE ${t.deep_scan_error} END`
      : sql`${t.deep_scan_error}`,
    deep_scan_attempts: selecting
      ? sql`CASE WHEN ${scanChange} THEN 0 ELSE ${t.deep_scan_attempts} END`
      : sql`${t.deep_scan_attempts}`,
    deep_scan_queued_at: sql`CASE WHEN ${scanChange} THEN ${whenQueued} ELSE ${t.deep_scan_queued_at} END`,
    deep_scan_next_attempt_at: sql`CASE WHEN ${scanChange} THEN ${whenQueued} ELSE ${t.deep_scan_next_attempt_at} END`,
  };
  return { set, touch };
}

/** Updates that change more rows than this get no undo journal (it would be too large). */
export const UNDO_MAX_ROWS = 100_000;

type Counts = {
  matched: number;
  updated: number;
  queueable: number;
  queued: number;
  processing: number;
  completed: number;
};

/** The counts of statusUpdateCounts() in the API's terms for the target status. */
export function statusUpdateResult(
  c: Counts,
  status: PlaceStatus,
  notFound: string[],
  undoToken: string | null,
) {
  const selecting = status === 'Selected';
  return {
    matched_count: c.matched,
    updated_count: c.updated,
    queued_count: selecting ? c.queueable : 0,
    dequeued_count: selecting ? 0 : c.queued,
    already_queued_count: selecting ? c.queued + c.processing : 0,
    already_scanned_count: selecting ? c.completed : 0,
    not_found: notFound,
    undo_token: undoToken,
  };
}

/** Whether an update with these counts changes anything worth an undo journal. */
export function wantsUndo(c: Counts, status: PlaceStatus): boolean {
  const changes = c.updated + (status === 'Selected' ? c.queueable : c.queued);
  return changes > 0 && c.matched <= UNDO_MAX_ROWS;
}

/** The columns an undo restores, in the order both journals store them. */
export const UNDO_COLUMNS = [
  'status',
  'deep_scan_status',
  'deep_scan_error',
  'deep_scan_attempts',
  'deep_scan_queued_at',
  'deep_scan_next_attempt_at',
  'updated_at',
  'updated_by',
] as const;
