import type { JWSAlgorithm, JWTVerifyGetKey } from 'jose';
import type { Settings } from '../config';
import { createJwksKeyResolver } from './jwks-cache';
import { LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalKey } from './local-key';
import { importPublicKey } from './public-key';
import type { AuthMode } from './types';

/** Everything verification needs, decided once from the settings. */
export interface KeyConfig {
  mode: AuthMode;
  /** Passed to jose every time: the only `alg` values a token may carry. */
  algorithms: JWSAlgorithm[];
  key: JWTVerifyGetKey;
  issuer?: string;
  audience?: string;
}

/** Asymmetric only: a JWKS never provides a shared secret, and `none` is never acceptable. */
export const JWKS_ALGORITHMS: JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** Which of the (at most one) key settings is set; none means single-user mode. */
export function authModeOf(settings: Settings): AuthMode {
  if (settings.JWT_SECRET) return 'hs256';
  if (settings.JWT_PUBLIC_KEY) return 'public-key';
  if (settings.JWT_JWKS_URL) return 'jwks';
  return 'local';
}

export async function resolveKeyConfig(settings: Settings): Promise<KeyConfig> {
  const claims = {
    ...(settings.JWT_ISSUER ? { issuer: settings.JWT_ISSUER } : {}),
    ...(settings.JWT_AUDIENCE ? { audience: settings.JWT_AUDIENCE } : {}),
  };
  const mode = authModeOf(settings);
  switch (mode) {
    case 'hs256': {
      const secret = new TextEncoder().encode(settings.JWT_SECRET);
      return { mode, algorithms: ['HS256'], key: () => secret, ...claims };
    }
    case 'public-key': {
      const { algorithms, keys } = await importPublicKey(settings.JWT_PUBLIC_KEY!);
      // jose has already checked header.alg against `algorithms` when it asks for the key.
      const key: JWTVerifyGetKey = (header) => keys.get(header.alg)!;
      return { mode, algorithms, key, ...claims };
    }
    case 'jwks': {
      const key = await createJwksKeyResolver(settings.JWT_JWKS_URL!, settings.dataDir);
      return { mode, algorithms: JWKS_ALGORITHMS, key, ...claims };
    }
    case 'local': {
      // The local key signs only what this app issues: its own issuer and audience, always.
      const { publicKey } = await loadOrCreateLocalKey(settings.dataDir);
      return {
        mode,
        algorithms: [LOCAL_ALGORITHM],
        key: () => publicKey,
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
      };
    }
  }
}
