import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

const OFFLINE = 'Offline: cannot reach the Staging Editor server.';

/** Resolves after the page's event stream has failed to connect `count` more times. */
function streamFailures(page: Page, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onFailed = (request: { url(): string }) => {
      if (!request.url().includes('/api/v3/events')) return;
      if (++seen < count) return;
      page.off('requestfailed', onFailed);
      resolve();
    };
    page.on('requestfailed', onFailed);
  });
}

test('the server restarts: a banner says so, the grid reloads by itself, stale errors go', async ({
  page,
  grid,
  server,
}) => {
  await grid.expectTotal(await server.db.count('1 = 1'));
  const banner = page.getByRole('region', { name: 'Connection' });
  await expect(banner).toHaveText('');

  await server.stop('SIGKILL');
  await expect(banner).toContainText(OFFLINE);
  await expect(banner.getByRole('button', { name: 'Try now' })).toBeVisible();

  // The reviewer changes the filter while the server is away: the rows can't be read.
  const listFailed = page.waitForEvent('requestfailed', (request) =>
    request.url().includes('/api/v3/places/staging?'),
  );
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await listFailed;
  // Long enough away that an uncapped backoff would wait 16 s before its next try.
  await streamFailures(page, 4);
  await expect(banner).toContainText(OFFLINE);

  await server.start();
  // Back by itself within a capped retry (5 s at most, plus the reload): no click needed.
  const newPlaces = await server.db.count("status = 'New'");
  await expect(page.locator('.filter-count')).toHaveText(
    `${newPlaces.toLocaleString('en-US')} places`,
    { timeout: 9_000 },
  );
  await grid.waitForRows();
  await expect(grid.cell(0, 'status')).toHaveText('New');
  await expect(banner).not.toContainText(OFFLINE);
  // Nothing left on screen about the outage.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText(/Cannot reach/)).toHaveCount(0);
});

test('Try now reconnects at once; the banner is reachable by keyboard', async ({
  page,
  grid,
  server,
}) => {
  await grid.waitForRows();
  const banner = page.getByRole('region', { name: 'Connection' });
  await server.stop();
  await expect(banner).toContainText(OFFLINE);
  await expect(banner).toContainText(/Trying again in \d+ s/);
  await streamFailures(page, 2);
  await server.start();
  const tryNow = banner.getByRole('button', { name: 'Try now' });
  await tryNow.focus();
  const attempt = page.waitForRequest((request) => request.url().includes('/api/v3/events'));
  await page.keyboard.press('Enter');
  await attempt;
  await expect(banner).not.toContainText(OFFLINE);
});

test('an error about loading the rows goes away by itself once rows load', async ({
  page,
  grid,
  server,
}) => {
  await grid.waitForRows();
  // One answer from a busy server: the reviewer's next filter can't be read.
  let refused = false;
  await page.route('**/api/v3/places/staging?*', async (route) => {
    if (refused) return route.continue();
    refused = true;
    await route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ status: 'error', type: 'unavailable', detail: 'The store is busy.' }),
    });
  });
  await page.getByLabel('Status', { exact: true }).selectOption('Maybe');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('The store is busy. Loading the places did not happen.');

  // The next read works: the error is no longer true, so it is no longer shown.
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  await expect(page.getByRole('alert')).toHaveCount(0);
});
