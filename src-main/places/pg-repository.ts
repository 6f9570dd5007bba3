import { and, count, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PlaceFilter } from '../../src-shared/contract';
import type { DeepScanStatus, PlaceStatus } from '../../src-shared/domain';
import { randomUUID } from 'node:crypto';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { localBusinesses, placeCounts, placesStaging as t, statusUndo } from '../db/schema.pg';
import { transactionWithRetry } from '../db/retry';
import type { PgStore, PgTx } from '../db/store';
import type { NewPlaceRow } from '../db/rows';
import { scanColumns } from './to-output';
import { bulkInsertPlacesPg } from './bulk-insert';
import {
  createPageMarks,
  pruneOrderChanges,
  type PageMarks,
  type PageMarksOptions,
} from './page-marks';
import { foldPlaceCounts, PLACE_COUNTS_FOLD_AT } from './place-counts';
import { BEING_SCANNED } from '../scan/pg-leases';
import {
  assignments,
  filterCondition,
  targetCondition,
  listColumns,
  queueable,
  sortKey,
  retiredUndoEntries,
  pgScanState,
  scanState,
  statusUpdate,
  statusUpdateCounts,
  statusUpdateResult,
  statusUpdateTouches,
  stillAsUpdateLeft,
  UNDO_COLUMNS,
  undoSet,
  wantsUndo,
  type Counts,
  type JournalRow,
} from './queries';
import {
  pageRanges,
  readRanges as readPageRanges,
  type PageAnchor,
  type RangeReader,
} from './paging';
import {
  missingIds,
  queueResult,
  type FoundPlace,
  type PlacesRepository,
  type StatusUpdateResult,
  type UpdateTarget,
} from './repository';

type Db = PgStore['db'];

/** One array parameter, never one placeholder per id. */
const idIn = (ids: string[]): SQL => sql`${t.place_id} = ANY(${sql.param(ids)}::text[])`;

/** Row ids as one int[] parameter. */
const idsIn = (ids: number[]): SQL => sql`${t.id} = ANY(${sql.param(ids)}::int[])`;

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
      (c) => sql`${sql.raw(`'${c}'`)}, ${t[c as keyof typeof t] as PgColumn}`,
    ),
    sql`, `,
  );
  return sql`INSERT INTO ${statusUndo} (token, user_id, status, applied_at, previous)
    SELECT ${token}, ${userId}, ${status}, ${sql.param(now, statusUndo.applied_at)},
      COALESCE(jsonb_agg(jsonb_build_object(${fields})), '[]'::jsonb)
    FROM ${t} WHERE ${changing}`;
}

/** Puts back the reviewer's status on each journalled row still as the update left it. */
function restoreSql(
  token: string,
  update: { status: PlaceStatus; appliedAt: Date; userId: string },
  now: Date,
): SQL {
  const shape = sql.raw(
    ['place_id', ...UNDO_COLUMNS]
      .map((c) => `${c} ${(t[c as keyof typeof t] as PgColumn).getSQLType()}`)
      .join(', '),
  );
  const x = Object.fromEntries(UNDO_COLUMNS.map((c) => [c, sql.raw(`x.${c}`)])) as JournalRow;
  return sql`UPDATE ${t} SET ${assignments(t, undoSet(t, x, update, now))}
    FROM ${statusUndo} AS u, jsonb_to_recordset(u.previous) AS x(${shape})
    WHERE u.token = ${token} AND ${t.place_id} = x.place_id AND ${stillAsUpdateLeft(t, update)}`;
}

/** Rows per INSERT statement (one JSON parameter each). */
const INSERT_CHUNK = 5000;

/** What the locking statement of an update returns: its counts and the ids it will change. */
type LockedRows = Counts & {
  touched: number[];
  missing: string[];
  /** The locked rows whose deep_scan_status column is Queued (an update away from Selected). */
  raw_queued: number[] | null;
} & Record<string, unknown>;

