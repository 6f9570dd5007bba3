import { and, count, eq, not, sql, type SQL } from 'drizzle-orm';
import type { PlaceStatus } from '../../src-shared/domain';
import type { NewPlaceRow } from '../db/rows';
import { localBusinesses, placesStaging as t } from '../db/schema.sqlite';
import type { SqliteStore } from '../db/store';
import {
  filterCondition,
  listColumns,
  orderBy,
  queueable,
  statusUpdate,
  statusUpdateCounts,
} from './queries';
import { bulkInsertPlacesSqlite } from './bulk-insert';
import { missingIds, type PlacesRepository, type UpdateTarget } from './repository';

type Db = SqliteStore['db'];

/** One JSON parameter, never one placeholder per id (SQLite allows 32,766). */
const idIn = (ids: string[]): SQL =>
  sql`${t.place_id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

function targetCondition(target: UpdateTarget): SQL | undefined {
  if (target.kind === 'ids') return idIn(target.ids);
  const filter = filterCondition(t, target.filter);
  const exclude = target.excludeIds.length ? not(idIn(target.excludeIds)) : undefined;
  return and(filter, exclude);
}

function foundIds(db: Db, ids: string[]): string[] {
  return db
    .select({ place_id: t.place_id })
    .from(t)
    .where(idIn(ids))
    .all()
    .map((r) => r.place_id);
}

/** Rows per INSERT statement (one JSON parameter each). */
const INSERT_CHUNK = 5000;

export function createSqlitePlacesRepository(db: Db): PlacesRepository {
  return {
    async listPage(filter, sort, limit, offset) {
      return db
        .select(listColumns(t))
        .from(t)
        .where(filterCondition(t, filter))
        .orderBy(...orderBy(t, sort))
        .limit(limit)
        .offset(offset)
        .all();
    },

    async count(filter) {
      return db.select({ n: count() }).from(t).where(filterCondition(t, filter)).get()?.n ?? 0;
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
      const match = targetCondition(target);
      // better-sqlite3 runs this synchronously under BEGIN IMMEDIATE: nothing can change the
      // rows between the count and the update, and any throw rolls both back.
      return db.transaction(
        (tx) => {
          const c = tx.select(statusUpdateCounts(t, status)).from(t).where(match).get()!;
          const { set, touch } = statusUpdate(t, status, userId, now);
          tx.update(t).set(set).where(and(match, touch)).run();
          const notFound =
            target.kind === 'ids' && c.matched < target.ids.length
              ? missingIds(target.ids, foundIds(tx as unknown as Db, target.ids))
              : [];
          return {
            matched: c.matched,
            updated: c.updated,
            queued: status === 'Selected' ? c.queueable : 0,
            dequeued: status === 'Selected' ? 0 : c.queued,
            alreadyScanned: status === 'Selected' ? c.completed : 0,
            alreadyInQueue: status === 'Selected' ? c.queued + c.processing : 0,
            notFound,
          };
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
            .where(and(idIn(ids), queueable(t)))
            .run().changes;
          const found = foundIds(tx as unknown as Db, ids);
          return { queued, skipped: found.length - queued, notFound: missingIds(ids, found) };
        },
        { behavior: 'immediate' },
      );
    },

    async countByStatus() {
      return db
        .select({ status: t.status, deep_scan_status: t.deep_scan_status, n: count() })
        .from(t)
        .groupBy(t.status, t.deep_scan_status)
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
