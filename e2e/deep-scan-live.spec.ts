import {
  FAKE_PLACES_API_KEY,
  startFakePlacesApi,
  type FakePlacesApi,
} from '../test/support/fake-places-api';
import { expect, REVIEWER, test as base } from './support/fixtures';
import { startPlacesApiGate, type PlacesApiGate } from './support/places-api-gate';
import { startTestServer, type TestServer } from './support/server';

/**
 * The one spec with the scheduler on: `serve` scans through the fake Places API on loopback
 * (behind a gate the test opens), one place at a time so the queue is there to see.
 */
const test = base.extend<{ placesApi: { fake: FakePlacesApi; gate: PlacesApiGate } }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  placesApi: async ({}, use) => {
    const fake = await startFakePlacesApi();
    const gate = await startPlacesApiGate(fake.baseUrl);
    try {
      await use({ fake, gate });
    } finally {
      gate.open();
      await gate.close();
      await fake.close();
    }
  },
  server: async ({ store, places, placesApi }, use) => {
    const server: TestServer = await startTestServer({
      store,
      places,
      users: [REVIEWER],
      scheduler: true,
      env: {
        GOOGLE_MAPS_API_KEY: FAKE_PLACES_API_KEY,
        PLACES_API_BASE_URL: placesApi.gate.baseUrl,
        DEEP_SCAN_MAX_CONCURRENCY: '1',
        DEEP_SCAN_BATCH_SIZE: '1',
        DEEP_SCAN_INTERVAL_SECONDS: '1',
      },
    });
    try {
      await use(server);
    } finally {
      await server.dispose();
    }
  },
});

test('Selected places are scanned live: Queued, then Completed with the details; a 404 shows Error', async ({
  page,
  grid,
  server,
  placesApi: { fake, gate },
}) => {
  // The first three rows (by name), New and never scanned; the third is unknown to Google.
  const ids = await Promise.all([0, 1, 2].map((index) => grid.rowId(index)));
  const [ok1, ok2, missing] = ids as [string, string, string];
  for (const id of ids) {
    await server.db.run(`UPDATE places_staging SET status = 'New' WHERE place_id = ?`, id);
  }
  fake.script(missing, [404]);
  await page.reload();
  await expect(page.locator('.summary-panel li[data-key="Completed"] .bar-count')).toHaveText('0');
  // Nothing paid for yet today (the ledger of Places API calls).
  await expect(page.locator('.scan-spend')).toHaveText('Places API today: 0 calls');
  for (const id of ids)
    await expect(grid.cellOf(id, 'deep_scan_status')).toHaveText('Never queued');

  await grid.selectFirstTwo();
  await grid.cell(2, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await page.getByLabel('New status').selectOption('Selected');
  await page.getByRole('button', { name: 'Update 3 Selected' }).click();
  await expect(page.getByRole('status')).toHaveText('3 updated, 3 queued for deep scan');

  // One scan is in flight (held at the gate); the other two wait in the queue, and show it.
  const inFlight = await gate.firstHeld();
  expect(ids).toContain(inFlight);
  for (const id of ids.filter((id) => id !== inFlight)) {
    await expect(grid.cellOf(id, 'deep_scan_status')).toHaveText('Queued');
  }
  await expect(grid.cellOf(inFlight, 'deep_scan_status')).toHaveText(/^(Queued|Processing)$/);
  expect(await server.db.count("deep_scan_status = 'Queued'")).toBe(2);
  expect(await server.db.count("deep_scan_status = 'Processing'")).toBe(1);
  // The summary has the scan counts live (pushed scanProgress).
  await expect(page.locator('.summary-panel li[data-key="Queued"] .bar-count')).toHaveText('2');
  await expect(page.locator('.summary-panel li[data-key="Processing"] .bar-count')).toHaveText('1');

  // The Places API answers: the grid and the summary follow without a reload (pushed events).
  gate.open();
  await expect(grid.cellOf(ok1, 'deep_scan_status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(grid.cellOf(ok2, 'deep_scan_status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(grid.cellOf(missing, 'deep_scan_status')).toHaveText('Error', { timeout: 30_000 });
  await expect(page.locator('.summary-panel li[data-key="Completed"] .bar-count')).toHaveText('2');
  await expect(page.locator('.summary-panel li[data-key="Error"] .bar-count')).toHaveText('1');
  expect([...gate.asked].sort()).toEqual([...ids].sort());
  // Three paid calls today (the 404 too), two of them scanned a place: the panel says so.
  await expect(page.locator('.scan-spend')).toHaveText(
    'Places API today: 3 calls (2 places scanned)',
  );

  // The store: two local_businesses rows with what the fake answered; the 404 failed at once.
  const answered = (id: string) =>
    fake.responseFor(id) as { internationalPhoneNumber?: string; websiteUri?: string };
  const businesses = await server.db.rows<{ place_id: string; phone: string; website_url: string }>(
    `SELECT place_id, phone, website_url FROM local_businesses ORDER BY place_id`,
  );
  expect(businesses).toEqual(
    [ok1, ok2].sort().map((id) => ({
      place_id: id,
      phone: answered(id).internationalPhoneNumber,
      website_url: answered(id).websiteUri ?? null,
    })),
  );
  const [failed] = await server.db.places([missing]);
  expect(failed).toMatchObject({ deep_scan_status: 'Error', deep_scan_attempts: 1 });
  expect(failed!.deep_scan_error).toMatch(/404/);
  expect(fake.callsFor(missing)).toBe(1);

  // The error on hover in the grid, and in the detail panel.
  await grid.cellOf(missing, 'deep_scan_status').hover();
  await expect(page.locator('.ag-tooltip')).toHaveText(failed!.deep_scan_error!);
  await grid.cellOf(missing, 'business_name').click();
  const panel = page.locator('.detail-panel');
  await expect(panel).toContainText(failed!.deep_scan_error!);
  await expect(panel).toContainText('No deep scan result yet.');

  // The details the scan fetched, in the detail panel (a place the fake gives a website).
  const shown = [ok1, ok2].find((id) => answered(id).websiteUri);
  expect(shown, 'the fake gives one of the two places a website').toBeDefined();
  await grid.cellOf(shown!, 'business_name').click();
  await expect(panel.getByRole('heading', { name: 'Deep scan result' })).toBeVisible();
  await expect(
    panel.getByRole('link', { name: answered(shown!).internationalPhoneNumber! }),
  ).toBeVisible();
  await expect(panel.getByRole('link', { name: answered(shown!).websiteUri! })).toBeVisible();
});
