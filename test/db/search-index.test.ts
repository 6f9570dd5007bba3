import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput } from '../../src-shared/contract';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { PgStore, SqliteStore } from '../../src-main/db/store';
import { filterCondition, listColumns, orderBy } from '../../src-main/places/queries';
import { sqlitePagePlan } from '../../src-main/places/sqlite-search-plan';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * The search indexes of sql/*\/0010: SQLite's trigram FTS5 table is kept by the database, whoever
 * writes a place, and a search is answered from it; PostgreSQL's trigram GIN index (on its own
 * places_search since sql/pg/0016) answers every term's LIKE.
 */

describe('SQLite: places_search', () => {
  let handle: TestStoreHandle;
  let store: SqliteStore;
  let places: PlacesService;

  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    store = (await handle.open()) as SqliteStore;
    places = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(300, 3)) await places.insertPlaces(chunk);
  });
  afterAll(() => handle.dispose());

  /** The rows of the index that differ from the places' search_text (none when it is right). */
  const drift = () =>
    store.sqlite
      .prepare(
        `SELECT p.id, p.search_text AS expected, s.search_text AS indexed
         FROM places_staging p LEFT JOIN places_search s ON s.rowid = p.id
         WHERE s.search_text IS NOT p.search_text
         UNION ALL
         SELECT s.rowid, NULL, s.search_text FROM places_search s
         WHERE s.rowid NOT IN (SELECT id FROM places_staging)`,
      )
      .all();
  const found = async (q: string) =>
    (await places.list(listPlacesInput.parse({ q, size: 1000 }))).items
      .map((i) => i.place_id)
      .sort();

  test('holds every place as it is, whoever writes it and however', async () => {
    expect(drift()).toEqual([]);
    const run = (sql: string, ...params: unknown[]) => store.sqlite.prepare(sql).run(...params);
    run("INSERT INTO places_staging (place_id, name) VALUES ('ascii', 'Plain Bakery')");
    run("INSERT INTO places_staging (place_id, name) VALUES ('latin', 'Crème Brûlée Łódź')");
    run("INSERT INTO places_staging (place_id, name) VALUES ('greek', 'Καφενείο Ωμέγα')");
    run(
      "INSERT INTO places_staging (place_id, name, search_text) VALUES ('given', 'Given Name', 'stale text')",
    );
    run("INSERT OR IGNORE INTO places_staging (place_id, name) VALUES ('ascii', 'Ignored')");
    run(
      `INSERT INTO places_staging (place_id, name) VALUES ('latin', 'Upserted Épicerie')
       ON CONFLICT (place_id) DO UPDATE SET name = excluded.name`,
    );
    expect(drift()).toEqual([]);
    expect(await found('epicerie upserted')).toEqual(['latin']);
    expect(await found('stale')).toEqual([]);
    expect(await found('given name')).toEqual(['given']);
    expect(await found('ωμεγα καφενειο')).toEqual(['greek']);

    run("UPDATE places_staging SET name = 'Renamed Bakery' WHERE place_id = 'ascii'");
    run("UPDATE places_staging SET search_text = 'by hand' WHERE place_id = 'greek'");
    run("DELETE FROM places_staging WHERE place_id = 'given'");
    expect(drift()).toEqual([]);
    expect(await found('renamed bakery')).toEqual(['ascii']);
    expect(await found('plain bakery')).toEqual([]);
    expect(await found('given')).toEqual([]);
  });

  test('a search reads the index for its terms of 3 characters or more, and only then', () => {
    // The plan of the count the service runs for the search.
    const plan = (q: string) => {
      const t = sqliteSchema.placesStaging;
      const built = store.db
        .select({ n: count() })
        .from(t)
        .where(filterCondition(t, { q }))
        .toSQL();
      return (
        store.sqlite.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('\n');
    };
    expect(plan('blue oak chicago')).toMatch(/places_search VIRTUAL TABLE INDEX/);
    expect(plan('st 2')).not.toMatch(/places_search/);
  });
  test('a page is the same with the index or without it; the cheaper way is chosen', () => {
    const t = sqliteSchema.placesStaging;
    const page = (q: string, sort: string, offset: number, sqliteIndex: boolean) =>
      store.db
        .select(listColumns(t))
        .from(t)
        .where(filterCondition(t, { q }, { sqliteIndex }))
        .orderBy(...orderBy(t, sort))
        .limit(50)
        .offset(offset)
        .all()
        .map((r) => r.place_id);
    for (const q of ['blue oak', 'usa', 'kitchen austin', '"main st" 2', 'st 1', 'zzz']) {
      for (const sort of ['business_name', 'rating:desc', 'updated_at']) {
        for (const offset of [0, 50]) {
          expect(page(q, sort, offset, true), `${q} ${sort} ${offset}`).toEqual(
            page(q, sort, offset, false),
          );
        }
      }
    }
    // Every place holds "usa": the first row in name order is the first match.
    expect(sqlitePagePlan(store.db, 'usa', 'business_name', 1)).toEqual({ sqliteIndex: false });
    expect(sqlitePagePlan(store.db, 'plain bakery', 'business_name:desc', 100)).toEqual({
      sqliteIndex: true,
    });
    // No index gives the rating order: the index narrows the rows to sort.
    expect(sqlitePagePlan(store.db, 'usa', 'rating', 1)).toEqual({});
    expect(sqlitePagePlan(store.db, 'st 1', 'business_name', 1)).toEqual({});
  });
});

