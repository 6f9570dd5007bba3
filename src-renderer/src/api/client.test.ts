import { describe, expect, it } from 'vitest';
import type { EventName, OperationName } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import type { StagingEditorBridge } from './bridge';
import { ApiClient } from './client';
import { createIpcTransport } from './ipc-transport';

const summary = {
  total: 1,
  by_status: { New: 1, Selected: 0, Maybe: 0, 'Not a Fit': 0, Archived: 0 },
  by_deep_scan_status: { none: 1, Queued: 0, Processing: 0, Completed: 0, Error: 0 },
};

/** A preload bridge played by a function, the way the Electron shell exposes it. */
function fakeBridge(answer: (name: OperationName, input: unknown) => unknown) {
  const listeners = new Map<EventName, (payload: unknown) => void>();
  const bridge: StagingEditorBridge = {
    invoke: async (name, input) =>
      answer(name, input) as Awaited<ReturnType<StagingEditorBridge['invoke']>>,
    on: (event, callback) => {
      listeners.set(event, callback);
      return () => listeners.delete(event);
    },
  };
  return { bridge, emit: (event: EventName, payload: unknown) => listeners.get(event)?.(payload) };
}

describe('the contract client over the preload bridge', () => {
  it('resolves to the operation output', async () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: summary }));
    const client = new ApiClient(createIpcTransport(bridge));
    await expect(client.call('placesSummary', {})).resolves.toEqual(summary);
  });

  it('an error result becomes an AppError with the same type and detail', async () => {
    const { bridge } = fakeBridge(() => ({
      ok: false,
      error: { status: 'error', type: 'validation_error', detail: 'status: must be one of ...' },
    }));
    const client = new ApiClient(createIpcTransport(bridge));
    const error = await client
      .call('updateStatus', { place_ids: ['a'], status: 'Selected' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ type: 'validation_error', detail: 'status: must be one of ...' });
  });

  it('a 401 tells the sign-in gate and still rejects the call', async () => {
    const { bridge } = fakeBridge(() => ({
      ok: false,
      error: { status: 'error', type: 'unauthorized', detail: 'expired' },
    }));
    const client = new ApiClient(createIpcTransport(bridge));
    const seen: string[] = [];
    client.onUnauthorized((error) => seen.push(error.detail));
    await expect(client.call('placesSummary', {})).rejects.toMatchObject({ type: 'unauthorized' });
    expect(seen).toEqual(['expired']);
  });

  it('an answer that does not match the contract is an error, not bad data', async () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: { total: 'many' } }));
    const client = new ApiClient(createIpcTransport(bridge));
    await expect(client.call('placesSummary', {})).rejects.toMatchObject({
      type: 'internal_error',
    });
  });

  it('events reach listeners only when their payload matches the contract', () => {
    const { bridge, emit } = fakeBridge(() => undefined);
    const client = new ApiClient(createIpcTransport(bridge));
    const received: unknown[] = [];
    const stop = client.on('placesChanged', (payload) => received.push(payload));
    emit('placesChanged', { place_ids: ['a'], reason: 'scan' });
    emit('placesChanged', { place_ids: 'a', reason: 'nonsense' });
    stop();
    emit('placesChanged', { place_ids: null, reason: 'status' });
    expect(received).toEqual([{ place_ids: ['a'], reason: 'scan' }]);
  });

  it('a stopped backend process counts as a lost connection until it is restored, then views re-read', () => {
    const { bridge, emit } = fakeBridge(() => undefined);
    const client = new ApiClient(createIpcTransport(bridge));
    const changes: (boolean | null)[] = [];
    let reconnects = 0;
    client.onConnectionChange(() => changes.push(client.connection()));
    client.onReconnect(() => reconnects++);
    expect(client.connection()).toBe(true);
    emit('backendStatus', { state: 'lost', detail: 'restarting' });
    expect(client.connection()).toBe(false);
    expect(reconnects).toBe(0);
    emit('backendStatus', { state: 'restored', detail: 'running' });
    expect(changes).toEqual([false, true]);
    expect(reconnects).toBe(1);
    emit('backendStatus', { state: 'failed', detail: 'gave up' });
    expect(client.connection()).toBe(false);
  });

  it('the banner hears what main said: restarting, then given up on; Try now is not offered', () => {
    const { bridge, emit } = fakeBridge(() => undefined);
    const client = new ApiClient(createIpcTransport(bridge));
    expect(client.connectionStatus().state).toBe('live');
    expect(client.canReconnectNow).toBe(false);
    emit('backendStatus', { state: 'lost', detail: 'The backend stopped; restarting.' });
    const lost = client.connectionStatus();
    expect(lost).toEqual({
      state: 'reconnecting',
      retryAt: null,
      detail: 'The backend stopped; restarting.',
    });
    // The same object while nothing changes (React's useSyncExternalStore relies on it).
    expect(client.connectionStatus()).toBe(lost);
    emit('backendStatus', { state: 'failed', detail: 'It kept stopping.' });
    expect(client.connectionStatus()).toEqual({
      state: 'failed',
      retryAt: null,
      detail: 'It kept stopping.',
    });
    emit('backendStatus', { state: 'restored', detail: 'running' });
    expect(client.connectionStatus().state).toBe('live');
  });
});
