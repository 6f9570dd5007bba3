import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  listPlacesInput,
  type ListPlacesInput,
  type PlaceFilter,
  type PlaceListItem,
} from '../../src-shared/contract';
import { SORTABLE_FIELDS, type SortField } from '../../src-shared/domain';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { Store } from '../../src-main/db/store';
import { filterCondition, listColumns, type ListKey } from '../../src-main/places/queries';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { toListItem } from '../../src-main/places/to-output';
import type { PlaceListRow } from '../../src-main/places/repository';
import { setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

/**
 * Issue 11, deep pages: a page is read from the sort's index (ids first, then those rows; NULLs
 * as a second range; keyset after a named place), never by OFFSET over the rows. Every such
 * page must be exactly the page of the naive query it replaced, `ORDER BY <column> <dir> NULLS
 * LAST, id <dir> LIMIT n OFFSET k`, spelled out here, for every sortable column, both
 * directions, with and without filters, over places full of ties and NULLs.
 */

/** The table column behind each sortable field. */
const SORT_COLUMN: Record<SortField, ListKey> = {
  place_id: 'place_id',
  business_name: 'name',
  address: 'formatted_address',
  category: 'business_type',
  search_location: 'search_location',
  rating: 'rating',
  reviews_count: 'user_ratings_total',
  price_level: 'price_level',
  status: 'status',
  deep_scan_status: 'deep_scan_status',
  updated_at: 'updated_at',
  updated_by: 'updated_by',
};

const FILTERS: PlaceFilter[] = [
  {},
  { status: 'New' },
  { deep_scan_status: 'none' },
  { status: 'Selected', deep_scan_status: 'Queued' },
  { q: 'oak' },
];

/** Not a divisor of anything here: page boundaries fall inside runs of ties and across NULLs. */
const SIZE = 113;

/** The page as the grid read it before issue 11. */
async function naivePage(
  store: Store,
  filter: PlaceFilter,
  sort: string,
  limit: number,
  offset: number,
): Promise<PlaceListItem[]> {
  const [field, direction] = sort.split(':') as [SortField, string | undefined];
  const dir = sql.raw(direction === 'desc' ? 'DESC' : 'ASC');
  const order = <T extends typeof pgSchema.placesStaging | typeof sqliteSchema.placesStaging>(
    t: T,
  ) => sql`${t[SORT_COLUMN[field]]} ${dir} NULLS LAST, ${t.id} ${dir}`;
  let rows: PlaceListRow[];
  if (store.kind === 'postgres') {
    const t = pgSchema.placesStaging;
    rows = await store.db
      .select(listColumns(t))
      .from(t)
      .where(filterCondition(t, filter))
      .orderBy(order(t))
      .limit(limit)
      .offset(offset);
  } else {
    const t = sqliteSchema.placesStaging;
    rows = store.db
      .select(listColumns(t))
      .from(t)
      .where(filterCondition(t, filter))
      .orderBy(order(t))
      .limit(limit)
      .offset(offset)
      .all();
  }
  return rows.map(toListItem);
}

/**
 * 1,200 sample places (few distinct names, ratings, prices, cities: long runs of ties; ratings
 * and prices partly NULL), 60 bare places (the same name, NULL address, category, location,
 * rating...), 40 twins (the same in every sortable column), and decisions by two reviewers at one instant (ties on updated_at and updated_by,
 * NULL updated_by elsewhere), with every scan state.
 */
async function fill(places: PlacesService, store: Store): Promise<void> {
  for (const chunk of samplePlaces(1200, 23, 400)) await places.insertPlaces(chunk);
  await places.insertPlaces(
    Array.from({ length: 60 }, (_, i) => ({ place_id: `bare-${i}`, name: 'Blue Oak Bare' })),
  );
  await places.insertPlaces(
    Array.from({ length: 40 }, (_, i) => ({
      place_id: `twin-${i}`,
      name: 'Twin Oak Cafe',
      formatted_address: '1 Main St, Austin, TX 78701, USA',
      business_type: 'cafe',
      search_location: 'Austin, TX',
      rating: 4.5,
      user_ratings_total: 10,
      price_level: 2,
    })),
  );
  await places.updateStatus({ filter: { q: 'copper' }, status: 'Selected' }, 'alice');
  await places.updateStatus({ filter: { q: 'austin' }, status: 'Selected' }, 'alice');
  await places.updateStatus({ filter: { q: 'maple' }, status: 'Maybe' }, 'bob');
  await places.updateStatus(
    { place_ids: ['bare-1', 'bare-2', 'bare-3'], status: 'Selected' },
    'bob',
  );
  const selected = await places.list(listPlacesInput.parse({ status: 'Selected', size: 30 }));
  const states = ['Processing', 'Completed', 'Error'] as const;
  for (const [i, item] of selected.items.entries()) {
    await setScanState(store, item.place_id, { deep_scan_status: states[i % 3]! });
  }
}

describe.each(STORE_KINDS)('deep pages on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    await fill(places, store);
  });
  afterAll(() => handle.dispose());

  const page = async (input: Partial<Record<keyof ListPlacesInput, unknown>>) =>
    (await places.list(listPlacesInput.parse({ ...input, include_total: false }))).items;

  test('the fixture has ties and NULLs in every nullable column, and filters that match', async () => {
    const all = await naivePage(store, {}, 'place_id', 10_000, 0);
    expect(all).toHaveLength(1300);
    for (const key of [
      'address',
      'category',
      'search_location',
      'rating',
      'reviews_count',
      'price_level',
      'deep_scan_status',
      'updated_by',
    ] as const) {
      const values = all.map((p) => p[key]);
      expect(values, key).toContain(null);
      const runs = new Map<unknown, number>();
      for (const v of values) if (v !== null) runs.set(v, (runs.get(v) ?? 0) + 1);
      expect(Math.max(...runs.values()), `the longest tie in ${key}`).toBeGreaterThanOrEqual(40);
    }
    for (const filter of FILTERS) {
      expect((await naivePage(store, filter, 'place_id', 10_000, 0)).length).toBeGreaterThan(SIZE);
    }
  });

  const sorts = SORTABLE_FIELDS.flatMap((field) => [field, `${field}:desc`]);

  test.each(sorts)(
    'by %s: every page, by number and by keyset, is the naive page',
    async (sort) => {
      for (const filter of FILTERS) {
        const expected = await naivePage(store, filter, sort, 10_000, 0);
        const pages = Math.ceil(expected.length / SIZE);
        for (let n = 1; n <= pages + 1; n++) {
          const want = expected.slice((n - 1) * SIZE, n * SIZE);
          const where = `${JSON.stringify(filter)} page ${n}`;
          // The naive query's own page, to be sure the whole list is the naive query's order.
          expect(await naivePage(store, filter, sort, SIZE, (n - 1) * SIZE), where).toEqual(want);
          expect(await page({ ...filter, sort, size: SIZE, page: n }), where).toEqual(want);
          if (n > 1) {
            const after = expected[Math.min((n - 1) * SIZE, expected.length) - 1]!.place_id;
            expect(
              await page({ ...filter, sort, size: SIZE, page: n, after }),
              `${where} after`,
            ).toEqual(want);
          }
        }
      }
    },
  );

  test('a keyset page after a place that is gone is read by its number', async () => {
    const want = await naivePage(store, { status: 'New' }, 'rating:desc', SIZE, 4 * SIZE);
    expect(
      await page({
        status: 'New',
        sort: 'rating:desc',
        size: SIZE,
        page: 5,
        after: 'no-such-place',
      }),
    ).toEqual(want);
  });

  test('a keyset page continues after a place outside the filter, from its place in the order', async () => {
    for (const sort of ['rating', 'rating:desc', 'updated_by:desc']) {
      const everyone = await naivePage(store, {}, sort, 10_000, 0);
      const maybe = everyone.find((p) => p.status === 'Maybe' && p.rating !== null)!;
      // bare-0 is New, without a rating or a reviewer: among the NULLs.
      for (const anchor of [maybe.place_id, 'bare-0']) {
        const rest = everyone.slice(everyone.findIndex((p) => p.place_id === anchor) + 1);
        expect(
          await page({ status: 'Selected', sort, size: 1000, page: 2, after: anchor }),
          `${sort} after ${anchor}`,
        ).toEqual(rest.filter((p) => p.status === 'Selected'));
      }
    }
  });
});
