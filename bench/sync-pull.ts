/**
 * The first pull of a replica (src-main/sync/pull.ts) against the bare drivers doing the same
 * work: reading the same rows (places with their businesses, in the replica's form) from
 * PostgreSQL in pages and inserting them into an empty SQLite file of the same schema in one
 * transaction. One row of `npm run bench:sync` (bench/sync.bench.ts). Not a timed test.
 * Issue 8's number: a first pull of 1,000,000 places within 2x of the bare drivers.
 */
import { performance } from 'node:perf_hooks';
import { getTableColumns, type Column } from 'drizzle-orm';
import * as pgSchema from '../src-main/db/schema.pg';
import type { PgStore, SqliteStore } from '../src-main/db/store';
import { createPlacesService, placesRepositoryFor } from '../src-main/places/service';
import { samplePlaces } from '../src-main/places/sample-data';
import { pullChanges } from '../src-main/sync/pull';
import { createTestStore, type TestStoreHandle } from '../test/support/stores';
import type { Row } from './support';
import { median } from './stats';

const columns = (table: typeof pgSchema.placesStaging | typeof pgSchema.localBusinesses) =>
  Object.values(getTableColumns(table) as Record<string, Column>).filter((c) => c.name !== 'id');
const PLACE = columns(pgSchema.placesStaging);
const BUSINESS = columns(pgSchema.localBusinesses);
const value = (alias: string, c: Column) => {
  const ref = `${alias}."${c.name}"`;
  const type = c.getSQLType();
  if (type.startsWith('timestamp')) return `floor(extract(epoch FROM ${ref}) * 1000)::float8`;
  return type === 'jsonb' ? `${ref}::text` : ref;
};

/** Bare pg + better-sqlite3: keyset pages by id, plain INSERTs, one SQLite transaction. */
async function bareCopy(server: PgStore, replica: SqliteStore, pageSize: number): Promise<number> {
  const db = replica.sqlite;
  const insert = (table: string, cols: Column[]) =>
    db.prepare(
      `INSERT INTO ${table} (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
  const insertPlace = insert('places_staging', PLACE);
  const insertBusiness = insert('local_businesses', BUSINESS);
  const select = `SELECT p.id, ${PLACE.map((c) => value('p', c)).join(', ')}, b.place_id IS NOT NULL,
      ${BUSINESS.map((c) => value('b', c)).join(', ')}
    FROM places_staging p LEFT JOIN local_businesses b ON b.place_id = p.place_id
    WHERE p.id > $1 ORDER BY p.id LIMIT $2`;
  let copied = 0;
  let after = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (;;) {
      const { rows } = await server.pool.query<unknown[]>({
        text: select,
        values: [after, pageSize],
        rowMode: 'array',
      });
      for (const row of rows) {
        insertPlace.run(row.slice(1, 1 + PLACE.length));
        if (row[1 + PLACE.length]) insertBusiness.run(row.slice(2 + PLACE.length));
      }
      copied += rows.length;
      if (rows.length < pageSize) break;
      after = rows.at(-1)![0] as number;
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return copied;
}

/** Median times of `runs` first pulls of `rows` places and of the bare copy, alternately. */
export async function measureFirstPull(options: {
  rows: number;
  runs: number;
  page: number;
}): Promise<Row> {
  const { rows: ROWS, runs: RUNS, page: PAGE } = options;
  const serverHandle = await createTestStore('postgres');
  const replicas: TestStoreHandle[] = [];
  try {
    const server = (await serverHandle.open()) as PgStore;
    const places = createPlacesService(placesRepositoryFor(server));
    const seeded = performance.now();
    for (const chunk of samplePlaces(ROWS, 5, 10_000)) await places.insertPlaces(chunk);
    // One place in ten has been scanned.
    await server.pool.query(
      `INSERT INTO local_businesses (place_id, business_name, full_address, phone, website_url,
         main_category, extra_categories, rating, reviews_count, monday_hours, additional_json)
       SELECT place_id, name, formatted_address, '+1 512-555-0100', 'https://example.com/', 'Cafe',
              '["cafe","bakery"]', 4.5, 120, '7:00 AM – 6:00 PM', jsonb_build_object('id', place_id)
       FROM places_staging WHERE id % 10 = 0`,
    );
    await server.pool.query('VACUUM ANALYZE');
    console.error(`seeded ${ROWS} places in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const fresh = async () => {
      const handle = await createTestStore('sqlite');
      replicas.push(handle);
      return (await handle.open()) as SqliteStore;
    };
    const time = async (fn: () => Promise<number>) => {
      const start = performance.now();
      const n = await fn();
      if (n !== ROWS) throw new Error(`copied ${n} rows, expected ${ROWS}`);
      return performance.now() - start;
    };
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternately, each on a new empty replica file.
      const a = await fresh();
      subject.push(
        await time(async () => (await pullChanges(server, a, { pageSize: PAGE })).applied),
      );
      const b = await fresh();
      baseline.push(await time(() => bareCopy(server, b, PAGE)));
      for (const h of replicas.splice(0)) await h.dispose();
      console.error(
        `run ${i + 1}: pull ${subject.at(-1)!.toFixed(0)} ms, bare ${baseline.at(-1)!.toFixed(0)} ms`,
      );
    }
    return {
      store: 'postgres -> sqlite',
      measure: `first pull of ${ROWS.toLocaleString('en-US')} places (pages of ${PAGE}), pullChanges vs bare pg + better-sqlite3`,
      subject: median(subject),
      baseline: median(baseline),
      target: 2,
    };
  } finally {
    for (const h of replicas) await h.dispose();
    await serverHandle.dispose();
  }
}
