import { and, asc, count, eq, inArray, not, sql, type SQL } from 'drizzle-orm';
import type { PlaceFilter } from '../../src-shared/contract';
import type { PlaceStatus } from '../../src-shared/domain';
import { localBusinesses, placesStaging as t } from '../db/schema.pg';
import type { PgStore } from '../db/store';
import type { NewPlaceRow } from '../db/rows';
import { bulkInsertPlacesPg } from './bulk-insert';
import {
  filterCondition,
  listColumns,
  orderBy,
  queueable,
  statusUpdate,
  statusUpdateCounts,
} from './queries';
import {
  missingIds,
  type PlacesRepository,
  type StatusUpdateResult,
  type UpdateTarget,
} from './repository';

type Db = PgStore['db'];
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One array parameter, never one placeholder per id. */
const idIn = (ids: string[]): SQL => sql`${t.place_id} = ANY(${sql.param(ids)}::text[])`;

function targetCondition(target: UpdateTarget): SQL | undefined {
  if (target.kind === 'ids') return idIn(target.ids);
  const filter = filterCondition(t, target.filter);
  const exclude = target.excludeIds.length ? not(idIn(target.excludeIds)) : undefined;
  return and(filter, exclude);
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
      const code =
        (error as { code?: string; cause?: { code?: string } }).code ??
        (error as { cause?: { code?: string } }).cause?.code;
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
      const match = targetCondition(target);
      return withRetry(db, async (tx) => {
        // Lock the matched rows in id order (no deadlock between two reviewers' updates; the
        // scheduler's SKIP LOCKED claim passes them by), then count them before changing them.
        const locked = tx
          .select({ id: t.id })
          .from(t)
          .where(match)
          .orderBy(asc(t.id))
          .for('update');
        const [c] = await tx
          .select(statusUpdateCounts(t, status))
          .from(t)
          .where(inArray(t.id, locked));
        const { set, touch } = statusUpdate(t, status, userId, now);
        await tx.update(t).set(set).where(and(match, touch));
        const counts = c!;
        const notFound =
          target.kind === 'ids' && counts.matched < target.ids.length
            ? missingIds(target.ids, await foundIds(tx, target.ids))
            : [];
        return {
          matched: counts.matched,
          updated: counts.updated,
          queued: status === 'Selected' ? counts.queueable : 0,
          dequeued: status === 'Selected' ? 0 : counts.queued,
          alreadyScanned: status === 'Selected' ? counts.completed : 0,
          alreadyInQueue: status === 'Selected' ? counts.queued + counts.processing : 0,
          notFound,
        };
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
