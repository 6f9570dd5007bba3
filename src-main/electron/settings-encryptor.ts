import type { SecretEncryptor } from '../settings/settings-file';
import { encryptionUnavailableReason, type SecretEncryption } from './token-store';

/**
 * The settings file's encryptor from safeStorage, or null when this system can't encrypt (no
 * keyring on Linux, where 'basic_text' is obfuscation only): then secrets are refused by the
 * settings screen and can come from the environment only, as for the sign-in token's file.
 */
export async function settingsEncryptor(
  encryption: SecretEncryption,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretEncryptor | null> {
  if (await encryptionUnavailableReason(encryption, platform)) return null;
  return {
    encrypt: async (plain) => (await encryption.encryptStringAsync(plain)).toString('base64'),
    decrypt: async (encrypted) =>
      (await encryption.decryptStringAsync(Buffer.from(encrypted, 'base64'))).result,
  };
}
