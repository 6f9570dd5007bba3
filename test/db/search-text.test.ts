import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput } from '../../src-shared/contract';
import { normaliseSearchText } from '../../src-shared/domain';
import {
  foldSearchText,
  placeSearchText,
  SEARCH_FOLD_MAP,
  SEARCH_TEXT_SOURCE_COLUMNS,
} from '../../src-shared/search-fold';
import * as pgSchema from '../../src-main/db/schema.pg';
import {
  SCRIPT_NAME,
  searchTextScriptPg,
  searchTextScriptSqlite,
} from '../../src-main/db/search-fold-sql';
import { findSqlDir } from '../../src-main/db/sql-dir';
import type { PgStore, Store } from '../../src-main/db/store';
import { filterCondition } from '../../src-main/places/queries';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { createStoreAt, rawStore, type RawStore } from './stores-at-version';

type Source = Partial<Record<(typeof SEARCH_TEXT_SOURCE_COLUMNS)[number], string | null>>;
type PlaceSource = Source & { place_id: string; name: string };

/** Places as an import or a hand-written INSERT brings them: the text users' data really has. */
const TRICKY: PlaceSource[] = [
  {
    place_id: 'sql-cafe',
    name: 'CAFÉ Zoë’s',
    formatted_address: 'Rue de l’Église, QUÉBEC',
    business_type: 'cafe',
    search_location: 'Québec, QC',
  },
  {
    place_id: 'sql-strasse',
    name: 'Bäckerei Großmann',
    formatted_address: 'Königstraße 5, München',
  },
  { place_id: 'sql-lodz', name: 'Pierogarnia Łódź', formatted_address: 'ul. Piotrkowska 12, ŁÓDŹ' },
  { place_id: 'sql-aero', name: 'Ærø Bageri', formatted_address: 'Søndergade 3, Ærøskøbing' },
  { place_id: 'sql-oeuvre', name: 'Œuvre & Cœur', business_type: 'bakery' },
  { place_id: 'sql-nino', name: 'Niño’s Cantina', search_location: 'San José, CA' },
  { place_id: 'sql-francais', name: 'Le Français', formatted_address: 'Façade 1, Besançon' },
  { place_id: 'sql-nfd', name: 'Cafe\u0301 De\u0301compose\u0301', business_type: 'cafe' },
  { place_id: 'sql-pho', name: 'Phở Hòa Noodle Soup', formatted_address: 'Bolsa Ave, Westminster' },
  { place_id: 'sql-greek', name: 'ΤΑΒΕΡΝΑ Ο ΣΩΚΡΆΤΗΣ', formatted_address: 'Οδός Ερμού 5, Αθήνα' },
  { place_id: 'sql-cyrillic', name: 'Кафе «Москва»', formatted_address: 'Тверская ул., 5' },
  { place_id: 'sql-cjk', name: '東京ラーメン 一番', business_type: 'restaurant' },
  { place_id: 'sql-armenian', name: 'Արարատ Bakery', business_type: null },
  { place_id: 'sql-spaces', name: '  Spaced\u00a0\u00a0Out\tDeli  ', formatted_address: '' },
  { place_id: 'sql-dash', name: 'Smith–Jones “Best” Diner', formatted_address: null },
  { place_id: 'sql-percent', name: '100% Organic_Market', business_type: 'grocery_or_supermarket' },
  { place_id: 'sql-turkish', name: 'İstanbul Kebap', formatted_address: 'Şişli, İSTANBUL' },
  { place_id: 'sql-ligature', name: 'Ofﬁce Supplies', search_location: 'Reykjavík' },
  { place_id: 'sql-emoji', name: 'Taco 🌮 Shack', formatted_address: 'Zero\u200bwidth St' },
];

