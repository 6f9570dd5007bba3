import { startTestServer } from './support/server';
import { expect, REVIEWER, test as base } from './support/fixtures';

// A server whose browser users may change its settings (`serve --allow-settings`).
const test = base.extend({
  server: async ({ store, places }, use) => {
    const server = await startTestServer({
      store,
      places,
      users: [REVIEWER],
      serveArgs: ['--allow-settings'],
    });
    try {
      await use(server);
    } finally {
      await server.dispose();
    }
  },
});

test('the settings screen shows sources, refuses a bad value by field, and saves a good one', async ({
  page,
  grid,
}) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();

  // The environment's value is shown, read-only, and says where it comes from.
  const logLevel = dialog.getByLabel('LOG_LEVEL');
  await expect(logLevel).toHaveAttribute('readonly', '');
  // Labelled by its name for people, then the environment name the README and the logs use.
  await expect(logLevel).toHaveAccessibleName('Log detail LOG_LEVEL');
  // Where the value comes from, then what the setting does.
  await expect(logLevel).toHaveAccessibleDescription(
    'set by the environment How much goes to the log: fatal, error, warn, info, debug, trace or silent.',
  );
  await expect(dialog.getByText('How much goes to the log: fatal, error')).toBeVisible();
  // A secret is write-only: a password field, empty.
  const apiKey = dialog.getByLabel('GOOGLE_MAPS_API_KEY');
  await expect(apiKey).toHaveAttribute('type', 'password');
  await expect(apiKey).toHaveValue('');

  const batch = dialog.getByLabel('DEEP_SCAN_BATCH_SIZE');
  await expect(batch).toHaveAttribute('placeholder', '20');
  await batch.fill('0');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(batch).toHaveAttribute('aria-invalid', 'true');
  await expect(batch).toHaveAccessibleDescription(
    /default Setting DEEP_SCAN_BATCH_SIZE is invalid: must be a whole number from 1 to 1,000/,
  );

  await batch.fill('35');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status').last()).toHaveText(
    'Saved: the backend restarted with the new settings.',
  );

  // Escape closes it; opened again (by keyboard) it reads the saved value back.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Control+Comma');
  await expect(dialog.getByLabel('DEEP_SCAN_BATCH_SIZE')).toHaveValue('35');
  await expect(dialog.getByLabel('DEEP_SCAN_BATCH_SIZE')).toHaveAccessibleDescription(
    'saved in the settings file How many queued places a scanner takes at a time.',
  );
  await page.keyboard.press('Escape');

  // The restarted backend still answers the grid.
  await page.reload();
  await grid.waitForRows();
});
