import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput, type ListPlacesInput } from '../../src-shared/contract';
import { searchTextMatches } from '../../src-shared/search-query';
import type { Store } from '../../src-main/db/store';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { readPlaces } from '../support/places';
import {
  createTestStore,
  STORE_KINDS,
  type StoreKind,
  type TestStoreHandle,
} from '../support/stores';

const query = (input: Partial<Record<keyof ListPlacesInput, unknown>>) =>
  listPlacesInput.parse({ size: 1000, sort: 'place_id', ...input });

/** Places whose text exercises the rule: punctuation, wildcards, accents, words across fields. */
const SPECIAL_PLACES = [
  {
    place_id: 'oak-chicago',
    name: 'Blue Oak Bakery',
    formatted_address: '12 Elm St, Chicago, IL 60601, USA',
    business_type: 'bakery',
    search_location: 'Chicago, IL',
  },
  {
    place_id: 'oak-austin',
    name: 'Blue Oak Bakery',
    formatted_address: '9 Congress Ave, Austin, TX 78701, USA',
    business_type: 'bakery',
    search_location: 'Austin, TX',
  },
  {
    place_id: 'oakland',
    name: 'Oakland Blue Hair',
    formatted_address: '1 Lake St, Chicago, IL',
    business_type: 'hair_care',
    search_location: 'Chicago, IL',
  },
  { place_id: 'percent', name: '100% Organic', business_type: 'grocery_or_supermarket' },
  { place_id: 'percent-near', name: '1000 Organic', business_type: 'grocery' },
  { place_id: 'backslash', name: 'Back\\Slash Bar', business_type: 'bar' },
  { place_id: 'underscore-free', name: 'Abc Def', business_type: 'bar' },
  { place_id: 'quote', name: 'O’Brien’s Pub', business_type: 'bar' },
  { place_id: 'accent', name: 'CAFÉ Zoë', formatted_address: 'Rue de l’Église, Québec' },
  { place_id: 'ampersand', name: 'Pipe & Drain', business_type: 'plumber' },
];

async function searchStore(kind: StoreKind) {
  const handle = await createTestStore(kind);
  const store = await handle.open();
  const places = createPlacesService(placesRepositoryFor(store));
  for (const chunk of samplePlaces(2000, 7)) await places.insertPlaces(chunk);
  await places.insertPlaces(SPECIAL_PLACES);
  return { handle, store, places };
}

/** Every place's search text as the database keeps it. */
async function searchTexts(store: Store): Promise<Map<string, string>> {
  const sql = 'SELECT place_id, search_text FROM places_staging';
  const rows: { place_id: string; search_text: string }[] =
    store.kind === 'postgres'
      ? (await store.pool.query(sql)).rows
      : (store.sqlite.prepare(sql).all() as { place_id: string; search_text: string }[]);
  return new Map(rows.map((r) => [r.place_id, r.search_text]));
}

/** The ids a search finds, in JavaScript's order (the engines' collations differ). */
const ids = async (places: PlacesService, q: string) =>
  (await places.list(query({ q }))).items.map((i) => i.place_id).sort();

