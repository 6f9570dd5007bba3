import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

/**
 * A 1920x1080 laptop at 150% scaling: 1280x650 CSS pixels, common among reviewers. The
 * selection toolbar keeps one line and reads whole; the side panel can be put away for the grid.
 */
test.use({ viewport: { width: 1280, height: 650 }, places: 3_000 });

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** Text in the toolbar that shows but is cut (an ellipsis, or clipped by its box). */
async function cutTexts(page: Page): Promise<string[]> {
  return page
    .locator('.toolbar')
    .locator('p, span, button')
    .evaluateAll((elements) =>
      elements
        .filter((el) => {
          const rect = el.getBoundingClientRect();
          // Not shown, or only for screen readers (clipped to 1 px on purpose).
          return rect.width > 1 && rect.height > 1;
        })
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent ?? ''),
    );
}

/** What the eye reads in the selection banner (not what is hidden or only for screen readers). */
const shownText = (page: Page) =>
  page.locator('.selection-banner > *').evaluateAll((parts) =>
    parts
      .filter((part) => part.getBoundingClientRect().width > 1)
      .map((part) => (part as unknown as { innerText: string }).innerText.trim())
      .join(' '),
  );

test('the selection toolbar reads whole on one line, and screen readers hear whole sentences', async ({
  page,
  grid,
}) => {
  await grid.expectTotal(3_000);
  const toolbar = page.locator('.toolbar');
  const oneLine = (await box(toolbar)).height;
  expect(oneLine).toBeLessThan(50);

  // Nothing selected: the link's short form, its name the whole sentence.
  const selectAll = page.getByRole('button', {
    name: 'Select all 3,000 rows matching this filter',
  });
  await expect(selectAll).toBeVisible();
  await expect(selectAll).toHaveAttribute('title', 'Select all 3,000 rows matching this filter');
  expect((await selectAll.innerText()).trim()).toBe('Select all 3,000');
  expect(await cutTexts(page)).toEqual([]);

  // One row: its count, the link and Clear selection, all whole, on the same one line.
  await grid.cell(2, 'business_name').click();
  await expect(page.getByText('1 selected.')).toBeVisible();
  expect(await shownText(page)).toBe('1 selected. Select all 3,000 Clear selection');
  expect(await cutTexts(page)).toEqual([]);
  expect((await box(toolbar)).height).toBe(oneLine);
  // The decision's buttons lie inside the toolbar, after the selection.
  const bar = await box(toolbar);
  const clear = await box(page.getByRole('button', { name: 'Clear selection' }));
  for (const name of ['Update 1 Selected', 'Keyboard shortcuts (?)']) {
    const button = await box(page.getByRole('button', { name }));
    expect(button.x).toBeGreaterThanOrEqual(clear.x + clear.width);
    expect(button.x + button.width).toBeLessThanOrEqual(bar.x + bar.width);
  }

  // All matching: "All 3,000 selected." on screen, the whole sentence in the live text.
  await selectAll.click();
  await expect(page.locator('.selection-banner p[aria-live]')).toHaveText(
    'All 3,000 rows matching this filter are selected.',
  );
  await expect(page.getByText('All 3,000 selected.')).toBeVisible();
  expect(await shownText(page)).toBe('All 3,000 selected. Clear selection');
  expect(await cutTexts(page)).toEqual([]);
  expect((await box(toolbar)).height).toBe(oneLine);

  // With the side panel put away there is room for the long sentences, still on one line.
  await page.getByRole('button', { name: 'Hide details panel' }).click();
  expect(await shownText(page)).toBe(
    'All 3,000 rows matching this filter are selected. Clear selection',
  );
  expect(await cutTexts(page)).toEqual([]);
  await page.getByRole('button', { name: 'Clear selection' }).click();
  expect(await shownText(page)).toBe(
    'No rows selected. Select all 3,000 rows matching this filter',
  );
  expect(await cutTexts(page)).toEqual([]);
  expect((await box(toolbar)).height).toBe(oneLine);
});

