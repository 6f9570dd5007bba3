import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PlaceFilter } from '../../src-shared/contract';
import type { PlaceStatus } from '../../src-shared/domain';
import { randomUUID } from 'node:crypto';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { localBusinesses, placesStaging as t, statusUndo } from '../db/schema.pg';
import type { PgStore } from '../db/store';
import type { NewPlaceRow } from '../db/rows';
import { errorSummary } from '../error-summary';
import { bulkInsertPlacesPg } from './bulk-insert';
import {
  filterCondition,
  targetCondition,
  listColumns,
  orderBy,
  queueable,
  statusUpdate,
  statusUpdateCounts,
  statusUpdateResult,
  UNDO_COLUMNS,
  wantsUndo,
} from './queries';
import { missingIds, type PlacesRepository, type StatusUpdateResult } from './repository';

type Db = PgStore['db'];
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One array parameter, never one placeholder per id. */
const idIn = (ids: string[]): SQL => sql`${t.place_id} = ANY(${sql.param(ids)}::text[])`;

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

/** Puts back each journalled row still as the update left it and whose scan has not started. */
function restoreSql(token: string, userId: string, status: PlaceStatus, appliedAt: Date): SQL {
  const shape = sql.raw(
    ['place_id', ...UNDO_COLUMNS]
      .map((c) => `${c} ${(t[c as keyof typeof t] as PgColumn).getSQLType()}`)
      .join(', '),
  );
  const assignments = sql.raw(UNDO_COLUMNS.map((c) => `${c} = x.${c}`).join(', '));
  return sql`UPDATE ${t} AS p SET ${assignments}
    FROM ${statusUndo} AS u, jsonb_to_recordset(u.previous) AS x(${shape})
    WHERE u.token = ${token} AND p.place_id = x.place_id
      AND p.status = ${status} AND p.updated_at = ${sql.param(appliedAt, t.updated_at)} AND p.updated_by = ${userId}
      AND (p.deep_scan_status IS NULL OR p.deep_scan_status = 'Queued'
           OR p.deep_scan_status IS NOT DISTINCT FROM x.deep_scan_status)`;
}

/** Rows per INSERT statement (one JSON parameter each). */
const INSERT_CHUNK = 5000;

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/** Runs a transaction, retrying it (twice) when PostgreSQL aborts it for a conflict. */
async function withRetry<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = errorSummary(error).code;
      if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

async function foundIds(tx: Tx | Db, ids: string[]): Promise<string[]> {
  const rows = await tx.select({ place_id: t.place_id }).from(t).where(idIn(ids));
  return rows.map((r) => r.place_id);
}

export function createPgPlacesRepository(db: Db): PlacesRepository {
  return {
    async listPage(filter: PlaceFilter, sort, limit, offset) {
      return db
        .select(listColumns(t))
        .from(t)
        .where(filterCondition(t, filter))
        .orderBy(...orderBy(t, sort))
        .limit(limit)
        .offset(offset);
    },

    async count(filter) {
      const [row] = await db.select({ n: count() }).from(t).where(filterCondition(t, filter));
      return row?.n ?? 0;
    },

    async findOne(placeId) {
      const [place] = await db.select().from(t).where(eq(t.place_id, placeId));
      if (!place) return null;
      const [localBusiness] = await db
        .select()
        .from(localBusinesses)
        .where(eq(localBusinesses.place_id, placeId));
      return { place, localBusiness: localBusiness ?? null };
    },

    async updateStatus(target, status: PlaceStatus, userId, now): Promise<StatusUpdateResult> {
      const match = targetCondition(t, target, idIn);
      return withRetry(db, async (tx) => {
        // Lock the matched rows in id order (no deadlock between two reviewers' updates; the
        // scheduler's SKIP LOCKED claim passes them by), then count them before changing them.
        const locked = tx
          .select({ id: t.id })
          .from(t)
          .where(match)
          .orderBy(asc(t.id))
          .for('update');
        const [counts] = await tx
          .select(statusUpdateCounts(t, status))
          .from(t)
          .where(inArray(t.id, locked));
        const c = counts!;
        const { set, touch } = statusUpdate(t, status, userId, now);
        let undoToken: string | null = null;
        if (wantsUndo(c, status)) {
          undoToken = randomUUID();
          await tx.delete(statusUndo).where(eq(statusUndo.user_id, userId));
          await tx.execute(journalSql(undoToken, userId, status, now, and(match, touch)!));
        }
        await tx.update(t).set(set).where(and(match, touch));
        const notFound =
          target.kind === 'ids' && c.matched < target.ids.length
            ? missingIds(target.ids, await foundIds(tx, target.ids))
            : [];
        return statusUpdateResult(c, status, notFound, undoToken);
      });
    },

    async undoStatusUpdate(token, userId, notBefore) {
      return withRetry(db, async (tx) => {
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
          restoreSql(token, userId, entry.status, entry.applied_at),
        );
        await tx.delete(statusUndo).where(eq(statusUndo.token, token));
        const restoredCount = restored.rowCount ?? 0;
        return { restored_count: restoredCount, skipped_count: entry.total - restoredCount };
      });
    },

    async queueDeepScan(ids, userId, now) {
      return withRetry(db, async (tx) => {
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
          .where(and(idIn(ids), queueable(t)))
          .returning({ place_id: t.place_id });
        const found = await foundIds(tx, ids);
        return {
          queued: queued.length,
          skipped: found.length - queued.length,
          notFound: missingIds(ids, found),
        };
      });
    },

    async countByStatus() {
      return db
        .select({ status: t.status, deep_scan_status: t.deep_scan_status, n: count() })
        .from(t)
        .groupBy(t.status, t.deep_scan_status);
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
