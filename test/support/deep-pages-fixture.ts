import { sql } from 'drizzle-orm';
import { listPlacesInput, type PlaceFilter, type PlaceListItem } from '../../src-shared/contract';
import type { SortField } from '../../src-shared/domain';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { Store } from '../../src-main/db/store';
import { filterCondition, listColumns, type ListKey } from '../../src-main/places/queries';
import { samplePlaces } from '../../src-main/places/sample-data';
import type { PlacesService } from '../../src-main/places/service';
import { toListItem } from '../../src-main/places/to-output';
import type { PlaceListRow } from '../../src-main/places/repository';
import { pgScanStateByHand, setScanState } from './places';

/**
 * The deep pages fixture (issue 11): places full of ties and NULLs, and the naive page every
 * faster way of reading a page must equal (test/places/deep-pages.test.ts, page-marks.test.ts).
 */

/** The table column behind each sortable field. */
export const SORT_COLUMN: Record<SortField, ListKey> = {
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

export const FILTERS: PlaceFilter[] = [
  {},
  { status: 'New' },
  { deep_scan_status: 'none' },
  { status: 'Selected', deep_scan_status: 'Queued' },
  { q: 'oak' },
  // A search with a filter: on SQLite the filter is checked by id beside the search (0020).
  { status: 'New', q: 'oak' },
];

/** Not a divisor of anything here: page boundaries fall inside runs of ties and across NULLs. */
export const SIZE = 113;

/** The page as the grid read it before issue 11. */
export async function naivePage(
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
    // A Queued place with a lease shows Processing (sql/pg/0019); the order is the column's.
    rows = await store.db
      .select({ ...listColumns(t), deep_scan_status: pgScanStateByHand(t) })
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
export async function fill(places: PlacesService, store: Store): Promise<void> {
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
