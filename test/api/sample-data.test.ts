import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { sign } from '../../src-main/auth/test-support';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { samplePlaceId } from '../../src-main/places/sample-data';
import { execRaw, failInsertOf, readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const SECRET = 'a-sample-data-test-secret-long-enough-0123456789';
const secretKey = new TextEncoder().encode(SECRET);
const teamToken = () => sign(secretKey, 'HS256', { sub: 'reviewer-1' });

describe.each(STORE_KINDS)('sample data on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  const backends: Backend[] = [];
  const transports: Transport[] = [];

  /** A backend on this test's store: team mode (a JWT secret) or single-user ('local'). */
  async function backend(mode: 'team' | 'local'): Promise<Backend> {
    const b = await startBackend(
      loadSettings({ ...handle.env, ...(mode === 'team' ? { JWT_SECRET: SECRET } : {}) }),
      { scheduler: false },
    );
    backends.push(b);
    return b;
  }
  const count = async () => (await readPlaces(store)).size;

  beforeEach(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
  });
  afterEach(async () => {
    for (const t of transports.splice(0)) await t.close();
    for (const b of backends.splice(0)) await b.close();
    await handle.dispose();
  });

  for (const transportName of ['dispatcher', 'http'] as const) {
    test(`team mode via ${transportName}: an empty store takes it, then 403 and nothing added`, async () => {
      const team = await backend('team');
      const transport =
        transportName === 'http' ? await httpTransport(team) : dispatcherTransport(team);
      transports.push(transport);
      const first = await transport.call(
        'loadSampleData',
        { count: 50, seed: 1 },
        await teamToken(),
      );
      expect(first).toMatchObject({ status: 201, body: { inserted: 50 } });
      expect(await count()).toBe(50);

      const second = await transport.call(
        'loadSampleData',
        { count: 50, seed: 2 },
        await teamToken(),
      );
      expect(second.status).toBe(403);
      const body = second.body as ErrorBody;
      expect(body).toMatchObject({ status: 'error', type: 'forbidden' });
      expect(body.detail).toMatch(/empty store or in single-user mode/);
      expect(await count()).toBe(50);
    });
  }

  test('single-user mode may add sample data to a store that has places', async () => {
    const local = await backend('local');
    await local.places.insertPlaces([{ place_id: 'mine-1', name: 'Mine' }]);
    const result = await local.dispatch(
      'loadSampleData',
      { count: 20, seed: 3 },
      await local.issueLocalToken('me', 60),
    );
    expect(result).toMatchObject({ ok: true, value: { inserted: 20 } });
    expect(await count()).toBe(21);
  });

  test('the load is one transaction: a failure on a late row leaves nothing behind', async () => {
    const team = await backend('team');
    await execRaw(store, failInsertOf(kind, samplePlaceId(4, 4500)));
    const result = await team.dispatch(
      'loadSampleData',
      { count: 5000, seed: 4 },
      await teamToken(),
    );
    expect(result).toMatchObject({ ok: false, error: { type: 'internal_error' } });
    expect(await count()).toBe(0);
  });

  test('two concurrent requests on an empty store: one inserts, the other gets 403', async () => {
    const [a, b] = [await backend('team'), await backend('team')];
    const http = [await httpTransport(a), await httpTransport(b)];
    transports.push(...http);
    const replies = await Promise.all(
      http.map(async (t, i) =>
        t.call('loadSampleData', { count: 5000, seed: 10 + i }, await teamToken()),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403]);
    expect(await count()).toBe(5000);
  });
});
