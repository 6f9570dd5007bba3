import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OperationName } from '../../src-shared/contract';
import { isErrorBody, type ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { sign } from '../../src-main/auth/test-support';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const SECRET = 'a-nul-test-secret-that-is-long-enough-0123456789';
const secretKey = new TextEncoder().encode(SECRET);
const IDS = ['n-1', 'n-2', 'n-3'];
const NUL = '\u0000';

/** Every id and free-text input, each carrying a NUL, and the field the 422 must name. */
const cases: {
  name: string;
  op: OperationName;
  input: unknown;
  field: string;
  /** Fields with a fixed vocabulary say what they accept instead. */
  saysNul?: false;
}[] = [
  {
    name: 'a place id in place_ids',
    op: 'updateStatus',
    input: { place_ids: ['n-1', `n-2${NUL}`], status: 'Archived' },
    field: 'place_ids.1',
  },
  {
    name: 'the filter text',
    op: 'updateStatus',
    input: { filter: { q: `Place${NUL}` }, status: 'Archived' },
    field: 'filter.q',
  },
  {
    name: 'an excluded id',
    op: 'updateStatus',
    input: { filter: {}, exclude_ids: ['n-1', `${NUL}`], status: 'Archived' },
    field: 'exclude_ids.1',
  },
  { name: 'the list search', op: 'listPlaces', input: { q: `a${NUL}b` }, field: 'q' },
  {
    name: 'the list sort',
    op: 'listPlaces',
    input: { sort: `status${NUL}` },
    field: 'sort',
    saysNul: false,
  },
  { name: 'the path id', op: 'getPlace', input: { place_id: `n-1${NUL}` }, field: 'place_id' },
  {
    name: 'a place id to queue',
    op: 'queueDeepScan',
    input: { place_ids: [`n-3${NUL}x`] },
    field: 'place_ids.0',
  },
  {
    name: 'an imported place id',
    op: 'importPlaces',
    input: { places: [{ place_id: `i-1${NUL}`, business_name: 'Imported' }] },
    field: 'places.0.place_id',
  },
  {
    name: 'an imported name',
    op: 'importPlaces',
    input: { places: [{ place_id: 'i-2', business_name: `Im${NUL}ported` }] },
    field: 'places.0.business_name',
  },
  {
    name: 'the place an export continues after',
    op: 'exportPlaces',
    input: { after: `e-1${NUL}` },
    field: 'after',
  },
  {
    name: 'the undo token',
    op: 'undoStatusUpdate',
    input: { undo_token: `token${NUL}` },
    field: 'undo_token',
  },
];

describe.each(STORE_KINDS)('NUL characters on %s', (kind) => {
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
    await backend.places.insertPlaces(IDS.map((id) => ({ place_id: id, name: `Place ${id}` })));
  });
  afterAll(async () => {
    for (const t of transports) await t.close();
    await backend.close();
    await handle.dispose();
  });

  for (const c of cases) {
    for (const transportName of ['dispatcher', 'http'] as const) {
      test(`in ${c.name} via ${transportName}: 422 naming "${c.field}", nothing changed`, async () => {
        const transport = transports.find((t) => t.name === transportName)!;
        const before = await readPlaces(store);
        const reply = await transport.call(
          c.op,
          c.input,
          await sign(secretKey, 'HS256', { sub: 'reviewer-1' }),
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(422);
        expect(isErrorBody(reply.body)).toBe(true);
        const body = reply.body as ErrorBody;
        expect(body.type).toBe('validation_error');
        expect(body.issues?.map((i) => i.path)).toContain(c.field);
        expect(body.detail).toContain(`"${c.field}"`);
        if (c.saysNul !== false) expect(body.detail).toMatch(/must not contain NUL/);
        expect(await readPlaces(store)).toEqual(before);
      });
    }
  }

  test('a token whose user id (sub) has a NUL is refused with 401, nothing changed', async () => {
    const before = await readPlaces(store);
    const token = await sign(secretKey, 'HS256', { sub: `reviewer${NUL}1` });
    for (const transport of transports) {
      const reply = await transport.call(
        'updateStatus',
        { place_ids: IDS, status: 'Maybe' },
        token,
      );
      expect(reply.status, transport.name).toBe(401);
      expect((reply.body as ErrorBody).detail).toMatch(/NUL/);
    }
    expect(await readPlaces(store)).toEqual(before);
  });
});
