import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src-main/db/store';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import { readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { runCli } from '../support/cli';

async function readNames(store: Store): Promise<Map<string, string>> {
  const rows =
    store.kind === 'postgres'
      ? await store.db
          .select({ id: pgSchema.placesStaging.place_id, name: pgSchema.placesStaging.name })
          .from(pgSchema.placesStaging)
      : store.db
          .select({
            id: sqliteSchema.placesStaging.place_id,
            name: sqliteSchema.placesStaging.name,
          })
          .from(sqliteSchema.placesStaging)
          .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

describe.each(STORE_KINDS)('staging-editor import on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let file: string;
  const dir = () => handle.env.STAGING_EDITOR_DATA_DIR!;

  beforeEach(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    file = join(dir(), 'places.csv');
    writeFileSync(
      file,
      'Place ID,Name,Rating\r\nP1,"Alpha, Inc",4.5\r\nP2,Beta,9\r\nP3,Gamma,\r\n',
    );
  });
  afterEach(async () => {
    await handle.dispose();
  });

  test('an invalid row: listed with its row number, exit 1, nothing imported', async () => {
    const result = await runCli(['import', file], handle.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('row 3: Rating: must be between 0 and 5 (got 9)');
    expect(result.stderr).toContain(
      "1 of 3 rows can't be imported (listed above): nothing was imported. Correct them, or pass --skip-invalid to import the other 2.",
    );
    expect((await readPlaces(store)).size).toBe(0);
  });

  test('--skip-invalid imports the others; the same file again adds nothing and says so', async () => {
    const first = await runCli(['import', file, '--skip-invalid'], handle.env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Imported 2 places into .* in \d+\.\d s \(1 invalid row left out\)\.$/m,
    );
    const places = await readPlaces(store);
    expect([...places.keys()].sort()).toEqual(['P1', 'P3']);
    expect(places.get('P1')).toMatchObject({ status: 'New', deep_scan_status: null });

    const again = await runCli(['import', file, '--skip-invalid'], handle.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Imported 0 places into .* \(2 already there; 1 invalid row left out\)\.$/m,
    );
    expect((await readPlaces(store)).size).toBe(2);
  });

  test('a file without a place id column, and a file that is not there: one sentence, exit 1', async () => {
    writeFileSync(file, 'id,name\n1,Alpha\n');
    const noColumn = await runCli(['import', file], handle.env);
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr.trim()).toBe(
      `${file}: The file has no column for Place ID (a column named "place_id" or "google_place_id" or "gmaps_place_id"). Nothing was imported.`,
    );
    const missing = await runCli(['import', join(dir(), 'nope.csv')], handle.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`Can't read ${join(dir(), 'nope.csv')}: no such file`);
    expect((await readPlaces(store)).size).toBe(0);
  });

  test('a file saved by Excel as plain CSV on Windows (Windows-1252): said, and accents kept', async () => {
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('place_id,name\r\nW1,Caf'),
        Buffer.from([0xe9]),
        Buffer.from('\r\n'),
      ]),
    );
    const result = await runCli(['import', file], handle.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${file} is not UTF-8: read as Windows-1252`);
    expect(await readNames(store)).toEqual(new Map([['W1', 'Café']]));
  });
});
