import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, issueLocalToken } from './index';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalKey, localKeyPath } from './local-key';
import {
  FakeIdentityProvider,
  expectAuthError,
  removeTempDirs,
  settingsFor,
  sign,
  tempDataDir,
  unsignedToken,
} from './test-support';

afterAll(removeTempDirs);

const local = (dataDir = tempDataDir()) => settingsFor({}, dataDir);

describe('single-user mode (no JWT_* key setting)', () => {
  it('issues a token that the local verifier accepts', async () => {
    const settings = local();
    const token = await issueLocalToken(settings, { sub: 'reviewer@example.com', ttlSeconds: 900 });
    const verifier = await createTokenVerifier(settings);
    expect(verifier.mode).toBe('local');
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'reviewer@example.com' });

    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe('EdDSA');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      sub: 'reviewer@example.com',
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(LOCAL_ISSUER).toBe('staging-editor-local');
    expect(LOCAL_AUDIENCE).toBe('staging-editor');
  });

  it('creates the key file (and its folder) with mode 0600 and reuses it across instances', async () => {
    const dataDir = join(tempDataDir(), 'nested', 'data');
    const settings = local(dataDir);
    const first = await issueLocalToken(settings, { sub: 'u', ttlSeconds: 60 });
    const path = localKeyPath(dataDir);
    const content = readFileSync(path, 'utf8');
    const inode = statSync(path).ino;
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(content)).toMatchObject({ version: 1, alg: 'EdDSA' });

    // New verifier and a second issue: the same key, the file untouched.
    const verifier = await createTokenVerifier(settings);
    await expect(verifier.verify(first)).resolves.toEqual({ userId: 'u' });
    const second = await issueLocalToken(settings, { sub: 'v', ttlSeconds: 60 });
    await expect((await createTokenVerifier(settings)).verify(second)).resolves.toEqual({
      userId: 'v',
    });
    expect(decodeProtectedHeader(second).kid).toBe(decodeProtectedHeader(first).kid);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(statSync(path).ino).toBe(inode);
    expect(readdirSync(dataDir)).toEqual(['local-signing-key.json']); // no temp files left
  });

  it('another data folder means another key', async () => {
    const token = await issueLocalToken(local(), { sub: 'u', ttlSeconds: 60 });
    const verifier = await createTokenVerifier(local());
    await expectAuthError(verifier.verify(token), "The token's signature is invalid.");
  });

  it('tolerates concurrent creation: every caller ends up with the one stored key', async () => {
    const dataDir = tempDataDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateLocalKey(dataDir)));
    const stored = JSON.parse(readFileSync(localKeyPath(dataDir), 'utf8'));
    expect(new Set(keys.map((k) => k.kid))).toEqual(new Set([stored.kid]));
    expect(readdirSync(dataDir)).toEqual(['local-signing-key.json']);
  });

  it('tightens a key file that was left readable by others', async () => {
    if (process.platform === 'win32') return;
    const dataDir = tempDataDir();
    await loadOrCreateLocalKey(dataDir);
    const path = localKeyPath(dataDir);
    chmodSync(path, 0o644);
    await loadOrCreateLocalKey(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged key file with a clear message instead of replacing it', async () => {
    const dataDir = tempDataDir();
    writeFileSync(localKeyPath(dataDir), '{"version": 1, "alg": "EdDSA"}');
    await expect(issueLocalToken(local(dataDir), { sub: 'u', ttlSeconds: 60 })).rejects.toThrow(
      /local signing key file .* is damaged: delete it/,
    );
    await expect(createTokenVerifier(local(dataDir))).rejects.toThrow(/is damaged/);
    expect(readFileSync(localKeyPath(dataDir), 'utf8')).toBe('{"version": 1, "alg": "EdDSA"}');
  });

  it('checks the local issuer and audience, and accepts EdDSA only', async () => {
    const dataDir = tempDataDir();
    const { privateKey, kid } = await loadOrCreateLocalKey(dataDir);
    const verifier = await createTokenVerifier(local(dataDir));
    const base = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE };
    await expect(verifier.verify(await sign(privateKey, 'EdDSA', base, { kid }))).resolves.toEqual({
      userId: 'user-1',
    });
    await expectAuthError(
      verifier.verify(await sign(privateKey, 'EdDSA', { ...base, iss: 'someone-else' })),
      'The token was issued by an unexpected issuer.',
    );
    await expectAuthError(
      verifier.verify(await sign(privateKey, 'EdDSA', { aud: LOCAL_AUDIENCE })),
      'The token names no issuer (iss).',
    );
    await expectAuthError(
      verifier.verify(await sign(privateKey, 'EdDSA', { ...base, aud: 'other-app' })),
      'The token is meant for another audience.',
    );
    await expectAuthError(
      verifier.verify(await sign(privateKey, 'Ed25519', base)),
      "The token's signing algorithm is not accepted.",
    );
    const secret = new TextEncoder().encode('x'.repeat(32));
    await expectAuthError(
      verifier.verify(await sign(secret, 'HS256', base)),
      "The token's signing algorithm is not accepted.",
    );
    await expectAuthError(
      verifier.verify(unsignedToken(base)),
      "The token's signing algorithm is not accepted.",
    );
    const other = await generateKeyPair('EdDSA');
    await expectAuthError(
      verifier.verify(await sign(other.privateKey, 'EdDSA', base)),
      "The token's signature is invalid.",
    );
    await expectAuthError(
      verifier.verify(await sign(privateKey, 'EdDSA', { ...base, exp: 1000 })),
      'The token has expired.',
    );
    await expectAuthError(verifier.verify(undefined), 'No token: sign in first.');
  });

  it('refuses to issue in the other modes, before touching any key file', async () => {
    const idp = await new FakeIdentityProvider({ keys: [] }).start();
    try {
      const { publicKey } = await generateKeyPair('ES256', { extractable: true });
      const envs: Record<string, string>[] = [
        { JWT_SECRET: 'a-test-secret-that-is-at-least-32-bytes-long!' },
        { JWT_PUBLIC_KEY: await exportSPKI(publicKey) },
        { JWT_JWKS_URL: idp.url },
      ];
      for (const env of envs) {
        const dataDir = tempDataDir();
        await expect(
          issueLocalToken(settingsFor(env, dataDir), { sub: 'u', ttlSeconds: 60 }),
        ).rejects.toThrow(/only be issued in single-user mode/);
        expect(readdirSync(dataDir)).toEqual([]);
      }
    } finally {
      await idp.stop();
    }
  });

  it.each([
    [{ sub: '', ttlSeconds: 60 }, /user id \(sub\) must be a non-empty string/],
    [{ sub: '  ', ttlSeconds: 60 }, /user id \(sub\)/],
    [{ sub: 'x'.repeat(256), ttlSeconds: 60 }, /at most 255 characters/],
    [{ sub: 'u', ttlSeconds: 0 }, /lifetime must be a positive whole number/],
    [{ sub: 'u', ttlSeconds: -5 }, /lifetime/],
    [{ sub: 'u', ttlSeconds: 1.5 }, /lifetime/],
    [{ sub: 'u', ttlSeconds: Number.NaN }, /lifetime/],
  ])('refuses to issue for %j', async (input, message) => {
    await expect(issueLocalToken(local(), input)).rejects.toThrow(message);
  });
});
