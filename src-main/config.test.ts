import { describe, expect, test } from 'vitest';
import { loadSettings, SettingsError, sqlitePath } from './config';

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
});
