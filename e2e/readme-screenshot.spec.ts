import { resolve } from 'node:path';
import { expect, test } from './support/fixtures';

/**
 * The README's picture of the grid: `README_SCREENSHOT=1 npx playwright test readme-screenshot
 * --project sqlite` writes docs/screenshots/grid.png. Skipped otherwise, so ordinary runs never
 * rewrite the file.
 */
const TARGET = resolve(import.meta.dirname, '../docs/screenshots/grid.png');

test.use({ places: 2_000, viewport: { width: 1920, height: 1080 } });
test.skip(!process.env.README_SCREENSHOT, 'set README_SCREENSHOT=1 to write the screenshot');
test.skip(({ store }) => store !== 'sqlite', 'one picture is enough');

test('a screenshot of the grid for the README', async ({ page, grid, server }) => {
  // A desk some days into the work: decisions made, scans queued, done and failed.
  const slice = (offset: number, limit: number) =>
    `place_id IN (SELECT place_id FROM places_staging ORDER BY place_id LIMIT ${limit} OFFSET ${offset})`;
  await server.db.run(
    `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Completed',
       updated_by = 'dana' WHERE ${slice(0, 140)}`,
  );
  await server.db.run(
    `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Queued',
       updated_by = 'sam' WHERE ${slice(140, 90)}`,
  );
  await server.db.run(
    `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Error',
       deep_scan_error = 'Places API: NOT_FOUND (the place was removed)', updated_by = 'dana'
     WHERE ${slice(230, 12)}`,
  );
  await server.db.run(
    `UPDATE places_staging SET status = 'Maybe', updated_by = 'sam' WHERE ${slice(242, 160)}`,
  );

  await page.reload();
  await grid.expectTotal(2_000);
  await expect(page.getByRole('complementary', { name: 'Details and summary' })).toBeVisible();
  await grid.cell(1, 'business_name').click();
  await grid.cell(2, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await grid.cell(4, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await grid.cell(5, 'business_name').click({ modifiers: ['ControlOrMeta'] });
  await page.getByLabel('New status').selectOption('Selected');
  await expect(page.getByRole('button', { name: 'Update 4 Selected' })).toBeEnabled();
  // Let the summary's bars and the detail panel settle.
  await page.waitForTimeout(500);

  await page.screenshot({ path: TARGET });
});
