import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStoreHandle } from '../../test/support/stores';
import { startBackend } from '../backend';
import { createRestartableBackend, type RestartableBackend } from './restartable-backend';
import {
  createSettingsService,
  SERVE_READ_ONLY_REASON,
  withSettingsOperations,
  type SettingsPolicy,
} from './service';
import { SETTINGS_FILE, type SecretEncryptor } from './settings-file';
import { fakeEncryptor } from './test-support';

let dir: string;
let restartable: RestartableBackend | undefined;
let pgStore: TestStoreHandle | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'se-settings-service-'));
});
afterEach(async () => {
  await restartable?.close();
  restartable = undefined;
  await pgStore?.dispose();
  pgStore = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const LOCAL: SettingsPolicy = { canChange: true, readOnlyReason: null };

async function setUp(
  options: {
    env?: Record<string, string>;
    policy?: SettingsPolicy;
    encryptor?: SecretEncryptor | null;
    requireToken?: boolean;
  } = {},
) {
  const env = { STAGING_EDITOR_DATA_DIR: dir, LOG_LEVEL: 'silent', ...options.env };
  const service = createSettingsService({
    env,
    filePath: join(dir, SETTINGS_FILE),
    encryptor: options.encryptor === undefined ? fakeEncryptor : options.encryptor,
    policy: options.policy ?? LOCAL,
    apply: (settings) => backend.restart(settings),
  });
  const { settings } = await service.load();
  const backend = await createRestartableBackend(settings, (s) =>
    startBackend(s, { scheduler: false }),
  );
  restartable = backend;
  const app = withSettingsOperations(backend, service, {
    requireToken: options.requireToken ?? false,
  });
  const token = await backend.issueLocalToken('tester', 600);
  return { app, backend, service, token };
}

/** Places in a SQLite file, read beside the backend. */
function rowsIn(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM places_staging').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('saving settings restarts the backend, not the app', () => {
  it('moves calls to another SQLite file after saving SQLITE_PATH', async () => {
    const { app, backend, token } = await setUp();
    const first = join(dir, 'staging.sqlite');
    const second = join(dir, 'other.sqlite');
    await app.dispatch('loadSampleData', { count: 3, seed: 1 }, token);
    expect(backend.store.description).toContain('staging.sqlite');

    const saved = await app.dispatch('saveSettings', { values: { SQLITE_PATH: second } }, token);
    expect(saved).toMatchObject({
      ok: true,
      value: { message: 'Saved: the backend restarted with the new settings.' },
    });
    expect(backend.store.description).toContain('other.sqlite');
    const summary = await app.dispatch('placesSummary', {}, token);
    expect(summary).toMatchObject({ ok: true, value: { total: 0 } });
    await app.dispatch('loadSampleData', { count: 2, seed: 2 }, token);
    expect(await app.dispatch('placesSummary', {}, token)).toMatchObject({ value: { total: 2 } });
    expect([rowsIn(first), rowsIn(second)]).toEqual([3, 2]);

    const view = await app.dispatch('getSettings', {}, token);
    expect(view.ok && view.value.fields.find((f) => f.key === 'SQLITE_PATH')).toMatchObject({
      value: second,
      source: 'settings file',
    });
  });

  it('moves to PostgreSQL with DATABASE_URL saved encrypted, never shown', async () => {
    pgStore = await createTestStore('postgres');
    const url = pgStore.env.DATABASE_URL!;
    const { app, backend, token } = await setUp();
    const saved = await app.dispatch('saveSettings', { values: { DATABASE_URL: url } }, token);
    expect(saved.ok).toBe(true);
    expect(backend.store.kind).toBe('postgres');
    // Local auth stays: the token issued before still works against the new store.
    await app.dispatch('loadSampleData', { count: 4, seed: 3 }, token);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM places_staging');
    await client.end();
    expect(Number(rows[0]!.n)).toBe(4);
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).not.toContain(url);
    expect(JSON.stringify(saved)).not.toContain(url);
    const field = saved.ok ? saved.value.fields.find((f) => f.key === 'DATABASE_URL') : null;
    expect(field).toMatchObject({ set: true, value: null, source: 'settings file' });
  });

  it('keeps the previous settings, and file, when the new backend cannot start', async () => {
    const { app, backend, token } = await setUp();
    const result = await app.dispatch(
      'saveSettings',
      { values: { SQLITE_PATH: join(dir, 'missing-folder', 'nested', '\0bad.sqlite') } },
      token,
    );
    expect(result).toMatchObject({ ok: false, error: { type: 'bad_request' } });
    expect(!result.ok && result.error.detail).toMatch(
      /^The backend could not start with these settings \(.*\); the previous settings are in use again\.$/,
    );
    expect(backend.store.description).toContain('staging.sqlite');
    expect(await app.dispatch('placesSummary', {}, token)).toMatchObject({ ok: true });
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(true);
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).not.toContain('bad.sqlite');
  });
});

