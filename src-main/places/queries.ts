import { and, asc, desc, eq, is, isNull, not, sql, type SQL } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { PlaceFilter } from '../../src-shared/contract';
import {
  DEEP_SCAN_FILTER_NONE,
  UNDO_JOURNAL_DEPTH,
  UNDO_WINDOW_SECONDS,
  type DeepScanStatus,
  type PlaceStatus,
  type SortField,
} from '../../src-shared/domain';
import { containsPattern, searchTerms, trigramIndexable } from '../../src-shared/search-query';
import type * as pgSchema from '../db/schema.pg';
import { deepScanLeases, placesSearch, placesStaging as pgPlaces } from '../db/schema.pg';
import { SEARCH_INDEX_OBJECTS } from '../db/search-index';
import type * as sqliteSchema from '../db/schema.sqlite';
import type { UpdateTarget } from './repository';

/**
 * SQL fragments shared by both repositories. Drizzle's column objects differ in type between the
 * dialects but build the same SQL, so each fragment is written once here.
 */
export type PlacesTable = typeof pgSchema.placesStaging | typeof sqliteSchema.placesStaging;

/** How a filter's search is to be answered (SQLite only; PostgreSQL's planner chooses itself). */
export interface SearchPlan {
  /**
   * Narrow the rows through SQLite's trigram index first (the default). Without it SQLite reads the
   * rows in the query's order and checks each, which is quicker for a page of a search that most
   * rows match: see sqlite-search-plan.ts.
   */
  sqliteIndex?: boolean;
}

/**
 * The free-text search as SQL, the same rows on both engines: one `LIKE` per term of
 * src-shared/search-query.ts on the column the database folds (`search_text`); the LIKEs alone
 * decide. PostgreSQL answers them from the trigram GIN index of places_search (sql/pg/0016), a copy
 * of that column by id kept off places_staging. SQLite can't use an
 * index for a LIKE, so the places are first narrowed by its trigram index (places_search,
 * sql/sqlite/0010) to those holding every term of 3 characters or more.
 */
export function searchCondition(t: PlacesTable, q: string, plan: SearchPlan = {}): SQL | undefined {
  const terms = searchTerms(q);
  if (terms.length === 0) return undefined;
  const likesOn = (column: typeof t.search_text | typeof placesSearch.search_text) =>
    terms.map((term) => sql`${column} LIKE ${containsPattern(term)} ESCAPE '\\'`);
  if (is(t, PgTable)) {
    // The trigram index is on places_search (sql/pg/0016), the same search_text by id.
    const s = placesSearch;
    return sql`${t.id} IN (SELECT ${s.id} FROM ${s} WHERE ${and(...likesOn(s.search_text))})`;
  }
  const likes = likesOn(t.search_text);
  const match = indexMatch(q);
  if (!is(t, SQLiteTable) || match === null || plan.sqliteIndex === false) return and(...likes);
  return and(
    sql`${t.id} IN (SELECT rowid FROM ${searchIndex} WHERE ${searchIndex} MATCH ${match})`,
    ...likes,
  );
}

const searchIndex = sql.identifier(SEARCH_INDEX_OBJECTS.sqlite.table);

/**
 * The FTS5 query of SQLite's trigram index for a search: every term of 3 characters or more as a
 * phrase (`"blue oak" "chicago"`, quotes doubled inside); null when no term is that long.
 */
export function indexMatch(q: string): string | null {
  const terms = searchTerms(q).filter(trigramIndexable);
  return terms.length ? terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ') : null;
}

/**
 * Whether the place of the row is being scanned on PostgreSQL: it has a lease (sql/pg/0019). The
 * lease table holds one row per place being scanned (a few hundred at most), so PostgreSQL reads
 * it once per statement as a hashed set. IN / NOT IN, not (NOT) EXISTS: the planner turns NOT
 * EXISTS into an anti join, and for the deep scan claim (which reads the claim index in order)
 * chose a hash anti join that read and sorted the whole backlog: 7.8 s for 100,000 queued places
 * at 10M, against 1.1 ms with the hashed filter.
 */
