import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOCAL_TOKEN_TTL_SECONDS,
  createLocalSessionToken,
  createSignedInSessionToken,
  desktopUserName,
} from './session-token';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createTokenStore,
  sessionOnlyNotice,
  type SecretEncryption,
  type TokenStore,
} from './token-store';

describe('the single-user token main signs for itself', () => {
  function setup() {
    let clock = 1_000_000;
    const issued: { sub: string; ttl: number }[] = [];
    const token = createLocalSessionToken({
      issue: async (sub, ttl) => {
        issued.push({ sub, ttl });
        return `token-${issued.length}`;
      },
      sub: 'maria',
      now: () => clock,
    });
    return { token, issued, advance: (ms: number) => (clock += ms) };
  }

  it('is signed once for the OS user and reused', async () => {
    const { token, issued } = setup();
    expect(await token.current()).toBe('token-1');
    expect(await token.current()).toBe('token-1');
    expect(issued).toEqual([{ sub: 'maria', ttl: LOCAL_TOKEN_TTL_SECONDS }]);
  });

  it('is signed once for calls that arrive together', async () => {
    const { token, issued } = setup();
    const all = await Promise.all([token.current(), token.current(), token.current()]);
    expect(all).toEqual(['token-1', 'token-1', 'token-1']);
    expect(issued).toHaveLength(1);
  });

  it('is renewed before it expires, so a long session never sees a 401', async () => {
    const { token, advance } = setup();
    await token.current();
    advance((LOCAL_TOKEN_TTL_SECONDS - 11 * 60) * 1000);
    expect(await token.current()).toBe('token-1');
    advance(2 * 60 * 1000);
    expect(await token.current()).toBe('token-2');
  });

  it('tries again after a failed signing', async () => {
    let fail = true;
    const token = createLocalSessionToken({
      issue: async () => {
        if (fail) throw new Error('disk full');
        return 'ok';
      },
      sub: 'maria',
    });
    await expect(token.current()).rejects.toThrow('disk full');
    fail = false;
    await expect(token.current()).resolves.toBe('ok');
  });
});

describe('the token from the sign-in screen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'staging-editor-session-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const encryption: SecretEncryption = {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (plain) => Buffer.from(plain).reverse(),
    decryptStringAsync: async (data) => ({
      result: Buffer.from(data).reverse().toString(),
      shouldReEncrypt: false,
    }),
  };

  it('is kept in memory and on disk, survives a restart, and is forgotten on sign-out', async () => {
    const filePath = join(dir, 'token.bin');
    const store = createTokenStore({ filePath, encryption, platform: 'win32' });
    const session = createSignedInSessionToken(store, undefined);
    expect(await session.current()).toBeUndefined();
    await session.set('aaa.bbb.ccc');
    expect(await session.current()).toBe('aaa.bbb.ccc');

    const afterRestart = createSignedInSessionToken(store, await store.load());
    expect(await afterRestart.current()).toBe('aaa.bbb.ccc');

    await afterRestart.set('');
    expect(await afterRestart.current()).toBeUndefined();
    expect(await store.load()).toBeUndefined();
  });

  it('keeps the previous token when the new one is refused', async () => {
    const store = createTokenStore({
      filePath: join(dir, 't2.bin'),
      encryption,
      platform: 'win32',
    });
    const session = createSignedInSessionToken(store, 'aaa.bbb.ccc');
    await expect(session.set('not a token')).rejects.toThrow(/not a token/);
    expect(await session.current()).toBe('aaa.bbb.ccc');
  });
});

describe('the token on a system without a keyring', () => {
  const dir = mkdtempSync(join(tmpdir(), 'staging-editor-nokeyring-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYXJpYSJ9.c2lnbmF0dXJl';
  const refuseToEncrypt = () => {
    throw new Error('must not be asked to encrypt');
  };
  const linuxWithoutKeyring = (backend: string, available: boolean): SecretEncryption => ({
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: refuseToEncrypt,
    decryptStringAsync: refuseToEncrypt,
    getSelectedStorageBackend: () => backend as never,
  });

  function setup(encryption: SecretEncryption, name: string) {
    const filePath = join(dir, `${name}.bin`);
    const store: TokenStore = createTokenStore({ filePath, encryption, platform: 'linux' });
    let told = 0;
    const session = createSignedInSessionToken(store, undefined, { onSessionOnly: () => told++ });
    return { session, filePath, told: () => told };
  }

  it.each([
    ['basic_text', true],
    ['gnome_libsecret', false],
  ])(
    'keeps it in memory for the session, writes nothing, and says so once (%s, available: %s)',
    async (backend, available) => {
      const { session, told } = setup(linuxWithoutKeyring(backend, available), backend);
      await session.set(TOKEN);
      expect(await session.current()).toBe(TOKEN);
      expect(told()).toBe(1);
      await session.set(TOKEN.replace('maria', 'bWFyaWEy'));
      expect(told()).toBe(1);
      for (const file of readdirSync(dir)) {
        expect(readFileSync(join(dir, file), 'latin1')).not.toContain('eyJ');
      }
      expect(readdirSync(dir).filter((f) => f.startsWith(backend))).toEqual([]);
    },
  );

  it('still refuses what is not a token, and forgets the token on sign-out', async () => {
    const { session, told } = setup(linuxWithoutKeyring('basic_text', true), 'refuse');
    await expect(session.set('not a token')).rejects.toThrow(/not a token/);
    expect(told()).toBe(0);
    await session.set(TOKEN);
    await session.set('');
    expect(await session.current()).toBeUndefined();
  });

  it('removes a token saved under a keyring that has gone away', async () => {
    const { session, filePath } = setup(linuxWithoutKeyring('basic_text', true), 'stale');
    writeFileSync(filePath, 'encrypted by a keyring that is gone');
    await session.set(TOKEN);
    expect(readdirSync(dir)).not.toContain('stale.bin');
  });

  it('tells the user it lasts until the app quits and how to keep it next time', () => {
    expect(sessionOnlyNotice('linux')).toMatch(
      /until Staging Editor quits.*never written.*Keyring/,
    );
    expect(sessionOnlyNotice('win32')).toMatch(/sign in again next time/);
  });
});

describe("the OS user's name", () => {
  it('comes from the OS, else the environment, else a placeholder', () => {
    expect(desktopUserName(() => ({ username: 'maria' }), {})).toBe('maria');
    const noPasswd = () => {
      throw new Error('ENOENT: no passwd entry');
    };
    expect(desktopUserName(noPasswd, { USER: 'jo' })).toBe('jo');
    expect(desktopUserName(noPasswd, { USERNAME: 'WinUser' })).toBe('WinUser');
    expect(desktopUserName(noPasswd, {})).toBe('desktop-user');
  });
});