describe('what may be saved', () => {
  it('answers a bad value with one sentence naming the field, and saves nothing', async () => {
    const { app, token } = await setUp();
    const result = await app.dispatch(
      'saveSettings',
      { values: { DEEP_SCAN_BATCH_SIZE: '0', JWT_ISSUER: 'x' } },
      token,
    );
    expect(result).toEqual({
      ok: false,
      error: {
        status: 'error',
        type: 'validation_error',
        detail:
          'Setting DEEP_SCAN_BATCH_SIZE is invalid: must be a whole number from 1 to 1,000 (got "0").',
        issues: [
          {
            path: 'DEEP_SCAN_BATCH_SIZE',
            message:
              'Setting DEEP_SCAN_BATCH_SIZE is invalid: must be a whole number from 1 to 1,000 (got "0").',
          },
        ],
      },
    });
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(false);
  });

  it('refuses a setting the environment provides, and shows it as such', async () => {
    const { app, token } = await setUp({ env: { DEEP_SCAN_BATCH_SIZE: '25' } });
    const result = await app.dispatch(
      'saveSettings',
      { values: { DEEP_SCAN_BATCH_SIZE: '30' } },
      token,
    );
    expect(!result.ok && result.error.detail).toBe(
      'DEEP_SCAN_BATCH_SIZE is set by the environment, which wins: change it there.',
    );
    const view = await app.dispatch('getSettings', {}, token);
    expect(
      view.ok && view.value.fields.find((f) => f.key === 'DEEP_SCAN_BATCH_SIZE'),
    ).toMatchObject({
      value: '25',
      source: 'environment',
    });
  });

  it('without encryption refuses secrets but saves the rest', async () => {
    const { app, token } = await setUp({ encryptor: null });
    const secret = await app.dispatch(
      'saveSettings',
      { values: { GOOGLE_MAPS_API_KEY: 'k-123' } },
      token,
    );
    expect(!secret.ok && secret.error.issues?.[0]?.path).toBe('GOOGLE_MAPS_API_KEY');
    const plain = await app.dispatch(
      'saveSettings',
      { values: { JWT_AUDIENCE: 'editors' } },
      token,
    );
    expect(plain).toMatchObject({ ok: true, value: { secrets_can_be_saved: false } });
  });

  it('is read-only in serve unless allowed, and needs a token there', async () => {
    const { app, token } = await setUp({
      policy: { canChange: false, readOnlyReason: SERVE_READ_ONLY_REASON },
      requireToken: true,
    });
    expect(await app.dispatch('getSettings', {}, undefined)).toMatchObject({
      ok: false,
      error: { type: 'unauthorized' },
    });
    expect(await app.dispatch('getSettings', {}, token)).toMatchObject({
      ok: true,
      value: { can_change: false, read_only_reason: SERVE_READ_ONLY_REASON },
    });
    expect(
      await app.dispatch('saveSettings', { values: { JWT_AUDIENCE: 'x' } }, token),
    ).toMatchObject({ ok: false, error: { type: 'forbidden', detail: SERVE_READ_ONLY_REASON } });
    // Testing with unsaved values would let a browser make the server connect anywhere.
    expect(
      await app.dispatch(
        'testConnection',
        { target: 'store', values: { DATABASE_URL: 'postgres://10.0.0.1/x' } },
        token,
      ),
    ).toMatchObject({ ok: false, error: { type: 'forbidden' } });
  });

  it('tests the unsaved form values, and says when nothing is set', async () => {
    const { app, token } = await setUp();
    expect(await app.dispatch('testConnection', { target: 'places' }, token)).toEqual({
      ok: true,
      value: {
        ok: false,
        message: 'No Places API key is set (GOOGLE_MAPS_API_KEY): deep scans are off.',
      },
    });
    const bad = await app.dispatch(
      'testConnection',
      { target: 'store', values: { DATABASE_URL: 'mysql://x' } },
      token,
    );
    expect(bad).toMatchObject({
      ok: true,
      value: {
        ok: false,
        message: 'Setting DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL.',
      },
    });
  });
});
