import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readSettingsFile,
  SETTINGS_FILE,
  SettingsFileError,
  writeSettingsFile,
} from './settings-file';
import { fakeEncryptor } from './test-support';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'se-settings-'));
  path = join(dir, SETTINGS_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the settings file', () => {
  it('is no settings when missing', async () => {
    expect(await readSettingsFile(path, null)).toEqual({ values: {}, problems: [] });
  });

  it('round-trips values, secrets encrypted on disk and readable by the owner only', async () => {
    await writeSettingsFile(
      path,
      { DEEP_SCAN_BATCH_SIZE: '30', DATABASE_URL: 'postgres://u:pw@db/x', JWT_ISSUER: '' },
      fakeEncryptor,
    );
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('pw@db');
    expect(JSON.parse(text)).toMatchObject({ version: 1, values: { DEEP_SCAN_BATCH_SIZE: '30' } });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await readSettingsFile(path, fakeEncryptor)).toEqual({
      values: { DEEP_SCAN_BATCH_SIZE: '30', DATABASE_URL: 'postgres://u:pw@db/x' },
      problems: [],
    });
  });

  it('refuses a secret without encryption and writes nothing', async () => {
    await expect(
      writeSettingsFile(path, { DEEP_SCAN_BATCH_SIZE: '30', GOOGLE_MAPS_API_KEY: 'k' }, null),
    ).rejects.toThrow(
      'GOOGLE_MAPS_API_KEY was not saved: this system cannot encrypt secrets, and they are never written to disk in clear text. Set it in the environment instead.',
    );
    expect(await readSettingsFile(path, null)).toEqual({ values: {}, problems: [] });
    await writeSettingsFile(path, { DEEP_SCAN_BATCH_SIZE: '30' }, null);
    expect((await readSettingsFile(path, null)).values).toEqual({ DEEP_SCAN_BATCH_SIZE: '30' });
  });

  it('leaves out secrets it cannot decrypt, saying so, and unknown or clear-text secrets', async () => {
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        values: { JWT_SECRET: 'clear text is ignored', NOT_A_SETTING: '1', LOG_LEVEL: 'debug' },
        encrypted: {
          GOOGLE_MAPS_API_KEY: 'garbage',
          DATABASE_URL: await fakeEncryptor.encrypt('postgres://db/x'),
        },
      }),
    );
    expect(await readSettingsFile(path, fakeEncryptor)).toEqual({
      values: { LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://db/x' },
      problems: [
        'GOOGLE_MAPS_API_KEY could not be decrypted (the keychain may have changed): enter it again.',
      ],
    });
    expect((await readSettingsFile(path, null)).problems).toHaveLength(2);
  });

  it('says a damaged file is damaged', async () => {
    writeFileSync(path, '{"values": ');
    await expect(readSettingsFile(path, null)).rejects.toThrow(SettingsFileError);
    await expect(readSettingsFile(path, null)).rejects.toThrow(/is damaged \(not a JSON object\)/);
  });
});