async function foundPlaces(tx: PgTx | Db, ids: string[]): Promise<FoundPlace[]> {
  return tx.select({ place_id: t.place_id, status: t.status }).from(t).where(idIn(ids));
}

/**
 * Step 6 inside the caller's transaction: what `updateStatus` runs (it adds the retry), and what
 * a pushed offline decision runs for its one place (src-main/sync), without the undo journal
 * (`journal: false`: a push must not replace the reviewer's own last undoable update).
 */
export async function updateStatusInTransaction(
  tx: PgTx,
  target: UpdateTarget,
  status: PlaceStatus,
  userId: string,
  now: Date,
  options: { journal?: boolean } = {},
): Promise<StatusUpdateResult> {
  const match = targetCondition(t, target, idIn) ?? sql`TRUE`;
  const locked = { status: sql`locked.status`, deep_scan_status: sql`locked.deep_scan_status` };
  const counts = Object.entries(statusUpdateCounts(locked, status)).map(
    ([name, expression]) => sql`${expression} AS ${sql.identifier(name)}`,
  );
  const missing =
    target.kind === 'ids'
      ? sql`(SELECT COALESCE(array_agg(r.id), '{}') FROM unnest(${sql.param(target.ids)}::text[]) AS r(id)
           WHERE NOT EXISTS (SELECT 1 FROM locked WHERE locked.place_id = r.id))`
      : sql`'{}'::text[]`;
  // One statement locks the matched rows (in id order: two reviewers' updates never
  // deadlock; the scheduler's SKIP LOCKED claim passes them by) and counts them as locked.
  // Under READ COMMITTED only FOR UPDATE's own output is the latest version of a row that
  // was changed while we waited; so the counts come from it, and the journal and the
  // UPDATE below work on exactly the locked ids (not the filter again: rows committed
  // meanwhile, by an import say, were never counted and are not touched).
  const { rows } = await tx.execute<LockedRows>(sql`
    WITH locked AS MATERIALIZED (
      SELECT ${t.id} AS id, ${t.place_id} AS place_id, ${t.status} AS status,
             ${scanState(t)} AS deep_scan_status, ${t.deep_scan_status} AS raw_scan_status
      FROM ${t} WHERE ${match} ORDER BY ${t.id} FOR UPDATE
    )
    SELECT ${sql.join(counts, sql`, `)},
      COALESCE(array_agg(locked.id) FILTER (WHERE ${statusUpdateTouches(locked, status)}), '{}') AS touched,
      ${missing} AS missing,
      ${
        status === 'Selected'
          ? sql`NULL::int[]`
          : sql`COALESCE(array_agg(locked.id) FILTER (WHERE locked.raw_scan_status = 'Queued'), '{}')`
      } AS raw_queued
    FROM locked`);
  const c = rows[0]!;
  const touched = idsIn(c.touched);
  const { set } = statusUpdate(t, status, userId, now);
  const update = sql`UPDATE ${t}
    SET ${assignments(t, { ...set, updated_at: sql`${sql.param(now, t.updated_at)}` })}
    WHERE ${touched}`;
  // A place a worker claimed while this update waited for its row lock has a lease the UPDATE
  // sees but the locking statement did not (its snapshot is older): the place stays Processing.
  // So when the update leaves Selected and some locked places were Queued, the UPDATE itself
  // counts the ones it really took out of the queue.
  const queuedIds = c.raw_queued ?? [];
  const recount = queuedIds.length > 0;
  const statement = (prefix: SQL | null): SQL =>
    recount
      ? sql`WITH ${prefix ? sql`${prefix},` : sql``}
          updated AS (${update} RETURNING ${t.id} AS id, ${t.deep_scan_status} AS scan)
        SELECT count(*) FILTER (WHERE scan IS NULL
          AND id = ANY(${sql.param(queuedIds)}::int[]))::int AS dequeued
        FROM updated`
      : prefix
        ? sql`WITH ${prefix} ${update}`
        : update;
  let result: { rows: { dequeued?: number }[] } | null = null;
  let undoToken: string | null = null;
  if (options.journal !== false && wantsUndo(c, status)) {
    // One statement: the user's retired undo entries go (past the window, or beyond the stack's
    // depth), the journal reads the rows before the update (every part of a statement sees the
    // same snapshot), the update.
    undoToken = randomUUID();
    result = await tx.execute(
      statement(sql`previous AS (DELETE FROM ${statusUndo} WHERE ${retiredUndoEntries(statusUndo, userId, now)}),
        journal AS (${journalSql(undoToken, userId, status, now, touched)})`),
    );
  } else if (c.touched.length > 0) result = await tx.execute(statement(null));
  if (recount) {
    const dequeued = result?.rows[0]?.dequeued ?? 0;
    c.processing += c.queued - dequeued;
    c.queued = dequeued;
  }
  const absent = new Set(c.missing);
  const notFound = target.kind === 'ids' ? target.ids.filter((id) => absent.has(id)) : [];
  return statusUpdateResult(c, status, notFound, undoToken);
}

