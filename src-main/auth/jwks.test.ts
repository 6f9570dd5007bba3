import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from './index';
import { createJwksKeyResolver, jwksCachePath } from './jwks-cache';
import { JWKS_ALGORITHMS } from './key-config';
import {
  FakeIdentityProvider,
  expectAuthError,
  removeTempDirs,
  settingsFor,
  sign,
  tempDataDir,
  unsignedToken,
} from './test-support';
import { verifyToken } from './verify';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'EdDSA' | 'ES256' | 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const setOf = (...keys: SigningKey[]): JSONWebKeySet => ({ keys: keys.map((k) => k.jwk) });
const tokenFrom = (key: SigningKey, claims: Record<string, unknown> = {}) =>
  sign(key.privateKey, key.alg, claims, { kid: key.kid });

const keyA = await signingKey('key-a', 'EdDSA');
const keyB = await signingKey('key-b', 'EdDSA');
const keyEc = await signingKey('key-ec', 'ES256');
const keyRsa = await signingKey('key-rsa', 'RS256');
const stranger = await signingKey('key-a', 'EdDSA'); // same kid as A, another key

const providers: FakeIdentityProvider[] = [];
async function provider(jwks: JSONWebKeySet): Promise<FakeIdentityProvider> {
  const idp = await new FakeIdentityProvider(jwks).start();
  providers.push(idp);
  return idp;
}

/** A URL on loopback where nothing listens. */
async function deadUrl(): Promise<string> {
  const idp = await provider(setOf(keyA));
  await idp.stop();
  return idp.url;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(providers.splice(0).map((p) => p.stop()));
});
afterAll(removeTempDirs);

