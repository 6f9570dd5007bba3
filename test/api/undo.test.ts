import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { contract } from '../../src-shared/contract';
import { UNDO_WINDOW_SECONDS } from '../../src-shared/domain';
import { isErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { sign } from '../../src-main/auth/test-support';
import { readPlaces, setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import {
  dispatcherTransport,
  httpRequestFor,
  httpTransport,
  type Reply,
  type Transport,
} from '../support/transports';

/**
 * Undo of a status update (`POST /api/v3/places/staging/status/undo` with the update's
 * `undo_token`), through the dispatcher (as IPC calls it) and through real HTTP, on both stores.
 * The outcome is read from the database each time.
 */
const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const secretKey = new TextEncoder().encode(SECRET);
const tokenOf = (sub: string) => sign(secretKey, 'HS256', { sub });

describe.each(STORE_KINDS)('undo of a status update on %s', (kind) => {
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
  });
  afterAll(async () => {
    for (const t of transports.splice(0)) await t.close();
    await backend.close();
    await handle.dispose();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // Fresh places for each test (distinct ids): two new ones and one whose scan failed.
  let ids: string[];
  let n = 0;
  beforeEach(async () => {
    ids = ['a', 'b', 'c'].map((suffix) => `undo-${n}-${suffix}`);
    n++;
    await backend.places.insertPlaces(ids.map((id) => ({ place_id: id, name: `Place ${id}` })));
    await setScanState(store, ids[2]!, {
      deep_scan_status: 'Error',
      deep_scan_error: 'Places API: HTTP 404',
      deep_scan_attempts: 1,
    });
  });

  const via = (name: Transport['name']) => transports.find((t) => t.name === name)!;
  const selectAs = async (transport: Transport, sub: string): Promise<string> => {
    const reply = await transport.call(
      'updateStatus',
      { place_ids: ids, status: 'Selected' },
      await tokenOf(sub),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const body = contract.updateStatus.output.parse(reply.body);
    expect(body.updated_count).toBe(3);
    expect(body.undo_token).toEqual(expect.any(String));
    return body.undo_token!;
  };
  const undoAs = async (transport: Transport, sub: string, undoToken: string): Promise<Reply> =>
    transport.call('undoStatusUpdate', { undo_token: undoToken }, await tokenOf(sub));
  const expectConflict = (reply: Reply) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(409);
    expect(isErrorBody(reply.body)).toBe(true);
    expect(reply.body).toMatchObject({ status: 'error', type: 'conflict' });
  };
  const selectedState = () =>
    ids.map(() => ({ status: 'Selected', deep_scan_status: 'Queued', updated_by: 'rev-a' }));
  const stateOf = async () =>
    [...(await readPlaces(store, ids)).values()].map(
      ({ status, deep_scan_status, updated_by }) => ({ status, deep_scan_status, updated_by }),
    );

  test('the route is POST /api/v3/places/staging/status/undo with the token in the body', () => {
    expect(httpRequestFor('undoStatusUpdate', { undo_token: 't-1' })).toEqual({
      method: 'POST',
      path: '/api/v3/places/staging/status/undo',
      body: JSON.stringify({ undo_token: 't-1' }),
    });
  });

  for (const name of ['dispatcher', 'http'] as const) {
    test(`via ${name}: puts every row back as it was, once; a second undo is a 409`, async () => {
      const before = await readPlaces(store, ids);
      const undoToken = await selectAs(via(name), 'rev-a');
      expect(await stateOf()).toEqual(selectedState());

      const reply = await undoAs(via(name), 'rev-a', undoToken);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(contract.undoStatusUpdate.output.parse(reply.body)).toEqual({
        message: 'Undone: 3 places restored',
        restored_count: 3,
        skipped_count: 0,
      });
      // Status, scan state, error text, attempts, updated_at and updated_by: all as before.
      expect(await readPlaces(store, ids)).toEqual(before);

      expectConflict(await undoAs(via(name), 'rev-a', undoToken));
      expect(await readPlaces(store, ids)).toEqual(before);
    });

    test(`via ${name}: another reviewer's token is refused and changes nothing`, async () => {
      const undoToken = await selectAs(via(name), 'rev-a');
      const after = await readPlaces(store, ids);

      expectConflict(await undoAs(via(name), 'rev-b', undoToken));
      expect(await readPlaces(store, ids)).toEqual(after);

      // The refusal did not use the undo up: its owner can still undo.
      const reply = await undoAs(via(name), 'rev-a', undoToken);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(contract.undoStatusUpdate.output.parse(reply.body).restored_count).toBe(3);
    });

    test(`via ${name}: after the ${UNDO_WINDOW_SECONDS} s window the undo is refused`, async () => {
      // The server reads the time through Date (startBackend takes no clock): fake Date only,
      // in this process, where both the dispatcher and the HTTP server run. Timers stay real.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const undoToken = await selectAs(via(name), 'rev-a');
      const after = await readPlaces(store, ids);

      vi.setSystemTime(Date.now() + (UNDO_WINDOW_SECONDS + 1) * 1000);
      expectConflict(await undoAs(via(name), 'rev-a', undoToken));
      expect(await readPlaces(store, ids)).toEqual(after);
      expect(await stateOf()).toEqual(selectedState());
    });

    test(`via ${name}: just inside the window the undo still works`, async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const before = await readPlaces(store, ids);
      const undoToken = await selectAs(via(name), 'rev-a');

      vi.setSystemTime(Date.now() + (UNDO_WINDOW_SECONDS - 1) * 1000);
      const reply = await undoAs(via(name), 'rev-a', undoToken);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(await readPlaces(store, ids)).toEqual(before);
    });

    test(`via ${name}: no token is a 401, an unknown undo token a 409, an empty one a 422`, async () => {
      const undoToken = await selectAs(via(name), 'rev-a');
      const after = await readPlaces(store, ids);

      const anonymous = await via(name).call(
        'undoStatusUpdate',
        { undo_token: undoToken },
        undefined,
      );
      expect(anonymous.status).toBe(401);
      expectConflict(await undoAs(via(name), 'rev-a', 'not-a-real-undo-token'));
      const empty = await via(name).call(
        'undoStatusUpdate',
        { undo_token: '' },
        await tokenOf('rev-a'),
      );
      expect(empty.status).toBe(422);
      expect(empty.body).toMatchObject({ type: 'validation_error' });
      expect(await readPlaces(store, ids)).toEqual(after);
    });
  }
});
