import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MAX_IMPORT_PLACES_PER_REQUEST, type ImportPlace } from '../../src-shared/contract';
import type { ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { loadSettings } from '../../src-main/config';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { Store } from '../../src-main/db/store';
import { execRaw, failInsertOf } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const STORED_COLUMNS = [
  'place_id',
  'name',
  'formatted_address',
  'business_type',
  'search_location',
  'search_query',
  'latitude',
  'longitude',
  'rating',
  'user_ratings_total',
  'price_level',
  'notes',
  'search_text',
  'status',
  'deep_scan_status',
] as const;
type StoredRow = { place_id: string } & Record<(typeof STORED_COLUMNS)[number], unknown>;

/** The stored rows, straight from the table. */
async function storedRows(store: Store): Promise<Map<string, StoredRow>> {
  const t = store.kind === 'postgres' ? pgSchema.placesStaging : sqliteSchema.placesStaging;
  const columns = Object.fromEntries(STORED_COLUMNS.map((c) => [c, t[c]])) as never;
  const rows: StoredRow[] =
    store.kind === 'postgres'
      ? await store.db.select(columns).from(pgSchema.placesStaging)
      : store.db.select(columns).from(sqliteSchema.placesStaging).all();
  return new Map(rows.map((r) => [r.place_id, r]));
}

const FULL: ImportPlace = {
  place_id: 'ChIJimport-full',
  business_name: 'Café Zoë',
  address: '12 Rue de Rivoli, Paris',
  category: 'Bakery',
  search_location: 'Paris, FR',
  search_query: 'bakeries in paris',
  latitude: 48.8566,
  longitude: 2.3522,
  rating: 4.5,
  reviews_count: 1234,
  price_level: 2,
  notes: 'From the spring search',
};

describe.each(STORE_KINDS)('importing places on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let backend: Backend;
  const transports: Transport[] = [];

  beforeEach(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    backend = await startBackend(loadSettings(handle.env), { scheduler: false });
  });
  afterEach(async () => {
    for (const t of transports.splice(0)) await t.close();
    await backend.close();
    await handle.dispose();
  });

  const token = () => backend.issueLocalToken('reviewer-1', 60);

  for (const transportName of ['dispatcher', 'http'] as const) {
    test(`via ${transportName}: new places arrive New, never queued, every field stored and searchable`, async () => {
      const transport =
        transportName === 'http' ? await httpTransport(backend) : dispatcherTransport(backend);
      transports.push(transport);
      const events: string[] = [];
      const off = backend.subscribe((name, payload) => {
        if (name === 'placesChanged') events.push((payload as { reason: string }).reason);
      });
      const reply = await transport.call(
        'importPlaces',
        { places: [FULL, { place_id: 'ChIJimport-bare', business_name: 'Bare Minimum' }] },
        await token(),
      );
      off();
      expect(reply).toEqual({
        status: 201,
        body: { message: '2 places imported', inserted: 2, skipped: 0 },
      });
      expect(events).toEqual(['import']);
      const rows = await storedRows(store);
      expect(rows.get(FULL.place_id)).toEqual({
        place_id: FULL.place_id,
        name: 'Café Zoë',
        formatted_address: '12 Rue de Rivoli, Paris',
        business_type: 'Bakery',
        search_location: 'Paris, FR',
        search_query: 'bakeries in paris',
        latitude: 48.8566,
        longitude: 2.3522,
        rating: 4.5,
        user_ratings_total: 1234,
        price_level: 2,
        notes: 'From the spring search',
        search_text: expect.stringContaining('cafe zoe') as string,
        status: 'New',
        deep_scan_status: null,
      });
      expect(rows.get('ChIJimport-bare')).toMatchObject({
        name: 'Bare Minimum',
        formatted_address: null,
        rating: null,
        status: 'New',
        deep_scan_status: null,
      });
      // The search folds accents: the imported place is found as the grid would look for it.
      const found = await transport.call('listPlaces', { q: 'cafe zoe' }, await token());
      expect(found.body).toMatchObject({ total: 1, items: [{ place_id: FULL.place_id }] });
    });
  }

  test('a place id the store has is left as it is (a reviewer’s decision included); repeats in one request count once', async () => {
    await backend.places.insertPlaces([{ place_id: 'known', name: 'Known', status: 'Selected' }]);
    const result = await backend.dispatch(
      'importPlaces',
      {
        places: [
          { place_id: 'known', business_name: 'Renamed By The File', rating: 1 },
          { place_id: 'new-1', business_name: 'First Of Two' },
          { place_id: 'new-1', business_name: 'Second Of Two' },
        ],
      },
      await token(),
    );
    expect(result).toEqual({
      ok: true,
      value: { message: '1 place imported, 2 already in the store', inserted: 1, skipped: 2 },
    });
    const rows = await storedRows(store);
    expect(rows.size).toBe(2);
    expect(rows.get('known')).toMatchObject({ name: 'Known', rating: null, status: 'Selected' });
    expect(rows.get('new-1')).toMatchObject({ name: 'First Of Two' });
  });

  test('importing the same places again adds nothing and says so', async () => {
    const places = [FULL, { place_id: 'again-2', business_name: 'Again' }];
    await backend.dispatch('importPlaces', { places }, await token());
    const again = await backend.dispatch('importPlaces', { places }, await token());
    expect(again).toMatchObject({
      ok: true,
      value: { message: '0 places imported, 2 already in the store', inserted: 0, skipped: 2 },
    });
    expect((await storedRows(store)).size).toBe(2);
  });

  const bad: [string, unknown, string][] = [
    ['a rating over 5', { place_id: 'b', business_name: 'B', rating: 7 }, 'places.1.rating'],
    ['an empty name', { place_id: 'b', business_name: '' }, 'places.1.business_name'],
    ['no place id', { business_name: 'B' }, 'places.1.place_id'],
    [
      'a NUL in the address',
      { place_id: 'b', business_name: 'B', address: 'a\u0000b' },
      'places.1.address',
    ],
    [
      'a fractional price level',
      { place_id: 'b', business_name: 'B', price_level: 1.5 },
      'places.1.price_level',
    ],
    [
      'a field the import does not know',
      { place_id: 'b', business_name: 'B', status: 'Selected' },
      'places.1',
    ],
  ];
  for (const [what, second, path] of bad) {
    test(`${what}: 422 naming ${path}, and nothing of the request is written`, async () => {
      const http = await httpTransport(backend);
      transports.push(http);
      const reply = await http.call(
        'importPlaces',
        { places: [{ place_id: 'good', business_name: 'Good' }, second] },
        await token(),
      );
      expect(reply.status).toBe(422);
      const body = reply.body as ErrorBody;
      expect(body).toMatchObject({ status: 'error', type: 'validation_error' });
      expect(body.issues?.map((i) => i.path)).toContain(path);
      expect((await storedRows(store)).size).toBe(0);
    });
  }

  test(`more than ${MAX_IMPORT_PLACES_PER_REQUEST} places in one request: 422, nothing written`, async () => {
    const places = Array.from({ length: MAX_IMPORT_PLACES_PER_REQUEST + 1 }, (_, i) => ({
      place_id: `many-${i}`,
      business_name: `Many ${i}`,
    }));
    const result = await backend.dispatch('importPlaces', { places }, await token());
    expect(result).toMatchObject({ ok: false, error: { type: 'validation_error' } });
    if (!result.ok) expect(result.error.detail).toMatch(/at most 1000 places/);
    expect((await storedRows(store)).size).toBe(0);
  });

  test('without a token: 401 and nothing written', async () => {
    const http = await httpTransport(backend);
    transports.push(http);
    const reply = await http.call('importPlaces', { places: [FULL] }, undefined);
    expect(reply.status).toBe(401);
    expect((await storedRows(store)).size).toBe(0);
  });

  test('a request is one transaction: a failure on its last place leaves none of it', async () => {
    await execRaw(store, failInsertOf(kind, 'last'));
    const places = [
      ...Array.from({ length: 999 }, (_, i) => ({ place_id: `t-${i}`, business_name: `T ${i}` })),
      { place_id: 'last', business_name: 'Last' },
    ];
    const result = await backend.dispatch('importPlaces', { places }, await token());
    expect(result).toMatchObject({ ok: false, error: { type: 'internal_error' } });
    expect((await storedRows(store)).size).toBe(0);
  });
});
