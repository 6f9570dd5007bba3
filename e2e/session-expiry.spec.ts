import { expect, REVIEWER, test } from './support/fixtures';

/** The page's globals, typed here because the e2e project has no DOM lib. */
interface BrowserGlobals {
  localStorage: { setItem(key: string, value: string): void };
}

test('a 401 mid-session brings the sign-in screen back and keeps filter and selection', async ({
  page,
  grid,
  server,
}) => {
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  const chosen = await grid.selectFirstTwo();
  // The click also focused row 1, whose details the panel reads a moment later: let that read
  // finish first, or it (not the update) meets the bad token on a slow machine.
  const panel = page.locator('.detail-panel');
  await expect(panel.locator('#detail-title')).toHaveText(
    (await grid.cell(1, 'business_name').textContent()) ?? '',
  );
  await expect(panel).toHaveAttribute('aria-busy', 'false');

  // The token stops being valid (expired or revoked) while the reviewer works.
  await page.evaluate(() =>
    (globalThis as unknown as BrowserGlobals).localStorage.setItem(
      'staging-editor.token',
      'expired.token.value',
    ),
  );
  await page.getByLabel('New status').selectOption('Maybe');
  await page.getByRole('button', { name: 'Update 2 Selected' }).click();

  await expect(page.getByRole('heading', { name: 'Your session has expired' })).toBeVisible();
  expect((await server.db.places(chosen)).map((row) => row.status)).toEqual(['New', 'New']);

  await page.getByLabel('Access token').fill(await server.tokenFor(REVIEWER));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your session has expired' })).toBeHidden();

  // Nothing was lost: the filter and the two selected rows are still there; retry the update.
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('New');
  await expect(page.getByRole('button', { name: 'Update 2 Selected' })).toBeEnabled();
  expect(await grid.selectedRowIds()).toEqual(chosen);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status')).toHaveText('2 updated');
  expect((await server.db.places(chosen)).map((row) => [row.status, row.updated_by])).toEqual([
    ['Maybe', REVIEWER],
    ['Maybe', REVIEWER],
  ]);
});
