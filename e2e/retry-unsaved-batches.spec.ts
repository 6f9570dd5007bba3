import { expect, REVIEWER, test } from './support/fixtures';

// A selection larger than one request is sent in batches. Ticking over 10,000 rows by hand is
// not something a test can do in its time, so the renderer's batch size is lowered to 2 ids
// (src-renderer/src/app/test-hooks.ts): the same loop, the same retry, five rows in three batches.
test.use({ rendererHooks: { maxIdsPerRequest: 2 } });

test('a later batch is refused: the toast says what was saved, Retry sends only the rest, once', async ({
  page,
  grid,
  server,
}) => {
  const newPlaces = await server.db.count("status = 'New'");
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(newPlaces);

  // Five rows: a click, then ctrl-clicks; the batches follow the order they were ticked in.
  await grid.cell(0, 'business_name').click();
  for (const index of [1, 2, 3, 4]) {
    await grid.cell(index, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  }
  // No status is chosen yet (no default): the count says the rows are selected.
  await expect(page.getByRole('button', { name: 'Update 5 Selected' })).toBeVisible();
  const chosen = await Promise.all([0, 1, 2, 3, 4].map((index) => grid.rowId(index)));
  expect(await grid.selectedRowIds()).toEqual([...chosen].sort());
  const before = await server.db.places(chosen);
  expect(before.map((row) => row.status)).toEqual(chosen.map(() => 'New'));

  // Every status PUT is logged; the second one is answered 503 here and never reaches the server.
  const puts: { placeIds: string[]; reachedServer: boolean }[] = [];
  await page.route('**/api/v3/places/staging/status', async (route) => {
    const { place_ids } = route.request().postDataJSON() as { place_ids: string[] };
    const refuse = puts.length === 1;
    puts.push({ placeIds: place_ids, reachedServer: !refuse });
    if (refuse) {
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'error',
          type: 'unavailable',
          detail: 'The server is busy.',
        }),
      });
    } else {
      await route.continue();
    }
  });

  await page.getByLabel('New status').selectOption('Maybe');
  await page.getByRole('button', { name: 'Update 5 Selected' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'batches were saved' });
  await expect(alert).toHaveText(
    'Only 1 of 3 batches were saved (2 updated). The rest failed: The server is busy. ' +
      'The rest did not happen. Retry sends only the 3 places not saved.',
  );
  // The store has exactly the first batch; the grid re-read it (two rows left the "New" filter).
  const statusOf = async () =>
    (await server.db.places(chosen)).map((row) => [row.place_id, row.status, row.updated_by]);
  const decided = (ids: string[]) =>
    [...chosen]
      .sort()
      .map((id) => [id, ids.includes(id) ? 'Maybe' : 'New', ids.includes(id) ? REVIEWER : null]);
  expect(await statusOf()).toEqual(decided(chosen.slice(0, 2)));
  await grid.expectTotal(newPlaces - 2);
  await expect(grid.cellOf(chosen[2]!, 'status')).toHaveText('New');
  await expect(page.getByRole('button', { name: 'Update 5 Selected' })).toBeEnabled();

  await page.locator('.toast', { has: alert }).getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status')).toHaveText('All 3 batches saved: 5 updated');
  // Its Undo would undo the last batch only: a decision sent in parts offers none.
  await expect(page.locator('.toast-success').getByRole('button', { name: 'Undo' })).toHaveCount(0);

  // Retry sent the refused batch and the one after it, nothing already saved.
  expect(puts).toEqual([
    { placeIds: chosen.slice(0, 2), reachedServer: true },
    { placeIds: chosen.slice(2, 4), reachedServer: false },
    { placeIds: chosen.slice(2, 4), reachedServer: true },
    { placeIds: chosen.slice(4), reachedServer: true },
  ]);
  expect(await statusOf()).toEqual(decided(chosen));
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(5);
  await grid.expectTotal(newPlaces - 5);
});