describe('JWKS verifier (JWT_JWKS_URL)', () => {
  it('verifies EdDSA, ES256 and RS256 tokens with keys from the identity provider', async () => {
    const idp = await provider(setOf(keyA, keyEc, keyRsa));
    const verifier = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: idp.url }));
    expect(verifier.mode).toBe('jwks');
    for (const key of [keyA, keyEc, keyRsa]) {
      await expect(verifier.verify(await tokenFrom(key, { sub: key.kid }))).resolves.toEqual({
        userId: key.kid,
      });
    }
    expect(idp.requests).toBe(1); // fetched once, then cached
  });

  it('keeps the last good set on disk, public keys only, owner-readable', async () => {
    const idp = await provider(setOf(keyA));
    const settings = settingsFor({ JWT_JWKS_URL: idp.url });
    const verifier = await createTokenVerifier(settings);
    await verifier.verify(await tokenFrom(keyA));
    const path = jwksCachePath(settings.dataDir);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.url).toBe(idp.url);
    expect(saved.jwks.keys.map((k: JWK) => k.kid)).toEqual(['key-a']);
    expect(saved.jwks.keys[0].d).toBeUndefined();
    expect(saved.uat).toBeLessThanOrEqual(Date.now());
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('verifies from the disk cache in a new instance when the identity provider is down', async () => {
    const idp = await provider(setOf(keyA));
    const dataDir = tempDataDir();
    const settings = settingsFor({ JWT_JWKS_URL: idp.url }, dataDir);
    await (await createTokenVerifier(settings)).verify(await tokenFrom(keyA));
    await idp.stop();

    const offline = await createTokenVerifier(settings);
    await expect(offline.verify(await tokenFrom(keyA))).resolves.toEqual({ userId: 'user-1' });
    await expectAuthError(
      offline.verify(await tokenFrom(stranger)),
      "The token's signature is invalid.",
    );
    await expectAuthError(
      offline.verify(await tokenFrom(keyB)),
      'The token was signed with an unknown key.',
    );

    // Even when the saved set is long past its max age, it beats no set at all.
    const path = jwksCachePath(dataDir);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), uat: 1 }));
    const stale = await createTokenVerifier(settings);
    await expect(stale.verify(await tokenFrom(keyA))).resolves.toEqual({ userId: 'user-1' });
  });

  it('answers "unavailable" when the provider is down and nothing was ever cached', async () => {
    const verifier = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: await deadUrl() }));
    await expectAuthError(verifier.verify(await tokenFrom(keyA)), /keys could not be fetched/, {
      type: 'unavailable',
    });
  });

  it('ignores a cache saved for another URL, and a damaged cache', async () => {
    const dataDir = tempDataDir();
    const url = await deadUrl();
    const other = { url: 'https://other.example/jwks.json', uat: Date.now(), jwks: setOf(keyA) };
    writeFileSync(jwksCachePath(dataDir), JSON.stringify(other));
    const verifier = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: url }, dataDir));
    await expectAuthError(verifier.verify(await tokenFrom(keyA)), /could not be fetched/, {
      type: 'unavailable',
    });

    writeFileSync(jwksCachePath(dataDir), '{"url": "half a file');
    const idp = await provider(setOf(keyA));
    const online = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: idp.url }, dataDir));
    await expect(online.verify(await tokenFrom(keyA))).resolves.toEqual({ userId: 'user-1' });
    expect(JSON.parse(readFileSync(jwksCachePath(dataDir), 'utf8')).url).toBe(idp.url);
  });

  it('refetches the set for an unknown kid after key rotation, at most once per 30 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const idp = await provider(setOf(keyA));
    const settings = settingsFor({ JWT_JWKS_URL: idp.url });
    const verifier = await createTokenVerifier(settings);
    await verifier.verify(await tokenFrom(keyA));
    expect(idp.requests).toBe(1);

    // The provider rotates: B replaces A.
    idp.jwks = setOf(keyB);
    vi.setSystemTime(new Date('2030-01-01T00:00:31Z'));
    await expect(verifier.verify(await tokenFrom(keyB))).resolves.toEqual({ userId: 'user-1' });
    expect(idp.requests).toBe(2);
    const saved = JSON.parse(readFileSync(jwksCachePath(settings.dataDir), 'utf8'));
    expect(saved.jwks.keys.map((k: JWK) => k.kid)).toEqual(['key-b']);

    // A is gone; an unknown kid within 30 s of the last fetch does not fetch again.
    await expectAuthError(
      verifier.verify(await tokenFrom(keyA)),
      'The token was signed with an unknown key.',
    );
    await expectAuthError(
      verifier.verify(await tokenFrom({ ...keyB, kid: 'nope' })),
      'The token was signed with an unknown key.',
    );
    expect(idp.requests).toBe(2);
    vi.setSystemTime(new Date('2030-01-01T00:01:05Z'));
    await expectAuthError(
      verifier.verify(await tokenFrom({ ...keyB, kid: 'nope' })),
      'The token was signed with an unknown key.',
    );
    expect(idp.requests).toBe(3);
  });

  it('falls back to the last good set when a refresh fails, without hammering the provider', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const idp = await provider(setOf(keyA));
    const verifier = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: idp.url }));
    await verifier.verify(await tokenFrom(keyA));
    expect(idp.requests).toBe(1);

    idp.status = 503;
    vi.setSystemTime(new Date('2030-01-01T00:11:00Z')); // past the 10 min cache max age
    await expect(verifier.verify(await tokenFrom(keyA))).resolves.toEqual({ userId: 'user-1' });
    expect(idp.requests).toBe(2);
    await expect(verifier.verify(await tokenFrom(keyA))).resolves.toEqual({ userId: 'user-1' });
    await expectAuthError(
      verifier.verify(await tokenFrom(keyB)),
      'The token was signed with an unknown key.',
    );
    expect(idp.requests).toBe(2); // backing off for 30 s

    idp.status = 200;
    idp.jwks = setOf(keyA, keyB);
    vi.setSystemTime(new Date('2030-01-01T00:11:31Z'));
    await expect(verifier.verify(await tokenFrom(keyB))).resolves.toEqual({ userId: 'user-1' });
    expect(idp.requests).toBe(3);
  });

  it('times out a provider that never answers', async () => {
    const idp = await provider(setOf(keyA));
    idp.hang = true;
    const key = await createJwksKeyResolver(idp.url, tempDataDir(), { timeoutMs: 300 });
    const started = Date.now();
    const config = { mode: 'jwks' as const, algorithms: JWKS_ALGORITHMS, key };
    await expectAuthError(verifyToken(config, await tokenFrom(keyA)), /could not be fetched/, {
      type: 'unavailable',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(idp.requests).toBe(1);
  });

  it('refuses HMAC tokens, even for a symmetric key the provider publishes, and alg none', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const oct: JWK = { kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'sym' };
    const idp = await provider({ keys: [keyA.jwk, oct] });
    const verifier = await createTokenVerifier(settingsFor({ JWT_JWKS_URL: idp.url }));
    const hmac = await sign(secret, 'HS256', {}, { kid: 'sym' });
    await expectAuthError(verifier.verify(hmac), "The token's signing algorithm is not accepted.");
    const withPublicKey = await sign(
      new TextEncoder().encode(JSON.stringify(keyA.jwk)),
      'HS256',
      {},
      { kid: 'key-a' },
    );
    await expectAuthError(
      verifier.verify(withPublicKey),
      "The token's signing algorithm is not accepted.",
    );
    await expectAuthError(
      verifier.verify(unsignedToken()),
      "The token's signing algorithm is not accepted.",
    );
    expect(idp.requests).toBe(0); // refused before any key was looked up
  });

  it('applies the claim rules (expired, nbf, issuer, audience)', async () => {
    const idp = await provider(setOf(keyA));
    const verifier = await createTokenVerifier(
      settingsFor({ JWT_JWKS_URL: idp.url, JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'app' }),
    );
    const ok = { iss: 'https://id.example', aud: 'app' };
    await expect(verifier.verify(await tokenFrom(keyA, ok))).resolves.toEqual({ userId: 'user-1' });
    const now = Math.floor(Date.now() / 1000);
    await expectAuthError(
      verifier.verify(await tokenFrom(keyA, { ...ok, exp: now - 100 })),
      'The token has expired.',
    );
    await expectAuthError(
      verifier.verify(await tokenFrom(keyA, { ...ok, nbf: now + 100 })),
      'The token is not valid yet.',
    );
    await expectAuthError(
      verifier.verify(await tokenFrom(keyA, { ...ok, iss: 'https://evil.example' })),
      'The token was issued by an unexpected issuer.',
    );
    await expectAuthError(
      verifier.verify(await tokenFrom(keyA, { ...ok, aud: 'another' })),
      'The token is meant for another audience.',
    );
  });
});
