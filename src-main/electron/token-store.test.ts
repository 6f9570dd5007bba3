import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EncryptionUnavailableError,
  MAX_TOKEN_LENGTH,
  TokenStoreError,
  createTokenStore,
  encryptionUnavailableReason,
  isPlausibleToken,
  type SecretEncryption,
} from './token-store';

const TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXZpZXdlciIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJl';

/**
 * Plays the OS keychain behind safeStorage: a real cipher is beside the point here, so it
 * reverses and prefixes the bytes; what matters is that the file never holds the plain token.
 */
function fakeKeychain(options: { available?: boolean; backend?: string; rotated?: boolean } = {}) {
  const calls = { encrypt: 0 };
  const encryption: SecretEncryption = {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    encryptStringAsync: async (plain) => {
      calls.encrypt += 1;
      return Buffer.concat([Buffer.from('ENC1'), Buffer.from(plain, 'utf8').reverse()]);
    },
    decryptStringAsync: async (encrypted) => {
      if (encrypted.subarray(0, 4).toString() !== 'ENC1') throw new Error('bad ciphertext');
      return {
        result: Buffer.from(encrypted.subarray(4)).reverse().toString('utf8'),
        shouldReEncrypt: options.rotated ?? false,
      };
    },
    getSelectedStorageBackend: () => (options.backend ?? 'gnome_libsecret') as never,
  };
  return { encryption, calls };
}

const dir = mkdtempSync(join(tmpdir(), 'staging-editor-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newFile = () => join(dir, `token-${++n}.bin`);

describe('the saved sign-in token', () => {
  it('is saved encrypted, readable only by this user, and read back', async () => {
    const filePath = newFile();
    const store = createTokenStore({
      filePath,
      encryption: fakeKeychain().encryption,
      platform: 'linux',
    });
    await expect(store.load()).resolves.toBeUndefined();
    await store.save(TOKEN);
    const onDisk = readFileSync(filePath);
    expect(onDisk.toString('latin1')).not.toContain(TOKEN);
    expect(onDisk.toString('latin1')).not.toContain('eyJ');
    if (process.platform !== 'win32') expect(statSync(filePath).mode & 0o777).toBe(0o600);
    await expect(store.load()).resolves.toBe(TOKEN);
    await store.clear();
    await expect(store.load()).resolves.toBeUndefined();
    await store.clear();
  });

  it('is not saved when the system cannot encrypt it, and says why', async () => {
    const filePath = newFile();
    const store = createTokenStore({
      filePath,
      encryption: fakeKeychain({ available: false }).encryption,
      platform: 'darwin',
    });
    await expect(store.save(TOKEN)).rejects.toThrow(/not saved.*Keychain/);
    expect(() => statSync(filePath)).toThrow();
  });

  it("is not saved with Linux's built-in 'basic_text' key, which is no encryption", async () => {
    const { encryption, calls } = fakeKeychain({ backend: 'basic_text' });
    const store = createTokenStore({ filePath: newFile(), encryption, platform: 'linux' });
    const error = await store.save(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toBeInstanceOf(EncryptionUnavailableError);
    expect((error as Error).message).toMatch(/keyring/);
    expect(calls.encrypt).toBe(0);
  });

  it('refuses something that is not a JWT before touching the keychain', async () => {
    const { encryption, calls } = fakeKeychain();
    const store = createTokenStore({ filePath: newFile(), encryption, platform: 'linux' });
    for (const bad of [
      '',
      'hello',
      'a.b',
      'a.b.c\n',
      'a.b.c d',
      `a.b.${'c'.repeat(MAX_TOKEN_LENGTH)}`,
    ]) {
      await expect(store.save(bad), JSON.stringify(bad.slice(0, 20))).rejects.toThrow(
        TokenStoreError,
      );
    }
    expect(calls.encrypt).toBe(0);
  });

  it('reports a file it cannot decrypt instead of sending garbage as a token', async () => {
    const filePath = newFile();
    writeFileSync(filePath, 'not encrypted by us');
    const store = createTokenStore({
      filePath,
      encryption: fakeKeychain().encryption,
      platform: 'linux',
    });
    await expect(store.load()).rejects.toThrow(/could not be decrypted/);
  });

  it('is encrypted again when the keychain rotated its key', async () => {
    const filePath = newFile();
    const first = fakeKeychain();
    await createTokenStore({ filePath, encryption: first.encryption, platform: 'win32' }).save(
      TOKEN,
    );
    const rotated = fakeKeychain({ rotated: true });
    const store = createTokenStore({ filePath, encryption: rotated.encryption, platform: 'win32' });
    await expect(store.load()).resolves.toBe(TOKEN);
    expect(rotated.calls.encrypt).toBe(1);
  });
});

describe('encryption availability', () => {
  it('is fine with a real keyring, and explains itself otherwise', async () => {
    expect(await encryptionUnavailableReason(fakeKeychain().encryption, 'linux')).toBeNull();
    expect(await encryptionUnavailableReason(fakeKeychain().encryption, 'win32')).toBeNull();
    const noKeyring = fakeKeychain({ available: false }).encryption;
    expect(await encryptionUnavailableReason(noKeyring, 'linux')).toMatch(
      /GNOME Keyring or KWallet/,
    );
    expect(await encryptionUnavailableReason(noKeyring, 'win32')).toMatch(/no encryption/);
  });

  it('recognises a compact JWS', () => {
    expect(isPlausibleToken(TOKEN)).toBe(true);
    expect(isPlausibleToken(undefined)).toBe(false);
    expect(isPlausibleToken('a.b.')).toBe(false);
  });
});
