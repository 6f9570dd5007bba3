import { expect, REVIEWER, test } from './support/fixtures';

test('the keyboard path: arrows, Space to tick, a status key, the shortcut list', async ({
  page,
  grid,
  server,
}) => {
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  await expect(grid.cell(2, 'status')).toHaveText('New');
  await grid.cell(0, 'business_name').click();
  await page.getByRole('button', { name: 'Clear selection' }).click();

  // Back into the grid, then tick rows 1 and 2 with Space (each key once the last one showed).
  await grid.cell(0, 'business_name').focus();
  await page.keyboard.press('ArrowDown');
  await expect(grid.cell(1, 'business_name')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Update 1 Selected' })).toBeEnabled();
  await expect(grid.cell(1, 'business_name')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(grid.cell(2, 'business_name')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Update 2 Selected' })).toBeEnabled();
  const ticked = [await grid.rowId(1), await grid.rowId(2)].sort();

  // 4 = Not a Fit.
  await page.keyboard.press('4');
  await expect(page.getByRole('status')).toContainText('2 updated');
  await expect
    .poll(async () => (await server.db.places(ticked)).map((row) => row.status))
    .toEqual(['Not a Fit', 'Not a Fit']);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(2);

  // ? shows the list, with focus inside; Escape closes it.
  await grid.cell(3, 'business_name').focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
