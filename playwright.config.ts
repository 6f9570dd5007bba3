import { defineConfig } from '@playwright/test';
import type { E2eOptions } from './e2e/support/fixtures';
import { chromiumLaunchOptions as chromiumOptionsHere } from './test/support/chromium';

/** The Chromium every Playwright run uses (also bench/ui.bench.ts): see test/support/chromium.ts. */
export const chromiumLaunchOptions = chromiumOptionsHere();

/**
 * End-to-end: the built renderer in Chromium (CHROMIUM_PATH, else Debian's /usr/bin/chromium,
 * else Playwright's own: `npx playwright install chromium`) against `staging-editor serve`
 * (built CLI in out/, so run `npm run build` first). Each test starts its own server on a free loopback
 * port with a fresh store; every spec runs once per store, as two projects: `sqlite` (a temp
 * file) and `postgres` (a throwaway database on TEST_PG_ADMIN_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres). One store only: `--project sqlite`. With
 * TEST_THROUGH_POOLER=1 (npm run test:pgbouncer sets it, with TEST_PGBOUNCER_URL; the workers
 * inherit the environment) each server's DATABASE_URL goes through that PgBouncer instead, while
 * CREATE / DROP DATABASE and the test's own probe stay direct (e2e/support/store.ts).
 * See e2e/support/server.ts.
 */
export default defineConfig<object, E2eOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // The Electron smoke test runs on its own: playwright.electron.config.ts.
  testIgnore: 'electron/**',
  // Two shared cores: one browser and one server at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: 'sqlite', use: { store: 'sqlite' } },
    { name: 'postgres', use: { store: 'postgres' } },
  ],
});
