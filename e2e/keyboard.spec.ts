import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, REVIEWER, test } from './support/fixtures';

test('the keyboard path: arrows, Space to tick, a status key, the shortcut list', async ({
  page,
  grid,
  server,
}) => {
  await page.getByLabel('Status', { exact: true }).selectOption('New');
  await grid.expectTotal(await server.db.count("status = 'New'"));
  await expect(grid.cell(2, 'status')).toHaveText('New');
  await grid.cell(0, 'business_name').click();
  await page.getByRole('button', { name: 'Clear selection' }).click();

  // Back into the grid, then tick rows 1 and 2 with Space (each key once the last one showed).
  await grid.cell(0, 'business_name').focus();
  await page.keyboard.press('ArrowDown');
  await expect(grid.cell(1, 'business_name')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByText('1 selected.')).toBeVisible();
  await expect(grid.cell(1, 'business_name')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(grid.cell(2, 'business_name')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByText('2 selected.')).toBeVisible();
  const ticked = [await grid.rowId(1), await grid.rowId(2)].sort();

  // 4 = Not a Fit.
  await page.keyboard.press('4');
  await expect(page.getByRole('status')).toContainText('2 updated');
  await expect
    .poll(async () => (await server.db.places(ticked)).map((row) => row.status))
    .toEqual(['Not a Fit', 'Not a Fit']);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(2);

  // ? shows the list, with focus inside; Escape closes it.
  await grid.cell(3, 'business_name').focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  // The list scrolls between the heading and Close: a window too short for all of it still shows
  // both (focus on Close had scrolled the heading out of sight).
  await page.setViewportSize({ width: 1280, height: 600 });
  await expect(dialog.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeInViewport({
    ratio: 1,
  });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeInViewport({ ratio: 1 });
  // Scrolled to its end, the list keeps its column heads in view.
  await dialog.locator('.shortcut-list').evaluate((list) => {
    list.scrollTop = list.scrollHeight;
  });
  await expect(dialog.getByRole('row').last()).toBeInViewport({ ratio: 1 });
  await expect(dialog.getByRole('columnheader', { name: 'Keys' })).toBeInViewport({ ratio: 1 });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the grid is one tab stop; / searches; j and k move; Shift+arrows, Space, Esc and Ctrl/⌘+A act on the checks', async ({
  page,
  grid,
  server,
}) => {
  const total = await server.db.count('1 = 1');
  await grid.expectTotal(total);

  // From the last control before the grid, one Tab lands on a row (no header stops), the next
  // leaves the grid.
  await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('.grid-host .ag-cell:focus')).toHaveCount(1);
  await expect(page.locator('.grid-host .ag-header-cell:focus')).toHaveCount(0);
  await page.keyboard.press('Tab');
  await expect(page.locator('.grid-host :focus')).toHaveCount(0);

  // / goes to the search box from anywhere but a text field.
  await grid.cell(0, 'business_name').click();
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await grid.cell(0, 'business_name').focus();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();

  // j and k move like the arrows; the focused row stands out.
  await grid.cell(0, 'business_name').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(grid.cell(2, 'business_name')).toBeFocused();
  await page.keyboard.press('k');
  await expect(grid.cell(1, 'business_name')).toBeFocused();
  const focusedRow = page.locator('.ag-row[row-index="1"]').first();
  await expect(focusedRow).toHaveClass(/ag-row-focus/);
  await expect(focusedRow).toHaveCSS('box-shadow', /inset/);

  // Shift+↓ checks the row left and the row reached; Space unchecks the focused one.
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(grid.cell(3, 'business_name')).toBeFocused();
  await expect(page.getByText('3 selected.')).toBeVisible();
  expect(await grid.selectedRowIds()).toEqual(
    [await grid.rowId(1), await grid.rowId(2), await grid.rowId(3)].sort(),
  );
  await page.keyboard.press('Space');
  await expect(page.getByText('2 selected.')).toBeVisible();

  // Esc clears the checks.
  await page.keyboard.press('Escape');
  await expect(page.getByText('No rows selected.')).toBeVisible();

  // Ctrl/⌘+A selects every row matching the filter (not only the loaded ones); focus stays.
  await page.keyboard.press('ControlOrMeta+a');
  await expect(
    page.getByText(`All ${total} rows matching this filter are selected.`),
  ).toBeVisible();
  await expect(grid.cell(3, 'business_name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByText('No rows selected.')).toBeVisible();

  // The banner's "select all matching" button gives the focus back to the grid.
  await page.getByRole('button', { name: `Select all ${total} rows matching this filter` }).click();
  await expect(page.locator('.grid-host .ag-cell:focus')).toHaveCount(1);
});

test('the ? list shows every shortcut, the same as the README', async ({ page, grid }) => {
  // The README's table (src-renderer's shortcuts.test.ts checks it against the app's own list).
  const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
  const table = readme.slice(
    readme.indexOf('<!-- shortcuts:start -->'),
    readme.indexOf('<!-- shortcuts:end -->'),
  );
  const listed = table
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split(' | ')[1]!
        .replace(/\s*\|$/, '')
        .trim(),
    );
  expect(listed.length).toBeGreaterThan(15);

  await grid.cell(0, 'business_name').focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.locator('tbody tr td:nth-child(2)')).toHaveText(listed);
});