describe('PostgreSQL: the trigram index', () => {
  let handle: TestStoreHandle;
  let store: PgStore;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
    const places = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(300, 3)) await places.insertPlaces(chunk);
  });
  afterAll(() => handle.dispose());

  test("answers every term's LIKE (with its escapes)", async () => {
    const t = pgSchema.placesStaging;
    const built = store.db
      .select({ n: count() })
      .from(t)
      .where(filterCondition(t, { q: 'blue 100% oak' }))
      .toSQL();
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ANALYZE places_search');
      await client.query('SET LOCAL enable_seqscan = off');
      // A few hundred places: walking places_search's primary key would be cheaper still.
      await client.query('SET LOCAL enable_indexscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${built.sql}`,
        built.params,
      );
      await client.query('ROLLBACK');
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Bitmap Index Scan on places_search_text_trgm_idx/);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      client.release();
    }
  });
  test('plans no parallel workers for the grid, even where they look cheapest (sql/pg/0017)', async () => {
    const t = pgSchema.placesStaging;
    const queries = [
      store.db
        .select({ n: count() })
        .from(t)
        .where(filterCondition(t, { q: 'oak' }))
        .toSQL(),
      store.db
        .select({ id: t.id })
        .from(t)
        .where(filterCondition(t, { status: 'New', q: 'cafe' }))
        .orderBy(t.rating, t.id)
        .limit(100)
        .toSQL(),
    ];
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ANALYZE places_search');
      // Parallel plans made free: only the tables' own setting keeps the planner from them.
      for (const setting of [
        'parallel_setup_cost = 0',
        'parallel_tuple_cost = 0',
        'min_parallel_table_scan_size = 0',
        'min_parallel_index_scan_size = 0',
        'max_parallel_workers_per_gather = 4',
      ])
        await client.query(`SET LOCAL ${setting}`);
      for (const built of queries) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN ${built.sql}`,
          built.params,
        );
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).not.toMatch(/Gather|Parallel/);
      }
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});

describe('PostgreSQL: places_search', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let places: PlacesService;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
    places = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(300, 3)) await places.insertPlaces(chunk);
  });
  afterAll(() => handle.dispose());

  /** Each place's search_text as places_search holds it, with the row version that wrote it. */
  const searchRows = async () =>
    (
      await store.pool.query<{ id: number; search_text: string; xmin: string }>(
        'SELECT id, search_text, xmin::text AS xmin FROM places_search ORDER BY id',
      )
    ).rows;
  const stagingRows = async () =>
    (
      await store.pool.query<{ id: number; search_text: string }>(
        'SELECT id, search_text FROM places_staging ORDER BY id',
      )
    ).rows;

  test('places_search holds every place, written only when its search_text changes', async () => {
    const before = await searchRows();
    expect(before.map(({ id, search_text }) => ({ id, search_text }))).toEqual(await stagingRows());
    const { items } = await places.list(listPlacesInput.parse({ size: 30 }));
    const ids = items.map((item) => item.place_id);

    // Decisions (a Selected queues a deep scan too) and a claim leave places_search as it was.
    await places.updateStatus({ place_ids: ids.slice(0, 20), status: 'Maybe' }, 'reviewer');
    await places.updateStatus({ place_ids: ids.slice(10, 30), status: 'Selected' }, 'reviewer');
    await store.pool.query(
      `INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
       SELECT id, 't', 'w', 1, now() + interval '1 minute' FROM places_staging
       WHERE deep_scan_status = 'Queued'`,
    );
    expect(await searchRows()).toEqual(before);

    // A new name, a new place, a deleted place: places_search follows each.
    const renamed = ids[0]!;
    await store.pool.query(
      `UPDATE places_staging SET name = 'Zanzibar Quokka Hall' WHERE place_id = $1`,
      [renamed],
    );
    await places.insertPlaces([{ place_id: 'search-new-place', name: 'Quokka Corner' }]);
    await store.pool.query(`DELETE FROM places_staging WHERE place_id = $1`, [ids[1]]);
    const after = await searchRows();
    expect(after.map(({ id, search_text }) => ({ id, search_text }))).toEqual(await stagingRows());
    const quokkas = await places.list(
      listPlacesInput.parse({ q: 'quokka', sort: 'business_name' }),
    );
    expect(quokkas.items.map((item) => item.place_id)).toEqual(['search-new-place', renamed]);
    expect(quokkas.total).toBe(2);
    // Only the renamed place's row was written again.
    const changed = after.filter((row) => before.find((b) => b.id === row.id)?.xmin !== row.xmin);
    expect(changed.map((row) => row.search_text)).toEqual([
      expect.stringContaining('zanzibar quokka hall'),
      expect.stringContaining('quokka corner'),
    ]);

    await store.pool.query('TRUNCATE places_staging CASCADE');
    expect(await searchRows()).toEqual([]);
  });
});
