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

test('Ctrl/⌘+Z undoes the last status update from the keyboard, once', async ({
  page,
  grid,
  server,
}) => {
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  const chosen = await grid.selectFirstTwo();
  const before = await server.db.rows(FULL_ROW, ...chosen);

  // 3 = Maybe; the rows leave the "New" filter.
  await page.keyboard.press('3');
  await expect(page.getByRole('status')).toHaveText('2 updated');
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(2);
  await expect(grid.cellOf(chosen[0]!, 'status')).toHaveCount(0);

  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByRole('status')).toHaveText('Undone: 2 places restored');
  // Back in the "New" filter, as they were, and in the store to the last column.
  for (const id of chosen) await expect(grid.cellOf(id, 'status')).toHaveText('New');
  expect(await server.db.rows(FULL_ROW, ...chosen)).toEqual(before);

  // Once only: a second press says there is nothing to undo and changes nothing.
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing to undo: only your last status update can be undone, within 60 seconds, once.',
  );
  expect(await server.db.rows(FULL_ROW, ...chosen)).toEqual(before);
});
