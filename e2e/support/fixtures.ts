import { test as base, expect, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { startTestServer, type TestServer } from './server';

export const REVIEWER = 'e2e-reviewer';

export interface PlaceRow {
  place_id: string;
  status: string;
  deep_scan_status: string | null;
  updated_by: string | null;
}

/** Reads places straight from the server's SQLite file (read-only, beside the server's writes). */
export function placesInDatabase(sqlitePath: string, placeIds: readonly string[]): PlaceRow[] {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT place_id, status, deep_scan_status, updated_by FROM places_staging
         WHERE place_id IN (SELECT value FROM json_each(?)) ORDER BY place_id`,
      )
      .all(JSON.stringify(placeIds)) as PlaceRow[];
  } finally {
    db.close();
  }
}

export function countInDatabase(sqlitePath: string, where: string, ...params: unknown[]): number {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(`SELECT count(*) AS n FROM places_staging WHERE ${where}`)
      .get(...params);
    return (row as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The grid as a reviewer sees it. */
export class GridPage {
  constructor(readonly page: Page) {}

  cell(index: number, column: string): Locator {
    return this.page.locator(`.ag-row[row-index="${index}"] .ag-cell[col-id="${column}"]`).first();
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

  async waitForRows(): Promise<void> {
    await expect(this.cell(0, 'business_name')).not.toBeEmpty();
  }
}

export const test = base.extend<{ server: TestServer; grid: GridPage }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure
  server: async ({}, use) => {
    const server = await startTestServer({ places: 300 });
    await use(server);
    await server.stop();
  },
  grid: async ({ page, server }, use) => {
    await page.goto(`${server.url}/#token=${server.tokenFor(REVIEWER)}`);
    const grid = new GridPage(page);
    await grid.waitForRows();
    await use(grid);
    // Close the page (and its event stream) before the server stops.
    await page.close();
  },
});

export { expect };