function leased(t: PgPlaceColumns): SQL {
  return sql`${t.id} IN (SELECT ${deepScanLeases.place_row} FROM ${deepScanLeases})`;
}

/** A PostgreSQL place's id and deep_scan_status: the table's columns, or an alias's as SQL. */
type PgPlaceColumns =
  | Pick<typeof pgSchema.placesStaging, 'id' | 'deep_scan_status'>
  | {
      id: SQL;
      deep_scan_status: SQL;
    };

/**
 * The place's deep scan state as the reviewer sees it. SQLite's queue writes 'Processing' into
 * deep_scan_status. PostgreSQL's claim writes only a lease row (sql/pg/0019): there a place is
 * Processing when it is Queued and leased. Every read that judges or shows the scan state goes
 * through this (or {@link scanStateIs}), never deep_scan_status alone.
 */
export function scanState(t: PlacesTable): SQL | PlacesTable['deep_scan_status'] {
  return is(t, PgTable) ? pgScanState(t as typeof pgSchema.placesStaging) : t.deep_scan_status;
}

/** {@link scanState} on PostgreSQL, typed for a select. */
export function pgScanState(t: PgPlaceColumns): SQL<DeepScanStatus | null> {
  return sql<DeepScanStatus | null>`(CASE WHEN ${t.deep_scan_status} = 'Queued' AND ${leased(t)}
    THEN 'Processing' ELSE ${t.deep_scan_status} END)`;
}

/** The places whose scan state ({@link scanState}) is `value`, as a condition an index can serve. */
export function scanStateIs(t: PlacesTable, value: DeepScanStatus): SQL {
  if (!is(t, PgTable) || (value !== 'Queued' && value !== 'Processing')) {
    return eq(t.deep_scan_status, value);
  }
  const lease = leased(t as typeof pgSchema.placesStaging);
  return sql`(${t.deep_scan_status} = 'Queued' AND ${value === 'Queued' ? sql`NOT ${lease}` : lease})`;
}

export function filterCondition(
  t: PlacesTable,
  filter: PlaceFilter,
  plan: SearchPlan = {},
): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.status) parts.push(eq(t.status, filter.status));
  if (filter.deep_scan_status === DEEP_SCAN_FILTER_NONE) parts.push(isNull(t.deep_scan_status));
  else if (filter.deep_scan_status) parts.push(scanStateIs(t, filter.deep_scan_status));
  const search = filter.q ? searchCondition(t, filter.q, plan) : undefined;
  if (search) parts.push(search);
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
 * The sortable columns that nothing but an import or an edit writes: a decision or a deep scan
 * never moves a place in their order. PostgreSQL keeps page marks for them (page-marks.ts); the
 * embedded store indexes them without the status columns (sql/sqlite/0020, sqlite-page-filter.ts).
 * The others (status, deep_scan_status, updated_at, updated_by) change with every decision.
 */
export const IMPORT_ONLY_SORT_COLUMNS: ReadonlySet<string> = new Set(
  [
    pgPlaces.place_id,
    pgPlaces.name,
    pgPlaces.formatted_address,
    pgPlaces.business_type,
    pgPlaces.search_location,
    pgPlaces.rating,
    pgPlaces.user_ratings_total,
    pgPlaces.price_level,
  ].map((c) => c.name),
);

/** A sort's column, whether it can be NULL, and its direction (`field` or `field:desc`). */
export function sortKey(t: PlacesTable, sort: string | undefined) {
  const [field, direction] = (sort ?? 'business_name').split(':') as [
    SortField,
    string | undefined,
  ];
  return { ...SORT_COLUMNS[field](t), descending: direction === 'desc' };
}

/**
 * `field` or `field:desc` -> ORDER BY, with the id as tie-breaker so pages never overlap. NULLs
 * sort last in both directions on both engines (their defaults differ). A page is read in this
 * order by paging.ts, a range at a time.
 */
