import { jwtVerify } from 'jose';
import { toAuthError, unauthorized } from './errors';
import type { KeyConfig } from './key-config';
import { containsNul } from '../../src-shared/contract/text';
import type { VerifiedToken } from './types';

/** Longer tokens are refused before any decoding or parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;
/** Leeway for clocks that disagree, for `exp` and `nbf` (kept well under a minute). */
export const CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_SUB_LENGTH = 255;

/** header.payload.signature, base64url, nothing else (an empty signature is left to jose). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export async function verifyToken(config: KeyConfig, token: unknown): Promise<VerifiedToken> {
  if (token === undefined || token === null || token === '') {
    throw unauthorized('No token: sign in first.');
  }
  if (typeof token !== 'string') throw unauthorized('The token is malformed.');
  if (token.length > MAX_TOKEN_LENGTH) throw unauthorized('The token is too long.');
  if (!COMPACT_JWS.test(token)) throw unauthorized('The token is malformed.');

  let payload;
  try {
    ({ payload } = await jwtVerify(token, config.key, {
      algorithms: config.algorithms,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.audience !== undefined ? { audience: config.audience } : {}),
    }));
  } catch (error) {
    throw toAuthError(error);
  }

  const { sub } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw unauthorized('The token names no user (sub).');
  }
  if (sub.length > MAX_SUB_LENGTH) throw unauthorized("The token's user id (sub) is too long.");
  // The same rule as every id the API takes: it is written to updated_by.
  if (containsNul(sub)) throw unauthorized("The token's user id (sub) contains a NUL character.");
  // jose has checked that exp is a number (requiredClaims).
  return { userId: sub, expiresAt: payload.exp! };
}
