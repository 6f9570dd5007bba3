import type { Page } from '@playwright/test';
import { expect, REVIEWER, test } from './support/fixtures';

/** Checks every row matching the filter (the banner's button), picks `status`, asks to update. */
async function updateAllMatching(page: Page, rows: number, status: string): Promise<void> {
  await page.getByRole('button', { name: `Select all ${rows} rows matching this filter` }).click();
  await page.getByLabel('New status').selectOption(status);
  await page.getByRole('button', { name: `Update ${rows} Selected` }).click();
}

test('no status is picked to begin with: the Update button waits for a choice', async ({
  page,
  grid,
}) => {
  await grid.selectFirstTwo();
  const picker = page.getByLabel('New status');
  await expect(picker).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Update 2 Selected' })).toBeDisabled();
  await picker.selectOption('Maybe');
  await expect(page.getByRole('button', { name: 'Update 2 Selected' })).toBeEnabled();
});

test('an update that would queue more than 100 deep scans asks first, naming the number', async ({
  page,
  grid,
  server,
}) => {
  const total = await server.db.count('1 = 1');
  // Some places already scanned or queued: the question counts only the scans it would start.
  await server.db.run(
    `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Completed'
     WHERE place_id IN (SELECT place_id FROM places_staging ORDER BY place_id LIMIT 20)`,
  );
  const scans = await server.db.count("deep_scan_status IS NULL OR deep_scan_status = 'Error'");
  expect(scans).toBeGreaterThan(100);
  await page.reload();
  await grid.expectTotal(total);

  await updateAllMatching(page, total, 'Selected');

  const dialog = page.getByRole('dialog', { name: `Queue ${scans} deep scans?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`queues ${scans} deep scans`);
  // Cancel has the focus: Enter by reflex changes nothing.
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await server.db.count("deep_scan_status = 'Queued'")).toBe(0);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(0);
  // Still selected, to decide otherwise.
  await expect(
    page.getByText(`All ${total} rows matching this filter are selected.`),
  ).toBeVisible();

  await page.getByRole('button', { name: `Update ${total} Selected` }).click();
  await dialog.getByRole('button', { name: `Queue ${scans} scans` }).click();
  await expect(page.getByRole('status')).toContainText(`${scans} queued for deep scan`);
  expect(await server.db.count("deep_scan_status = 'Queued'")).toBe(scans);
  // The selection clears after the update: a stray key can't change those rows again.
  await expect(page.getByText('No rows selected.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Update 0 Selected' })).toBeDisabled();
});

test('100 scans or fewer go without a question', async ({ page, grid, server }) => {
  const matching = await server.db.count("search_text LIKE '%bakery%'");
  expect(matching).toBeLessThanOrEqual(100);
  await page.getByLabel('Search').fill('bakery');
  await grid.expectTotal(matching);
  await updateAllMatching(page, matching, 'Selected');
  await expect(page.getByRole('status')).toContainText('queued for deep scan');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(await server.db.count("deep_scan_status = 'Queued'")).toBe(matching);
});

test.describe('with a price per 1,000 calls and a daily call limit', () => {
  test.use({ serverEnv: { DEEP_SCAN_COST_PER_1000: '17', DEEP_SCAN_DAILY_CALL_LIMIT: '40' } });

  test('the question says what the scans will cost and how many today has room for', async ({
    page,
    grid,
    server,
  }) => {
    // Ten scans already queued run before these.
    await server.db.run(
      `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Queued'
       WHERE place_id IN (SELECT place_id FROM places_staging ORDER BY place_id LIMIT 10)`,
    );
    const total = await server.db.count('1 = 1');
    const scans = await server.db.count("deep_scan_status IS NULL OR deep_scan_status = 'Error'");
    expect(scans).toBeGreaterThan(100);
    await page.reload();
    await grid.expectTotal(total);

    await updateAllMatching(page, total, 'Selected');

    const n = (x: number) => x.toLocaleString('en-US');
    const dialog = page.getByRole('dialog', { name: `Queue ${n(scans)} deep scans?` });
    await expect(dialog).toContainText(
      `Estimated cost: about $${((scans * 17) / 1000).toFixed(2)} (${n(scans)} calls at $17.00 ` +
        'per 1,000; a retry is another call).',
    );
    // 40 a day, none made yet, 10 queued ahead: room for 30 today, the rest at 40 a day.
    await expect(dialog).toContainText(
      'The daily limit is 40 calls (0 made today, 10 already queued): today has room for 30 of ' +
        `them; the last of them runs in about ${Math.ceil((scans - 30) / 40)} more days (days ` +
        'start at 00:00 UTC), unless the limit is raised.',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(await server.db.count("deep_scan_status = 'Queued'")).toBe(10);
  });
});
