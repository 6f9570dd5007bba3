import { writeFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, REVIEWER, SAMPLE_PLACES, test } from './support/fixtures';
import { holdRequest } from './support/hold-request';

/** A map search's export as a spreadsheet saves it; "Website" is not a field: ignored. */
const HEADER = 'Place ID,Name,Address,Category,Rating,Reviews,Price,Website';
const GOOD = [
  HEADER,
  'e2e-imp-1,Quillfeather Bakers,"12 Elm St, Chicago, IL 60601",bakery,4.6,"1,234",$$,https://example.com',
  'e2e-imp-2,Zanthor Hardware,7 Lake St,hardware_store,4.1,88,1,',
  'e2e-imp-3,"Marrowby & Sons, Tailors",9 Congress Ave,clothing_store,,,,',
  'e2e-imp-4,Pellucid Pools,1 Main St,swimming_pool,3.9,12,,',
  'e2e-imp-5,Vantablue Studio,2 Oak Ave,art_studio,5,3,PRICE_LEVEL_EXPENSIVE,',
];
const GOOD_IDS = ['e2e-imp-1', 'e2e-imp-2', 'e2e-imp-3', 'e2e-imp-4', 'e2e-imp-5'];

/** Writes a file for the test to choose (in the test's own output folder). */
function writeFile(name: string, lines: readonly string[]): string {
  const path = test.info().outputPath(name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const importDialog = (page: Page) => page.getByRole('dialog', { name: 'Import places' });
/** The app's toasts (the dialog has a status line of its own). */
const toast = (page: Page) => page.getByLabel('Notifications').getByRole('status');

async function openImport(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Import places…' }).click();
  const dialog = importDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The preview's column matching, as [column in the file, imported as] pairs. */
async function columnMatching(dialog: Locator): Promise<string[][]> {
  return dialog
    .getByRole('table', { name: 'Columns' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
    );
}

/** Presses Tab until `target` has the focus (at most 30 times): it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await target.evaluate((element) => element.matches(':focus'))) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a good CSV: the preview matches its columns, and its places go in as New and show in the grid', async ({
  page,
  grid,
  server,
}) => {
  const dialog = await openImport(page);
  await dialog.getByLabel('Choose a file').setInputFiles(writeFile('places.csv', GOOD));

  await expect(dialog.getByText('places.csv')).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText('5 places ready to import');
  expect(await columnMatching(dialog)).toEqual([
    ['Place ID', 'Place ID'],
    ['Name', 'Name'],
    ['Address', 'Address'],
    ['Category', 'Category'],
    ['Rating', 'Rating'],
    ['Reviews', 'Reviews'],
    ['Price', 'Price'],
    ['Website', 'ignored'],
  ]);
  await expect(dialog.getByText('can’t be imported')).toHaveCount(0);
  // The first places as they will be stored: the reviewer sees the columns landed right.
  const sample = dialog.getByRole('table', { name: 'The first 3 places' });
  await expect(sample.getByRole('columnheader')).toHaveText([
    'Place ID',
    'Name',
    'Address',
    'Category',
    'Rating',
    'Reviews',
    'Price',
  ]);
  await expect(sample.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(
    'Quillfeather Bakers',
  );

  await dialog.getByRole('button', { name: 'Import 5 places' }).click();
  await expect(dialog.getByRole('status')).toHaveText('5 places imported');
  await expect(toast(page)).toHaveText('5 places imported');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The grid and the count caught up by themselves; a search finds an imported place by name,
  // the quoted name with its comma whole.
  await grid.expectTotal(SAMPLE_PLACES + 5);
  await page.getByLabel('Search').fill('marrowby');
  await grid.expectTotal(1);
  await expect(grid.cellOf('e2e-imp-3', 'business_name')).toHaveText('Marrowby & Sons, Tailors');
  await expect(grid.cellOf('e2e-imp-3', 'status')).toHaveText('New');

  const stored = await server.db.rows<Record<string, unknown>>(
    `SELECT place_id, name, formatted_address, rating, user_ratings_total, price_level, status
     FROM places_staging WHERE place_id LIKE 'e2e-imp-%' ORDER BY place_id`,
  );
  expect(stored.map((row) => row.place_id)).toEqual(GOOD_IDS);
  expect(stored.every((row) => row.status === 'New')).toBe(true);
  expect(stored[0]).toMatchObject({
    name: 'Quillfeather Bakers',
    formatted_address: '12 Elm St, Chicago, IL 60601',
    user_ratings_total: 1234,
    price_level: 2,
  });
  expect(Number(stored[0]!.rating)).toBe(4.6);
  expect(stored[4]).toMatchObject({ price_level: 3 });
  // Imported places are never queued for a (paid) deep scan.
  expect(await server.db.count("place_id LIKE 'e2e-imp-%' AND deep_scan_status IS NOT NULL")).toBe(
    0,
  );
});

test('a file with a bad row and a repeated place id: the preview names both, and the rest go in', async ({
  page,
  grid,
  server,
}) => {
  const path = writeFile('mixed.csv', [
    HEADER,
    'e2e-mix-1,Quillfeather One,1 A St,bakery,4.5,10,,',
    'e2e-mix-2,Quillfeather Two,2 A St,bakery,7,10,,',
    'e2e-mix-3,Quillfeather Three,3 A St,bakery,3,10,,',
    'e2e-mix-1,Quillfeather One Again,1 A St,bakery,4,10,,',
    'e2e-mix-4,Quillfeather Four,4 A St,bakery,,,,',
  ]);
  const dialog = await openImport(page);
  await dialog.getByLabel('Choose a file').setInputFiles(path);

  await expect(dialog.getByRole('status')).toHaveText('3 places ready to import (of 5 rows)');
  await expect(dialog.getByRole('heading', { name: '2 rows can’t be imported' })).toBeVisible();
  await expect(
    dialog.getByRole('list', { name: '2 rows can’t be imported' }).getByRole('listitem'),
  ).toHaveText([
    'Row 3: Rating: must be between 0 and 5 (got 7)',
    'Row 5: Place ID: e2e-mix-1 is already on row 2; that row is imported',
  ]);

  await dialog.getByRole('button', { name: 'Import 3 places' }).click();
  await expect(dialog.getByRole('status')).toHaveText('3 places imported');
  await expect(toast(page)).toHaveText('3 places imported');

  // Exactly the good rows, the first of the two rows for e2e-mix-1.
  expect(
    await server.db.rows(
      `SELECT place_id, name FROM places_staging WHERE place_id LIKE 'e2e-mix-%' ORDER BY place_id`,
    ),
  ).toEqual([
    { place_id: 'e2e-mix-1', name: 'Quillfeather One' },
    { place_id: 'e2e-mix-3', name: 'Quillfeather Three' },
    { place_id: 'e2e-mix-4', name: 'Quillfeather Four' },
  ]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await grid.expectTotal(SAMPLE_PLACES + 3);
});

test('a file with no place id column: the dialog says so, offers no import, and Escape closes it', async ({
  page,
  grid,
  server,
}) => {
  const path = writeFile('no-ids.csv', [
    'Name,Address,Rating',
    'Quillfeather Bakers,"12 Elm St, Chicago",4.6',
  ]);
  const dialog = await openImport(page);
  await dialog.getByLabel('Choose a file').setInputFiles(path);

  await expect(dialog.getByRole('alert')).toHaveText(
    'The file has no column for Place ID (a column named "place_id" or "google_place_id" or "gmaps_place_id").',
  );
  await expect(dialog.getByText('Its columns: Name, Address, Rating')).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Import/ })).toHaveCount(0);
  await expect(dialog.getByRole('table')).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Focus is back on the button that opened it.
  await expect(page.getByRole('button', { name: 'Import places…' })).toBeFocused();
  await grid.expectTotal(SAMPLE_PLACES);
  expect(await server.db.count('1 = 1')).toBe(SAMPLE_PLACES);
});

test.describe('in a new, empty store', () => {
  test.use({ places: 0 });

  test('by keyboard alone: import from the empty state, then the same file again skips every place', async ({
    page,
    server,
  }) => {
    const path = writeFile('places.csv', GOOD);
    await page.goto(`${server.url}/#token=${await server.tokenFor(REVIEWER)}`);
    await expect(page.getByRole('heading', { name: 'No places yet' })).toBeVisible();
    // The header offers no import while the empty state does.
    await expect(page.getByRole('button', { name: 'Import places…' })).toHaveCount(1);

    await tabTo(page, page.getByRole('button', { name: 'Import places…' }));
    await page.keyboard.press('Enter');
    const dialog = importDialog(page);
    await expect(dialog).toBeVisible();
    const input = dialog.getByLabel('Choose a file');
    await tabTo(page, input);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.keyboard.press('Space'),
    ]);
    await chooser.setFiles(path);
    await expect(dialog.getByRole('status')).toHaveText('5 places ready to import');

    await tabTo(page, dialog.getByRole('button', { name: 'Import 5 places' }));
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('status')).toHaveText('5 places imported');
    await expect(toast(page)).toHaveText('5 places imported');
    // The empty state made way for the desk behind the dialog.
    await expect(page.getByRole('heading', { name: 'No places yet' })).toBeHidden();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    // The empty state's button went with it: focus is on the header's, which opens it again.
    const headerButton = page.getByRole('banner').getByRole('button', { name: 'Import places…' });
    await expect(headerButton).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Choose a file').setInputFiles(path);
    await tabTo(page, dialog.getByRole('button', { name: 'Import 5 places' }));
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('status')).toHaveText(
      '0 places imported, 5 already in the store',
    );
    await expect(toast(page)).toHaveText('0 places imported, 5 already in the store');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    expect(await server.db.count('1 = 1')).toBe(5);
    await expect(page.locator('.filter-count')).toHaveText('5 places');
  });
});

test.describe('a file larger than one request', () => {
  test.use({ places: 0 });

  const BIG = 2_500;
  const bigFile = () =>
    writeFile('big.csv', [
      'place_id,name',
      ...Array.from({ length: BIG }, (_, i) => `e2e-big-${String(i).padStart(4, '0')},Place ${i}`),
    ]);

  test('shows its progress, refuses Escape while running, and Stop sends no further request', async ({
    page,
    server,
  }) => {
    // The second request waits (it is the real one, held in the browser) until Stop is pressed.
    const held = await holdRequest(page, '**/api/v3/places/import', 2);
    await page.goto(`${server.url}/#token=${await server.tokenFor(REVIEWER)}`);
    const dialog = await openImport(page);
    await dialog.getByLabel('Choose a file').setInputFiles(bigFile());
    await dialog.getByRole('button', { name: 'Import 2,500 places' }).click();

    const bar = dialog.getByRole('progressbar', { name: 'Import progress' });
    await expect(bar).toHaveAttribute('aria-valuenow', '1000');
    await expect(bar).toHaveAttribute('aria-valuemax', '2500');
    await expect(dialog.getByText('Importing… 1,000 of 2,500 places')).toBeVisible();
    await expect(dialog.getByText('So far: 1,000 places imported.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Stop' })).toBeFocused();
    // Escape (twice: Chromium closes on a second one unless the key itself is refused).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeVisible();

    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('button', { name: 'Stop' })).toHaveText('Stopping…');
    held.release();
    await expect(dialog.getByRole('status')).toHaveText(
      'Stopped after 2,000 of 2,500 places: 2,000 places imported. Those places are in the ' +
        'store: importing the same file again skips them and adds the rest.',
    );
    expect(held.count()).toBe(2);
    expect(await server.db.count("place_id LIKE 'e2e-big-%'")).toBe(2_000);
  });

  test('the server gone mid-import: the dialog says how far it got, and the same file again adds the rest', async ({
    page,
    server,
  }) => {
    const held = await holdRequest(page, '**/api/v3/places/import', 2);
    const path = bigFile();
    await page.goto(`${server.url}/#token=${await server.tokenFor(REVIEWER)}`);
    let dialog = await openImport(page);
    await dialog.getByLabel('Choose a file').setInputFiles(path);
    await dialog.getByRole('button', { name: 'Import 2,500 places' }).click();
    await expect(dialog.getByText('Importing… 1,000 of 2,500 places')).toBeVisible();

    await server.stop();
    held.release();
    await expect(dialog.getByRole('alert')).toHaveText(
      /^Cannot reach the Staging Editor server\..* The rest of the import did not happen\. The import stopped after 1,000 of 2,500 places: 1,000 places imported\. Those places are in the store: importing the same file again skips them and adds the rest\.$/,
    );
    await expect(page.getByLabel('Notifications').getByRole('alert')).toContainText(
      'The import stopped after 1,000 of 2,500 places',
    );
    expect(await server.db.count("place_id LIKE 'e2e-big-%'")).toBe(1_000);

    await server.start();
    await dialog.getByRole('button', { name: 'Close' }).click();
    dialog = await openImport(page);
    await dialog.getByLabel('Choose a file').setInputFiles(path);
    await dialog.getByRole('button', { name: 'Import 2,500 places' }).click();
    await expect(dialog.getByRole('status')).toHaveText(
      '1,500 places imported, 1,000 already in the store',
    );
    expect(await server.db.count("place_id LIKE 'e2e-big-%'")).toBe(BIG);
  });
});
