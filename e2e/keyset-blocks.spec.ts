import type { Page } from '@playwright/test';
import { expect, type GridPage, REVIEWER, test } from './support/fixtures';

const OTHER = 'e2e-reviewer-b';
const BLOCK = 100;
const isBlock = (url: URL, page: number) =>
  url.pathname === '/api/v3/places/staging' && url.searchParams.get('page') === String(page);

/** The place ids of the first `pages` blocks of a view, each asked for by its number. */
async function idsByNumber(page: Page, url: string, token: string, query: string, pages: number) {
  const ids: string[] = [];
  for (let n = 1; n <= pages; n++) {
    const answer = await page.request.get(
      `${url}/api/v3/places/staging?page=${n}&size=${BLOCK}${query}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(answer.ok()).toBe(true);
    ids.push(
      ...((await answer.json()) as { items: { place_id: string }[] }).items.map((i) => i.place_id),
    );
  }
  return ids;
}

/** Scrolls the grid so that row `index` is at the top of the viewport. */
async function scrollToRow(page: Page, grid: GridPage, index: number) {
  const height = (await page.locator('.ag-row[row-index="0"]').first().boundingBox())!.height;
  // The vertical scroller: .ag-body-viewport up to AG Grid 34, .ag-grid-viewport since.
  await page
    .locator('.ag-grid-viewport, .ag-body-viewport')
    .first()
    .evaluate((el, top) => (el.scrollTop = top), index * height);
  await expect(grid.cell(index + 5, 'business_name')).not.toBeEmpty();
}

/** The row ids the grid draws at `from`..`to` (AG Grid draws pinned parts twice: the first). */
async function rowIds(grid: GridPage, from: number, to: number) {
  const ids: string[] = [];
  for (let i = from; i <= to; i++) ids.push(await grid.rowId(i));
  return ids;
}

test('the block after one the grid has is asked for after its last place, and holds the same rows', async ({
  page,
  grid,
  server,
}) => {
  const token = await server.tokenFor(REVIEWER);
  const asked: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (isBlock(url, 2)) asked.push(url);
  });
  const byNumber = await idsByNumber(page, server.url, token, '', 2);

  await scrollToRow(page, grid, 95);
  expect(await rowIds(grid, 95, 110)).toEqual(byNumber.slice(95, 111));
  expect(asked).toHaveLength(1);
  // Keyset: after the first block's last place, not by counting 100 rows.
  expect(asked[0]!.searchParams.get('after')).toBe(byNumber[BLOCK - 1]);
});

test('a re-read asks by number again: rows moved by another reviewer are neither shown twice nor skipped', async ({
  page,
  grid,
  server,
}) => {
  const token = await server.tokenFor(REVIEWER);
  const newOnly = await server.db.count(`status = 'New'`);
  expect(newOnly).toBeGreaterThan(2 * BLOCK);
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(newOnly);
  const before = await idsByNumber(page, server.url, token, '&status=New', 2);

  const asked: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (isBlock(url, 2)) asked.push(url);
  });
  await scrollToRow(page, grid, 95);
  expect(await rowIds(grid, 95, 110)).toEqual(before.slice(95, 111));
  expect(asked.map((url) => url.searchParams.get('after'))).toEqual([before[BLOCK - 1]]);

  // Another reviewer takes row 5 out of the New view: every row after it moves up one.
  const answer = await page.request.put(`${server.url}/api/v3/places/staging/status`, {
    headers: { authorization: `Bearer ${await server.tokenFor(OTHER)}` },
    data: { place_ids: [before[5]], status: 'Maybe' },
  });
  expect(answer.ok()).toBe(true);
  const after = await idsByNumber(page, server.url, token, '&status=New', 2);
  expect(after.slice(95, 111)).toEqual(before.slice(96, 112));

  // The grid re-reads both blocks by number (the second block's old anchor is a row off).
  await expect.poll(() => rowIds(grid, 95, 110), { timeout: 15_000 }).toEqual(after.slice(95, 111));
  expect(asked.slice(1).map((url) => url.searchParams.get('after'))).toEqual([null]);
});
