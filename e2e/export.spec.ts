import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from '@playwright/test';
import Papa from 'papaparse';
import { expect, SAMPLE_PLACES, test, type GridPage } from './support/fixtures';
import type { TestServer } from './support/server';
import { holdRequest } from './support/hold-request';

/** The file's first columns: the import's names, so the file imports again as it is. */
const HEADER_START =
  '\ufeffPlace ID,Name,Address,Category,Search location,Latitude,Longitude,Rating,Reviews,Price,' +
  'Status,Deep scan,Deep scan error,Updated,Updated by,Phone,Website,';
const FILE_NAME = /^staging-editor-places-\d{4}-\d{2}-\d{2}\.csv$/;
const EXPORT_PAGES = /\/api\/v3\/places\/export\?/;

const exportDialog = (page: Page) => page.getByRole('dialog', { name: 'Export places' });
/** The app's toasts (the dialog has a status line of its own). */
const toast = (page: Page) => page.getByLabel('Notifications').getByRole('status');
const exportButton = (page: Page) => page.getByRole('button', { name: 'Export…' });

async function openExport(page: Page): Promise<Locator> {
  await exportButton(page).click();
  const dialog = exportDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The store's place ids matching `where`, in the store's own place id order. */
async function idsWhere(server: TestServer, where: string): Promise<string[]> {
  const rows = await server.db.rows<{ place_id: string }>(
    `SELECT place_id FROM places_staging WHERE ${where} ORDER BY place_id`,
  );
  return rows.map((row) => row.place_id);
}

interface ExportedFile {
  name: string;
  text: string;
  /** The data rows, by header. */
  rows: Record<string, string>[];
}

/** The downloaded file as it lies on the disk, parsed as a spreadsheet would (after its BOM). */
async function readDownload(download: Download): Promise<ExportedFile> {
  const text = readFileSync(await download.path(), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return { name: download.suggestedFilename(), text, rows: parsed.data };
}

/** Presses the dialog's export button and answers the file it saved. */
async function exportFile(page: Page, dialog: Locator, button: string): Promise<ExportedFile> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: button }).click(),
  ]);
  return readDownload(download);
}

/** A spreadsheet's file: the byte order mark and the header first, CRLF after every row. */
function expectSpreadsheetFile(file: ExportedFile, rows: number): void {
  expect(file.name).toMatch(FILE_NAME);
  expect(file.text.startsWith(HEADER_START)).toBe(true);
  expect(file.text.split('\ufeff')).toHaveLength(2);
  const lines = file.text.split('\r\n');
  expect(lines).toHaveLength(1 + rows + 1);
  expect(lines.at(-1)).toBe('');
  expect(file.rows).toHaveLength(rows);
}

