import { expect, REVIEWER, test } from './support/fixtures';

const FULL_ROW = `SELECT place_id, status, deep_scan_status, deep_scan_error, deep_scan_attempts,
  updated_at, updated_by FROM places_staging WHERE place_id IN (?, ?) ORDER BY place_id`;

test('the Undo button puts the rows back, in the grid and in the store, and focus stays in the grid', async ({
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

  // The toast offers no Undo of its own (a later toast would take it away): the bar's button does.
  await expect(page.locator('.toast').getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  // Focus goes back to the grid, not to the page: the next key works at once.
  await expect(page.locator('.grid-host .ag-cell:focus')).toHaveCount(1);

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

  // The undo is used up: nothing older is left to undo.
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
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
    'Nothing to undo: your decisions of the last 60 seconds are all undone.',
  );
  expect(await server.db.rows(FULL_ROW, ...chosen)).toEqual(before);
});

test('z undoes the last decisions one by one, newest first, whatever toasts came after', async ({
  page,
  grid,
  server,
}) => {
  const ids = await Promise.all([0, 1, 2, 5].map((i) => grid.rowId(i)));
  // Every decision below changes its row: they start New, decided by nobody.
  for (const id of ids) {
    await server.db.run(
      `UPDATE places_staging SET status = 'New', updated_by = NULL WHERE place_id = ?`,
      id,
    );
  }
  await page.reload();
  for (const id of ids) await expect(grid.cellOf(id, 'status')).toHaveText('New');
  const before = new Map((await server.db.places(ids)).map((r) => [r.place_id, r]));
  const statusOf = async (id: string) => (await server.db.places([id]))[0]?.status;

  // Three key decisions (each moves on to the next row), then an update with the button.
  await grid.cell(0, 'business_name').click();
  for (const key of ['3', '4', '5']) await page.keyboard.press(key);
  await expect.poll(() => statusOf(ids[2]!)).toBe('Archived');
  await grid.cell(5, 'business_name').click();
  await page.getByLabel('New status').selectOption('Maybe');
  await page.getByRole('button', { name: 'Update 1 Selected' }).click();
  await expect.poll(() => statusOf(ids[3]!)).toBe('Maybe');
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(4);

  // Each z takes back one decision, the newest first, and focus stays on the grid.
  await grid.cell(5, 'business_name').focus();
  for (const [step, id] of [ids[3], ids[2], ids[1], ids[0]].entries()) {
    await page.keyboard.press('z');
    await expect.poll(() => statusOf(id!)).toBe(before.get(id!)!.status);
    expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(3 - step);
  }
  for (const id of ids) expect((await server.db.places([id]))[0]).toEqual(before.get(id));

  // Ctrl+Z typed in the search box edits the text: it is not an undo of a decision.
  await page.getByLabel('Search').fill('bakery');
  await page.getByLabel('Search').press('ControlOrMeta+z');
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(0);
});

test('undoing an update of many rows shows progress, then the rows as they were', async ({
  page,
  grid,
  server,
}) => {
  const MATCHING = "search_text LIKE '%bakery%'";
  const matching = await server.db.count(MATCHING);
  await page.getByLabel('Search').fill('bakery');
  await grid.expectTotal(matching);
  const firstId = await grid.rowId(0);
  const firstStatus = (await server.db.places([firstId]))[0]!.status;
  const before = await server.db.rows(
    `SELECT place_id, status, updated_at, updated_by FROM places_staging WHERE ${MATCHING} ORDER BY place_id`,
  );

  await page
    .getByRole('button', { name: `Select all ${matching} rows matching this filter` })
    .click();
  await page.getByLabel('New status').selectOption('Archived');
  await page.getByRole('button', { name: `Update ${matching} Selected` }).click();
  await expect(grid.cellOf(firstId, 'status')).toHaveText('Archived');
  // The update cleared the checks.
  await expect(page.getByText('No rows selected.')).toBeVisible();

  // Hold the undo on its way: what the reviewer sees meanwhile is progress, not silence.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v3/places/staging/status/undo', async (route) => {
    await released;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Undoing [\d,]+ places…/);
  await expect(page.getByRole('button', { name: 'Undoing…' })).toBeVisible();
  release();

  await expect(page.getByRole('status')).toContainText('Undone:');
  await expect(grid.cellOf(firstId, 'status')).toHaveText(firstStatus);
  expect(
    await server.db.rows(
      `SELECT place_id, status, updated_at, updated_by FROM places_staging WHERE ${MATCHING} ORDER BY place_id`,
    ),
  ).toEqual(before);
});