test('the side panel hides and shows by its button, Ctrl+B and Enter, and stays as left after a reload', async ({
  page,
  grid,
}) => {
  await grid.expectTotal(3_000);
  const panel = page.getByRole('complementary', { name: 'Details and summary' });
  const gridWidth = async () => (await box(page.locator('.grid-host'))).width;
  // Search location is hidden behind the pinned Status and Deep scan while the panel is there.
  const searchLocationInView = async () => {
    const header = await box(page.locator('.ag-header-cell[col-id="search_location"]').first());
    const pinned = await box(page.locator('.ag-header .ag-grid-pinned-right-cells').first());
    return header.x + header.width <= pinned.x + 1;
  };
  await expect(panel).toBeVisible();
  const narrow = await gridWidth();
  expect(await searchLocationInView()).toBe(false);

  // The header's button.
  const hide = page.getByRole('button', { name: 'Hide details panel' });
  await expect(hide).toHaveAttribute('aria-expanded', 'true');
  await expect(hide).toHaveAttribute('aria-controls', 'side-panel');
  await expect(panel).toHaveAttribute('id', 'side-panel');
  await hide.click();
  await expect(panel).toBeHidden();
  const show = page.getByRole('button', { name: 'Show details panel' });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  await expect(show).toBeFocused();
  await expect.poll(gridWidth).toBeGreaterThan(narrow + 250);
  expect(await searchLocationInView()).toBe(true);

  // Remembered with the grid's layout.
  await page.reload();
  await grid.waitForRows();
  await expect(page.getByRole('button', { name: 'Show details panel' })).toBeVisible();
  await expect(panel).toBeHidden();
  expect(await gridWidth()).toBeGreaterThan(narrow + 250);

  // Enter on a row brings the panel back, with that row's details.
  await grid.cell(3, 'business_name').click();
  const name = (await grid.cell(3, 'business_name').textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { level: 2 }).first()).toHaveText(name);
  await expect(grid.cell(3, 'business_name')).toBeFocused();
  await expect.poll(gridWidth).toBe(narrow);
  // Enter with the panel shown is not the panel's business.
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();

  // Ctrl+B (⌘B on a Mac), from the grid: hidden, focus stays on the row; again: shown.
  await page.keyboard.press('ControlOrMeta+b');
  await expect(panel).toBeHidden();
  await expect(grid.cell(3, 'business_name')).toBeFocused();
  await expect.poll(gridWidth).toBeGreaterThan(narrow + 250);
  await page.keyboard.press('ControlOrMeta+b');
  await expect(panel).toBeVisible();
  await expect.poll(gridWidth).toBe(narrow);
  // A plain b is nobody's key.
  await page.keyboard.press('b');
  await expect(panel).toBeVisible();

  // From the search box too (a key combination, not typing); the text stays as it was.
  const search = page.getByLabel('Search', { exact: true });
  await search.fill('bakery');
  await page.keyboard.press('ControlOrMeta+b');
  await expect(panel).toBeHidden();
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('bakery');
  await search.fill('');
  await grid.expectTotal(3_000);

  // Not over a dialog: the shortcut list names the key, and Ctrl+B leaves the panel as it is.
  await grid.cell(0, 'business_name').click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.getByRole('row', { name: /Hide or show the details panel/ })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+b');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(panel).toBeHidden();

  // Hidden with the focus inside it (its Summary toggle): the focus goes to the grid.
  await page.getByRole('button', { name: 'Show details panel' }).click();
  await page.getByRole('button', { name: /^Summary/ }).focus();
  await page.keyboard.press('ControlOrMeta+b');
  await expect(panel).toBeHidden();
  await expect(page.locator('.grid-host :focus')).toHaveCount(1);

  await page.keyboard.press('ControlOrMeta+b');
  await page.reload();
  await grid.waitForRows();
  await expect(panel).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide details panel' })).toBeVisible();
});
