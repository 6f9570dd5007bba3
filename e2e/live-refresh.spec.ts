import type { Page } from '@playwright/test';
import { expect, GridPage, REVIEWER, test } from './support/fixtures';

const OTHER = 'e2e-reviewer-b';
const LOST = 'Offline: cannot reach the Staging Editor server.';

/** A count in the summary's "By status" chart. */
const statusCount = (page: Page, status: string) =>
  page.locator(`.summary-panel li[data-key="${status}"] .bar-count`);

/** Reviewer B: another browser context, signed in as another user, on the same server. */
async function decideAs(page: Page, grid: GridPage, placeId: string, status: string) {
  await grid.cellOf(placeId, 'business_name').click();
  await page.getByLabel('New status').selectOption(status);
  await page.getByRole('button', { name: 'Update 1 Selected' }).click();
  await expect(page.getByRole('status')).toHaveText('1 updated');
}

test('another reviewer’s changes show up live; a cut stream says so, comes back by itself and catches up', async ({
  page,
  grid,
  server,
  browser,
}) => {
  // Arrange the first three rows (by name) as New, then show them to reviewer A.
  const ids = await Promise.all([0, 1, 2].map((index) => grid.rowId(index)));
  for (const id of ids) {
    await server.db.run(`UPDATE places_staging SET status = 'New' WHERE place_id = ?`, id);
  }
  await page.reload();
  const archived = await server.db.count("status = 'Archived'");
  await expect(statusCount(page, 'Archived')).toHaveText(String(archived));
  for (const id of ids) await expect(grid.cellOf(id, 'status')).toHaveText('New');
  await expect(page.getByRole('region', { name: 'Connection' })).toHaveText('');

  const contextB = await browser.newContext();
  try {
    const pageB = await contextB.newPage();
    await pageB.goto(`${server.url}/#token=${await server.tokenFor(OTHER)}`);
    const gridB = new GridPage(pageB);
    await gridB.waitForRows();

    // B archives the first row: A's grid and summary follow without a reload.
    await decideAs(pageB, gridB, ids[0]!, 'Archived');
    await expect(grid.cellOf(ids[0]!, 'status')).toHaveText('Archived');
    await expect(statusCount(page, 'Archived')).toHaveText(String(archived + 1));

    // The server restarts on the same port: A says it is not live while the stream is down.
    await server.stop();
    await expect(page.getByText(LOST)).toBeVisible();
    // Meanwhile the store changes with no event to tell anyone (another writer, by SQL).
    await server.db.run(
      `UPDATE places_staging SET status = 'Maybe', updated_by = 'offline-writer' WHERE place_id = ?`,
      ids[1],
    );
    await server.start();
    // A reconnects by itself (backoff: 0.5 s, 1 s, 2 s, then every 4 s) and re-reads what it missed.
    await expect(page.getByText(LOST)).toBeHidden({ timeout: 30_000 });
    await expect(grid.cellOf(ids[1]!, 'status')).toHaveText('Maybe');
    await expect(statusCount(page, 'Maybe')).toHaveText(
      String(await server.db.count("status = 'Maybe'")),
    );

    // Later changes arrive live again.
    await expect(pageB.getByText(LOST)).toBeHidden({ timeout: 30_000 });
    await decideAs(pageB, gridB, ids[2]!, 'Archived');
    await expect(grid.cellOf(ids[2]!, 'status')).toHaveText('Archived');
    await expect(statusCount(page, 'Archived')).toHaveText(String(archived + 2));

    expect(
      (await server.db.places(ids)).map((row) => [row.place_id, row.status, row.updated_by]),
    ).toEqual(
      [
        [ids[0], 'Archived', OTHER],
        [ids[1], 'Maybe', 'offline-writer'],
        [ids[2], 'Archived', OTHER],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(0);
  } finally {
    await contextB.close();
  }
});
