import { defineConfig } from '@playwright/test';

/**
 * The Electron smoke test (e2e/electron/), on its own: `npm run test:electron` after
 * `npm run build`. It needs Electron's binary (skipped, saying so, where it is missing) and a
 * display (xvfb-run on a Linux server). It rebuilds better-sqlite3 for Electron while it runs,
 * so run nothing else that loads better-sqlite3 beside it. The browser runs are
 * playwright.config.ts, which leaves this folder out.
 */
export default defineConfig({
  testDir: 'e2e/electron',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