test('the server dies before a later batch: Retry once it is back saves only the rest', async ({
  page,
  grid,
  server,
}) => {
  const newPlaces = await server.db.count("status = 'New'");
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(newPlaces);
  await grid.cell(0, 'business_name').click();
  for (const index of [1, 2]) {
    await grid.cell(index, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  }
  // No status is chosen yet (no default): the count says the rows are selected.
  await expect(page.getByRole('button', { name: 'Update 3 Selected' })).toBeVisible();
  const chosen = await Promise.all([0, 1, 2].map((index) => grid.rowId(index)));

  // The first batch goes through; the server is killed (a crash) as the second one leaves.
  const puts: string[][] = [];
  await page.route('**/api/v3/places/staging/status', async (route) => {
    const { place_ids } = route.request().postDataJSON() as { place_ids: string[] };
    puts.push(place_ids);
    if (puts.length === 2) await server.stop('SIGKILL');
    await route.continue();
  });
  await page.getByLabel('New status').selectOption('Not a Fit');
  await page.getByRole('button', { name: 'Update 3 Selected' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'batches were saved' });
  await expect(alert).toHaveText(
    'Only 1 of 2 batches were saved (2 updated). The rest failed: Cannot reach the Staging ' +
      'Editor server. Check that it is running and that this computer is online, then try again. ' +
      'The rest did not happen. Retry sends only the 1 place not saved.',
  );
  const rows = async () =>
    Object.fromEntries(
      (await server.db.places(chosen)).map((row) => [row.place_id, [row.status, row.updated_by]]),
    );
  expect(await rows()).toEqual({
    [chosen[0]!]: ['Not a Fit', REVIEWER],
    [chosen[1]!]: ['Not a Fit', REVIEWER],
    [chosen[2]!]: ['New', null],
  });

  await server.start();
  await page.locator('.toast', { has: alert }).getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status')).toHaveText('All 2 batches saved: 3 updated');
  expect(puts).toEqual([chosen.slice(0, 2), chosen.slice(2), chosen.slice(2)]);
  expect(await rows()).toEqual({
    [chosen[0]!]: ['Not a Fit', REVIEWER],
    [chosen[1]!]: ['Not a Fit', REVIEWER],
    [chosen[2]!]: ['Not a Fit', REVIEWER],
  });
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(3);
});

test('a batch saved by the server whose answer is lost: Retry writes nothing twice', async ({
  page,
  grid,
  server,
}) => {
  const newPlaces = await server.db.count("status = 'New'");
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(newPlaces);
  await grid.cell(0, 'business_name').click();
  for (const index of [1, 2]) {
    await grid.cell(index, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  }
  // No status is chosen yet (no default): the count says the rows are selected.
  await expect(page.getByRole('button', { name: 'Update 3 Selected' })).toBeVisible();
  const chosen = await Promise.all([0, 1, 2].map((index) => grid.rowId(index)));

  // The second batch reaches the server and is saved; its answer never reaches the page.
  let puts = 0;
  await page.route('**/api/v3/places/staging/status', async (route) => {
    if (++puts !== 2) return route.continue();
    const saved = await route.fetch();
    expect(saved.status()).toBe(200);
    await route.abort('connectionreset');
  });
  await page.getByLabel('New status').selectOption('Archived');
  await page.getByRole('button', { name: 'Update 3 Selected' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'batches were saved' });
  await expect(alert).toContainText('Only 1 of 2 batches were saved (2 updated).');
  const written = async () =>
    server.db.rows<{ place_id: string; status: string; updated_at: unknown; updated_by: string }>(
      `SELECT place_id, status, updated_at, updated_by FROM places_staging
       WHERE place_id IN (?, ?, ?) ORDER BY place_id`,
      ...chosen,
    );
  const afterLoss = await written();
  expect(afterLoss.map((row) => [row.status, row.updated_by])).toEqual(
    chosen.map(() => ['Archived', REVIEWER]),
  );

  await page.locator('.toast', { has: alert }).getByRole('button', { name: 'Retry' }).click();
  // The retried place already had the status: counted as such, and not written again.
  await expect(page.getByRole('status')).toHaveText(
    'All 2 batches saved: 2 updated, 1 already Archived',
  );
  expect(puts).toBe(3);
  expect(await written()).toEqual(afterLoss);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(3);
});
