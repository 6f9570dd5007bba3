import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { PLACE_STATUSES } from '../src-shared/domain';
import { expect, GridPage, REVIEWER, test } from './support/fixtures';
import { startTestServer } from './support/server';

const COLLEAGUE = 'e2e-colleague';

/** The header's sync indicator (a region named "Sync"). */
const indicator = (page: Page) => page.getByRole('region', { name: 'Sync' });

test('one store: the sync status says single mode and the app shows no sync UI at all', async ({
  page,
  grid,
}) => {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/api/v3/sync/status',
  );
  await page.reload();
  const response = await answered;
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ mode: 'single', online: true, pending: 0 });
  await grid.waitForRows();

  await expect(indicator(page)).toHaveCount(0);
  await expect(page.getByRole('switch', { name: 'Work offline' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /conflict/i })).toHaveCount(0);
  await expect(page.getByText(/Offline|not synced|Last synced/)).toHaveCount(0);
  await expect(page.locator('.app-header')).not.toHaveAttribute('data-offline', /.*/);
});

/**
 * Team mode: the test's PostgreSQL database is the shared store and a SQLite file beside it is
 * this computer's replica (DATABASE_URL + SQLITE_PATH), served as the reviewer's backend.
 */
const teamTest = test.extend({
  server: async ({ store, places }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'staging-e2e-replica-'));
    const server = await startTestServer({
      store,
      places,
      users: [REVIEWER],
      env: { SQLITE_PATH: join(dir, 'replica.sqlite') },
    });
    try {
      await use(server);
    } finally {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

teamTest.describe('team mode', () => {
  teamTest.skip(
    ({ store }) => store !== 'postgres',
    'team mode pairs the PostgreSQL store with a SQLite replica: the postgres project runs it',
  );

  /** Online, first pull done, then "Work offline": decisions go to this computer's replica. */
  async function goOffline(page: Page) {
    const sync = indicator(page);
    await expect(sync.getByText('Online', { exact: true })).toBeVisible();
    await expect(sync.getByText(/^Last synced/)).toBeVisible({ timeout: 30_000 });
    await sync.getByRole('switch', { name: 'Work offline' }).check();
    await expect(sync.getByText('Offline: this computer')).toBeVisible();
    await expect(page.locator('.app-header')).toHaveAttribute('data-offline', 'yes');
    await expect(sync.locator('[aria-live="polite"]')).toHaveText(/^Working offline/);
  }

  async function decide(page: Page, grid: GridPage, placeId: string, status: string) {
    await grid.cellOf(placeId, 'business_name').click();
    await page.getByLabel('New status').selectOption(status);
    await page.getByRole('button', { name: 'Update 1 Selected' }).click();
  }

  /** Two statuses other than `current` (and than each other): mine, then theirs. */
  function twoOtherThan(current: string): [string, string] {
    const others = PLACE_STATUSES.filter((s) => s !== current && s !== 'Selected');
    return [others[0]!, others[1]!];
  }

  teamTest(
    'offline: a decision shows at once in the grid, is counted as not synced, has a pending receipt, and reaches PostgreSQL once back online',
    async ({ page, grid, server }) => {
      await goOffline(page);
      const placeId = await grid.rowId(0);
      const name = (await grid.cellOf(placeId, 'business_name').textContent())!.trim();
      const [before] = await server.db.places([placeId]);
      const [mine] = twoOtherThan(before!.status);

      await decide(page, grid, placeId, mine);
      await expect(page.getByRole('status')).toContainText('saved on this computer');
      await expect(grid.cellOf(placeId, 'status')).toHaveText(mine);
      await expect(
        indicator(page).getByText('1 decision not synced, oldest under 1 min'),
      ).toBeVisible();
      // The shared store has not seen it.
      expect(await server.db.places([placeId])).toEqual([before]);

      // The receipt: pending, reachable from the indicator; Escape gives focus back.
      const opener = indicator(page).getByRole('button', { name: 'Recent offline decisions' });
      await opener.click();
      const receipts = page.getByRole('dialog', { name: 'Recent offline decisions' });
      await expect(receipts.getByRole('row', { name: new RegExp(name) })).toContainText('Pending');
      await page.keyboard.press('Escape');
      await expect(receipts).toBeHidden();
      await expect(opener).toBeFocused();

      // Back online: pushed, nothing left waiting, PostgreSQL has the reviewer's decision.
      await indicator(page).getByRole('switch', { name: 'Work offline' }).uncheck();
      await expect(indicator(page).getByText('Online', { exact: true })).toBeVisible({
        timeout: 30_000,
      });
      await expect(indicator(page).getByText(/not synced/)).toHaveCount(0, { timeout: 30_000 });
      await expect.poll(async () => (await server.db.places([placeId]))[0]?.status).toBe(mine);
      expect((await server.db.places([placeId]))[0]?.updated_by).toBe(REVIEWER);

      // Sync now: its one-line summary in a toast, the button back once it is done.
      const syncNow = indicator(page).getByRole('button', { name: 'Sync now' });
      await syncNow.click();
      await expect(page.getByRole('status')).toHaveText(/^Synced: 0 decisions pushed/);
      await expect(syncNow).toBeEnabled();
    },
  );

  teamTest(
    'conflicts: a colleague overtook two offline decisions; the inbox accepts theirs for one and keeps mine for the other',
    async ({ page, grid, server }) => {
      await goOffline(page);
      const ids = [await grid.rowId(0), await grid.rowId(1)];
      const names = await Promise.all(
        ids.map(async (id) => (await grid.cellOf(id, 'business_name').textContent())!.trim()),
      );
      const plans = await Promise.all(
        ids.map(async (id) => {
          const [row] = await server.db.places([id]);
          const [mine, theirs] = twoOtherThan(row!.status);
          return { id, mine, theirs };
        }),
      );
      for (const plan of plans) {
        await decide(page, grid, plan.id, plan.mine);
        await expect(grid.cellOf(plan.id, 'status')).toHaveText(plan.mine);
      }
      await expect(indicator(page).getByText(/^2 decisions not synced/)).toBeVisible();

      // Meanwhile a colleague decides the same places on the shared store.
      for (const plan of plans) {
        await server.db.run(
          'UPDATE places_staging SET status = ?, updated_by = ?, updated_at = CURRENT_TIMESTAMP WHERE place_id = ?',
          plan.theirs,
          COLLEAGUE,
          plan.id,
        );
      }

      // Back online: the push finds both overtaken.
      await indicator(page).getByRole('switch', { name: 'Work offline' }).uncheck();
      const opener = indicator(page).getByRole('button', { name: '2 conflicts' });
      await expect(opener).toBeVisible({ timeout: 30_000 });

      // The inbox, opened from the keyboard.
      await opener.focus();
      await page.keyboard.press('Enter');
      const inbox = page.getByRole('dialog', { name: 'Conflicts' });
      await expect(inbox).toBeVisible();
      const rowA = inbox.getByRole('row', { name: new RegExp(names[0]!) });
      const rowB = inbox.getByRole('row', { name: new RegExp(names[1]!) });
      await expect(rowA).toContainText(plans[0]!.mine);
      await expect(rowA).toContainText(plans[0]!.theirs);
      await expect(rowA).toContainText(COLLEAGUE);

      // Focus stays inside while it is open.
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
        await expect(inbox.locator(':focus')).toHaveCount(1);
      }

      // One row: accept theirs.
      await rowA.getByRole('button', { name: /^Accept theirs/ }).click();
      await expect(inbox.getByRole('status')).not.toBeEmpty();
      await expect(rowA).toHaveCount(0);

      // The other through its box and the bulk button.
      await rowB.getByRole('checkbox').check();
      await inbox.getByRole('button', { name: 'Keep mine for 1' }).click();
      await expect(inbox.getByText(/^No conflicts/)).toBeVisible();

      await page.keyboard.press('Escape');
      await expect(inbox).toBeHidden();
      await expect(indicator(page).getByRole('button', { name: 'No conflicts' })).toBeFocused();

      // The shared store and the grid agree: theirs kept for A, mine sent again for B.
      await expect
        .poll(async () =>
          (await server.db.places(ids)).map((row) => [row.place_id, row.status, row.updated_by]),
        )
        .toEqual(
          [
            [plans[0]!.id, plans[0]!.theirs, COLLEAGUE],
            [plans[1]!.id, plans[1]!.mine, REVIEWER],
          ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        );
      await expect(grid.cellOf(plans[0]!.id, 'status')).toHaveText(plans[0]!.theirs);
      await expect(grid.cellOf(plans[1]!.id, 'status')).toHaveText(plans[1]!.mine);
    },
  );
});
