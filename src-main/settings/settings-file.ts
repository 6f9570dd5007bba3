import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../auth/atomic-file';
import { isFileSetting, isSecretSetting } from './effective';

/** The settings saved from the settings screen, in the data folder. */
export const SETTINGS_FILE = 'settings.json';

/**
 * Encrypts secrets for the settings file: safeStorage in the desktop app. Without one (`serve`,
 * a Linux desktop without a keyring) secrets are never written: they come from the environment.
 */
export interface SecretEncryptor {
  encrypt(plain: string): Promise<string>;
  decrypt(encrypted: string): Promise<string>;
}

/** A sentence the user can act on. */
export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
}

interface FileShape {
  version: 1;
  values: Record<string, string>;
  /** Secrets, each encrypted by the encryptor (base64). */
  encrypted: Record<string, string>;
}

export interface ReadSettings {
  /** Every saved setting in plain text, secrets decrypted. */
  values: Record<string, string>;
  /** Secrets that could not be decrypted (left out, one sentence each). */
  problems: string[];
}

/** The saved settings; no file is no settings. A damaged file is a SettingsFileError. */
export async function readSettingsFile(
  path: string,
  encryptor: SecretEncryptor | null,
): Promise<ReadSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, problems: [] };
    throw new SettingsFileError(
      `The settings file ${path} could not be read: ${(error as Error).message}`,
    );
  }
  let parsed: Partial<FileShape>;
  try {
    parsed = JSON.parse(text) as Partial<FileShape>;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
  } catch {
    throw new SettingsFileError(
      `The settings file ${path} is damaged (not a JSON object): fix or delete it.`,
    );
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.values ?? {})) {
    if (isFileSetting(key) && !isSecretSetting(key) && typeof value === 'string')
      values[key] = value;
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed.encrypted ?? {})) {
    if (!isFileSetting(key) || typeof value !== 'string') continue;
    if (!encryptor) {
      problems.push(
        `${key} is saved encrypted, but this system cannot decrypt it: it is left unset.`,
      );
      continue;
    }
    try {
      values[key] = await encryptor.decrypt(value);
    } catch {
      problems.push(
        `${key} could not be decrypted (the keychain may have changed): enter it again.`,
      );
    }
  }
  return { values, problems };
}

/**
 * Replaces the settings file atomically (owner-only). Secrets are encrypted; without an
 * encryptor a secret is refused, and nothing is written.
 */
export async function writeSettingsFile(
  path: string,
  values: Record<string, string>,
  encryptor: SecretEncryptor | null,
): Promise<void> {
  const file: FileShape = { version: 1, values: {}, encrypted: {} };
  for (const [key, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isFileSetting(key) || value === '') continue;
    if (!isSecretSetting(key)) {
      file.values[key] = value;
      continue;
    }
    if (!encryptor) throw new SettingsFileError(secretsRefusedSentence(key));
    file.encrypted[key] = await encryptor.encrypt(value);
  }
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}

export function secretsRefusedSentence(key: string): string {
  return (
    `${key} was not saved: this system cannot encrypt secrets, and they are never written ` +
    'to disk in clear text. Set it in the environment instead.'
  );
}
