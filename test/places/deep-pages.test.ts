import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput, type ListPlacesInput } from '../../src-shared/contract';
import { SORTABLE_FIELDS } from '../../src-shared/domain';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { fill, FILTERS, naivePage, SIZE } from '../support/deep-pages-fixture';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

/**
 * Issue 11, deep pages: a page is read from the sort's index (ids first, then those rows; NULLs
 * as a second range; keyset after a named place), never by OFFSET over the rows. Every such
 * page must be exactly the page of the naive query it replaced, `ORDER BY <column> <dir> NULLS
 * LAST, id <dir> LIMIT n OFFSET k` (test/support/deep-pages-fixture.ts), for every sortable
 * column, both directions, with and without filters, over places full of ties and NULLs.
 */

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
