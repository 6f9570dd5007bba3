import type { Page } from '@playwright/test';
import { countInDatabase, expect, placesInDatabase, REVIEWER, test } from './support/fixtures';

/** The grid for the README: attached to the report, and written to README_SCREENSHOT if set. */
async function saveGridScreenshot(page: Page) {
  const path = process.env.README_SCREENSHOT;
  const body = await page.screenshot(path ? { path } : {});
  await test.info().attach('grid', { body, contentType: 'image/png' });
}

test('filter, select three rows, mark them Selected: both statuses and the reviewer are stored', async ({
  page,
  grid,
  server,
}) => {
  // Filter: new cafés only.
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await page.getByLabel('Search').fill('cafe');
  await expect(grid.cell(0, 'category')).toHaveText('cafe');
  await expect(grid.cell(0, 'status')).toHaveText('New');

  // Select three rows: a click, then ctrl-clicks.
  await grid.cell(0, 'business_name').click();
  await grid.cell(1, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await grid.cell(2, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  const chosen = [await grid.rowId(0), await grid.rowId(1), await grid.rowId(2)];
  await saveGridScreenshot(page);

  await page.getByLabel('New status').selectOption('Selected');
  await page.getByRole('button', { name: 'Update 3 Selected' }).click();

  await expect(page.getByRole('status')).toHaveText('3 updated, 3 queued for deep scan');

  const rows = placesInDatabase(server.sqlitePath, chosen);
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(row).toMatchObject({
      status: 'Selected',
      deep_scan_status: 'Queued',
      updated_by: REVIEWER,
    });
  }
  // Nothing else was touched.
  expect(countInDatabase(server.sqlitePath, 'updated_by = ?', REVIEWER)).toBe(3);

  // The grid shows the new statuses in place once it has re-read the rows (they left the filter).
  await expect(page.locator('.ag-row-selected')).toHaveCount(0);
  await page.getByLabel('Status', { exact: true }).selectOption('Selected');
  await expect(
    page.locator(`.ag-row[row-id="${chosen[0]}"] .ag-cell[col-id="deep_scan_status"]`).first(),
  ).toHaveText('Queued');
});
