import type { Locator, Page } from '@playwright/test';
import { expect, REVIEWER, test } from './support/fixtures';
import type { StoreProbe } from './support/store';

/** Places whose words are spread over the fields, added by SQL as an import would add them. */
const PLACES = [
  {
    place_id: 'e2e-oak-bakery',
    name: 'Blue Oak Bakery',
    formatted_address: '12 Elm St, Chicago, IL 60601, USA',
    business_type: 'bakery',
    search_location: 'Chicago, IL',
    rating: 4,
    user_ratings_total: 2377,
    price_level: 2,
  },
  {
    place_id: 'e2e-oak-salon',
    name: 'Oak & Blue Salon',
    formatted_address: '7 Lake St, Chicago, IL 60602, USA',
    business_type: 'hair_care',
    search_location: 'Chicago, IL',
    rating: 4.6,
    user_ratings_total: 12,
    price_level: 0,
  },
  {
    place_id: 'e2e-oak-austin',
    name: 'Blue Oak Kitchen',
    formatted_address: '9 Congress Ave, Austin, TX 78701, USA',
    business_type: 'restaurant',
    search_location: 'Austin, TX',
    rating: null,
    user_ratings_total: null,
    price_level: null,
  },
];

async function addPlaces(db: StoreProbe): Promise<void> {
  for (const p of PLACES) {
    await db.run(
      `INSERT INTO places_staging (place_id, name, formatted_address, business_type, search_location,
         rating, user_ratings_total, price_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      p.place_id,
      p.name,
      p.formatted_address,
      p.business_type,
      p.search_location,
      p.rating,
      p.user_ratings_total,
      p.price_level,
    );
  }
}

/** The rows every word of "blue oak chicago" finds, counted in the store itself. */
const EVERY_WORD =
  "search_text LIKE '%blue%' AND search_text LIKE '%oak%' AND search_text LIKE '%chicago%'";

const panelValue = (page: Page, label: string): Locator =>
  page
    .locator('.detail-panel > .fields .field-row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd');

test('a search needs every word, in any field and order, and a decision on all it finds changes exactly those', async ({
  page,
  grid,
  server,
}) => {
  await addPlaces(server.db);
  const matching = await server.db.count(EVERY_WORD);
  expect(matching).toBeGreaterThanOrEqual(2);
  // As one phrase nothing matches: the old rule would have found nothing.
  expect(await server.db.count("search_text LIKE '%blue oak chicago%'")).toBe(0);

  await page.getByLabel('Search').fill('chicago  OAK blue');
  await grid.expectTotal(matching);
  await expect(grid.cellOf('e2e-oak-bakery', 'business_name')).toHaveText('Blue Oak Bakery');
  await expect(grid.cellOf('e2e-oak-salon', 'business_name')).toHaveText('Oak & Blue Salon');
  await expect(grid.cellOf('e2e-oak-austin', 'business_name')).toHaveCount(0);

  // A phrase in quotes must match as written.
  await page.getByLabel('Search').fill('"blue oak" chicago');
  const phrase = await server.db.count(
    "search_text LIKE '%blue oak%' AND search_text LIKE '%chicago%'",
  );
  await grid.expectTotal(phrase);
  await expect(grid.cellOf('e2e-oak-salon', 'business_name')).toHaveCount(0);

  // Everything the search finds, decided at once: exactly those rows change in the store.
  await page.getByLabel('Search').fill('blue oak chicago');
  await grid.expectTotal(matching);
  await page
    .getByRole('button', { name: `Select all ${matching} rows matching this filter` })
    .click();
  const toChange = await server.db.count(`${EVERY_WORD} AND status <> 'Archived'`);
  await page.getByLabel('New status').selectOption('Archived');
  await page.getByRole('button', { name: `Update ${matching} Selected` }).click();
  await expect(page.getByRole('status')).toHaveText(`${toChange} updated`);
  expect(await server.db.count(`${EVERY_WORD} AND status <> 'Archived'`)).toBe(0);
  expect(await server.db.count('updated_by = ?', REVIEWER)).toBe(toChange);
  const austin = await server.db.places(['e2e-oak-austin']);
  expect(austin[0]).toMatchObject({ status: 'New', updated_by: null });
});

test('categories read as words and are found by them; the grid and the panel show values alike', async ({
  page,
  grid,
  server,
}) => {
  await addPlaces(server.db);
  const [stored] = await server.db.rows<{
    business_type: string;
    price_level: number;
    user_ratings_total: number;
    rating: number;
  }>(
    'SELECT business_type, price_level, user_ratings_total, rating FROM places_staging WHERE place_id = ?',
    'e2e-oak-bakery',
  );
  expect(stored).toMatchObject({
    business_type: 'bakery',
    price_level: 2,
    user_ratings_total: 2377,
  });
  expect(Number(stored!.rating)).toBe(4);

  // "hair care" (the words shown) finds the place stored as hair_care.
  await page.getByLabel('Search').fill('Hair care oak');
  await grid.expectTotal(
    await server.db.count(
      "search_text LIKE '%hair%' AND search_text LIKE '%care%' AND search_text LIKE '%oak%'",
    ),
  );
  await expect(grid.cellOf('e2e-oak-salon', 'category')).toHaveText('Hair care');
  await expect(grid.cellOf('e2e-oak-salon', 'price_level')).toHaveText('Free');
  await grid.cellOf('e2e-oak-salon', 'business_name').click();
  await expect(page.locator('#detail-title')).toHaveText('Oak & Blue Salon');
  await expect(panelValue(page, 'Category')).toHaveText('Hair care');
  await expect(panelValue(page, 'Price level')).toHaveText('Free');

  await page.getByLabel('Search').fill('blue oak bakery chicago');
  await grid.expectTotal(await server.db.count(`${EVERY_WORD} AND search_text LIKE '%bakery%'`));
  const shown = {
    category: 'Bakery',
    rating: '4.0',
    reviews_count: '2,377',
    price_level: '$$',
  } as const;
  for (const [column, text] of Object.entries(shown)) {
    await expect(grid.cellOf('e2e-oak-bakery', column), column).toHaveText(text);
  }
  await grid.cellOf('e2e-oak-bakery', 'business_name').click();
  await expect(page.locator('#detail-title')).toHaveText('Blue Oak Bakery');
  await expect(panelValue(page, 'Category')).toHaveText(shown.category);
  await expect(panelValue(page, 'Rating')).toHaveText(shown.rating);
  await expect(panelValue(page, 'Reviews')).toHaveText(shown.reviews_count);
  await expect(panelValue(page, 'Price level')).toHaveText(shown.price_level);
});

/** WCAG 2 contrast ratio of two `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lin = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(bl!);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const colorScheme of ['dark', 'light'] as const) {
  test(`the search placeholder is readable in ${colorScheme} mode (contrast >= 4.5:1)`, async ({
    page,
    grid,
  }) => {
    await page.emulateMedia({ colorScheme });
    await grid.waitForRows();
    const search = page.getByLabel('Search');
    await expect(search).toHaveAttribute('placeholder', /.+/);
    const colors = await search.evaluate((input) => {
      const view = input.ownerDocument.defaultView!;
      return {
        placeholder: view.getComputedStyle(input, '::placeholder').color,
        placeholderOpacity: view.getComputedStyle(input, '::placeholder').opacity,
        background: view.getComputedStyle(input).backgroundColor,
      };
    });
    expect(colors.placeholderOpacity).toBe('1');
    expect(contrast(colors.placeholder, colors.background)).toBeGreaterThanOrEqual(4.5);
  });
}
