import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput, type ListPlacesInput } from '../../src-shared/contract';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { setScanState } from '../support/places';
import {
  createTestStore,
  STORE_KINDS,
  type StoreKind,
  type TestStoreHandle,
} from '../support/stores';

const query = (input: Partial<Record<keyof ListPlacesInput, unknown>>) =>
  listPlacesInput.parse(input);

/** The same 3,002 places on a fresh store of the given kind. */
async function listingStore(kind: StoreKind) {
  const handle = await createTestStore(kind);
  const store = await handle.open();
  const places = createPlacesService(placesRepositoryFor(store));
  for (const chunk of samplePlaces(3000, 7)) await places.insertPlaces(chunk);
  await places.insertPlaces([
    { place_id: 'accent-1', name: 'CAFÉ Zoë', formatted_address: 'Rue de l’Église, Québec' },
    { place_id: 'percent-1', name: '100% Organic', business_type: 'grocery_or_supermarket' },
  ]);
  await setScanState(store, 'accent-1', {
    deep_scan_status: 'Error',
    deep_scan_error: 'HTTP 404',
  });
  return { handle, store, places };
}

/** Searches and sorts whose rows must be the same, in the same order, on both engines. */
const PARITY_QUERIES: Partial<Record<keyof ListPlacesInput, unknown>>[] = [
  { q: 'café', size: 1000, sort: 'business_name' },
  { q: 'CAFE', size: 1000, sort: 'business_name' },
  { q: 'eglise', size: 1000, sort: 'business_name' },
  ...[
    'business_name',
    'rating:desc',
    'price_level',
    'reviews_count:desc',
    'address',
    'updated_at:desc',
  ].map((sort) => ({ sort, size: 200, status: 'New' })),
];

describe.each(STORE_KINDS)('listing places on %s', (kind) => {
  let handle: TestStoreHandle;
  let places: PlacesService;

  beforeAll(async () => {
    ({ handle, places } = await listingStore(kind));
  });
  afterAll(() => handle.dispose());

  test('pages cover every row once, in a stable order', async () => {
    const seen = new Set<string>();
    for (let page = 1; page <= 31; page++) {
      const out = await places.list(query({ page, size: 100, sort: 'rating:desc' }));
      expect(out.total).toBe(3002);
      expect(out.pages).toBe(31);
      for (const item of out.items) seen.add(item.place_id);
    }
    expect(seen.size).toBe(3002);
  });

  test('filters by status, deep scan status and free text (accents and case folded)', async () => {
    const maybe = await places.list(query({ status: 'Maybe', size: 1000 }));
    expect(maybe.items.every((i) => i.status === 'Maybe')).toBe(true);
    expect(maybe.total).toBeGreaterThan(0);
    const failed = await places.list(query({ deep_scan_status: 'Error' }));
    expect(failed.items.map((i) => [i.place_id, i.deep_scan_error])).toEqual([
      ['accent-1', 'HTTP 404'],
    ]);
    const never = await places.list(query({ deep_scan_status: 'none', include_total: true }));
    expect(never.total).toBe(3001);
    for (const q of ['cafe zoe', 'Café ZOË', 'eglise', 'QUÉBEC']) {
      const out = await places.list(query({ q }));
      expect(
        out.items.map((i) => i.place_id),
        q,
      ).toContain('accent-1');
    }
    // LIKE wildcards in the search text are literal.
    expect((await places.list(query({ q: '100%' }))).items.map((i) => i.place_id)).toEqual([
      'percent-1',
    ]);
    expect((await places.list(query({ q: '_' }))).items.map((i) => i.place_id)).toContain(
      'percent-1',
    );
  });

  test('sorts NULLs last', async () => {
    const byRating = await places.list(query({ sort: 'rating', size: 1000, page: 4 }));
    expect(byRating.items.at(-1)?.rating).toBeNull();
  });

  test('without include_total the page comes without counting', async () => {
    const out = await places.list(query({ include_total: 'false', page: 2 }));
    expect(out.total).toBeNull();
    expect(out.pages).toBeNull();
    expect(out.items).toHaveLength(50);
  });

  test('get returns the place with a null local business before its scan', async () => {
    const detail = await places.get('accent-1');
    expect(detail.business_name).toBe('CAFÉ Zoë');
    expect(detail.local_business).toBeNull();
    expect(detail.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect(places.get('no-such-place')).rejects.toMatchObject({ type: 'not_found' });
  });
});

describe('both engines', () => {
  let sqlite: Awaited<ReturnType<typeof listingStore>>;
  let postgres: Awaited<ReturnType<typeof listingStore>>;

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([listingStore('sqlite'), listingStore('postgres')]);
  });
  afterAll(async () => {
    await sqlite.handle.dispose();
    await postgres.handle.dispose();
  });

  test.each(PARITY_QUERIES)('give the same rows in the same order for %o', async (input) => {
    const [a, b] = await Promise.all(
      [sqlite, postgres].map(async ({ places }) =>
        (await places.list(query(input))).items.map((i) => i.place_id),
      ),
    );
    expect(a!.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});
