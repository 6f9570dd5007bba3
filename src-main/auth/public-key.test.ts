import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8 } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './index';
import { algorithmsForPublicKey } from './public-key';
import { expectAuthError, removeTempDirs, settingsFor, sign, unsignedToken } from './test-support';

afterAll(removeTempDirs);

type KeyType = 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'x25519' | 'rsa-pss' | 'dsa';

function pemPair(type: KeyType, options: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = generateKeyPairSync(
    type as 'rsa',
    {
      ...(type === 'rsa' || type === 'rsa-pss' ? { modulusLength: 2048 } : {}),
      ...(type === 'dsa' ? { modulusLength: 2048, divisorLength: 256 } : {}),
      ...options,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    } as never,
  ) as unknown as { publicKey: string; privateKey: string };
  return { publicPem: publicKey, privatePem: privateKey };
}

const rsa = pemPair('rsa');
const p256 = pemPair('ec', { namedCurve: 'P-256' });
const p384 = pemPair('ec', { namedCurve: 'P-384' });
const ed25519 = pemPair('ed25519');

const verifierFor = (pem: string) => createTokenVerifier(settingsFor({ JWT_PUBLIC_KEY: pem }));

describe('public-key verifier (JWT_PUBLIC_KEY)', () => {
  it.each([
    ['RSA', rsa, 'RS256'],
    ['RSA', rsa, 'PS256'],
    ['EC P-256', p256, 'ES256'],
    ['EC P-384', p384, 'ES384'],
    ['Ed25519', ed25519, 'EdDSA'],
  ])('accepts a valid %s token signed with %s', async (_name, pair, alg) => {
    const verifier = await verifierFor(pair.publicPem);
    expect(verifier.mode).toBe('public-key');
    const token = await sign(await importPKCS8(pair.privatePem, alg), alg);
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'user-1' });
  });

  it('binds the algorithm to the key type read from the PEM', () => {
    expect(algorithmsForPublicKey(rsa.publicPem)).toEqual(['RS256', 'PS256']);
    expect(algorithmsForPublicKey(p256.publicPem)).toEqual(['ES256']);
    expect(algorithmsForPublicKey(p384.publicPem)).toEqual(['ES384']);
    expect(algorithmsForPublicKey(ed25519.publicPem)).toContain('EdDSA');
    for (const pem of [rsa, p256, p384, ed25519].map((p) => p.publicPem)) {
      expect(algorithmsForPublicKey(pem).some((alg) => alg.startsWith('HS'))).toBe(false);
    }
  });

  it('refuses an HS256 token that uses the RSA public key PEM as its HMAC secret', async () => {
    const verifier = await verifierFor(rsa.publicPem);
    const attack = await sign(new TextEncoder().encode(rsa.publicPem), 'HS256');
    await expectAuthError(
      verifier.verify(attack),
      "The token's signing algorithm is not accepted.",
      {
        token: attack,
      },
    );
  });

  it('refuses alg none', async () => {
    const verifier = await verifierFor(rsa.publicPem);
    await expectAuthError(
      verifier.verify(unsignedToken()),
      "The token's signing algorithm is not accepted.",
    );
  });

  it('refuses an algorithm of another key family (ES256 token, RSA key)', async () => {
    const verifier = await verifierFor(rsa.publicPem);
    const token = await sign(await importPKCS8(p256.privatePem, 'ES256'), 'ES256');
    await expectAuthError(verifier.verify(token), "The token's signing algorithm is not accepted.");
  });

  it('refuses a token signed by another key of the right type', async () => {
    const verifier = await verifierFor(rsa.publicPem);
    const other = pemPair('rsa');
    const token = await sign(await importPKCS8(other.privatePem, 'RS256'), 'RS256');
    await expectAuthError(verifier.verify(token), "The token's signature is invalid.", { token });
    const edVerifier = await verifierFor(ed25519.publicPem);
    const edToken = await sign(await importPKCS8(pemPair('ed25519').privatePem, 'EdDSA'), 'EdDSA');
    await expectAuthError(edVerifier.verify(edToken), "The token's signature is invalid.");
  });

  it('checks the claims as in every mode (expired, wrong issuer)', async () => {
    const verifier = await createTokenVerifier(
      settingsFor({ JWT_PUBLIC_KEY: p256.publicPem, JWT_ISSUER: 'https://id.example' }),
    );
    const key = await importPKCS8(p256.privatePem, 'ES256');
    const expired = await sign(key, 'ES256', { iss: 'https://id.example', exp: 1_000_000 });
    await expectAuthError(verifier.verify(expired), 'The token has expired.');
    const wrongIss = await sign(key, 'ES256', { iss: 'https://other.example' });
    await expectAuthError(
      verifier.verify(wrongIss),
      'The token was issued by an unexpected issuer.',
    );
  });

  it.each<[string, KeyType, Record<string, unknown>, RegExp]>([
    ['Ed448', 'ed448', {}, /unsupported ed448 key/],
    ['X25519', 'x25519', {}, /unsupported x25519 key/],
    ['RSA-PSS', 'rsa-pss', {}, /unsupported rsa-pss key/],
    ['secp256k1', 'ec', { namedCurve: 'secp256k1' }, /unsupported EC curve secp256k1/],
    ['RSA 1024', 'rsa', { modulusLength: 1024 }, /1024-bit RSA key: use at least 2048 bits/],
  ])('refuses a %s key at start-up with a clear message', async (_name, type, options, message) => {
    const { publicPem } = pemPair(type, options);
    await expect(verifierFor(publicPem)).rejects.toThrow(message);
  });

  it('refuses a PEM that is not a readable key', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n';
    await expect(verifierFor(pem)).rejects.toThrow(
      'Setting JWT_PUBLIC_KEY is not a readable PEM public key.',
    );
  });
});
