import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExportedPlace } from '../../src-shared/contract';
import type { ErrorBody } from '../../src-shared/errors';
import { readImportFile } from '../../src-shared/import-file';
import { startBackend, type Backend } from '../../src-main/backend';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { execRaw } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { httpTransport, type Transport } from '../support/transports';
import { runCli } from '../support/cli';

/** Seven places: three Selected (one scanned), the rest New; one name starts a formula. */
const PLACES = [
  { place_id: 'e-1', name: 'Alpha Bakery', status: 'Selected' as const },
  { place_id: 'e-2', name: 'Beta Barber', status: 'New' as const },
  { place_id: 'e-3', name: '=HYPERLINK("http://x.test")', status: 'Selected' as const },
  { place_id: 'e-4', name: 'Delta Dentist', status: 'New' as const },
  { place_id: 'e-5', name: 'Echo Bakery', status: 'Selected' as const },
  { place_id: 'e-6', name: 'Foxtrot Florist', status: 'New' as const },
  { place_id: 'e-7', name: 'Golf Bakery', status: 'New' as const },
];

describe.each(STORE_KINDS)('exporting places on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let backend: Backend;
  let http: Transport;

  beforeEach(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    backend = await startBackend(loadSettings(handle.env), { scheduler: false });
    http = await httpTransport(backend);
    await backend.places.insertPlaces(
      PLACES.map((p) => ({ ...p, formatted_address: `${p.place_id} Main St`, rating: 4.5 })),
    );
    // What a finished deep scan leaves (the scheduler's upsert), for e-1.
    await execRaw(
      store,
      `INSERT INTO local_businesses (place_id, phone, website_url, city, extra_categories, monday_hours, additional_json)
       VALUES ('e-1', '+1 312-555-0100', 'https://alpha.example', 'Chicago', '["bakery","cafe"]', '8 AM-5 PM', '{"big":"raw answer"}')`,
    );
  });
  afterEach(async () => {
    await http.close();
    await backend.close();
    await handle.dispose();
  });

  const token = () => backend.issueLocalToken('reviewer-1', 60);

  async function allPages(filter: Record<string, unknown>, size: number) {
    const pages: ExportedPlace[][] = [];
    let after: string | null = null;
    do {
      const reply = await http.call(
        'exportPlaces',
        { ...filter, size, ...(after ? { after } : {}) },
        await token(),
      );
      expect(reply.status).toBe(200);
      const body = reply.body as { items: ExportedPlace[]; next_after: string | null };
      pages.push(body.items);
      after = body.next_after;
    } while (after !== null && pages.length < 20);
    return pages;
  }

  test('pages in place id order, each after the last of the one before, to the end, none twice', async () => {
    const pages = await allPages({}, 3);
    expect(pages.map((p) => p.map((i) => i.place_id))).toEqual([
      ['e-1', 'e-2', 'e-3'],
      ['e-4', 'e-5', 'e-6'],
      ['e-7'],
    ]);
  });

  test('a filter and a search narrow it, as in the grid; the scan rides along without the raw answer', async () => {
    const selected = (await allPages({ status: 'Selected' }, 2)).flat();
    expect(selected.map((i) => i.place_id)).toEqual(['e-1', 'e-3', 'e-5']);
    expect(selected[0]).toMatchObject({
      business_name: 'Alpha Bakery',
      address: 'e-1 Main St',
      status: 'Selected',
      local_business: {
        place_id: 'e-1',
        phone: '+1 312-555-0100',
        website_url: 'https://alpha.example',
        city: 'Chicago',
        extra_categories: ['bakery', 'cafe'],
        monday_hours: '8 AM-5 PM',
      },
    });
    expect(selected[0]!.local_business).not.toHaveProperty('additional_json');
    expect(selected[1]!.local_business).toBeNull();
    const bakeries = (await allPages({ q: 'bakery' }, 1000)).flat();
    expect(bakeries.map((i) => i.place_id)).toEqual(['e-1', 'e-5', 'e-7']);
  });

  test('a page after a place that was deleted by hand: 409, saying to start again', async () => {
    await execRaw(store, `DELETE FROM places_staging WHERE place_id = 'e-3'`);
    const reply = await http.call('exportPlaces', { after: 'e-3', size: 2 }, await token());
    expect(reply.status).toBe(409);
    expect((reply.body as ErrorBody).detail).toMatch(
      /no longer in the store: start the export again/,
    );
  });

  test('a page larger than 1000, or an unknown status: 422 naming the field', async () => {
    const big = await http.call('exportPlaces', { size: 1001 }, await token());
    expect(big.status).toBe(422);
    expect((big.body as ErrorBody).issues?.map((i) => i.path)).toEqual(['size']);
    const status = await http.call('exportPlaces', { status: 'selected' }, await token());
    expect(status.status).toBe(422);
    expect((status.body as ErrorBody).issues?.map((i) => i.path)).toEqual(['status']);
  });

  test('staging-editor export writes the CSV the import reads back: same places, formula kept as text', async () => {
    const out = join(handle.env.STAGING_EDITOR_DATA_DIR!, 'selected.csv');
    const result = await runCli(['export', '--status', 'Selected', '--out', out], handle.env);
    expect(result).toMatchObject({ code: 0, stderr: `Exported 3 places to ${out}.\n` });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeffPlace ID,Name,Address,')).toBe(true);
    // The formula is written as text ('=...), so a spreadsheet does not run it.
    expect(text).toContain(`"'=HYPERLINK(""http://x.test"")"`);
    expect(text).toContain('Chicago');
    expect(text).toContain('bakery; cafe');
    const back = readImportFile(text);
    expect(back.problems).toEqual([]);
    expect(back.places).toEqual(
      PLACES.filter((p) => p.status === 'Selected').map((p) => ({
        place_id: p.place_id,
        business_name: p.name,
        address: `${p.place_id} Main St`,
        rating: 4.5,
      })),
    );

    const bad = await runCli(['export', '--scan', 'Done'], handle.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^--scan must be one of/);
  });
});
