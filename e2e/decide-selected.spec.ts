import { expect, REVIEWER, test } from './support/fixtures';

test('filter, select three rows, mark them Selected: both statuses and the reviewer are stored', async ({
  page,
  grid,
  server,
}) => {
  // Filter: new cafés only.
  const newCafes = await server.db.count("status = 'New' AND search_text LIKE '%cafe%'");
  expect(newCafes).toBeGreaterThan(3);
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await page.getByLabel('Search').fill('cafe');
  await grid.expectTotal(newCafes);
  await expect(grid.cell(0, 'category')).toHaveText('Cafe');
  await expect(grid.cell(0, 'status')).toHaveText('New');

  // Select three rows: a click, then ctrl-clicks.
  await grid.cell(0, 'business_name').click();
  await grid.cell(1, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await grid.cell(2, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  const chosen = [await grid.rowId(0), await grid.rowId(1), await grid.rowId(2)].sort();
  expect(await grid.selectedRowIds()).toEqual(chosen);

  await page.getByLabel('New status').selectOption('Selected');
  await page.getByRole('button', { name: 'Update 3 Selected' }).click();

  await expect(page.getByRole('status')).toHaveText('3 updated, 3 queued for deep scan');

  const rows = await server.db.places(chosen);
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(row).toMatchObject({
      status: 'Selected',
      deep_scan_status: 'Queued',
      updated_by: REVIEWER,
    });
  }
  // Nothing else was touched.
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(3);
  expect(await server.db.count('deep_scan_status IS NOT NULL')).toBe(3);

  // The grid shows the new statuses in place once it has re-read the rows (they left the filter).
  await expect(page.locator('.ag-row-selected')).toHaveCount(0);
  await page.getByLabel('Status', { exact: true }).selectOption('Selected');
  await expect(grid.cellOf(chosen[0]!, 'deep_scan_status')).toHaveText('Queued');
});
