import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultPoolSize, isTeamMode, loadSettings, SettingsError, sqlitePath } from './config';

const fails = (env: Record<string, string>) => {
  try {
    loadSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected loadSettings to refuse the settings');
};

describe('settings', () => {
  test('defaults: SQLite in the data folder, scheduler defaults, Google base URL', () => {
    const s = loadSettings({ STAGING_EDITOR_DATA_DIR: '/tmp/se-data' });
    expect(s.DATABASE_URL).toBeUndefined();
    expect(sqlitePath(s)).toBe('/tmp/se-data/staging.sqlite');
    expect(s.PLACES_API_BASE_URL).toBe('https://places.googleapis.com');
    expect([s.DEEP_SCAN_BATCH_SIZE, s.DEEP_SCAN_MAX_ATTEMPTS]).toEqual([20, 5]);
  });

  test('a relative STAGING_EDITOR_DATA_DIR is taken from the working directory', () => {
    const s = loadSettings({ STAGING_EDITOR_DATA_DIR: 'se-data' });
    expect(s.dataDir).toBe(join(process.cwd(), 'se-data'));
    expect(sqlitePath(s)).toBe(join(process.cwd(), 'se-data', 'staging.sqlite'));
  });

  test('a variable set to the empty string counts as unset', () => {
    const s = loadSettings({
      DATABASE_URL: '',
      JWT_SECRET: '',
      DEEP_SCAN_BATCH_SIZE: '',
      STAGING_EDITOR_DATA_DIR: '/d',
    });
    expect(s.DATABASE_URL).toBeUndefined();
    expect(s.JWT_SECRET).toBeUndefined();
    expect(s.DEEP_SCAN_BATCH_SIZE).toBe(20);
  });

  test('a number out of place says in plain words what it must be, however it missed', () => {
    const batch = (got: string) =>
      `Setting DEEP_SCAN_BATCH_SIZE is invalid: must be a whole number from 1 to 1,000 (got "${got}").`;
    for (const bad of ['lots', '0', '1.5', '5000']) {
      expect(fails({ DEEP_SCAN_BATCH_SIZE: bad })).toBe(batch(bad));
    }
    expect(fails({ DEEP_SCAN_RATE_PER_SECOND: '0' })).toBe(
      'Setting DEEP_SCAN_RATE_PER_SECOND is invalid: must be a number above 0, at most 10,000 (got "0").',
    );
    expect(fails({ DEEP_SCAN_COST_PER_1000: '-1' })).toBe(
      'Setting DEEP_SCAN_COST_PER_1000 is invalid: must be a number from 0 to 1,000,000 (got "-1").',
    );
    expect(fails({ LOG_LEVEL: 'loud' })).toBe(
      'Setting LOG_LEVEL is invalid: must be one of fatal, error, warn, info, debug, trace, silent (got "loud").',
    );
    expect(loadSettings({ DEEP_SCAN_RATE_PER_SECOND: '0.5' }).DEEP_SCAN_RATE_PER_SECOND).toBe(0.5);
  });

  test('a bad value stops start-up with one sentence naming the variable', () => {
    expect(fails({ DEEP_SCAN_BATCH_SIZE: 'lots' })).toMatch(
      /^Setting DEEP_SCAN_BATCH_SIZE is invalid: .*\(got "lots"\)\.$/,
    );
    expect(fails({ DATABASE_URL: 'mysql://x' })).toMatch(
      /^Setting DATABASE_URL is invalid: must be a postgres/,
    );
    expect(fails({ PLACES_API_BASE_URL: 'ftp://x' })).toMatch(/PLACES_API_BASE_URL/);
    expect(fails({ LOG_LEVEL: 'loud' })).toMatch(/LOG_LEVEL/);
  });

  test('secrets are never echoed back', () => {
    const short = 'short-secret-value';
    const message = fails({ JWT_SECRET: short });
    expect(message).toMatch(/JWT_SECRET.*at least 32 bytes/);
    expect(message).not.toContain(short);
    const url = 'mysql://admin:hunter2@db';
    expect(fails({ DATABASE_URL: url })).not.toContain('hunter2');
  });

  test('two ways of verifying tokens at once are refused', () => {
    expect(
      fails({ JWT_SECRET: 'x'.repeat(32), JWT_JWKS_URL: 'https://id.example/jwks.json' }),
    ).toMatch(/JWT_SECRET and JWT_JWKS_URL/);
  });

  /** Every bounded whole-number setting, with its largest allowed value. */
  const WHOLE_NUMBER_SETTINGS = {
    DEEP_SCAN_INTERVAL_SECONDS: 3600,
    DEEP_SCAN_BATCH_SIZE: 1000,
    DEEP_SCAN_MAX_CONCURRENCY: 64,
    DEEP_SCAN_LEASE_SECONDS: 3600,
    DEEP_SCAN_MAX_ATTEMPTS: 50,
    DATABASE_POOL_SIZE: 500,
    DATABASE_CONNECT_TIMEOUT_SECONDS: 600,
  } as const;

  test.each(Object.entries(WHOLE_NUMBER_SETTINGS))(
    '%s refuses 0, negatives, fractions and values above %i, naming the variable',
    (name, max) => {
      for (const bad of ['0', '-1', '-20', '1.5', '0.5', String(max + 1), '1e9']) {
        expect(fails({ [name]: bad }), `${name}=${bad}`).toMatch(
          new RegExp(`^Setting ${name} is invalid: .*\\(got "${bad.replace('.', '\\.')}"\\)\\.$`),
        );
      }
      for (const good of ['1', String(max)]) {
        expect((loadSettings({ [name]: good }) as Record<string, unknown>)[name]).toBe(
          Number(good),
        );
      }
    },
  );

  test.each([
    ['DATABASE_LOCK_TIMEOUT_SECONDS', 3600],
    ['DATABASE_STATEMENT_TIMEOUT_SECONDS', 86_400],
  ] as const)('%s takes 0 (off) to %i, and refuses negatives and fractions', (name, max) => {
    for (const bad of ['-1', '1.5', '0.5', String(max + 1)]) {
      expect(fails({ [name]: bad }), `${name}=${bad}`).toMatch(
        new RegExp(`^Setting ${name} is invalid: `),
      );
    }
    for (const good of ['0', '1', String(max)])
      expect((loadSettings({ [name]: good }) as Record<string, unknown>)[name]).toBe(Number(good));
  });

  test('DEEP_SCAN_RATE_PER_SECOND may be a fraction but not 0, negative or above 10,000', () => {
    for (const bad of ['0', '-1', '-0.5', '10001']) {
      expect(fails({ DEEP_SCAN_RATE_PER_SECOND: bad }), bad).toMatch(
        /^Setting DEEP_SCAN_RATE_PER_SECOND is invalid: /,
      );
    }
    expect(loadSettings({ DEEP_SCAN_RATE_PER_SECOND: '0.5' }).DEEP_SCAN_RATE_PER_SECOND).toBe(0.5);
  });

  test('the pool is sized from the cores of the machine unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadSettings({}).DATABASE_POOL_SIZE).toBe(defaultPoolSize(availableParallelism()));
    expect(defaultPoolSize(1)).toBe(4);
    expect(defaultPoolSize(2)).toBe(4);
    expect(defaultPoolSize(8)).toBe(16);
    // The scan concurrency takes no connection per scan: it doesn't size the pool.
    expect(loadSettings({ DEEP_SCAN_MAX_CONCURRENCY: '30' }).DATABASE_POOL_SIZE).toBe(
      defaultPoolSize(),
    );
    expect(
      loadSettings({ DEEP_SCAN_MAX_CONCURRENCY: '30', DATABASE_POOL_SIZE: '12' })
        .DATABASE_POOL_SIZE,
    ).toBe(12);
  });

  test('database timeouts have defaults', () => {
    const s = loadSettings({});
    expect([
      s.DATABASE_CONNECT_TIMEOUT_SECONDS,
      s.DATABASE_LOCK_TIMEOUT_SECONDS,
      s.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    ]).toEqual([10, 10, 60]);
  });

  test('team mode is DATABASE_URL and SQLITE_PATH together; SYNC_LOCATIONS is a ;-separated list', () => {
    const pg = 'postgres://u@db.example:5432/team';
    expect(isTeamMode(loadSettings({ DATABASE_URL: pg }))).toBe(false);
    expect(isTeamMode(loadSettings({ SQLITE_PATH: '/r.sqlite' }))).toBe(false);
    const team = loadSettings({
      DATABASE_URL: pg,
      SQLITE_PATH: '/r.sqlite',
      SYNC_LOCATIONS: ' Austin, TX ;Chicago, IL;; ',
    });
    expect(isTeamMode(team)).toBe(true);
    expect(team.SYNC_LOCATIONS).toEqual(['Austin, TX', 'Chicago, IL']);
    expect(loadSettings({ SYNC_LOCATIONS: ' ; ;' }).SYNC_LOCATIONS).toBeUndefined();
    expect([team.SYNC_PULL_INTERVAL_SECONDS, team.SYNC_RETRY_MAX_SECONDS]).toEqual([15, 10]);
    expect(fails({ SYNC_RETRY_MAX_SECONDS: '0' })).toMatch(/^Setting SYNC_RETRY_MAX_SECONDS/);
  });
});
