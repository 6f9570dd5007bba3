import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
} from 'jose';
import { z } from 'zod';
import { createFileExclusive, errorCode } from './atomic-file';

/** Single-user mode: the app signs its own tokens with a key kept in the data folder. */
export const LOCAL_KEY_FILE = 'local-signing-key.json';
export const LOCAL_ISSUER = 'staging-editor-local';
export const LOCAL_AUDIENCE = 'staging-editor';
export const LOCAL_ALGORITHM = 'EdDSA';

export interface LocalSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const keyFileSchema = z.object({
  version: z.literal(1),
  alg: z.literal(LOCAL_ALGORITHM),
  kid: z.string().min(1),
  privateJwk: z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: base64url,
    d: base64url,
  }),
});
type KeyFile = z.infer<typeof keyFileSchema>;

export function localKeyPath(dataDir: string): string {
  return join(dataDir, LOCAL_KEY_FILE);
}

/**
 * The local signing key, created on first use (Ed25519, mode 0600, written to a temp file and
 * linked into place). When two processes create it at once, one wins and both use its key.
 */
export async function loadOrCreateLocalKey(dataDir: string): Promise<LocalSigningKey> {
  const path = localKeyPath(dataDir);
  const existing = await readKeyFile(path);
  if (existing) return importKeyFile(existing, path);

  const created = await newKeyFile();
  if (await createFileExclusive(path, `${JSON.stringify(created, null, 2)}\n`)) {
    return importKeyFile(created, path);
  }
  // Another process created it between our read and our link: use theirs.
  const winner = await readKeyFile(path);
  if (!winner) throw corrupt(path);
  return importKeyFile(winner, path);
}

async function newKeyFile(): Promise<KeyFile> {
  const { privateKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x!, d: jwk.d! };
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x });
  return { version: 1, alg: LOCAL_ALGORITHM, kid, privateJwk };
}

/** undefined when the file doesn't exist; throws a clear Error when it exists but is unusable. */
async function readKeyFile(path: string): Promise<KeyFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new Error(`The local signing key file ${path} could not be read (${errorCode(error)}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(path);
  }
  const result = keyFileSchema.safeParse(parsed);
  if (!result.success) throw corrupt(path);
  await tightenMode(path);
  return result.data;
}

async function importKeyFile(file: KeyFile, path: string): Promise<LocalSigningKey> {
  try {
    const { kty, crv, x } = file.privateJwk;
    const privateKey = await importJWK(file.privateJwk, LOCAL_ALGORITHM);
    const publicKey = await importJWK({ kty, crv, x }, LOCAL_ALGORITHM);
    return { kid: file.kid, privateKey, publicKey };
  } catch {
    throw corrupt(path);
  }
}

/** A key file someone copied with looser permissions is put back to owner-only (POSIX). */
async function tightenMode(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) await chmod(path, 0o600);
  } catch {
    // Best effort: the key still works; permissions are the operator's to fix.
  }
}

function corrupt(path: string): Error {
  return new Error(
    `The local signing key file ${path} is damaged: delete it and the app creates a new one ` +
      '(tokens issued with the old key stop working).',
  );
}
