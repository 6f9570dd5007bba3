import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isErrorBody, type ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { sign } from '../../src-main/auth/test-support';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const SECRET = 'a-search-test-secret-that-is-long-enough-0123456789';
const secretKey = new TextEncoder().encode(SECRET);
const token = () => sign(secretKey, 'HS256', { sub: 'reviewer-1' });
const PLACES = ['Blue Oak Bakery', 'Oak Street Cafe', 'Harbor Books'];

describe.each(STORE_KINDS)('odd searches on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let backend: Backend;
  const transports: Transport[] = [];

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    backend = await startBackend(loadSettings({ ...handle.env, JWT_SECRET: SECRET }), {
      scheduler: false,
    });
    transports.push(dispatcherTransport(backend), await httpTransport(backend));
    await backend.places.insertPlaces(PLACES.map((name, i) => ({ place_id: `s-${i}`, name })));
  });
  afterAll(async () => {
    for (const t of transports) await t.close();
    await backend.close();
    await handle.dispose();
  });

  for (const transportName of ['dispatcher', 'http'] as const) {
    const transport = () => transports.find((t) => t.name === transportName)!;

    test(`a search of 5,000 characters via ${transportName}: 422 naming the field, nothing changed`, async () => {
      const long = 'blue oak '.repeat(556).slice(0, 5000);
      const before = await readPlaces(store);
      for (const [op, input, field] of [
        ['listPlaces', { q: long }, 'q'],
        ['updateStatus', { filter: { q: long }, status: 'Archived' }, 'filter.q'],
      ] as const) {
        const reply = await transport().call(op, input, await token());
        expect(reply.status, JSON.stringify(reply.body)).toBe(422);
        expect(isErrorBody(reply.body)).toBe(true);
        const body = reply.body as ErrorBody;
        expect(body.type).toBe('validation_error');
        expect(body.issues?.map((i) => i.path)).toContain(field);
        expect(body.detail).toMatch(/at most 200 characters/);
      }
      expect(await readPlaces(store)).toEqual(before);
    });

    test(`wildcards, quotes and backslashes via ${transportName} match themselves only`, async () => {
      const before = await readPlaces(store);
      for (const q of ['%', '_', '\\', "'", '%%', 'oak%', '_ak', '"%"', "'; DROP TABLE x; --"]) {
        const list = await transport().call('listPlaces', { q }, await token());
        expect(list.status, q).toBe(200);
        expect((list.body as { total: number }).total, q).toBe(0);
        const update = await transport().call(
          'updateStatus',
          { filter: { q }, status: 'Archived' },
          await token(),
        );
        expect(update.status, q).toBe(200);
        expect((update.body as { updated_count: number }).updated_count, q).toBe(0);
      }
      expect(await readPlaces(store)).toEqual(before);
    });

    test(`a search of only quotes, commas and spaces via ${transportName} filters nothing`, async () => {
      for (const q of ['""', '" , "', ' , ']) {
        const list = await transport().call('listPlaces', { q }, await token());
        expect(list.status, q).toBe(200);
        expect((list.body as { total: number }).total, q).toBe(q === '" , "' ? 0 : PLACES.length);
      }
    });
  }
});
