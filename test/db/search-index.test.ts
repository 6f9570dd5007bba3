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
 * writes a place, and a search is answered from it; PostgreSQL's trigram GIN index answers every
 * term's LIKE.
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
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${built.sql}`,
        built.params,
      );
      await client.query('ROLLBACK');
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Bitmap Index Scan on places_staging_search_text_trgm_idx/);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      client.release();
    }
  });
});
