import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from './server';
import type { StoreKind } from './store';

export type { PlaceRow, StoreKind } from './store';

export const REVIEWER = 'e2e-reviewer';
/** Sample places per test: enough to scroll and filter, small enough to seed in a blink. */
export const SAMPLE_PLACES = 300;

/** The grid as a reviewer sees it. */
export class GridPage {
  constructor(readonly page: Page) {}

  cell(index: number, column: string): Locator {
    return this.page.locator(`.ag-row[row-index="${index}"] .ag-cell[col-id="${column}"]`).first();
  }

  cellOf(placeId: string, column: string): Locator {
    return this.page.locator(`.ag-row[row-id="${placeId}"] .ag-cell[col-id="${column}"]`).first();
  }

  async rowId(index: number): Promise<string> {
    const id = await this.page
      .locator(`.ag-row[row-index="${index}"]`)
      .first()
      .getAttribute('row-id');
    if (!id) throw new Error(`row ${index} has no row-id`);
    return id;
  }

  checkbox(index: number): Locator {
    return this.page.locator(`.ag-row[row-index="${index}"] input[type="checkbox"]`).first();
  }

  /** The place ids of the rows drawn as selected (AG Grid draws pinned parts twice: dedupe). */
  async selectedRowIds(): Promise<string[]> {
    const ids = await this.page
      .locator('.ag-row-selected')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('row-id') ?? ''));
    return [...new Set(ids)].sort();
  }

  /** Click the first row, ctrl/cmd-click the second; answers their ids once both show selected. */
  async selectFirstTwo(): Promise<string[]> {
    await this.cell(0, 'business_name').click();
    await this.cell(1, 'business_name').click({ modifiers: ['ControlOrMeta'] });
    const chosen = [await this.rowId(0), await this.rowId(1)].sort();
    expect(await this.selectedRowIds()).toEqual(chosen);
    return chosen;
  }

  async waitForRows(): Promise<void> {
    await expect(this.cell(0, 'business_name')).not.toBeEmpty();
  }

  /**
   * Waits until the grid has counted `total` rows for the current filter: its rows are the
   * filtered ones from then on, so a click can't land on a row of the previous filter.
   */
  async expectTotal(total: number): Promise<void> {
    await expect(this.page.locator('.filter-count')).toHaveText(
      `${total.toLocaleString('en-US')} ${total === 1 ? 'place' : 'places'}`,
    );
    await this.waitForRows();
  }
}

interface TestFixtures {
  /** Sample places the store starts with; `test.use({ places: n })` for more. */
  places: number;
  /**
   * Sizes the renderer lets a test lower (src-renderer/src/app/test-hooks.ts), set before the
   * page loads: `test.use({ rendererHooks: { maxIdsPerRequest: 2 } })`.
   */
  rendererHooks: { maxIdsPerRequest?: number } | null;
  /** More settings for `serve`: `test.use({ serverEnv: { DEEP_SCAN_COST_PER_1000: '17' } })`. */
  serverEnv: Record<string, string>;
  server: TestServer;
  grid: GridPage;
}

interface WorkerOptions {
  /** The store every test of this project runs on (set per project in playwright.config.ts). */
  store: StoreKind;
}

export const test = base.extend<TestFixtures, WorkerOptions>({
  store: ['sqlite', { option: true, scope: 'worker' }],

  places: [SAMPLE_PLACES, { option: true }],

  rendererHooks: [null, { option: true }],

  serverEnv: [{}, { option: true }],

  server: async ({ store, places, serverEnv }, use) => {
    const server = await startTestServer({ store, places, users: [REVIEWER], env: serverEnv });
    try {
      await use(server);
    } finally {
      await server.dispose();
    }
  },

  grid: async ({ page, server, rendererHooks }, use) => {
    if (rendererHooks) {
      await page.addInitScript((hooks) => {
        (globalThis as { __STAGING_EDITOR_TEST_HOOKS__?: unknown }).__STAGING_EDITOR_TEST_HOOKS__ =
          hooks;
      }, rendererHooks);
    }
    await page.goto(`${server.url}/#token=${await server.tokenFor(REVIEWER)}`);
    const grid = new GridPage(page);
    await grid.waitForRows();
    await use(grid);
    // Close the page (and its event stream) before the server stops.
    await page.close();
  },
});

export type { WorkerOptions as E2eOptions };
export { expect };
