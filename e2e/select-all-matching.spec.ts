import { expect, REVIEWER, test } from './support/fixtures';

const MATCHING = "search_text LIKE '%bakery%'";

test('select all rows matching a filter, untick two, archive the rest', async ({
  page,
  grid,
  server,
}) => {
  const matching = await server.db.count(MATCHING);
  expect(matching).toBeGreaterThan(3);
  await page.getByLabel('Search').fill('bakery');
  await grid.expectTotal(matching);
  await expect(grid.cell(0, 'category')).toHaveText('Bakery');

  await page
    .getByRole('button', { name: `Select all ${matching} rows matching this filter` })
    .click();
  await grid.checkbox(0).click();
  await grid.checkbox(1).click();
  const excluded = [await grid.rowId(0), await grid.rowId(1)];
  await expect(
    page.getByText(`All ${matching - 2} rows matching this filter are selected (2 unticked).`),
  ).toBeVisible();

  const toChange = await server.db.count(
    `${MATCHING} AND status <> 'Archived' AND place_id NOT IN (?, ?)`,
    ...excluded,
  );
  await page.getByLabel('New status').selectOption('Archived');
  await page.getByRole('button', { name: `Update ${matching - 2} Selected` }).click();
  await expect(page.getByRole('status')).toHaveText(`${toChange} updated`);

  // Every matching row is Archived except the two unticked ones, which nobody touched.
  expect(
    await server.db.count(
      `${MATCHING} AND status <> 'Archived' AND place_id NOT IN (?, ?)`,
      ...excluded,
    ),
  ).toBe(0);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(toChange);
  for (const row of await server.db.places(excluded)) {
    expect(row.updated_by).not.toBe(REVIEWER);
  }
});