/** q -> place ids it must find (at least); both engines must also give exactly the same rows. */
const MUST_FIND: [string, string[]][] = [
  ['cafe zoe', ['sql-cafe']],
  ['CAFÉ ZOË', ['sql-cafe']],
  ["zoe's", ['sql-cafe']],
  ['Zoë’s', ['sql-cafe']],
  ["l'eglise", ['sql-cafe']],
  ['québec, qc', ['sql-cafe']],
  ['grossmann', ['sql-strasse']],
  ['GROẞMANN', ['sql-strasse']],
  ['königstrasse', ['sql-strasse']],
  ['lodz', ['sql-lodz']],
  ['ŁÓDŹ', ['sql-lodz']],
  ['aero bageri', ['sql-aero']],
  ['aeroskobing', ['sql-aero']],
  ['oeuvre & coeur', ['sql-oeuvre']],
  ['Œuvre', ['sql-oeuvre']],
  ['nino', ['sql-nino']],
  ['san jose', ['sql-nino']],
  ['francais', ['sql-francais']],
  ['besancon', ['sql-francais']],
  ['café décomposé', ['sql-nfd']],
  ['Cafe\u0301', ['sql-nfd', 'sql-cafe']],
  ['pho hoa', ['sql-pho']],
  ['PHỞ', ['sql-pho']],
  ['ταβερνα', ['sql-greek']],
  ['σωκράτης', ['sql-greek']],
  ['ΑΘΗΝΑ', ['sql-greek']],
  ['кафе', ['sql-cyrillic']],
  ['МОСКВА', ['sql-cyrillic']],
  ['東京ラーメン', ['sql-cjk']],
  ['Արարատ', ['sql-armenian']],
  ['spaced out deli', ['sql-spaces']],
  ['smith-jones "best"', ['sql-dash']],
  ['100%', ['sql-percent']],
  ['organic_market', ['sql-percent']],
  ['istanbul', ['sql-turkish']],
  ['sisli', ['sql-turkish']],
  ['office', ['sql-ligature']],
  ['reykjavik', ['sql-ligature']],
  ['🌮', ['sql-emoji']],
  ['zerowidth', ['sql-emoji']],
];
/** Queries that must find none of the tricky places (the documented limits). */
const MUST_NOT_FIND = [
  // Armenian is not in the map: found by the exact text only, case included.
  'արարատ',
  // LIKE wildcards in q are literal.
  '100_',
  'organic%market',
];

const searchResults: Record<string, Record<string, string[]>> = {};

const insertSql = (kind: string, place: PlaceSource) => {
  const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
  return {
    sql: `INSERT INTO places_staging (place_id, name, formatted_address, business_type, search_location) VALUES (${[1, 2, 3, 4, 5].map(p).join(', ')})`,
    params: [
      place.place_id,
      place.name,
      place.formatted_address ?? null,
      place.business_type ?? null,
      place.search_location ?? null,
    ],
  };
};

async function searchTexts(raw: RawStore): Promise<Map<string, string>> {
  const rows = await raw.query<{ place_id: string; search_text: string }>(
    'SELECT place_id, search_text FROM places_staging',
  );
  return new Map(rows.map((r) => [r.place_id, r.search_text]));
}

test('the committed 0004 scripts are exactly what the fold map generates', () => {
  const sqlDir = findSqlDir();
  expect(readFileSync(join(sqlDir, 'pg', SCRIPT_NAME), 'utf8')).toBe(searchTextScriptPg());
  expect(readFileSync(join(sqlDir, 'sqlite', SCRIPT_NAME), 'utf8')).toBe(searchTextScriptSqlite());
});

test('the scripts are pure ASCII and the SQLite one stays within the sqlite3 3.40 parser stack', () => {
  for (const script of [searchTextScriptPg(), searchTextScriptSqlite()]) {
    expect([...script].every((ch) => ch === '\n' || (ch >= ' ' && ch <= '~'))).toBe(true);
  }
  // Debian 12's sqlite3 (3.40) overflows its parser stack at about 29 nested calls.
  let depth = 0;
  let deepest = 0;
  for (const ch of searchTextScriptSqlite()) {
    if (ch === '(') deepest = Math.max(deepest, ++depth);
    if (ch === ')') depth--;
  }
  expect(deepest).toBeLessThanOrEqual(22);
});

test('the fold map is applied in one pass: no replacement contains a character it changes', () => {
  for (const [from, to] of SEARCH_FOLD_MAP) {
    expect([...from], `U+${from.codePointAt(0)!.toString(16)}`).toHaveLength(1);
    for (const ch of to) expect(SEARCH_FOLD_MAP.has(ch), `${from} -> ${to}`).toBe(false);
  }
  expect(normaliseSearchText('  CAFÉ  Zoë’s — Straße ŁÓDŹ Ærø œuvre Phở ')).toBe(
    "cafe zoe's - strasse lodz aero oeuvre pho",
  );
  expect(foldSearchText('ΣΩΚΡΆΤΗΣ Москва 東京 Արարատ')).toBe('σωκρατησ москва 東京 Արարատ');
});