export function orderBy(t: PlacesTable, sort: string | undefined): SQL[] {
  const { column, nullable, descending } = sortKey(t, sort);
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

/**
 * The two columns step 6 judges a row by, as SQL: the table's own columns, or the same-named
 * columns of a row set the update locked first (PostgreSQL reads them there, see pg-repository).
 */
export interface StepSixView {
  status: SQL | PlacesTable['status'];
  deep_scan_status: SQL | PlacesTable['deep_scan_status'];
}

/** Places whose scan may be (re)queued: never queued, or failed. */
export const queueable = (v: Pick<StepSixView, 'deep_scan_status'>): SQL =>
  sql`(${v.deep_scan_status} IS NULL OR ${v.deep_scan_status} = 'Error')`;

/**
 * The counts of step 6, computed over the matched rows before the update: how many change
 * status, get queued, get dequeued, or are left alone because their scan is under way or done.
 */
export function statusUpdateCounts(v: StepSixView, status: PlaceStatus) {
  const n = (condition: SQL) =>
    sql<number>`CAST(COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0) AS INTEGER)`;
  return {
    matched: sql<number>`CAST(COUNT(*) AS INTEGER)`,
    updated: n(sql`${v.status} <> ${status}`),
    queueable: n(queueable(v)),
    queued: n(sql`${v.deep_scan_status} = 'Queued'`),
    processing: n(sql`${v.deep_scan_status} = 'Processing'`),
    completed: n(sql`${v.deep_scan_status} = 'Completed'`),
  };
}

/** The matched rows an update to `status` changes: a new status, or a scan to (de)queue. */
export function statusUpdateTouches(v: StepSixView, status: PlaceStatus): SQL {
  return status === 'Selected'
    ? sql`(${v.status} <> ${status} OR ${queueable(v)})`
    : sql`(${v.status} <> ${status} OR ${v.deep_scan_status} = 'Queued')`;
}

/**
 * Step 6's scan rule as SET expressions over the row as it is: a place set to Selected whose
 * scan never ran or failed is queued afresh; a place set to anything else that is still Queued
 * leaves the queue; Processing, Completed (and Error when not selecting) are left alone.
 * `selecting` is whether the row's new status is Selected: a constant for a status update, an
 * SQL condition for an undo (each row goes back to its own status).
 */
export function scanRuleSet(t: PlacesTable, selecting: boolean | SQL, now: Date) {
  // A constant folds away in both engines' planners: one form serves an update and an undo.
  const chosen =
    typeof selecting === 'boolean' ? sql.raw(selecting ? '1 = 1' : '1 = 0') : selecting;
  const queue = and(chosen, queueable(t))!;
  // Queued and not being scanned: a place a worker holds is left to its worker (scanState).
  const dequeue = and(not(chosen), scanStateIs(t, 'Queued'))!;
  // A Param with the column as encoder is bound as each driver expects (timestamptz / epoch ms).
  const at = sql.param(now, t.deep_scan_queued_at);
  return {
    deep_scan_status: sql`CASE WHEN ${queue} THEN 'Queued' WHEN ${dequeue} THEN NULL ELSE ${t.deep_scan_status} END`,
    deep_scan_error: sql`CASE WHEN ${queue} THEN NULL ELSE ${t.deep_scan_error} END`,
    deep_scan_attempts: sql`CASE WHEN ${queue} THEN 0 ELSE ${t.deep_scan_attempts} END`,
    deep_scan_queued_at: sql`CASE WHEN ${queue} THEN ${at} WHEN ${dequeue} THEN NULL ELSE ${t.deep_scan_queued_at} END`,
    deep_scan_next_attempt_at: sql`CASE WHEN ${queue} THEN ${at} WHEN ${dequeue} THEN NULL ELSE ${t.deep_scan_next_attempt_at} END`,
  };
}

/**
 * Step 6 as one UPDATE's SET and WHERE: the new status, and the scan rule applied with CASE so
 * every matched row is judged on its values before this statement.
 */
export function statusUpdate(t: PlacesTable, status: PlaceStatus, userId: string, now: Date) {
  const set = {
    status,
    updated_at: now,
    updated_by: userId,
    ...scanRuleSet(t, status === 'Selected', now),
  };
  return { set, touch: statusUpdateTouches(t, status) };
}

/** Updates that change more rows than this get no undo journal (it would be too large). */
export const UNDO_MAX_ROWS = 100_000;

/** What statusUpdateCounts() yields, per row set. */
export type Counts = {
  [K in keyof ReturnType<typeof statusUpdateCounts>]: number;
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

export type UndoTable = typeof pgSchema.statusUndo | typeof sqliteSchema.statusUndo;

/**
 * The reviewer's journal entries a new update retires: those past the undo window, and all but
 * the newest UNDO_JOURNAL_DEPTH - 1 (the new entry makes it full). The rest stay undoable, each
 * once, newest first or in any order: an undo skips rows a later update changed.
 */
export function retiredUndoEntries(u: UndoTable, userId: string, now: Date): SQL {
  const notBefore = sql.param(new Date(now.getTime() - UNDO_WINDOW_SECONDS * 1000), u.applied_at);
  return sql`${u.user_id} = ${userId} AND (${u.applied_at} < ${notBefore} OR ${u.token} NOT IN (
    SELECT kept.token FROM ${u} AS kept WHERE kept.user_id = ${userId}
    ORDER BY kept.applied_at DESC LIMIT ${sql.raw(String(UNDO_JOURNAL_DEPTH - 1))}))`;
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

/** A journalled row's columns (the undo's `x`), as SQL: each dialect reads its journal its way. */
export type JournalRow = Record<(typeof UNDO_COLUMNS)[number], SQL>;

/**
 * What an undo writes into a row still as the update left it. The reviewer's status, updated_at
 * and updated_by come back from the journal. The scan columns come back from the journal only
 * when the scan is exactly as the update left it (the update queued or dequeued it and nothing
 * touched it since): that is undoing the update's own change. Otherwise the scan has moved on
 * (claimed, retried, finished), and step 6's rule for the restored status is applied to the row
 * as it is now: an old scan state is never copied over a newer one.
 */
export function undoSet(
  t: PlacesTable,
  x: JournalRow,
  update: { status: PlaceStatus; appliedAt: Date },
  now: Date,
) {
  const appliedAt = sql.param(update.appliedAt, t.deep_scan_queued_at);
  const untouched =
    update.status === 'Selected'
      ? // The update queued a never-scanned or failed place, and no worker has claimed it since.
        sql`(${x.deep_scan_status} IS NULL OR ${x.deep_scan_status} = 'Error')
          AND ${scanStateIs(t, 'Queued')} AND ${t.deep_scan_attempts} = 0
          AND ${t.deep_scan_queued_at} = ${appliedAt} AND ${t.deep_scan_next_attempt_at} = ${appliedAt}`
      : // The update took a waiting place out of the queue, and nobody queued it since.
        sql`${x.deep_scan_status} = 'Queued' AND ${t.deep_scan_status} IS NULL
          AND ${t.deep_scan_queued_at} IS NULL`;
  const rule = scanRuleSet(t, sql`${x.status} = 'Selected'`, now);
  const scan = Object.fromEntries(
    Object.entries(rule).map(([column, derived]) => [
      column,
      sql`CASE WHEN ${untouched} THEN ${x[column as keyof JournalRow]} ELSE ${derived} END`,
    ]),
  ) as Record<keyof typeof rule, SQL>;
  return { status: x.status, updated_at: x.updated_at, updated_by: x.updated_by, ...scan };
}

/** The rows an undo may restore: still with the status, time and user the update gave them. */
export function stillAsUpdateLeft(
  t: PlacesTable,
  update: { status: PlaceStatus; appliedAt: Date; userId: string },
): SQL {
  return and(
    eq(t.status, update.status),
    sql`${t.updated_at} = ${sql.param(update.appliedAt, t.updated_at)}`,
    eq(t.updated_by, update.userId),
  )!;
}

/** `SET a = ..., b = ...` for a hand-built UPDATE (targets are bare column names). */
export function assignments(t: PlacesTable, set: Record<string, SQL | string>): SQL {
  return sql.join(
    Object.entries(set).map(
      ([key, value]) =>
        sql`${sql.identifier((t[key as keyof PlacesTable] as { name: string }).name)} = ${value}`,
    ),
    sql`, `,
  );
}