/** Presses Tab until `target` has the focus (at most 30 times): it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await target.evaluate((element) => element.matches(':focus'))) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

async function filterByStatus(page: Page, grid: GridPage, status: string, total: number) {
  await page.getByLabel('Status', { exact: true }).selectOption(status);
  await grid.expectTotal(total);
}

test('status Maybe: the file holds exactly the store’s Maybe places, in place id order, whatever is ticked', async ({
  page,
  grid,
  server,
}) => {
  const maybe = await idsWhere(server, "status = 'Maybe'");
  expect(maybe.length).toBeGreaterThan(1);
  await filterByStatus(page, grid, 'Maybe', maybe.length);
  // Two rows ticked: the export still takes the whole filter.
  await grid.selectFirstTwo();

  const dialog = await openExport(page);
  await expect(dialog.locator('strong')).toHaveText(`The ${maybe.length} places with status Maybe`);
  await expect(dialog).toContainText('Rows you have ticked don’t narrow it; the filter does.');
  await expect(dialog).toContainText('phone, website');
  await expect(dialog.getByRole('button', { name: `Export ${maybe.length} places` })).toBeFocused();
  const file = await exportFile(page, dialog, `Export ${maybe.length} places`);

  expectSpreadsheetFile(file, maybe.length);
  expect(file.rows.map((row) => row['Place ID'])).toEqual(maybe);
  expect(new Set(file.rows.map((row) => row.Status))).toEqual(new Set(['Maybe']));
  // A row carries the place as the store has it.
  const [first] = await server.db.rows<{ name: string }>(
    'SELECT name FROM places_staging WHERE place_id = ?',
    maybe[0],
  );
  expect(file.rows[0]!.Name).toBe(first!.name);

  const said = `Exported ${maybe.length} places to ${file.name}`;
  await expect(dialog.getByRole('status')).toHaveText(said);
  await expect(toast(page)).toHaveText(said);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(exportButton(page)).toBeFocused();
});

test('a search and a status: the file holds the places the grid counts, no more', async ({
  page,
  grid,
  server,
}) => {
  // The same meaning as the grid's search (src-shared/search-query.ts): "oak" anywhere in the
  // folded name, address, category or search location ("Blue Oak", "Oak Ave").
  const matching = await idsWhere(server, "status = 'New' AND search_text LIKE '%oak%'");
  expect(matching.length).toBeGreaterThan(1);
  await page.getByLabel('Search', { exact: true }).fill('oak');
  await filterByStatus(page, grid, 'New', matching.length);

  const dialog = await openExport(page);
  await expect(dialog.locator('strong')).toHaveText(
    `The ${matching.length} places with status New and search “oak”`,
  );
  const file = await exportFile(page, dialog, `Export ${matching.length} places`);
  expectSpreadsheetFile(file, matching.length);
  expect(file.rows.map((row) => row['Place ID'])).toEqual(matching);
  for (const row of file.rows) {
    expect(row.Status).toBe('New');
    expect(`${row.Name} ${row.Address} ${row.Category} ${row['Search location']}`).toMatch(/oak/i);
  }
});

test('a place with a deep scan result: its row carries what the scan found; the others have it empty', async ({
  page,
  grid,
  server,
}) => {
  const maybe = await idsWhere(server, "status = 'Maybe'");
  const scanned = maybe[1]!;
  await server.db.run(
    `INSERT INTO local_businesses (place_id, phone, website_url, city, monday_hours)
     VALUES (?, ?, ?, ?, ?)`,
    scanned,
    '(312) 555-0142',
    'https://quillfeather.example.com/',
    'Chicago',
    '7:00 AM – 3:00 PM',
  );
  await filterByStatus(page, grid, 'Maybe', maybe.length);

  const dialog = await openExport(page);
  const file = await exportFile(page, dialog, `Export ${maybe.length} places`);
  const row = file.rows.find((r) => r['Place ID'] === scanned);
  expect(row).toMatchObject({
    Phone: '(312) 555-0142',
    Website: 'https://quillfeather.example.com/',
    City: 'Chicago',
    'Monday hours': '7:00 AM – 3:00 PM',
  });
  const others = file.rows.filter((r) => r['Place ID'] !== scanned);
  expect(others.length).toBe(maybe.length - 1);
  expect(others.every((r) => r.Phone === '' && r.Website === '' && r['Monday hours'] === '')).toBe(
    true,
  );
});

test('no place matches: the dialog says so and offers no export', async ({ page, grid }) => {
  await page.getByLabel('Search', { exact: true }).fill('zzqxv');
  await expect(page.locator('.filter-count')).toHaveText('0 places');
  await expect(grid.page.getByText('No places match this filter.')).toBeVisible();
  const dialog = await openExport(page);
  await expect(dialog.getByRole('status')).toHaveText(
    'No places match this filter, so there is nothing to export.',
  );
  await expect(dialog.getByRole('button', { name: /^Export/ })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('by keyboard alone: Export… from the toolbar, Enter to export, Escape closes when done', async ({
  page,
  grid,
}) => {
  await grid.expectTotal(SAMPLE_PLACES);
  await tabTo(page, exportButton(page));
  await expect(exportButton(page)).toHaveAttribute('aria-haspopup', 'dialog');
  await page.keyboard.press('Enter');
  const dialog = exportDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('strong')).toHaveText(`All ${SAMPLE_PLACES} places`);
  const button = dialog.getByRole('button', { name: `Export ${SAMPLE_PLACES} places` });
  await expect(button).toBeFocused();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ]);
  const file = await readDownload(download);
  expectSpreadsheetFile(file, SAMPLE_PLACES);
  await expect(dialog.getByRole('status')).toHaveText(
    `Exported ${SAMPLE_PLACES} places to ${file.name}`,
  );
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(exportButton(page)).toBeFocused();
});

test.describe('more places than one page', () => {
  const PLACES = 1_500;
  test.use({ places: PLACES });

  test('the pages join into one file: every New place once, in place id order', async ({
    page,
    grid,
    server,
  }) => {
    const fresh = await idsWhere(server, "status = 'New'");
    expect(fresh.length).toBeGreaterThan(1_000);
    const asked: URL[] = [];
    page.on('request', (request) => {
      if (EXPORT_PAGES.test(request.url())) asked.push(new URL(request.url()));
    });
    await filterByStatus(page, grid, 'New', fresh.length);
    const dialog = await openExport(page);
    const file = await exportFile(
      page,
      dialog,
      `Export ${fresh.length.toLocaleString('en-US')} places`,
    );

    expectSpreadsheetFile(file, fresh.length);
    expect(file.rows.map((row) => row['Place ID'])).toEqual(fresh);
    // Two pages of up to 1,000, the second after the last place of the first.
    expect(asked.map((url) => url.searchParams.get('size'))).toEqual(['1000', '1000']);
    expect(asked.map((url) => url.searchParams.get('after'))).toEqual([null, fresh[999]]);
    expect(asked.every((url) => url.searchParams.get('status') === 'New')).toBe(true);
  });

  test('shows its progress, refuses Escape while running, and Stop saves no file', async ({
    page,
    grid,
  }) => {
    // The second page waits (it is the real one, held in the browser) until the test lets it go.
    const held = await holdRequest(page, EXPORT_PAGES, 2);
    let downloads = 0;
    page.on('download', () => downloads++);
    await grid.expectTotal(PLACES);

    const dialog = await openExport(page);
    await expect(dialog.locator('strong')).toHaveText('All 1,500 places');
    await dialog.getByRole('button', { name: 'Export 1,500 places' }).click();

    const bar = dialog.getByRole('progressbar', { name: 'Export progress' });
    await expect(bar).toHaveAttribute('aria-valuenow', '1000');
    await expect(bar).toHaveAttribute('aria-valuemax', '1500');
    await expect(dialog.getByText('Exporting… 1,000 of 1,500 places')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Stop' })).toBeFocused();
    // Escape (twice: Chromium closes on a second one unless the key itself is refused).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeVisible();
    // Nor does Ctrl+, put the settings over it.
    await page.keyboard.press('Control+Comma');
    await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Stop' })).toBeFocused();

    // Stop ends it at once, though the second page is still under way.
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('status')).toHaveText(
      'Stopped after 1,000 of 1,500 places: no file was saved.',
    );
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    const answered = page.waitForResponse(EXPORT_PAGES);
    held.release();
    await answered;
    // The late page makes no file either.
    await page.waitForTimeout(300);
    expect(downloads).toBe(0);
    expect(held.count()).toBe(2);
    await expect(toast(page)).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('the place a page continues after deleted meanwhile: the dialog says so, and no file is saved', async ({
    page,
    grid,
    server,
  }) => {
    const all = await idsWhere(server, '1 = 1');
    const held = await holdRequest(page, EXPORT_PAGES, 2);
    let downloads = 0;
    page.on('download', () => downloads++);
    await grid.expectTotal(PLACES);

    const dialog = await openExport(page);
    await dialog.getByRole('button', { name: 'Export 1,500 places' }).click();
    await expect(dialog.getByText('Exporting… 1,000 of 1,500 places')).toBeVisible();
    // Deleted by hand (the app never deletes a place) while the second page was on its way.
    expect(await server.db.run('DELETE FROM places_staging WHERE place_id = ?', all[999])).toBe(1);
    held.release();

    const said =
      `Could not finish the export: The place the export had reached ("${all[999]}") is no ` +
      'longer in the store: start the export again. It stopped after 1,000 of 1,500 places, ' +
      'and no file was saved.';
    await expect(dialog.getByRole('alert')).toHaveText(said);
    await expect(page.getByLabel('Notifications').getByRole('alert')).toHaveText(said);
    expect(downloads).toBe(0);
    expect(held.count()).toBe(2);
  });
});
