import { fillPlaceholders } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlaceFilter } from '../../src-shared/contract';
import { placesStaging as t } from '../../src-main/db/schema.sqlite';
import type { SqliteStore } from '../../src-main/db/store';
import { pageRanges } from '../../src-main/places/paging';
import { createPlacesService, placesRepositoryFor } from '../../src-main/places/service';
import { ID_FILTER_INDEX, sqlitePageFilter } from '../../src-main/places/sqlite-page-filter';
import { pageIdsQuery } from '../../src-main/places/sqlite-repository';
import { fill } from '../support/deep-pages-fixture';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * sql/sqlite/0020: the embedded store's sort indexes are (column, id), so that a decision does
 * not rewrite them. A filtered page in one of those orders must still skip its rows from indexes
 * alone: the sort's index for the order, places_staging_id_filter_idx for the filter (its rows
 * are compared with the naive query's in deep-pages.test.ts; this file checks how SQLite reads
 * them). Without statistics, as the app runs: it never runs ANALYZE.
 */

describe('SQLite grid pages in a narrow index order check the filters by id', () => {
  let handle: TestStoreHandle;
  let store: SqliteStore;

  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    store = (await handle.open()) as SqliteStore;
    await fill(createPlacesService(placesRepositoryFor(store)), store);
  });
  afterAll(() => handle.dispose());

  /** SQLite's plan of each range's id statement, the repository's own (50 ids after 200). */
  function plans(filter: PlaceFilter, sort: string): string[] {
    return pageRanges(t, sort, sqlitePageFilter(filter, {}, sort), 'desc').map((range) => {
      const query = pageIdsQuery(store.db, range).toSQL();
      return store.sqlite
        .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .all(...fillPlaceholders(query.params, { limit: 50, offset: 200 }))
        .map((row) => (row as { detail: string }).detail)
        .join(' | ');
    });
  }

  test.each([
    [{ status: 'New' }, 'rating:desc', 'rating'],
    [{ status: 'Maybe' }, 'address', 'formatted_address'],
    [{ deep_scan_status: 'Queued' }, 'category:desc', 'business_type'],
    [{ status: 'Selected', deep_scan_status: 'none' }, 'reviews_count', 'user_ratings_total'],
    [{ status: 'Selected', deep_scan_status: 'Completed' }, 'business_name', 'name'],
  ] as const)('%o by %s', (filter, sort, column) => {
    for (const plan of plans(filter as PlaceFilter, sort)) {
      expect(plan).toContain(`COVERING INDEX places_staging_sort_${column}_idx`);
      expect(plan).toContain(`COVERING INDEX ${ID_FILTER_INDEX}`);
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });

  test('the name order with one filter reads (status, name, id) alone', () => {
    expect(plans({ status: 'New' }, 'business_name')).toEqual([
      expect.stringContaining('COVERING INDEX places_staging_status_name_idx (status=?)'),
    ]);
    expect(plans({ status: 'New' }, 'business_name')[0]).not.toContain(ID_FILTER_INDEX);
  });

  test('orders whose index carries the filters keep the plain condition', () => {
    for (const sort of ['status', 'deep_scan_status', 'updated_at:desc', 'updated_by']) {
      for (const plan of plans({ status: 'Maybe' }, sort)) {
        expect(plan, sort).not.toContain(ID_FILTER_INDEX);
      }
    }
  });
});
