import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVENTS_HTTP_PATH } from '../../src-shared/contract/events';
import { startBackend, type Backend } from '../../src-main/backend';
import { createHttpServer } from '../../src-main/http/server';
import { createTestStore, type TestStoreHandle } from '../support/stores';

describe('the server-sent event stream', () => {
  let handle: TestStoreHandle;
  let backend: Backend;
  let app: Awaited<ReturnType<typeof createHttpServer>>;
  let base: string;
  let token: string;

  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    backend = await startBackend(handle.settings);
    app = await createHttpServer(backend);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    token = await backend.issueLocalToken('watcher', 600);
    await backend.places.insertPlaces([{ place_id: 'e-1', name: 'Event One' }]);
  });
  afterAll(async () => {
    await backend.close();
    await handle.dispose();
  });

  test('refuses a missing token with 401 in the error format', async () => {
    const res = await fetch(base + EVENTS_HTTP_PATH);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', type: 'unauthorized' });
  });

  test('pushes placesChanged after an update, and ends when the server closes', async () => {
    const res = await fetch(base + EVENTS_HTTP_PATH, {
      headers: { authorization: `Bearer ${token}` },
    });
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
