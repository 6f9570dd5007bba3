import { and, count, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { PlaceStatus } from '../../src-shared/domain';
import type { NewPlaceRow } from '../db/rows';
import { randomUUID } from 'node:crypto';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { localBusinesses, placeCounts, placesStaging as t, statusUndo } from '../db/schema.sqlite';
import type { SqliteStore, SqliteTx } from '../db/store';
import {
  assignments,
  filterCondition,
  targetCondition,
  listColumns,
  queueable,
  sortKey,
  retiredUndoEntries,
  statusUpdate,
  statusUpdateCounts,
  statusUpdateResult,
  stillAsUpdateLeft,
  UNDO_COLUMNS,
  undoSet,
  wantsUndo,
  type JournalRow,
} from './queries';
import { readOutboxPlan, updateDecisions, writeOutboxPlan } from '../sync/outbox';
import { scanColumns } from './to-output';
import { bulkInsertPlacesSqlite } from './bulk-insert';
import { sqlitePagePlan } from './sqlite-search-plan';
import { sqlitePageFilter } from './sqlite-page-filter';
import {
  pageRanges,
  readRanges as readPageRanges,
  type PageAnchor,
  type PageRange,
  type RangeReader,
} from './paging';
import {
  missingIds,
  queueResult,
  type PlacesRepository,
  type StatusUpdateResult,
  type UpdateTarget,
} from './repository';

type Db = SqliteStore['db'];

/** One JSON parameter, never one placeholder per id (SQLite allows 32,766). */
const idIn = (ids: string[]): SQL =>
  sql`${t.place_id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** The rows an update is about to change, as they are now, in one journal row. */
function journalSql(
  token: string,
  userId: string,
  status: PlaceStatus,
  now: Date,
  changing: SQL,
): SQL {
  const fields = sql.join(
    ['place_id', ...UNDO_COLUMNS].map(
      (c) => sql`${sql.raw(`'${c}'`)}, ${t[c as keyof typeof t] as SQLiteColumn}`,
    ),
    sql`, `,
  );
  return sql`INSERT INTO ${statusUndo} (token, user_id, status, applied_at, previous)
    SELECT ${token}, ${userId}, ${status}, ${now.getTime()}, json_group_array(json_object(${fields}))
    FROM ${t} WHERE ${changing}`;
}

/** The journalled rows of an update (place_id and the UNDO_COLUMNS). */
function journalSelect(token: string): SQL {
  const columns = sql.raw(UNDO_COLUMNS.map((c) => `value ->> '$.${c}' AS ${c}`).join(', '));
  return sql`SELECT value ->> '$.place_id' AS place_id, ${columns}
    FROM ${statusUndo} AS u, json_each(u.previous) WHERE u.token = ${token}`;
}

/** Puts back the reviewer's status on each journalled row still as the update left it. */
function restoreSql(
  token: string,
  update: { status: PlaceStatus; appliedAt: Date; userId: string },
  now: Date,
): SQL {
  const x = Object.fromEntries(UNDO_COLUMNS.map((c) => [c, sql.raw(`x.${c}`)])) as JournalRow;
  // The journal is materialized first: flattened, the planner could read the places by the
  // status index and scan the whole journal for each (quadratic: 4,000 rows took 23 s).
  return sql`WITH x AS MATERIALIZED (${journalSelect(token)})
    UPDATE ${t} SET ${assignments(t, undoSet(t, x, update, now))}
    FROM x
    WHERE ${t.place_id} = x.place_id AND ${stillAsUpdateLeft(t, update)}`;
}

/** The outbox's view of an undo: the rows restoreSql() puts back to another status, and which. */
function undoDecisions(
  token: string,
  update: { status: PlaceStatus; appliedAt: Date; userId: string },
): SQL {
  return sql`SELECT x.place_id, x.status FROM (${journalSelect(token)}) AS x
    JOIN ${t} ON ${t.place_id} = x.place_id
    WHERE ${stillAsUpdateLeft(t, update)} AND x.status <> ${t.status}`;
}

function foundIds(db: Db, ids: string[]): string[] {
  return db
    .select({ place_id: t.place_id })
    .from(t)
    .where(idIn(ids))
    .all()
    .map((r) => r.place_id);
}

/**
 * A range's page of ids, in its order, from the sort's index (placeholders `limit` and `offset`):
 * the inner statement of the repository's deferred join (pageQuery).
 */
export function pageIdsQuery(db: Db, range: PageRange) {
  return db
    .select({ id: t.id })
    .from(t)
    .where(range.where)
    .orderBy(...range.order)
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'));
}

/** Rows per INSERT statement (one JSON parameter each). */
const INSERT_CHUNK = 5000;

export interface SqlitePlacesRepositoryOptions {
  /**
   * Team mode's replica (issue 8): every status change is also written to the outbox
   * (src-main/sync/outbox.ts) in the same transaction, and undo takes its entries back. Off by
   * default: the standalone single-user store has no outbox.
   */
  outbox?: boolean;
}

export function createSqlitePlacesRepository(
  db: Db,
  options: SqlitePlacesRepositoryOptions = {},
): PlacesRepository {
  const outbox = options.outbox ?? false;

  /**
   * A range's rows: the page's ids from the sort's index, then those rows (paging.ts). A CROSS
   * JOIN, which SQLite never reorders: the ids first, then each row by its id (as an inner join
   * SQLite walked the whole sort index and probed the page for each row).
   */
  function pageQuery(range: PageRange) {
    const page = pageIdsQuery(db, range).as('page');
    return db
      .select(listColumns(t))
      .from(page)
      .crossJoin(t)
      .where(eq(t.id, page.id))
      .orderBy(...range.order)
      .prepare();
  }

  /**
   * The page statements of the latest filters and sorts, prepared once: scrolling a filter asks
   * for the same shape again and again, and building and preparing it cost about as much as
   * reading a first page (SQLite answers in-process; there is no network round trip to hide it).
   */
  const pageStatements = new Map<string, ReturnType<typeof pageQuery>>();
  const PAGE_STATEMENTS = 64;

  const reader: RangeReader = {
    async rows(range, limit, offset) {
      let statement = range.key === undefined ? undefined : pageStatements.get(range.key);
      if (statement) pageStatements.delete(range.key!);
      statement ??= pageQuery(range);
      if (range.key !== undefined) {
        pageStatements.set(range.key, statement);
        if (pageStatements.size > PAGE_STATEMENTS) {
          pageStatements.delete(pageStatements.keys().next().value!);
        }
      }
      return statement.all({ limit, offset });
    },
    async count(range) {
      return db.select({ n: count() }).from(t).where(range.where).get()?.n ?? 0;
    },
  };

  /** The place a keyset page continues after, if it is still there. */
  function pageAnchor(placeId: string, sort: string | undefined): PageAnchor | null {
    const { column } = sortKey(t, sort);
    const row = db
      .select({ id: t.id, isNull: sql<number>`${column} IS NULL` })
      .from(t)
      .where(eq(t.place_id, placeId))
      .get();
    return row ? { id: row.id, isNull: row.isNull === 1 } : null;
  }

  /** What step 6 would count for a target, and the requested ids that are not there. */
  function countTarget(q: Db | SqliteTx, target: UpdateTarget, status: PlaceStatus) {
    const c = q
      .select(statusUpdateCounts(t, status))
      .from(t)
      .where(targetCondition(t, target, idIn))
      .get()!;
    const notFound =
      target.kind === 'ids' && c.matched < target.ids.length
        ? missingIds(target.ids, foundIds(q as Db, target.ids))
        : [];
    return { c, notFound };
  }

  /** Step 6 inside the caller's (immediate) transaction, with its undo journal entry. */
  function updateInTransaction(
    tx: SqliteTx,
    target: UpdateTarget,
    status: PlaceStatus,
    userId: string,
    now: Date,
  ): StatusUpdateResult {
    const match = targetCondition(t, target, idIn);
    const { c, notFound } = countTarget(tx, target, status);
    const { set, touch } = statusUpdate(t, status, userId, now);
    let undoToken: string | null = null;
    if (wantsUndo(c, status)) {
      undoToken = randomUUID();
      tx.delete(statusUndo)
        .where(retiredUndoEntries(statusUndo, userId, now))
        .run();
      tx.run(journalSql(undoToken, userId, status, now, and(match, touch)!));
    }
    const plan = outbox ? readOutboxPlan(tx, updateDecisions(match, status)) : null;
    tx.update(t).set(set).where(and(match, touch)).run();
    if (plan) writeOutboxPlan(tx, plan, userId, now);
    return statusUpdateResult(c, status, notFound, undoToken);
  }

  return {
    async listPage(filter, sort, limit, offset, after) {
      const anchor = after ? pageAnchor(after, sort) : null;
      const plan = sqlitePagePlan(db, filter.q, sort, (anchor ? 0 : offset) + limit);
      // SQLite's btree keeps NULLs low: a descending scan already ends with them.
      const ranges = pageRanges(
        t,
        sort,
        sqlitePageFilter(filter, plan, sort),
        'desc',
        anchor ?? undefined,
      );
      // A keyset page's statement holds its anchor: only pages by number are kept prepared.
      const shape = anchor ? undefined : JSON.stringify([filter, plan, sort ?? null]);
      return readPageRanges(
        reader,
        ranges.map((range, i) => ({ ...range, key: shape && `${shape}#${i}` })),
        limit,
        anchor ? 0 : offset,
      );
    },

    async count(filter) {
      return db.select({ n: count() }).from(t).where(filterCondition(t, filter)).get()?.n ?? 0;
    },

    async scansOf(placeIds) {
      if (placeIds.length === 0) return [];
      return db
        .select(scanColumns(localBusinesses))
        .from(localBusinesses)
        .where(inArray(localBusinesses.place_id, placeIds))
        .all();
    },

    async findOne(placeId) {
      const place = db.select().from(t).where(eq(t.place_id, placeId)).get();
      if (!place) return null;
      const localBusiness = db
        .select()
        .from(localBusinesses)
        .where(eq(localBusinesses.place_id, placeId))
        .get();
      return { place, localBusiness: localBusiness ?? null };
    },

    async updateStatus(target, status: PlaceStatus, userId, now) {
      // better-sqlite3 runs this synchronously under BEGIN IMMEDIATE: nothing can change the
      // rows between the count and the update, and any throw rolls everything back.
      return db.transaction((tx) => updateInTransaction(tx, target, status, userId, now), {
        behavior: 'immediate',
      });
    },

    async updateStatuses(decisions, userId, now) {
      return db.transaction(
        (tx) => decisions.map((d) => updateInTransaction(tx, d.target, d.status, userId, now)),
        { behavior: 'immediate' },
      );
    },

    async previewStatusUpdate(target, status) {
      const { c, notFound } = countTarget(db, target, status);
      return statusUpdateResult(c, status, notFound, null);
    },

    async undoStatusUpdate(token, userId, now, notBefore) {
      return db.transaction(
        (tx) => {
          const entry = tx
            .select({
              status: statusUndo.status,
              applied_at: statusUndo.applied_at,
              total: sql<number>`json_array_length(${statusUndo.previous})`,
            })
            .from(statusUndo)
            .where(and(eq(statusUndo.token, token), eq(statusUndo.user_id, userId)))
            .get();
          if (!entry || entry.applied_at < notBefore) return null;
          const update = { status: entry.status, appliedAt: entry.applied_at, userId };
          const plan = outbox ? readOutboxPlan(tx, undoDecisions(token, update)) : null;
          const restored = tx.run(restoreSql(token, update, now)).changes;
          if (plan) writeOutboxPlan(tx, plan, userId, now);
          tx.delete(statusUndo).where(eq(statusUndo.token, token)).run();
          return { restored_count: restored, skipped_count: entry.total - restored };
        },
        { behavior: 'immediate' },
      );
    },

    async queueDeepScan(ids, userId, now) {
      return db.transaction(
        (tx) => {
          const queued = tx
            .update(t)
            .set({
              deep_scan_status: 'Queued',
              deep_scan_error: null,
              deep_scan_attempts: 0,
              deep_scan_queued_at: now,
              deep_scan_next_attempt_at: now,
              updated_at: now,
              updated_by: userId,
            })
            .where(and(idIn(ids), queueable(t), eq(t.status, 'Selected')))
            .run().changes;
          const found = tx
            .select({ place_id: t.place_id, status: t.status })
            .from(t)
            .where(idIn(ids))
            .all();
          return queueResult(ids, queued, found);
        },
        { behavior: 'immediate' },
      );
    },

    async countByStatus() {
      // The counts the triggers keep (sql/sqlite/0011): 25 rows, not a scan of the places.
      const c = placeCounts;
      return db
        .select({ status: c.status, deep_scan_status: c.deep_scan_status, n: c.n })
        .from(c)
        .where(ne(c.n, 0))
        .all();
    },

    async insertPlaces(rows: NewPlaceRow[]) {
      return db.transaction(
        (tx) => {
          let inserted = 0;
          for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
            inserted += tx.run(bulkInsertPlacesSqlite(rows.slice(i, i + INSERT_CHUNK))).changes;
          }
          return inserted;
        },
        { behavior: 'immediate' },
      );
    },
  };
}
