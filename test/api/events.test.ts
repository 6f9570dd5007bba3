import type { AddressInfo } from 'node:net';
import { decodeJwt, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVENTS_HTTP_PATH } from '../../src-shared/contract/events';
import { ERROR_TYPES, isErrorBody, type ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import {
  FakeIdentityProvider,
  nowSeconds,
  sign,
  unsignedToken,
} from '../../src-main/auth/test-support';
import { loadSettings } from '../../src-main/config';
import { createHttpServer } from '../../src-main/http/server';
import { createTestStore, type TestStoreHandle } from '../support/stores';

type App = Awaited<ReturnType<typeof createHttpServer>>;

async function listen(backend: Backend): Promise<{ app: App; base: string }> {
  const app = await createHttpServer(backend);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const openStream = (base: string, token: string | undefined) =>
  fetch(base + EVENTS_HTTP_PATH, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

/** What the dispatcher answers for the same token on an ordinary read. */
async function dispatcherAnswer(backend: Backend, token: string | undefined) {
  const result = await backend.dispatch('scanStatus', {}, token);
  if (result.ok) return { status: 200, body: null };
  return { status: ERROR_TYPES[result.error.type], body: result.error };
}

/** Reads the stream to its end; resolves when the server closes it. */
async function readToEnd(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

describe('the server-sent event stream', () => {
  let handle: TestStoreHandle;
  let backend: Backend;
  let app: App;
  let base: string;
  let token: string;

  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    backend = await startBackend(handle.settings);
    ({ app, base } = await listen(backend));
    token = await backend.issueLocalToken('watcher', 600);
    await backend.places.insertPlaces([{ place_id: 'e-1', name: 'Event One' }]);
  });
  afterAll(async () => {
    await app.close();
    await backend.close();
    await handle.dispose();
  });

  test('refuses a missing token with 401 in the error format', async () => {
    const res = await openStream(base, undefined);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', type: 'unauthorized' });
  });

  test('ends the stream when the token expires, so the client signs in again', async () => {
    const shortLived = await backend.issueLocalToken('watcher', 2);
    const expiresAt = decodeJwt(shortLived).exp!;
    const res = await openStream(base, shortLived);
    expect(res.status).toBe(200);
    const text = await readToEnd(res); // the server closes it; nothing else would
    expect(text).toContain(': connected');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000);
  }, 15_000);

  test('pushes placesChanged after an update, and ends when the server closes', async () => {
    const res = await openStream(base, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    await reader.read(); // ": connected"
    const update = await fetch(`${base}/api/v3/places/staging/status`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ place_ids: ['e-1'], status: 'Maybe' }),
    });
    expect(update.status).toBe(200);
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('event: placesChanged');
    expect(text).toContain('"place_ids":["e-1"]');

    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(3000);
    for (;;) if ((await reader.read()).done) break;
  });
});

describe('the event stream refuses every token the dispatcher refuses', () => {
  const SECRET = 'an-events-test-secret-that-is-long-enough-42';
  const ISSUER = 'https://id.example.test';
  const AUDIENCE = 'staging-editor';
  const secretKey = new TextEncoder().encode(SECRET);
  const good = (claims: Record<string, unknown> = {}) =>
    sign(secretKey, 'HS256', { iss: ISSUER, aud: AUDIENCE, sub: 'reviewer-1', ...claims });

  let handle: TestStoreHandle;
  let hs: Backend;
  let jwks: Backend;
  let servers: { app: App; base: string }[] = [];
  let idp: FakeIdentityProvider;

  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    hs = await startBackend(
      loadSettings({
        ...handle.env,
        JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    );
    // An identity provider that is down, and no key set ever fetched or cached on disk.
    idp = await new FakeIdentityProvider({ keys: [] }).start();
    const deadUrl = idp.url;
    await idp.stop();
    jwks = await startBackend(loadSettings({ ...handle.env, JWT_JWKS_URL: deadUrl }));
    servers = [await listen(hs), await listen(jwks)];
  });
  afterAll(async () => {
    for (const { app } of servers) await app.close();
    await hs.close();
    await jwks.close();
    await handle.dispose();
  });

  const cases: [string, () => Promise<string | undefined>, RegExp][] = [
    [
      'a forged token (another secret)',
      () => sign(new TextEncoder().encode(SECRET + 'x'), 'HS256', { iss: ISSUER, aud: AUDIENCE }),
      /signature/,
    ],
    ['an expired token', () => good({ exp: nowSeconds() - 120 }), /expired/],
    ['a wrong-audience token', () => good({ aud: 'someone-else' }), /audience/],
    ['a wrong-issuer token', () => good({ iss: 'https://evil.example' }), /issuer/],
    [
      'an unsigned token (alg none)',
      async () => unsignedToken({ iss: ISSUER, aud: AUDIENCE }),
      /algorithm|malformed/,
    ],
    ['garbage', async () => 'not.a.jwt', /malformed/],
  ];

  test.each(cases)('%s gets 401, as from the dispatcher', async (_name, make, detail) => {
    const tokenValue = await make();
    const res = await openStream(servers[0]!.base, tokenValue);
    expect(res.status).toBe(401);
    const body = (await res.json()) as ErrorBody;
    expect(isErrorBody(body)).toBe(true);
    expect(body.type).toBe('unauthorized');
    expect(body.detail).toMatch(detail);
    expect({ status: res.status, body }).toEqual(await dispatcherAnswer(hs, tokenValue));
  });

  test('a good token opens the stream', async () => {
    const res = await openStream(servers[0]!.base, await good());
    expect(res.status).toBe(200);
    await res.body!.cancel();
  });

  test('with the identity provider down and no cached keys, a forged token gets 503', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await sign(privateKey, 'RS256', { sub: 'mallory' }, { kid: 'any' });
    const res = await openStream(servers[1]!.base, forged);
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorBody;
    expect(body).toMatchObject({ status: 'error', type: 'unavailable' });
    expect(body.detail).toMatch(/identity provider/);
    expect({ status: res.status, body }).toEqual(await dispatcherAnswer(jwks, forged));
  });
});

describe('opening a stream on PostgreSQL', () => {
  let handle: TestStoreHandle;
  let backend: Backend;
  let server: { app: App; base: string };

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    backend = await startBackend(handle.settings, { scheduler: false });
    server = await listen(backend);
  });
  afterAll(async () => {
    await server.app.close();
    await backend.close();
    await handle.dispose();
  });

  test('reads nothing from the places table (no full-table count)', async () => {
    // Another session holds the table exclusively: any query on it would wait.
    const holder = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE places_staging IN ACCESS EXCLUSIVE MODE');
      const res = await openStream(server.base, await backend.issueLocalToken('watcher', 600));
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
      await reader.cancel();
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  }, 20_000);
});
