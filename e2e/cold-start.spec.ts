import { expect, REVIEWER, test } from './support/fixtures';

const isFirstBlock = (url: URL) =>
  url.pathname === '/api/v3/places/staging' && url.searchParams.get('page') === '1';

test('the page paints its header, filters and toolbar while the grid code loads, and asks for the first rows once, at once', async ({
  page,
  server,
}) => {
  // Hold the grid's own script: everything else must already be usable, and the first rows
  // already asked for, while it loads.
  let releaseGrid: () => void = () => {};
  const gridReleased = new Promise<void>((resolve) => (releaseGrid = resolve));
  let gridAsked = false;
  await page.route(/\/assets\/StagingGrid-[^/]+\.js$/, async (route) => {
    gridAsked = true;
    await gridReleased;
    await route.continue();
  });
  const firstBlocks: string[] = [];
  page.on('request', (request) => {
    if (isFirstBlock(new URL(request.url()))) firstBlocks.push(request.url());
  });

  await page.goto(`${server.url}/#token=${await server.tokenFor(REVIEWER)}`);
  await expect(page.getByRole('heading', { name: 'Staging Editor' })).toBeVisible();
  await expect(page.getByLabel('Status', { exact: true })).toBeVisible();
  await expect(page.getByText('Loading places…')).toBeVisible();
  expect(gridAsked).toBe(true);
  // The rows were asked for before the grid was there to ask.
  await expect.poll(() => firstBlocks.length).toBe(1);

  releaseGrid();
  await expect(
    page.locator('.ag-row[row-index="0"] .ag-cell[col-id="business_name"]').first(),
  ).not.toBeEmpty();
  await expect(page.getByText('Loading places…')).toHaveCount(0);
  // The grid took the early answer: no second request for the same rows.
  await page.waitForTimeout(300);
  expect(firstBlocks).toHaveLength(1);
  expect(new URL(firstBlocks[0]!).searchParams.get('include_total')).toBe('true');
});

test('with a remembered sort and filter, the early rows are the ones the grid shows', async ({
  page,
  server,
}) => {
  const token = await server.tokenFor(REVIEWER);
  await page.goto(`${server.url}/#token=${token}`);
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await page.locator('.ag-header-cell[col-id="rating"]').click();
  await expect(page.locator('.ag-header-cell[col-id="rating"]')).toHaveAttribute(
    'aria-sort',
    /ascending/,
  );
  // What the server answers for that view (its order is the grid's).
  const answer = await page.request.get(
    `${server.url}/api/v3/places/staging?page=1&size=100&status=New&sort=rating`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const firstId = ((await answer.json()) as { items: { place_id: string }[] }).items[0]!.place_id;
  // The sorted rows are in before the reload: a late request of this page (the sort's own
  // reload) must not be counted as the next page's (it was, once, on a loaded CI machine).
  await expect(page.locator('.ag-row[row-index="0"]').first()).toHaveAttribute('row-id', firstId);

  const firstBlocks: string[] = [];
  page.on('request', (request) => {
    if (isFirstBlock(new URL(request.url()))) firstBlocks.push(request.url());
  });
  await page.reload();
  await expect(page.locator('.ag-row[row-index="0"]').first()).toHaveAttribute('row-id', firstId);
  await page.waitForTimeout(300);
  expect(firstBlocks).toHaveLength(1);
  const asked = new URL(firstBlocks[0]!).searchParams;
  expect([asked.get('status'), asked.get('sort')]).toEqual(['New', 'rating']);
});
