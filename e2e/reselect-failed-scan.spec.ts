import { expect, REVIEWER, test } from './support/fixtures';

test('re-selecting a place whose deep scan failed queues it again', async ({
  page,
  grid,
  server,
}) => {
  // Arrange, in the store: a place the reviewer already Selected, whose scan ended in Error.
  const [failed] = await server.db.rows<{ place_id: string }>(
    "SELECT place_id FROM places_staging WHERE status = 'New' ORDER BY place_id LIMIT 1",
  );
  const placeId = failed!.place_id;
  expect(
    await server.db.run(
      `UPDATE places_staging
       SET status = 'Selected', deep_scan_status = 'Error', deep_scan_attempts = 5,
           deep_scan_error = 'Places API: HTTP 503 Service Unavailable', updated_by = 'someone-else'
       WHERE place_id = ?`,
      placeId,
    ),
  ).toBe(1);

  // The reviewer finds it (Selected, scan Error), sees the error, selects it and chooses Selected.
  await page.getByLabel('Status', { exact: true }).selectOption('Selected');
  await page.getByLabel('Deep scan status').selectOption('Error');
  await grid.expectTotal(1);
  const badge = grid.cellOf(placeId, 'deep_scan_status');
  await expect(badge).toHaveText('Error');
  await badge.hover();
  await expect(page.locator('.ag-tooltip')).toHaveText('Places API: HTTP 503 Service Unavailable');
  await grid.cellOf(placeId, 'business_name').click();
  await page.getByLabel('New status').selectOption('Selected');
  await page.getByRole('button', { name: 'Update 1 Selected' }).click();

  // Its status was already Selected, so nothing is "updated"; the failed scan is queued again.
  await expect(page.getByRole('status')).toContainText('0 updated, 1 queued for deep scan');
  expect(await server.db.places([placeId])).toEqual([
    {
      place_id: placeId,
      status: 'Selected',
      deep_scan_status: 'Queued',
      deep_scan_error: null,
      deep_scan_attempts: 0,
      // The row was written (re-queued) by this reviewer, though its status stayed the same.
      updated_by: REVIEWER,
    },
  ]);
  expect(await server.db.count('deep_scan_status IS NOT NULL')).toBe(1);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(1);

  // The grid shows it Queued: it has left the "Error" filter; under "Queued" it is back.
  await page.getByLabel('Deep scan status').selectOption('Queued');
  await grid.expectTotal(1);
  await expect(grid.cellOf(placeId, 'deep_scan_status')).toHaveText('Queued');
});