describe.each(STORE_KINDS)('free-text search on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let texts: Map<string, string>;

  beforeAll(async () => {
    ({ handle, store, places } = await searchStore(kind));
    texts = await searchTexts(store);
  });
  afterAll(() => handle.dispose());

  /** The places the rule says a search finds, computed from the stored search texts. */
  const expected = (q: string) =>
    [...texts]
      .filter(([, text]) => searchTextMatches(text, q))
      .map(([id]) => id)
      .sort();

  test('every word must match, in any field, in any order', async () => {
    const found = await ids(places, 'blue oak chicago');
    expect(found).toContain('oak-chicago');
    expect(found).toContain('oakland');
    expect(found).not.toContain('oak-austin');
    expect(found.length).toBeGreaterThan(2);
    for (const q of ['chicago oak blue', 'Chicago,  BLUE   oak', 'blue oak chicago']) {
      const out = await places.list(query({ q }));
      expect(out.items.map((i) => i.place_id).sort(), q).toEqual(expected(q));
      expect(out.total, q).toBe(expected(q).length);
    }
  });

  test('a phrase in double quotes must match as written', async () => {
    expect(await ids(places, '"blue oak" chicago')).toContain('oak-chicago');
    expect(await ids(places, '"blue oak" chicago')).not.toContain('oakland');
    expect(await ids(places, '"oak blue"')).toEqual([]);
    // Typographic quotes work as plain ones; a quote left open runs to the end.
    const austin = await ids(places, '“blue oak” austin');
    expect(austin).toContain('oak-austin');
    expect(austin).toEqual(expected('"blue oak" austin'));
    expect(await ids(places, 'austin "blue oak')).toEqual(austin);
    expect(await ids(places, 'austin "blue oak bakery')).toEqual(
      expected('austin "blue oak bakery"'),
    );
  });

  test('case and accents are folded in every word', async () => {
    for (const q of ['cafe zoe', 'ZOË café', 'eglise quebec', "o'brien's"]) {
      expect(await ids(places, q), q).toEqual(expected(q));
      expect(expected(q).length, q).toBeGreaterThan(0);
    }
  });

  test('categories are found by their words', async () => {
    const hair = await ids(places, 'hair care');
    expect(hair).toContain('oakland');
    expect(hair).toEqual(expected('hair care'));
    expect(await ids(places, 'Hair care oakland')).toEqual(['oakland']);
  });

  test('LIKE wildcards and backslashes are literal characters', async () => {
    expect(await ids(places, '100%')).toEqual(['percent']);
    expect(await ids(places, '%')).toEqual(['percent']);
    expect(await ids(places, 'organic 100%')).toEqual(['percent']);
    expect(await ids(places, '\\')).toEqual(['backslash']);
    expect(await ids(places, 'back\\slash')).toEqual(['backslash']);
    expect(await ids(places, 'c_d')).toEqual([]);
    expect(await ids(places, 'abc_def')).toEqual([]);
    expect(await ids(places, 'hair_care')).toEqual(expected('hair_care'));
    expect(await ids(places, '&')).toEqual(expected('&'));
    expect(await ids(places, '& drain')).toContain('ampersand');
    expect(await ids(places, '& drain')).toEqual(expected('& drain'));
  });

  test('a search of nothing but separators and quotes filters nothing', async () => {
    const all = (await places.list(query({}))).total;
    for (const q of ['"', '""', ' , ,', '" "']) {
      expect((await places.list(query({ q }))).total, q).toBe(all);
    }
  });

  test('a search of 200 one-letter words is answered', async () => {
    const q = Array.from({ length: 100 }, (_, i) => 'abcdefghij'[i % 10]).join(' ');
    expect(q.length).toBeLessThanOrEqual(200);
    expect(await ids(places, q)).toEqual(expected(q));
  });

  test('an update by filter changes exactly the places the search finds', async () => {
    const q = 'blue oak chicago';
    const before = await readPlaces(store);
    const result = await places.updateStatus(
      { filter: { q }, status: 'Archived' } as never,
      'search-test',
    );
    const after = await readPlaces(store);
    const changed = [...after.values()]
      .filter((p) => p.updated_by === 'search-test')
      .map((p) => p.place_id)
      .sort();
    const matching = expected(q).filter((id) => before.get(id)!.status !== 'Archived');
    expect(changed).toEqual(matching);
    expect(result.updated_count).toBe(matching.length);
  });
});

describe('both engines', () => {
  let sqlite: Awaited<ReturnType<typeof searchStore>>;
  let postgres: Awaited<ReturnType<typeof searchStore>>;

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([searchStore('sqlite'), searchStore('postgres')]);
  });
  afterAll(async () => {
    await sqlite.handle.dispose();
    await postgres.handle.dispose();
  });

  test.each([
    'blue oak chicago',
    'kitchen austin',
    '"pipe & drain" seattle',
    'café roasters',
    'st, 2',
    'plumbing heating',
  ])('find the same places for %s', async (q) => {
    const [a, b] = await Promise.all([ids(sqlite.places, q), ids(postgres.places, q)]);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});