export interface PgPlacesRepositoryOptions {
  pageMarks?: PageMarksOptions;
}

export function createPgPlacesRepository(
  db: Db,
  options: PgPlacesRepositoryOptions = {},
): PlacesRepository & { pageMarks: PageMarks } {
  const marks = createPageMarks(db, options.pageMarks);
  /** A range's rows: the page's ids from the sort's index, then those rows (paging.ts). */
  const reader: RangeReader = {
    async rows(range, limit, offset) {
      const page = db
        .select({ id: t.id })
        .from(t)
        .where(range.where)
        .orderBy(...range.order)
        .limit(limit)
        .offset(offset)
        .as('page');
      return db
        .select({ ...listColumns(t), deep_scan_status: pgScanState(t) })
        .from(t)
        .innerJoin(page, eq(t.id, page.id))
        .orderBy(...range.order);
    },
    async count(range) {
      const [row] = await db.select({ n: count() }).from(t).where(range.where);
      return row?.n ?? 0;
    },
  };

  /** The place a keyset page continues after, if it is still there. */
  async function pageAnchor(placeId: string, sort: string | undefined): Promise<PageAnchor | null> {
    const { column } = sortKey(t, sort);
    const [row] = await db
      .select({ id: t.id, isNull: sql<boolean>`${column} IS NULL` })
      .from(t)
      .where(eq(t.place_id, placeId));
    return row ?? null;
  }

  return {
    pageMarks: marks,

    async listPage(filter: PlaceFilter, sort, limit, offset, after) {
      const anchor = after ? await pageAnchor(after, sort) : null;
      const where = filterCondition(t, filter);
      // A jump deep into the whole grid starts from a page mark (page-marks.ts) when there is one.
      if (!anchor && !where) {
        const marked = await marks.page(reader, sort, limit, offset);
        if (marked) return marked;
      }
      // PostgreSQL's btree keeps NULLs high: an ascending scan already ends with them.
      const ranges = pageRanges(t, sort, where, 'asc', anchor ?? undefined);
      return readPageRanges(reader, ranges, limit, anchor ? 0 : offset);
    },

    async count(filter) {
      const [row] = await db.select({ n: count() }).from(t).where(filterCondition(t, filter));
      return row?.n ?? 0;
    },

    async scansOf(placeIds) {
      if (placeIds.length === 0) return [];
      return db
        .select(scanColumns(localBusinesses))
        .from(localBusinesses)
        .where(inArray(localBusinesses.place_id, placeIds));
    },

    async findOne(placeId) {
      const [place] = await db
        .select({ ...getTableColumns(t), deep_scan_status: pgScanState(t) })
        .from(t)
        .where(eq(t.place_id, placeId));
      if (!place) return null;
      const [localBusiness] = await db
        .select()
        .from(localBusinesses)
        .where(eq(localBusinesses.place_id, placeId));
      return { place, localBusiness: localBusiness ?? null };
    },

    async updateStatus(target, status: PlaceStatus, userId, now): Promise<StatusUpdateResult> {
      return transactionWithRetry(db, (tx) =>
        updateStatusInTransaction(tx, target, status, userId, now),
      );
    },

    async updateStatuses(decisions, userId, now) {
      return transactionWithRetry(db, async (tx) => {
        const results: StatusUpdateResult[] = [];
        for (const d of decisions) {
          results.push(await updateStatusInTransaction(tx, d.target, d.status, userId, now));
        }
        return results;
      });
    },

    async previewStatusUpdate(target, status) {
      const match = targetCondition(t, target, idIn);
      const [c] = await db.select(statusUpdateCounts(t, status)).from(t).where(match);
      const notFound =
        target.kind === 'ids' && c!.matched < target.ids.length
          ? missingIds(
              target.ids,
              (await foundPlaces(db, target.ids)).map((p) => p.place_id),
            )
          : [];
      return statusUpdateResult(c!, status, notFound, null);
    },

    async undoStatusUpdate(token, userId, now, notBefore) {
      return transactionWithRetry(db, async (tx) => {
        const [entry] = await tx
          .select({
            status: statusUndo.status,
            applied_at: statusUndo.applied_at,
            total: sql<number>`jsonb_array_length(${statusUndo.previous})`,
          })
          .from(statusUndo)
          .where(and(eq(statusUndo.token, token), eq(statusUndo.user_id, userId)))
          .for('update');
        if (!entry || entry.applied_at < notBefore) return null;
        const restored = await tx.execute(
          restoreSql(token, { status: entry.status, appliedAt: entry.applied_at, userId }, now),
        );
        await tx.delete(statusUndo).where(eq(statusUndo.token, token));
        const restoredCount = restored.rowCount ?? 0;
        return { restored_count: restoredCount, skipped_count: entry.total - restoredCount };
      });
    },

    async queueDeepScan(ids, userId, now) {
      return transactionWithRetry(db, async (tx) => {
        const queued = await tx
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
          .returning({ place_id: t.place_id });
        const found = await foundPlaces(tx, ids);
        return queueResult(ids, queued.length, found);
      });
    },

    async countByStatus() {
      // The counts the triggers keep (sql/pg/0011), not a scan of the places, with the places
      // being scanned (Queued with a lease, sql/pg/0019) moved from Queued to Processing.
      const c = placeCounts;
      const { rows: found } = await db.execute<{
        status: PlaceStatus;
        deep_scan_status: DeepScanStatus | null;
        n: number;
        deltas: number;
      }>(sql`
        WITH being AS MATERIALIZED (${BEING_SCANNED})
        SELECT status, deep_scan_status, sum(n)::int AS n, sum(deltas)::int AS deltas FROM (
          SELECT ${c.status} AS status, ${c.deep_scan_status} AS deep_scan_status, ${c.n} AS n,
                 1 AS deltas
          FROM ${c}
          UNION ALL SELECT status, 'Queued', -n, 0 FROM being
          UNION ALL SELECT status, 'Processing', n, 0 FROM being
        ) AS counted
        GROUP BY status, deep_scan_status`);
      const rows = found.map((row) => ({ ...row, n: Number(row.n), deltas: Number(row.deltas) }));
      if (rows.reduce((sum, row) => sum + row.deltas, 0) > PLACE_COUNTS_FOLD_AT) {
        await foldPlaceCounts(db);
        // Writes come through here now and then: the page order's change log is kept short too.
        await pruneOrderChanges(db);
      }
      return rows
        .filter((row) => row.n !== 0)
        .map(({ status, deep_scan_status, n }) => ({ status, deep_scan_status, n }));
    },

    async insertPlaces(rows: NewPlaceRow[]) {
      return db.transaction(async (tx) => {
        let inserted = 0;
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const result = await tx.execute(bulkInsertPlacesPg(rows.slice(i, i + INSERT_CHUNK)));
          inserted += result.rowCount ?? 0;
        }
        return inserted;
      });
    },
  };
}
