import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../backend';
import { loadSettings } from '../config';
import { createLogger } from '../logger';
import { createInvokeHandler, createSetTokenHandler, type IpcSender } from './ipc-bridge';
import { createLocalSessionToken, createSignedInSessionToken } from './session-token';
import { createTokenStore, type SecretEncryption } from './token-store';

/**
 * The IPC bridge against the real backend on a real SQLite file: what a frame can and cannot
 * make the store do, and which user the writes are recorded under.
 */

const app: IpcSender = { url: 'app://renderer/index.html', isMainFrame: true };
const subFrame: IpcSender = { url: 'app://renderer/index.html', isMainFrame: false };
const navigatedAway: IpcSender = { url: 'https://evil.example/', isMainFrame: true };
const goneFrame: IpcSender = { url: undefined, isMainFrame: true };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'staging-editor-ipc-'));
  dirs.push(dir);
  return dir;
}
const silent = createLogger('silent');

function statusesIn(backend: Backend): { status: string; updated_by: string | null }[] {
  if (backend.store.kind !== 'sqlite') throw new Error('these tests use SQLite');
  return backend.store.sqlite
    .prepare('SELECT status, updated_by FROM places_staging ORDER BY place_id')
    .all() as { status: string; updated_by: string | null }[];
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('single-user mode: main signs the token for the OS user', () => {
  let backend: Backend;
  let closing = false;
  let invoke: ReturnType<typeof createInvokeHandler>;

  beforeAll(async () => {
    backend = await startBackend(loadSettings({ STAGING_EDITOR_DATA_DIR: tempDir() }), {
      logger: silent,
    });
    expect(backend.authMode).toBe('local');
    invoke = createInvokeHandler({
      dispatch: backend.dispatch,
      sessionToken: createLocalSessionToken({
        issue: (sub, ttl) => backend.issueLocalToken(sub, ttl),
        sub: 'maria',
      }),
      isClosing: () => closing,
      logger: silent,
    });
  });
  afterAll(() => backend.close());

  it('lets the app window load sample data and decide, recorded under the OS user', async () => {
    const loaded = await invoke(app, 'loadSampleData', { count: 3, seed: 7 });
    expect(loaded).toMatchObject({ ok: true, value: { inserted: 3 } });
    const list = await invoke(app, 'listPlaces', { size: 10 });
    if (!list.ok) throw new Error(list.error.detail);
    const ids = (list.value as { items: { place_id: string }[] }).items.map((p) => p.place_id);
    const updated = await invoke(app, 'updateStatus', { place_ids: ids, status: 'Maybe' });
    expect(updated).toMatchObject({ ok: true, value: { updated_count: 3 } });
    expect(statusesIn(backend)).toEqual(ids.map(() => ({ status: 'Maybe', updated_by: 'maria' })));
  });

  it('refuses a sub-frame, a navigated-away page and a vanished frame: the store is untouched', async () => {
    const before = statusesIn(backend);
    for (const sender of [subFrame, navigatedAway, goneFrame]) {
      const result = await invoke(sender, 'updateStatus', {
        filter: {},
        status: 'Archived',
      });
      expect(result).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
      expect(await invoke(sender, 'loadSampleData', { count: 50 })).toMatchObject({ ok: false });
    }
    expect(statusesIn(backend)).toEqual(before);
  });

  it('refuses names outside the contract, including ones inherited from Object', async () => {
    for (const name of ['dropEverything', '__proto__', 'constructor', 'toString', 7, null]) {
      const result = await invoke(app, name, {});
      expect(result, String(name)).toMatchObject({ ok: false, error: { type: 'not_found' } });
    }
  });

  it('passes bad input to the dispatcher, which answers with the one error format', async () => {
    const result = await invoke(app, 'updateStatus', { place_ids: [], status: 'Shortlisted' });
    expect(result).toMatchObject({
      ok: false,
      error: { status: 'error', type: 'validation_error' },
    });
  });

  it('answers "closing" once shutdown has begun, and changes nothing', async () => {
    const before = statusesIn(backend);
    closing = true;
    try {
      const result = await invoke(app, 'updateStatus', { filter: {}, status: 'New' });
      expect(result).toMatchObject({ ok: false, error: { type: 'unavailable' } });
    } finally {
      closing = false;
    }
    expect(statusesIn(backend)).toEqual(before);
  });

  it('has no token to set', async () => {
    const setToken = createSetTokenHandler({ sessionToken: null, logger: silent });
    expect(await setToken(app, 'a.b.c')).toMatchObject({
      ok: false,
      error: { type: 'bad_request', detail: expect.stringMatching(/Single-user mode/) },
    });
  });
});

describe('signed-in mode (JWT_SECRET): the token comes from the sign-in screen', () => {
  const secret = 'a-test-secret-that-is-at-least-32-bytes-long!';
  let backend: Backend;
  let invoke: ReturnType<typeof createInvokeHandler>;
  let setToken: ReturnType<typeof createSetTokenHandler>;
  let dataDir: string;

  const keychain: SecretEncryption = {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (plain) => Buffer.from(plain).reverse(),
    decryptStringAsync: async (data) => ({
      result: Buffer.from(data).reverse().toString(),
      shouldReEncrypt: false,
    }),
  };

  const tokenFor = (sub: string, expiresIn = '1h') =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setExpirationTime(expiresIn)
      .sign(new TextEncoder().encode(secret));

  beforeAll(async () => {
    dataDir = tempDir();
    backend = await startBackend(
      loadSettings({ STAGING_EDITOR_DATA_DIR: dataDir, JWT_SECRET: secret }),
      { logger: silent },
    );
    expect(backend.authMode).toBe('hs256');
    const sessionToken = createSignedInSessionToken(
      createTokenStore({ filePath: join(dataDir, 'token.bin'), encryption: keychain }),
      undefined,
    );
    invoke = createInvokeHandler({
      dispatch: backend.dispatch,
      sessionToken,
      isClosing: () => false,
      logger: silent,
    });
    setToken = createSetTokenHandler({ sessionToken, logger: silent });
  });
  afterAll(() => backend.close());

  it('answers unauthorized before sign-in, and works after it, as the signed-in user', async () => {
    expect(await invoke(app, 'placesSummary', {})).toMatchObject({
      ok: false,
      error: { type: 'unauthorized' },
    });
    expect(await setToken(app, await tokenFor('lee@example.com'))).toEqual({ ok: true });
    expect(await invoke(app, 'loadSampleData', { count: 2, seed: 3 })).toMatchObject({ ok: true });
    expect(await invoke(app, 'updateStatus', { filter: {}, status: 'Selected' })).toMatchObject({
      ok: true,
      value: { updated_count: 2 },
    });
    expect(statusesIn(backend).map((row) => row.updated_by)).toEqual([
      'lee@example.com',
      'lee@example.com',
    ]);
  });

  it('lets only the app window set the token', async () => {
    const intruder = await tokenFor('intruder');
    for (const sender of [subFrame, navigatedAway, goneFrame]) {
      expect(await setToken(sender, intruder)).toMatchObject({
        ok: false,
        error: { type: 'unauthorized' },
      });
    }
    await invoke(app, 'updateStatus', { filter: {}, status: 'Maybe' });
    expect(statusesIn(backend).every((row) => row.updated_by === 'lee@example.com')).toBe(true);
  });

  it('refuses a value that is not a token, with a sentence, and keeps the session', async () => {
    for (const bad of ['hello', 42, { token: 'x' }]) {
      const result = await setToken(app, bad);
      expect(result).toMatchObject({ ok: false });
      if (!result.ok) expect(result.error.detail).toMatch(/\.$/);
    }
    expect(await invoke(app, 'placesSummary', {})).toMatchObject({ ok: true });
  });

  it('signs out with an empty token', async () => {
    expect(await setToken(app, '')).toEqual({ ok: true });
    expect(await invoke(app, 'placesSummary', {})).toMatchObject({
      ok: false,
      error: { type: 'unauthorized' },
    });
  });
});
