import { describe, expect, it } from 'vitest';
import { SettingsError } from '../config';
import { effectiveSettings, settingFields, settingGroup, SETTING_KEYS } from './effective';

const env = { STAGING_EDITOR_DATA_DIR: '/tmp/se-data' };
const SECRET = 'x'.repeat(32);

describe('effectiveSettings', () => {
  it('takes the environment over the file over the defaults, and says which', () => {
    const { settings, sources } = effectiveSettings(
      { ...env, DEEP_SCAN_BATCH_SIZE: '30' },
      { DEEP_SCAN_BATCH_SIZE: '40', DEEP_SCAN_INTERVAL_SECONDS: '20' },
    );
    expect(settings.DEEP_SCAN_BATCH_SIZE).toBe(30);
    expect(sources.DEEP_SCAN_BATCH_SIZE).toBe('environment');
    expect(settings.DEEP_SCAN_INTERVAL_SECONDS).toBe(20);
    expect(sources.DEEP_SCAN_INTERVAL_SECONDS).toBe('settings file');
    expect(settings.DEEP_SCAN_LEASE_SECONDS).toBe(60);
    expect(sources.DEEP_SCAN_LEASE_SECONDS).toBe('default');
  });

  it('counts an empty environment variable as unset, so the file applies', () => {
    const { settings, sources } = effectiveSettings(
      { ...env, JWT_ISSUER: '' },
      { JWT_ISSUER: 'https://id.example' },
    );
    expect(settings.JWT_ISSUER).toBe('https://id.example');
    expect(sources.JWT_ISSUER).toBe('settings file');
  });

  it('ignores a data folder in the file (the file lives in it)', () => {
    const { settings } = effectiveSettings(env, { STAGING_EDITOR_DATA_DIR: '/elsewhere' });
    expect(settings.dataDir).toBe('/tmp/se-data');
  });

  it('validates file values with the same schema, in one sentence naming the setting', () => {
    let error: unknown;
    try {
      effectiveSettings(env, { DEEP_SCAN_BATCH_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).message).toBe(
      'Setting DEEP_SCAN_BATCH_SIZE is invalid: must be a whole number from 1 to 1,000 (got "0").',
    );
    expect((error as SettingsError).keys).toEqual(['DEEP_SCAN_BATCH_SIZE']);
  });

  it('never echoes a secret in its error', () => {
    expect(() => effectiveSettings(env, { JWT_SECRET: 'short-secret' })).toThrow(
      'Setting JWT_SECRET is invalid: must be at least 32 bytes long.',
    );
  });

  it('refuses two ways to verify tokens, one from each source, naming both', () => {
    expect(() =>
      effectiveSettings(
        { ...env, JWT_SECRET: SECRET },
        { JWT_JWKS_URL: 'https://id.example/jwks' },
      ),
    ).toThrow(/JWT_SECRET and JWT_JWKS_URL are both set/);
  });
});

describe('settingFields', () => {
  it('derives one field per setting on the screen from the schema', () => {
    const fields = settingFields(effectiveSettings(env, {}));
    const keys = fields.map((f) => f.key);
    expect(keys).toEqual(SETTING_KEYS.filter((k) => settingGroup(k)));
    expect(keys).not.toContain('STAGING_EDITOR_DATA_DIR');
    expect(new Set(fields.map((f) => f.group))).toEqual(
      new Set(['Team store', 'Identity', 'Places API', 'Deep scans', 'Logs']),
    );
  });

  it('says what each setting does, in a sentence of its own', () => {
    const fields = settingFields(effectiveSettings(env, {}));
    for (const f of fields) expect(f.help, f.key).toMatch(/^[A-Z].{20,}[.)]$/);
    expect(new Set(fields.map((f) => f.help)).size).toBe(fields.length);
  });

  it('names each setting for people, a label of its own beside its environment name', () => {
    const fields = settingFields(effectiveSettings(env, {}));
    for (const f of fields) expect(f.title, f.key).toMatch(/^[A-Z][a-z]/);
    expect(new Set(fields.map((f) => f.title)).size).toBe(fields.length);
    expect(fields.find((f) => f.key === 'DEEP_SCAN_BATCH_SIZE')!.title).toBe(
      'Places taken at a time',
    );
  });

  it('shows defaults, and a secret only as set or not set with its source', () => {
    const fields = settingFields(
      effectiveSettings({ ...env, JWT_SECRET: SECRET }, { GOOGLE_MAPS_API_KEY: 'AIza-file-key' }),
    );
    const field = (key: string) => fields.find((f) => f.key === key)!;
    expect(field('DEEP_SCAN_BATCH_SIZE')).toMatchObject({
      value: '20',
      source: 'default',
      set: true,
    });
    expect(field('JWT_ISSUER')).toMatchObject({ value: null, source: 'default', set: false });
    expect(field('JWT_SECRET')).toEqual({
      key: 'JWT_SECRET',
      title: 'Token secret',
      group: 'Identity',
      help: 'Check sign-in tokens (HS256) with this shared secret, at least 32 bytes long.',
      secret: true,
      source: 'environment',
      value: null,
      set: true,
    });
    expect(field('GOOGLE_MAPS_API_KEY')).toMatchObject({
      value: null,
      source: 'settings file',
      set: true,
    });
    expect(field('DATABASE_URL')).toMatchObject({ value: null, set: false, secret: true });
    expect(JSON.stringify(fields)).not.toContain(SECRET);
    expect(JSON.stringify(fields)).not.toContain('AIza-file-key');
  });
});
