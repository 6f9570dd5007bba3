import { expect, REVIEWER, test } from './support/fixtures';

test('the server stops mid-update: a plain error, nothing lost, and a retry once it is back', async ({
  page,
  grid,
  server,
}) => {
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  const chosen = await grid.selectFirstTwo();
  const before = await server.db.places(chosen);

  // The update leaves the page; the server dies (a crash: SIGKILL) before the request lands.
  let killed = false;
  await page.route('**/api/v3/places/staging/status', async (route) => {
    if (!killed) {
      killed = true;
      await server.stop('SIGKILL');
    }
    await route.continue();
  });
  await page.getByLabel('New status').selectOption('Maybe');
  await page.getByRole('button', { name: 'Update 2 Selected' }).click();

  // A plain-words alert that says nothing happened, not a stack trace or "Failed to fetch".
  const alert = page.getByRole('alert').filter({ hasText: 'the change to Maybe' });
  await expect(alert).toHaveText(
    'Cannot reach the Staging Editor server. Check that it is running and that this computer is online, then try again. The change to Maybe did not happen.',
  );
  expect(killed).toBe(true);
  await page.unroute('**/api/v3/places/staging/status');

  // Nothing lost: the filter, the selection, the chosen status; and the store is unchanged.
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('New');
  await expect(page.getByLabel('New status')).toHaveValue('Maybe');
  await expect(page.getByRole('button', { name: 'Update 2 Selected' })).toBeEnabled();
  expect(await grid.selectedRowIds()).toEqual(chosen);
  expect(await server.db.places(chosen)).toEqual(before);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(0);

  // The server comes back on the same store and port; Retry finishes the reviewer's update.
  await server.start();
  await page.locator('.toast', { has: alert }).getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status')).toHaveText('2 updated');
  expect((await server.db.places(chosen)).map((row) => [row.status, row.updated_by])).toEqual([
    ['Maybe', REVIEWER],
    ['Maybe', REVIEWER],
  ]);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(2);
});
