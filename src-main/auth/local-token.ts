import { SignJWT } from 'jose';
import type { Settings } from '../config';
import { authModeOf } from './key-config';
import { LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalKey } from './local-key';
import { MAX_SUB_LENGTH } from './verify';

/**
 * A token for single-user mode, signed by the local key. Throws a clear Error when a JWT_*
 * key setting is set (tokens then come from the identity provider) or for a bad input.
 */
export async function issueLocalToken(
  settings: Settings,
  input: { sub: string; ttlSeconds: number },
): Promise<string> {
  if (authModeOf(settings) !== 'local') {
    throw new Error(
      'Local tokens can only be issued in single-user mode: unset JWT_SECRET, ' +
        'JWT_PUBLIC_KEY and JWT_JWKS_URL, or get a token from your identity provider.',
    );
  }
  const { sub, ttlSeconds } = input;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUB_LENGTH) {
    throw new Error(
      `The user id (sub) must be a non-empty string of at most ${MAX_SUB_LENGTH} characters.`,
    );
  }
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new Error('The token lifetime must be a positive whole number of seconds.');
  }
  const key = await loadOrCreateLocalKey(settings.dataDir);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT', kid: key.kid })
    .setSubject(sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key.privateKey);
}
