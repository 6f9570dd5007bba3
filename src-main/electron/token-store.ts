import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { SafeStorage } from 'electron';
import { MAX_TOKEN_LENGTH } from '../auth/verify';

/** The signed-in user's token, encrypted by the OS keychain, in the userData folder. */
export const TOKEN_FILE = 'token.bin';

export { MAX_TOKEN_LENGTH };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** safeStorage's asynchronous API (the synchronous one is deprecated in Electron 45). */
export type SecretEncryption = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** A refusal the user can act on, in one sentence. */
export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
}

/**
 * This system cannot encrypt the token (no keyring on Linux, or no encryption at all): the
 * token is not written anywhere. The session keeps it in memory instead (see session-token.ts).
 */
export class EncryptionUnavailableError extends TokenStoreError {
  override name = 'EncryptionUnavailableError';
}

export function isPlausibleToken(token: unknown): token is string {
  return typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(token);
}

/**
 * Why tokens can't be kept safely on this machine, or null when they can. On Linux without a
 * keyring Electron falls back to 'basic_text', a key built into every copy of Chromium: that is
 * obfuscation, not encryption, so it is refused too.
 */
export async function encryptionUnavailableReason(
  encryption: SecretEncryption,
  platform: NodeJS.Platform,
): Promise<string | null> {
  const available = await encryption.isAsyncEncryptionAvailable();
  const backend = platform === 'linux' ? encryption.getSelectedStorageBackend?.() : undefined;
  if (available && backend !== 'basic_text') return null;
  if (platform === 'linux') {
    return (
      'The token was not saved because this system has no keyring to encrypt it with: ' +
      'install and unlock GNOME Keyring or KWallet, then sign in again.'
    );
  }
  if (platform === 'darwin') {
    return 'The token was not saved because the macOS Keychain is not available to this app.';
  }
  return 'The token was not saved because this system offers no encryption for saved secrets.';
}

/**
 * What the user is told, once, when the token is kept for this session only: nothing was
 * written to disk, and how to stay signed in next time.
 */
export function sessionOnlyNotice(platform: NodeJS.Platform): string {
  const remedy =
    platform === 'linux'
      ? 'install and unlock GNOME Keyring or KWallet to stay signed in next time'
      : platform === 'darwin'
        ? 'allow Staging Editor to use the macOS Keychain to stay signed in next time'
        : 'you will be asked to sign in again next time';
  return (
    'You are signed in until Staging Editor quits. This system has no keyring to encrypt the ' +
    `token with, so it is kept in memory only and never written to disk: ${remedy}.`
  );
}

export interface TokenStore {
  /** The saved token, or undefined when none is saved; throws TokenStoreError when unreadable. */
  load(): Promise<string | undefined>;
  /** Encrypts and saves; throws TokenStoreError (one sentence) when it can't or won't. */
  save(token: string): Promise<void>;
  clear(): Promise<void>;
}

export function createTokenStore(options: {
  filePath: string;
  encryption: SecretEncryption;
  platform?: NodeJS.Platform;
}): TokenStore {
  const { filePath, encryption } = options;
  const platform = options.platform ?? process.platform;

  async function load(): Promise<string | undefined> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TokenStoreError(`The saved token could not be read: ${(error as Error).message}`);
    }
    const reason = await encryptionUnavailableReason(encryption, platform);
    if (reason) throw new TokenStoreError(reason.replace('was not saved', 'could not be read'));
    let decrypted: { shouldReEncrypt: boolean; result: string };
    try {
      decrypted = await encryption.decryptStringAsync(encrypted);
    } catch {
      throw new TokenStoreError(
        'The saved token could not be decrypted (the keychain may have changed): sign in again.',
      );
    }
    if (!isPlausibleToken(decrypted.result)) {
      throw new TokenStoreError('The saved token is damaged: sign in again.');
    }
    // The keychain's key was rotated: store it again under the new one.
    if (decrypted.shouldReEncrypt) await save(decrypted.result);
    return decrypted.result;
  }

  async function save(token: string): Promise<void> {
    if (!isPlausibleToken(token)) {
      throw new TokenStoreError(
        'That is not a token: paste the whole JWT your identity provider gave you (three parts separated by dots).',
      );
    }
    const reason = await encryptionUnavailableReason(encryption, platform);
    if (reason) throw new EncryptionUnavailableError(reason);
    const encrypted = await encryption.encryptStringAsync(token);
    const temporary = `${filePath}.tmp`;
    await writeFile(temporary, encrypted, { mode: 0o600 });
    await rename(temporary, filePath);
  }

  async function clear(): Promise<void> {
    await rm(filePath, { force: true });
  }

  return { load, save, clear };
}
