import { sql } from 'drizzle-orm';
import { AppError } from '../../src-shared/errors';
import * as pgSchema from '../db/schema.pg';
import * as sqliteSchema from '../db/schema.sqlite';
import type { Store } from '../db/store';
import { bulkInsertPlacesPg, bulkInsertPlacesSqlite } from './bulk-insert';
import { samplePlaces } from './sample-data';

/** Rows per INSERT statement (one JSON parameter each). */
const CHUNK = 5000;

export const SAMPLE_DATA_FORBIDDEN =
  'Sample data can only be loaded into an empty store or in single-user mode: this shared store already has places, and fake ones would mix with the team\u2019s leads.';

export interface SampleDataLoader {
  /** Inserts `count` sample places in one transaction; returns how many were inserted. */
  load(count: number, seed: number): Promise<number>;
}

/**
 * Sample data for a first run. In single-user mode (`singleUser`) any store takes it; otherwise
 * only an empty one, checked and filled in one transaction that holds the table against every
 * other writer, so two requests on an empty store can't both insert.
 */
export function createSampleDataLoader(store: Store, options: { singleUser: boolean }) {
  const refuse = () => new AppError('forbidden', SAMPLE_DATA_FORBIDDEN);
  if (store.kind === 'postgres') {
    const t = pgSchema.placesStaging;
    return {
      load: (count: number, seed: number) =>
        store.db.transaction(async (tx) => {
          // SHARE ROW EXCLUSIVE conflicts with itself and with the lock every INSERT, UPDATE and
          // DELETE takes: a second loader waits here, then sees the first one's rows.
          await tx.execute(sql`LOCK TABLE ${t} IN SHARE ROW EXCLUSIVE MODE`);
          if (!options.singleUser) {
            const { rows } = await tx.execute<{ found: boolean }>(
              sql`SELECT EXISTS (SELECT 1 FROM ${t}) AS found`,
            );
            if (rows[0]?.found) throw refuse();
          }
          let inserted = 0;
          for (const chunk of samplePlaces(count, seed, CHUNK))
            inserted += (await tx.execute(bulkInsertPlacesPg(chunk))).rowCount ?? 0;
          return inserted;
        }),
    } satisfies SampleDataLoader;
  }
  const t = sqliteSchema.placesStaging;
  return {
    load: async (count: number, seed: number) =>
      // BEGIN IMMEDIATE: the write lock is taken before the check.
      store.db.transaction(
        (tx) => {
          if (!options.singleUser && tx.get(sql`SELECT 1 AS found FROM ${t} LIMIT 1`)) {
            throw refuse();
          }
          let inserted = 0;
          for (const chunk of samplePlaces(count, seed, CHUNK))
            inserted += tx.run(bulkInsertPlacesSqlite(chunk)).changes;
          return inserted;
        },
        { behavior: 'immediate' },
      ),
  } satisfies SampleDataLoader;
}
