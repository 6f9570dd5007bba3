import { contract } from '../src-shared/contract';
import { expect, GridPage, REVIEWER, test } from './support/fixtures';

/** The contract's HTTP routes, handed to the page for the stand-in bridge below. */
const routes = Object.fromEntries(
  Object.entries(contract).map(([name, op]) => [name, op.http] as const),
);
type Routes = typeof routes;

/** The page's globals, typed here because the e2e project has no DOM lib. */
interface PageGlobals {
  stagingEditor?: unknown;
  localStorage: { getItem(key: string): string | null };
  fetch(url: string, init: object): Promise<{ status: number; text(): Promise<string> }>;
}

/**
 * No Electron binary runs here, so this plays the desktop app's main process in the page: a
 * `window.stagingEditor` with the preload's shape (invoke / on / setToken) that keeps the token
 * itself, as main does, and carries each call to `serve` over HTTP. The renderer then runs in
 * IPC mode, exactly as in the desktop app, against the real backend and store.
 */
function installDesktopBridge(routes: Routes) {
  const page = globalThis as unknown as PageGlobals;
  let token: string | undefined;
  page.stagingEditor = {
    async invoke(name: string, input: Record<string, unknown> = {}) {
      const route = routes[name];
      if (!route) return { ok: false, error: { status: 'error', type: 'not_found', detail: name } };
      const rest: Record<string, unknown> = { ...input };
      const path = route.path.replace(/:(\w+)/g, (_m: string, key: string) => {
        const value = rest[key];
        delete rest[key];
        return encodeURIComponent(String(value));
      });
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      let url = path;
      let body: string | undefined;
      if (route.source === 'query') {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(rest)) {
          if (value === undefined || value === null) continue;
          for (const item of Array.isArray(value) ? value : [value])
            params.append(key, String(item));
        }
        if (params.size) url += `?${params}`;
      } else {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(rest);
      }
      const response = await page.fetch(url, { method: route.method, headers, body });
      const text = await response.text();
      const value: unknown = text ? JSON.parse(text) : undefined;
      return response.status < 300 ? { ok: true, value } : { ok: false, error: value };
    },
    on: () => () => {},
    async setToken(next: string) {
      if (next !== '' && next.split('.').length !== 3) {
        throw new Error('That is not an access token (a JWT has three parts).');
      }
      token = next || undefined;
    },
  };
}

// The renderer's IPC mode does not depend on the store: one run is enough.
test.skip(({ store }) => store !== 'sqlite', 'transport only: the store is covered elsewhere');

test('the desktop app: a refused call brings the sign-in screen, setToken signs in', async ({
  page,
  server,
}) => {
  await page.addInitScript(installDesktopBridge, routes);
  await page.goto(server.url);

  // Main has no token yet: the first calls are refused and the desktop sign-in screen shows.
  const signIn = page.getByRole('dialog', { name: 'Sign in to Staging Editor' });
  await expect(signIn).toBeVisible();
  await expect(signIn).not.toContainText('staging-editor serve');
  await expect(page.getByText('Desktop', { exact: true })).toBeAttached();

  // setToken refuses with one sentence: shown as it is.
  await signIn.getByLabel('Access token').fill('not-a-token');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText(
    'That is not an access token (a JWT has three parts).',
  );

  // A JWT the server refuses (wrong signature): the screen says so.
  const good = await server.tokenFor(REVIEWER);
  await signIn.getByLabel('Access token').fill(`${good.slice(0, -4)}AAAA`);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText(
    'That token was not accepted. It may have expired, or belong to another server.',
  );

  // The right token: signed in, the grid loads, and the renderer never stored the token.
  await signIn.getByLabel('Access token').fill(good);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toBeHidden();
  const grid = new GridPage(page);
  await grid.expectTotal(await server.db.count('1 = 1'));
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).localStorage.getItem('staging-editor.token'),
    ),
  ).toBeNull();

  // Calls now carry main's token: an update is stored under the reviewer's name.
  await grid.cell(0, 'business_name').click();
  const placeId = await grid.rowId(0);
  await page.getByLabel('New status').selectOption('Maybe');
  await page.getByRole('button', { name: 'Update 1 Selected' }).click();
  await expect(page.getByRole('status')).toContainText('1 updated');
  expect((await server.db.places([placeId]))[0]).toMatchObject({
    status: 'Maybe',
    updated_by: REVIEWER,
  });
});

test('the grid comes up after the sign-in (its code was slow): the rows refused before it load now', async ({
  page,
  server,
}) => {
  // The first rows are asked for before the sign-in and refused; the grid's code arrives
  // only once the reviewer has signed in, and must not show that refusal as its answer.
  let releaseGrid: () => void = () => {};
  const gridReleased = new Promise<void>((resolve) => (releaseGrid = resolve));
  await page.route(/\/assets\/StagingGrid-[^/]+\.js$/, async (route) => {
    await gridReleased;
    await route.continue();
  });
  await page.addInitScript(installDesktopBridge, routes);
  await page.goto(server.url);
  const signIn = page.getByRole('dialog', { name: 'Sign in to Staging Editor' });
  await expect(signIn).toBeVisible();
  await signIn.getByLabel('Access token').fill(await server.tokenFor(REVIEWER));
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toBeHidden();
  await expect(page.getByText('Loading places…')).toBeVisible();

  releaseGrid();
  const grid = new GridPage(page);
  await grid.expectTotal(await server.db.count('1 = 1'));
});
