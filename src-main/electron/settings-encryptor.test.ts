import { describe, expect, it } from 'vitest';
import { settingsEncryptor } from './settings-encryptor';
import type { SecretEncryption } from './token-store';

function fakeKeychain(options: { available?: boolean; backend?: string } = {}): SecretEncryption {
  return {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    encryptStringAsync: async (plain) =>
      Buffer.concat([Buffer.from('ENC1'), Buffer.from(plain, 'utf8').reverse()]),
    decryptStringAsync: async (encrypted) => ({
      result: Buffer.from(encrypted.subarray(4)).reverse().toString('utf8'),
      shouldReEncrypt: false,
    }),
    getSelectedStorageBackend: () => (options.backend ?? 'gnome_libsecret') as never,
  };
}

describe('settingsEncryptor', () => {
  it('encrypts through safeStorage as base64 text, and back', async () => {
    const encryptor = (await settingsEncryptor(fakeKeychain(), 'linux'))!;
    const encrypted = await encryptor.encrypt('postgres://u:pw@db/x');
    expect(encrypted).not.toContain('pw@db');
    expect(Buffer.from(encrypted, 'base64').subarray(0, 4).toString()).toBe('ENC1');
    expect(await encryptor.decrypt(encrypted)).toBe('postgres://u:pw@db/x');
  });

  it('is none without a keyring (basic_text on Linux) or without encryption at all', async () => {
    expect(await settingsEncryptor(fakeKeychain({ backend: 'basic_text' }), 'linux')).toBeNull();
    expect(await settingsEncryptor(fakeKeychain({ available: false }), 'win32')).toBeNull();
    expect(
      await settingsEncryptor(fakeKeychain({ backend: 'basic_text' }), 'darwin'),
    ).not.toBeNull();
  });
});
