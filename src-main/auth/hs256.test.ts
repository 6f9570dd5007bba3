import { afterAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './index';
import { CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_LENGTH } from './verify';
import {
  base64urlJson,
  expectAuthError,
  nowSeconds,
  removeTempDirs,
  settingsFor,
  sign,
  unsignedToken,
} from './test-support';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long!';
const key = new TextEncoder().encode(SECRET);

afterAll(removeTempDirs);

describe('HS256 verifier (JWT_SECRET)', () => {
  const plain = () => createTokenVerifier(settingsFor({ JWT_SECRET: SECRET }));

  it('accepts a valid token and returns its sub', async () => {
    const verifier = await plain();
    expect(verifier.mode).toBe('hs256');
    await expect(verifier.verify(await sign(key, 'HS256'))).resolves.toEqual({ userId: 'user-1' });
  });

  it('refuses a missing token', async () => {
    const verifier = await plain();
    await expectAuthError(verifier.verify(undefined), 'No token: sign in first.');
    await expectAuthError(verifier.verify(''), 'No token: sign in first.');
  });

  it('refuses an expired token, with 30 s of clock tolerance', async () => {
    expect(CLOCK_TOLERANCE_SECONDS).toBeLessThanOrEqual(60);
    const verifier = await plain();
    const expired = await sign(key, 'HS256', { exp: nowSeconds() - 120 });
    await expectAuthError(verifier.verify(expired), 'The token has expired.', { token: expired });
    const justExpired = await sign(key, 'HS256', { exp: nowSeconds() - 10 });
    await expect(verifier.verify(justExpired)).resolves.toEqual({ userId: 'user-1' });
    const beyondTolerance = await sign(key, 'HS256', { exp: nowSeconds() - 45 });
    await expectAuthError(verifier.verify(beyondTolerance), 'The token has expired.');
  });

  it('refuses a token whose nbf is in the future', async () => {
    const verifier = await plain();
    const early = await sign(key, 'HS256', { nbf: nowSeconds() + 300 });
    await expectAuthError(verifier.verify(early), 'The token is not valid yet.', { token: early });
    const withinTolerance = await sign(key, 'HS256', { nbf: nowSeconds() + 10 });
    await expect(verifier.verify(withinTolerance)).resolves.toEqual({ userId: 'user-1' });
  });

  it('refuses a bad signature (another secret, or a tampered payload)', async () => {
    const verifier = await plain();
    const other = await sign(new TextEncoder().encode(`${SECRET}-other`), 'HS256');
    await expectAuthError(verifier.verify(other), "The token's signature is invalid.", {
      token: other,
    });
    const [header, , signature] = (await sign(key, 'HS256')).split('.');
    const forged = `${header}.${base64urlJson({ sub: 'admin', exp: nowSeconds() + 3600 })}.${signature}`;
    await expectAuthError(verifier.verify(forged), "The token's signature is invalid.");
  });

  it('refuses alg none and other HMAC algorithms', async () => {
    const verifier = await plain();
    const none = unsignedToken();
    await expectAuthError(verifier.verify(none), "The token's signing algorithm is not accepted.", {
      token: none,
    });
    const hs512 = await sign(key, 'HS512');
    await expectAuthError(verifier.verify(hs512), "The token's signing algorithm is not accepted.");
  });

  it('requires sub: present, a non-empty string, at most 255 characters', async () => {
    const verifier = await plain();
    const noSub = await sign(key, 'HS256', { sub: null });
    await expectAuthError(verifier.verify(noSub), 'The token names no user (sub).');
    for (const sub of ['', '   ', 42, ['a']]) {
      const token = await sign(key, 'HS256', { sub });
      await expectAuthError(verifier.verify(token), 'The token names no user (sub).');
    }
    const long = await sign(key, 'HS256', { sub: 'u'.repeat(256) });
    await expectAuthError(verifier.verify(long), "The token's user id (sub) is too long.");
    const max = await sign(key, 'HS256', { sub: 'u'.repeat(255) });
    await expect(verifier.verify(max)).resolves.toEqual({ userId: 'u'.repeat(255) });
  });

  it('requires exp', async () => {
    const verifier = await plain();
    const noExp = await sign(key, 'HS256', { exp: null });
    await expectAuthError(verifier.verify(noExp), 'The token has no expiry time (exp).');
    const badExp = await sign(key, 'HS256', { exp: 'tomorrow' });
    await expectAuthError(verifier.verify(badExp), 'The token has an invalid claim (exp).');
  });

  it('checks JWT_ISSUER and JWT_AUDIENCE when set', async () => {
    const verifier = await createTokenVerifier(
      settingsFor({
        JWT_SECRET: SECRET,
        JWT_ISSUER: 'https://id.example',
        JWT_AUDIENCE: 'staging',
      }),
    );
    const good = await sign(key, 'HS256', { iss: 'https://id.example', aud: 'staging' });
    await expect(verifier.verify(good)).resolves.toEqual({ userId: 'user-1' });
    const inList = await sign(key, 'HS256', { iss: 'https://id.example', aud: ['x', 'staging'] });
    await expect(verifier.verify(inList)).resolves.toEqual({ userId: 'user-1' });

    const wrongIss = await sign(key, 'HS256', { iss: 'https://evil.example', aud: 'staging' });
    await expectAuthError(
      verifier.verify(wrongIss),
      'The token was issued by an unexpected issuer.',
    );
    const noIss = await sign(key, 'HS256', { aud: 'staging' });
    await expectAuthError(verifier.verify(noIss), 'The token names no issuer (iss).');
    const wrongAud = await sign(key, 'HS256', { iss: 'https://id.example', aud: 'other-app' });
    await expectAuthError(verifier.verify(wrongAud), 'The token is meant for another audience.');
    const noAud = await sign(key, 'HS256', { iss: 'https://id.example' });
    await expectAuthError(verifier.verify(noAud), 'The token names no audience (aud).');
  });

  it('ignores iss and aud when JWT_ISSUER and JWT_AUDIENCE are unset', async () => {
    const verifier = await plain();
    const token = await sign(key, 'HS256', { iss: 'anyone', aud: 'anything' });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'user-1' });
  });

  it.each([
    'garbage',
    'a.b',
    'a.b.c.d',
    '...',
    'not a token at all',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0',
    `${base64urlJson({ alg: 'HS256' })}.not-json.c2ln`,
    `${base64urlJson('just a string')}.${base64urlJson({ sub: 'x' })}.c2ln`,
    'ÿÿÿ.ÿÿÿ.ÿÿÿ',
    'Bearer abc.def.ghi',
  ])('refuses the garbage string %j', async (garbage) => {
    const verifier = await plain();
    // A payload is only decoded after its signature checked out, hence the second sentence.
    await expectAuthError(
      verifier.verify(garbage),
      /^The token(?:'s signature)? is (malformed|invalid)\.$/,
      {
        token: garbage,
      },
    );
  });

  it('refuses a non-string token', async () => {
    const verifier = await plain();
    await expectAuthError(verifier.verify(42 as unknown as string), 'The token is malformed.');
  });

  it('refuses a token over 8 KiB before parsing it, even when correctly signed', async () => {
    const verifier = await plain();
    const big = await sign(key, 'HS256', { pad: 'x'.repeat(MAX_TOKEN_LENGTH) });
    expect(big.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    await expectAuthError(verifier.verify(big), 'The token is too long.', { token: big });
    // Not parsed: a long string that isn't a JWT at all gets the same answer, not "malformed".
    await expectAuthError(
      verifier.verify('%'.repeat(MAX_TOKEN_LENGTH + 1)),
      'The token is too long.',
    );
    // Just under the limit is still verified normally.
    const fits = await sign(key, 'HS256', { pad: 'x'.repeat(5800) });
    expect(fits.length).toBeGreaterThan(7500);
    expect(fits.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    await expect(verifier.verify(fits)).resolves.toEqual({ userId: 'user-1' });
  });

  it('never puts the token or the secret in the error', async () => {
    const verifier = await plain();
    const token = await sign(key, 'HS256', { exp: nowSeconds() - 3600, sub: 'someone' });
    const error = await expectAuthError(verifier.verify(token), 'The token has expired.', {
      token,
    });
    const serialised = JSON.stringify(error.toBody());
    expect(serialised).not.toContain(SECRET);
    expect(serialised).not.toContain('someone');
  });
});
