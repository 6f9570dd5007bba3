import { describe, expect, test } from 'vitest';
import {
  MAX_IMPORT_PLACES_PER_REQUEST,
  MAX_IMPORT_REQUEST_BYTES,
  importMessage,
  importPlacesChunks,
} from './contract/import';
import { importColumnKey, readImportFile, readImportFileGradually } from './import-file';

describe('readImportFile: CSV', () => {
  test('matches columns by name whatever their case and punctuation, and converts the numbers', () => {
    const file = readImportFile(
      '\ufeffPlace ID,Name,Full Address,Category,Search Location,Query,Lat,Lng,Rating,Reviews,Price,Phone\r\n' +
        'ChIJ1,"Blue Oak Bakery, Ltd.","5 Main St, Chicago, IL",Bakery,"Chicago, IL",bakeries,41.88,-87.63,4.5,"1,234",$$,555-0100\r\n' +
        'ChIJ2,Plain Name,,,,,,,,,,\r\n',
    );
    expect(file.error).toBeNull();
    expect(file.format).toBe('csv');
    expect(file.rows).toBe(2);
    expect(file.problems).toEqual([]);
    expect(file.columns.map((c) => c.field)).toEqual([
      'place_id',
      'business_name',
      'address',
      'category',
      'search_location',
      'search_query',
      'latitude',
      'longitude',
      'rating',
      'reviews_count',
      'price_level',
      null,
    ]);
    expect(file.places).toEqual([
      {
        place_id: 'ChIJ1',
        business_name: 'Blue Oak Bakery, Ltd.',
        address: '5 Main St, Chicago, IL',
        category: 'Bakery',
        search_location: 'Chicago, IL',
        search_query: 'bakeries',
        latitude: 41.88,
        longitude: -87.63,
        rating: 4.5,
        reviews_count: 1234,
        price_level: 2,
      },
      { place_id: 'ChIJ2', business_name: 'Plain Name' },
    ]);
  });

  test('a semicolon-separated export with decimal commas (a European spreadsheet)', () => {
    const file = readImportFile(
      'place_id;name;rating;price_level\nA;Alpha;4,7;PRICE_LEVEL_EXPENSIVE\nB;Beta;3;Free\n',
    );
    expect(file.places).toEqual([
      { place_id: 'A', business_name: 'Alpha', rating: 4.7, price_level: 3 },
      { place_id: 'B', business_name: 'Beta', rating: 3, price_level: 0 },
    ]);
  });

  test('each bad row is named by its spreadsheet row number and left out; the rest pass', () => {
    const file = readImportFile(
      [
        'place_id,name,rating,reviews,price_level,latitude',
        'ok-1,Good One,4,10,1,40',
        'bad-2,Too Good,7,,,',
        ',No Id,,,,',
        'bad-4,Bad Count,,-3,,',
        'bad-5,Bad Price,,,9,',
        'bad-6,Far North,,,,91',
        'bad-7,Not A Number,four,,,',
        'ok-1,Second Of The Same Id,,,,',
        'ok-9,Good Two,,,,',
      ].join('\n'),
    );
    expect(file.places.map((p) => p.place_id)).toEqual(['ok-1', 'ok-9']);
    expect(file.rows).toBe(9);
    expect(file.problems).toEqual([
      { row: 3, field: 'rating', message: 'Rating: must be between 0 and 5 (got 7)' },
      { row: 4, field: 'place_id', message: 'Place ID: is empty' },
      { row: 5, field: 'reviews_count', message: 'Reviews: must be 0 or more (got -3)' },
      { row: 6, field: 'price_level', message: 'Price: must be from 0 (free) to 4 ($$$$) (got 9)' },
      { row: 7, field: 'latitude', message: 'Latitude: must be between -90 and 90 (got 91)' },
      { row: 8, field: 'rating', message: 'Rating: must be a number (got "four")' },
      {
        row: 9,
        field: 'place_id',
        message: 'Place ID: ok-1 is already on row 2; that row is imported',
      },
    ]);
  });

  test('a file without a place id or name column is refused as a whole, naming what it looked for', () => {
    const file = readImportFile('id,title\n1,Alpha\n');
    expect(file.places).toEqual([]);
    expect(file.error).toBe(
      'The file has no column for Place ID (a column named "place_id" or "google_place_id" or "gmaps_place_id").',
    );
    const neither = readImportFile('phone,website\n1,2\n');
    expect(neither.error).toMatch(
      /^The file has no column for Place ID .* and Name \(a column named "business_name" or "name"/,
    );
  });

  test('an empty file, and one with a header only', () => {
    expect(readImportFile('')).toMatchObject({ error: 'The file is empty.', places: [] });
    expect(readImportFile('place_id,name\n')).toMatchObject({ error: null, rows: 0, places: [] });
  });

  test('the first of two columns for one field fills it; the second is ignored', () => {
    const file = readImportFile('name,place_id,title\nFirst,P1,Second\n');
    expect(file.columns).toEqual([
      { name: 'name', field: 'business_name' },
      { name: 'place_id', field: 'place_id' },
      { name: 'title', field: null },
    ]);
    expect(file.places).toEqual([{ place_id: 'P1', business_name: 'First' }]);
  });

  test("a cell the export wrote as text ('=..., '+..., '-..., '@...) reads back as it was", () => {
    const file = readImportFile(
      "place_id,name,notes,rating\nA,'=SUM(1),'+1 555,'-3\nB,It's fine,'tis,\n",
    );
    expect(file.problems).toEqual([
      { row: 2, field: 'rating', message: 'Rating: must be between 0 and 5 (got -3)' },
    ]);
    expect(file.places).toEqual([{ place_id: 'B', business_name: "It's fine", notes: "'tis" }]);
    expect(readImportFile("place_id,name,notes\nA,'=SUM(1),'+1 555\n").places).toEqual([
      { place_id: 'A', business_name: '=SUM(1)', notes: '+1 555' },
    ]);
  });

  test('blank lines are skipped; a quoted field may hold a line break', () => {
    const file = readImportFile('place_id,name,notes\n\nA,Alpha,"two\nlines"\n\n');
    expect(file.places).toEqual([{ place_id: 'A', business_name: 'Alpha', notes: 'two\nlines' }]);
  });
});

describe('readImportFile: JSON', () => {
  test('an array of objects, with the same column names and checks', () => {
    const file = readImportFile(
      JSON.stringify([
        { placeId: 'J1', title: 'Json One', totalScore: 4.2, reviewsCount: 12, extra: true },
        { placeId: 'J2', title: 'Json Two', totalScore: 'great' },
        { placeId: 'J3', title: 'Json Three', totalScore: null },
      ]),
    );
    expect(file.format).toBe('json');
    expect(file.places).toEqual([
      { place_id: 'J1', business_name: 'Json One', rating: 4.2, reviews_count: 12 },
      { place_id: 'J3', business_name: 'Json Three' },
    ]);
    expect(file.problems).toEqual([
      { row: 2, field: 'rating', message: 'Rating: must be a number (got "great")' },
    ]);
  });

  test('not JSON, or not an array of objects: one clear error', () => {
    expect(readImportFile('[{"place_id": 1,')).toMatchObject({
      format: 'json',
      error: expect.stringMatching(/^The file is not valid JSON/) as string,
    });
    expect(readImportFile('{"place_id": "a"}').error).toBe(
      'A JSON file must be an array of objects, one per place.',
    );
  });
});

test('importColumnKey compares names without case, spaces or punctuation', () => {
  expect(importColumnKey('Place ID')).toBe(importColumnKey('place_id'));
  expect(importColumnKey('placeId')).toBe('placeid');
  expect(importColumnKey(' Search-Location ')).toBe('searchlocation');
});

describe('importPlacesChunks', () => {
  test('at most MAX_IMPORT_PLACES_PER_REQUEST places a request, in order', () => {
    const places = Array.from({ length: 2500 }, (_, i) => ({ place_id: `p${i}` }));
    const chunks = importPlacesChunks(places);
    expect(chunks.map((c) => c.length)).toEqual([
      MAX_IMPORT_PLACES_PER_REQUEST,
      MAX_IMPORT_PLACES_PER_REQUEST,
      500,
    ]);
    expect(chunks.flat()).toEqual(places);
  });

  test('and at most MAX_IMPORT_REQUEST_BYTES of JSON, counted in UTF-8 bytes', () => {
    const long = 'é'.repeat(2000); // 4,000 bytes in UTF-8
    const places = Array.from({ length: 1000 }, (_, i) => ({ place_id: `p${i}`, notes: long }));
    const chunks = importPlacesChunks(places);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(new TextEncoder().encode(JSON.stringify({ places: chunk })).length).toBeLessThan(
        MAX_IMPORT_REQUEST_BYTES + 100,
      );
    }
    expect(chunks.flat()).toEqual(places);
  });
});

