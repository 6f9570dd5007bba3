import type { Settings } from '../config';
import { resolveKeyConfig } from './key-config';
import type { TokenVerifier } from './types';
import { verifyToken } from './verify';

/**
 * The verifier for the configured mode: HS256 secret, PEM public key, JWKS URL, or (none of
 * them set) the local key of single-user mode, created on first use. Throws a clear Error
 * for an unusable key setting.
 */
export async function createTokenVerifier(settings: Settings): Promise<TokenVerifier> {
  const config = await resolveKeyConfig(settings);
  return {
    mode: config.mode,
    verify: async (token) => ({ userId: (await verifyToken(config, token)).userId }),
    verifyWithExpiry: (token) => verifyToken(config, token),
  };
}