describe.each(STORE_KINDS)('search_text kept by the database on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let raw: RawStore;
  let places: PlacesService;
  const ids = async (q: string) =>
    (await places.list(listPlacesInput.parse({ q, size: 1000, sort: 'place_id' }))).items.map(
      (i) => i.place_id,
    );

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    raw = rawStore(handle);
    places = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(500, 3)) await places.insertPlaces(chunk);
  });
  afterAll(async () => {
    await raw.close();
    await handle.dispose();
  });

  test('places inserted by plain SQL, not the app, are found by q with or without accents', async () => {
    for (const place of TRICKY) {
      const { sql, params } = insertSql(kind, place);
      await raw.query(sql, params);
    }
    for (const [q, expected] of MUST_FIND) {
      const found = await ids(q);
      for (const id of expected) expect(found, q).toContain(id);
      searchResults[q] ??= {};
      searchResults[q]![kind] = found;
    }
    const stored = await searchTexts(raw);
    for (const place of TRICKY)
      expect(stored.get(place.place_id), place.name).toBe(placeSearchText(place));
    for (const q of MUST_NOT_FIND) {
      const found = await ids(q);
      expect(
        found.filter((id) => id.startsWith('sql-')),
        q,
      ).toEqual([]);
      searchResults[q] ??= {};
      searchResults[q]![kind] = found;
    }
  });

  test('the app no longer writes search_text, and a value given on INSERT is replaced', async () => {
    await places.insertPlaces([
      { place_id: 'app-1', name: 'Crème Brûlée Café', search_text: 'wrong' },
    ]);
    const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
    await raw.query(
      `INSERT INTO places_staging (place_id, name, search_text) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
      ['sql-given', 'Déjà Vu Diner', 'not folded'],
    );
    const stored = await searchTexts(raw);
    expect(stored.get('app-1')).toBe('creme brulee cafe');
    expect(stored.get('sql-given')).toBe('deja vu diner');
    expect(await ids('creme brulee')).toEqual(['app-1']);
  });

  test('renames are re-indexed: UPDATE of name, address, category or location', async () => {
    const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
    const renames: [string, string][] = [
      ['name', 'Zürich Fondue Stübli'],
      ['formatted_address', 'Bahnhofstraße 1, Zürich'],
      ['business_type', 'fondue_restaurant'],
      ['search_location', 'Genève, CH'],
    ];
    await raw.query(`INSERT INTO places_staging (place_id, name) VALUES (${p(1)}, ${p(2)})`, [
      'sql-rename',
      'Old Name Ñandú',
    ]);
    expect(await ids('nandu')).toEqual(['sql-rename']);
    for (const [column, value] of renames) {
      await raw.query(`UPDATE places_staging SET ${column} = ${p(1)} WHERE place_id = ${p(2)}`, [
        value,
        'sql-rename',
      ]);
    }
    expect(await ids('nandu')).toEqual([]);
    for (const q of ['zurich fondue stubli', 'bahnhofstrasse', 'FONDUE_RESTAURANT', 'geneve, ch']) {
      expect(await ids(q), q).toEqual(['sql-rename']);
    }
    // Text beyond the Latin pages takes the SQLite triggers' other path.
    await raw.query(`UPDATE places_staging SET name = ${p(1)} WHERE place_id = ${p(2)}`, [
      'Σουβλάκι Phở Zürich Fondue Stübli',
      'sql-rename',
    ]);
    expect(await ids('σουβλακι pho zurich')).toEqual(['sql-rename']);
    await raw.query(`UPDATE places_staging SET name = ${p(1)} WHERE place_id = ${p(2)}`, [
      'Zürich Fondue Stübli',
      'sql-rename',
    ]);
    expect(await ids('σουβλακι')).toEqual([]);
    // An update that touches none of the source columns leaves the text alone.
    await raw.query(`UPDATE places_staging SET status = 'Maybe' WHERE place_id = ${p(1)}`, [
      'sql-rename',
    ]);
    expect((await searchTexts(raw)).get('sql-rename')).toBe(
      'zurich fondue stubli bahnhofstrasse 1, zurich fondue_restaurant geneve, ch',
    );
  });

  test('the database folds every character of the map exactly as the app folds q', async () => {
    const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
    const chars = [...SEARCH_FOLD_MAP.keys()];
    await raw.exec('BEGIN');
    for (const ch of chars) {
      const id = `map-${ch.codePointAt(0)!.toString(16)}`;
      await raw.query(
        `INSERT INTO places_staging (place_id, name, business_type) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
        [id, `a${ch}b ${ch}`, `${ch}${ch}`],
      );
    }
    await raw.exec('COMMIT');
    const stored = await searchTexts(raw);
    const wrong = chars.filter((ch) => {
      const id = `map-${ch.codePointAt(0)!.toString(16)}`;
      return (
        stored.get(id) !== placeSearchText({ name: `a${ch}b ${ch}`, business_type: `${ch}${ch}` })
      );
    });
    expect(wrong.map((ch) => `U+${ch.codePointAt(0)!.toString(16)}`)).toEqual([]);
  });

  test.runIf(kind === 'postgres')('q still uses the trigram index on PostgreSQL', async () => {
    const pgStore = store as PgStore;
    const t = pgSchema.placesStaging;
    const query = pgStore.db
      .select({ id: t.id })
      .from(t)
      .where(filterCondition(t, { q: 'Café Zoë' }))
      .toSQL();
    const client = await pgStore.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ANALYZE places_staging');
      await client.query('ANALYZE places_search');
      await client.query('SET LOCAL enable_seqscan = off');
      // A few hundred places: walking places_search's primary key would be cheaper still.
      await client.query('SET LOCAL enable_indexscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${query.sql}`,
        query.params,
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(
        'places_search_text_trgm_idx',
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('both engines', () => {
  // Compares the two stores' answers: only when this run has both (not the PgBouncer pass).
  test.skipIf(STORE_KINDS.length < 2)('give the same rows for the same tricky queries', () => {
    for (const [q, byKind] of Object.entries(searchResults)) {
      expect(byKind.sqlite, q).toBeDefined();
      expect(byKind.postgres, q).toEqual(byKind.sqlite);
    }
    expect(Object.keys(searchResults)).toHaveLength(MUST_FIND.length + MUST_NOT_FIND.length);
  });
});

describe.each(STORE_KINDS)('0004 on a %s database migrated only to 0003', (kind) => {
  test('refolds the rows already there, whoever inserted them', async () => {
    const { handle, raw } = await createStoreAt(kind, '0003');
    try {
      const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
      for (const [i, place] of TRICKY.entries()) {
        // Some with the empty default (inserted by SQL), some with the old app's own folding.
        await raw.query(
          `INSERT INTO places_staging (place_id, name, formatted_address, business_type, search_location, search_text) VALUES (${[1, 2, 3, 4, 5, 6].map(p).join(', ')})`,
          [
            place.place_id,
            place.name,
            place.formatted_address ?? null,
            place.business_type ?? null,
            place.search_location ?? null,
            i % 2
              ? ''
              : place.name
                  .normalize('NFKD')
                  .replace(/\p{M}+/gu, '')
                  .toLowerCase(),
          ],
        );
      }
      await raw.close();
      const store = await handle.open();
      const after = rawStore(handle);
      try {
        const stored = await searchTexts(after);
        for (const place of TRICKY) {
          expect(stored.get(place.place_id), place.name).toBe(placeSearchText(place));
        }
        const places = createPlacesService(placesRepositoryFor(store));
        const found = await places.list(listPlacesInput.parse({ q: 'cafe zoe' }));
        expect(found.items.map((i) => i.place_id)).toEqual(['sql-cafe']);
      } finally {
        await after.close();
      }
    } finally {
      await handle.dispose();
    }
  });
});

test.runIf(hasCli('sqlite3'))('sql/sqlite/0004 runs in the sqlite3 shell (by hand)', async () => {
  const { handle, raw } = await createStoreAt('sqlite', '0003');
  try {
    await raw.query("INSERT INTO places_staging (place_id, name) VALUES ('x', 'ÉCOLE Ærø')");
    await raw.close();
    const file = join(findSqlDir(), 'sqlite', SCRIPT_NAME);
    const path = handle.settings.SQLITE_PATH!;
    execFileSync('sqlite3', ['-bail', path], { input: readFileSync(file) });
    execFileSync('sqlite3', ['-bail', path], { input: readFileSync(file) });
    const out = execFileSync('sqlite3', [
      path,
      "INSERT INTO places_staging (place_id, name) VALUES ('y', 'Ŝtraße'); SELECT search_text FROM places_staging ORDER BY place_id;",
    ]).toString();
    expect(out).toBe('ecole aero\nstrasse\n');
  } finally {
    await handle.dispose();
  }
});

test.runIf(hasCli('psql'))('sql/pg/0004 runs with psql -1, twice (by hand)', async () => {
  const { handle, raw } = await createStoreAt('postgres', '0003');
  try {
    await raw.query("INSERT INTO places_staging (place_id, name) VALUES ('x', 'ÉCOLE Ærø')");
    const file = join(findSqlDir(), 'pg', SCRIPT_NAME);
    for (let i = 0; i < 2; i++) {
      execFileSync(
        'psql',
        ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', file, handle.settings.DATABASE_URL!],
        {
          env: { ...process.env, PGCLIENTENCODING: 'LATIN1' },
        },
      );
    }
    await raw.query("INSERT INTO places_staging (place_id, name) VALUES ('y', 'Ŝtraße')");
    const rows = await raw.query<{ search_text: string }>(
      'SELECT search_text FROM places_staging ORDER BY place_id',
    );
    expect(rows.map((r) => r.search_text)).toEqual(['ecole aero', 'strasse']);
  } finally {
    await raw.close();
    await handle.dispose();
  }
});

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