test('importMessage', () => {
  expect(importMessage(1, 0)).toBe('1 place imported');
  expect(importMessage(0, 5)).toBe('0 places imported, 5 already in the store');
});

describe('readImportFileGradually', () => {
  const texts = [
    '\ufeffPlace ID,Name,Rating,Notes\r\nA,"Alpha, Inc",4.5,"two\nlines"\r\nB,Beta,9,\r\n\r\nC,Gamma,,x\r\nA,Again,,\r\n',
    'place_id;name;rating\nA;Alpha;4,7\nB;Beta;x\n',
    'id,title\n1,Alpha\n',
    '',
    'place_id,name\n',
    'place_id,name\nA,"unclosed\nB,Beta\n',
    JSON.stringify([
      { placeId: 'J1', title: 'One' },
      { placeId: 'J2', title: 'Two', rating: 8 },
    ]),
    '{"place_id": "a"}',
    '[{"place_id": 1,',
  ];
  test.each(texts.map((t, i) => [i, t]))(
    'text %i: the same result as readImportFile, even in slices of 7 characters',
    async (_i, text) => {
      const fractions: number[] = [];
      const gradual = await readImportFileGradually(text, {
        sliceChars: 7,
        pause: async () => {},
        onProgress: (f) => fractions.push(f),
      });
      expect(gradual).toEqual(readImportFile(text));
      expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    },
  );

  test('gives the event loop back between slices, reports progress up to 1, and stops when asked', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `P${i},Place ${i},4`);
    const text = ['place_id,name,rating', ...rows].join('\n');
    const fractions: number[] = [];
    let pauses = 0;
    const read = await readImportFileGradually(text, {
      sliceChars: 10_000,
      pause: async () => {
        pauses += 1;
      },
      onProgress: (f) => fractions.push(f),
    });
    expect(read.places).toHaveLength(5000);
    expect(pauses).toBeGreaterThan(5);
    expect(fractions.at(-1)).toBe(1);

    const stop = new AbortController();
    const stopped = readImportFileGradually(text, {
      sliceChars: 10_000,
      signal: stop.signal,
      pause: async () => stop.abort(new Error('stopped by the reviewer')),
    });
    await expect(stopped).rejects.toThrow('stopped by the reviewer');
  });
});
