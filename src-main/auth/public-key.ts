import { createPublicKey } from 'node:crypto';
import { importSPKI, type CryptoKey, type JWSAlgorithm } from 'jose';

/** EC curves as node:crypto names them -> the one JWS algorithm for that curve. */
const EC_ALGORITHMS: Record<string, JWSAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/**
 * The algorithms a PEM public key (SPKI) may verify, bound to the key's own type so a token
 * can never choose another family (above all not HS256 with the public key as the secret).
 */
export function algorithmsForPublicKey(pem: string): JWSAlgorithm[] {
  let key;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('Setting JWT_PUBLIC_KEY is not a readable PEM public key.');
  }
  if (key.type !== 'public') throw new Error('Setting JWT_PUBLIC_KEY must be a public key.');
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) {
      throw new Error(`Setting JWT_PUBLIC_KEY is a ${bits}-bit RSA key: use at least 2048 bits.`);
    }
    return ['RS256', 'PS256'];
  }
  if (type === 'ed25519') return ['EdDSA', 'Ed25519'];
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const alg = EC_ALGORITHMS[curve];
    if (alg) return [alg];
    throw new Error(
      `Setting JWT_PUBLIC_KEY uses the unsupported EC curve ${curve || '(unknown)'}: ` +
        'use P-256, P-384 or P-521.',
    );
  }
  throw new Error(
    `Setting JWT_PUBLIC_KEY is an unsupported ${type ?? 'unknown'} key: ` +
      'use an RSA, EC (P-256, P-384, P-521) or Ed25519 key.',
  );
}

export interface PublicKeyVerification {
  algorithms: JWSAlgorithm[];
  /** One imported key per allowed algorithm. */
  keys: Map<string, CryptoKey>;
}

export async function importPublicKey(pem: string): Promise<PublicKeyVerification> {
  const algorithms = algorithmsForPublicKey(pem);
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) keys.set(alg, await importSPKI(pem, alg));
  return { algorithms, keys };
}
