import { expect, REVIEWER, test } from './support/fixtures';

const FULL_ROW = `SELECT place_id, status, deep_scan_status, deep_scan_error, deep_scan_attempts,
  updated_at, updated_by FROM places_staging WHERE place_id IN (?, ?) ORDER BY place_id`;

test('Undo on the toast puts the rows back, in the grid and in the store', async ({
  page,
  grid,
  server,
}) => {
  // Arrange two rows (first by name) as another reviewer left them: one Maybe, one New.
  const [first, second] = [await grid.rowId(0), await grid.rowId(1)];
  await server.db.run(
    `UPDATE places_staging SET status = 'Maybe', updated_by = 'earlier-reviewer' WHERE place_id = ?`,
    first,
  );
  await server.db.run(
    `UPDATE places_staging SET status = 'New', updated_by = NULL WHERE place_id = ?`,
    second,
  );
  await page.reload();
  await expect(grid.cellOf(first, 'status')).toHaveText('Maybe');
  await expect(grid.cellOf(second, 'status')).toHaveText('New');
  const before = await server.db.rows(FULL_ROW, first, second);
  expect(before).toHaveLength(2);

  await grid.selectFirstTwo();
  await page.getByLabel('New status').selectOption('Selected');
  await page.getByRole('button', { name: 'Update 2 Selected' }).click();

  const done = page.getByRole('status').filter({ hasText: 'updated' });
  await expect(done).toHaveText('2 updated, 2 queued for deep scan');
  for (const id of [first, second]) {
    await expect(grid.cellOf(id, 'status')).toHaveText('Selected');
    await expect(grid.cellOf(id, 'deep_scan_status')).toHaveText('Queued');
  }
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(2);

  await page.locator('.toast', { has: done }).getByRole('button', { name: 'Undo' }).click();

  await expect(page.getByRole('status')).toHaveText('Undone: 2 places restored');
  // The grid shows the rows as they were, without a reload.
  await expect(grid.cellOf(first, 'status')).toHaveText('Maybe');
  await expect(grid.cellOf(second, 'status')).toHaveText('New');
  for (const id of [first, second]) {
    await expect(grid.cellOf(id, 'deep_scan_status')).toHaveText('Never queued');
  }
  // The store has every column back, updated_at included; nothing is queued.
  expect(await server.db.rows(FULL_ROW, first, second)).toEqual(before);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(0);
  expect(await server.db.count('deep_scan_status IS NOT NULL')).toBe(0);

  // The undo is used up: the toast that offered it is gone, and the server would refuse it.
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
});
