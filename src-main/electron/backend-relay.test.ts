import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/errors';
import type { EventListener } from '../events';
import {
  backendStoppedError,
  createBackendClient,
  serveBackend,
  type RelayedBackend,
  type RelayPort,
} from './backend-relay';

/** Two connected ports delivering structured clones asynchronously, like a MessageChannel. */
function portPair(): [
  RelayPort & { peer: () => (m: unknown) => void },
  RelayPort & { peer: () => (m: unknown) => void },
] {
  const listeners: [((m: unknown) => void)[], ((m: unknown) => void)[]] = [[], []];
  const make = (self: 0 | 1) => ({
    postMessage(message: unknown) {
      const copy = structuredClone(message);
      setTimeout(() => listeners[1 - self]!.forEach((fn) => fn(copy)), 0);
    },
    on(_event: 'message', listener: (m: unknown) => void) {
      listeners[self].push(listener);
    },
    /** Delivers a raw message to this side, as if the other side had sent it. */
    peer: () => (message: unknown) => listeners[self].forEach((fn) => fn(message)),
  });
  return [make(0), make(1)];
}

const quiet = () => ({ warn: vi.fn(), error: vi.fn() });

function fakeBackend() {
  const listeners = new Set<EventListener>();
  let release: (() => void) | undefined;
  const backend: RelayedBackend & { emit: EventListener; release(): void } = {
    authMode: 'local',
    async dispatch(name, input) {
      if (release === undefined && name === 'updateStatus') {
        // Held: answers only when released (a write in flight).
        await new Promise<void>((done) => (release = done));
      }
      return { ok: true, value: { echoed: { name, input } } } as never;
    },
    authenticate: async (token) =>
      token === 'good'
        ? { ok: true, user: { sub: 'maria', expiresAt: 1 } as never }
        : { ok: false, error: { status: 'error', type: 'unauthorized', detail: 'No.' } },
    issueLocalToken: async (sub, ttl) => `${sub}:${ttl}`,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: vi.fn(async () => {}),
    emit: ((name, payload) => listeners.forEach((l) => l(name, payload))) as EventListener,
    release: () => release?.(),
  };
  return backend;
}

describe('backend relay', () => {
  it('round-trips calls, results, errors and events', async () => {
    const [mainSide, backendSide] = portPair();
    const backend = fakeBackend();
    const client = createBackendClient(mainSide, { logger: quiet() });
    serveBackend(backendSide, backend, { logger: quiet() });
    await expect(client.ready).resolves.toEqual({ authMode: 'local' });
    expect(client.authMode).toBe('local');

    await expect(client.dispatch('listPlaces', { size: 3 }, 'tok')).resolves.toEqual({
      ok: true,
      value: { echoed: { name: 'listPlaces', input: { size: 3 } } },
    });
    await expect(client.authenticate('bad')).resolves.toMatchObject({
      ok: false,
      error: { type: 'unauthorized' },
    });
    await expect(client.issueLocalToken('maria', 60)).resolves.toBe('maria:60');

    const seen: unknown[] = [];
    client.subscribe((name, payload) => seen.push({ name, payload }));
    backend.emit('placesChanged', { place_ids: ['a'], reason: 'status' });
    await vi.waitFor(() =>
      expect(seen).toEqual([
        { name: 'placesChanged', payload: { place_ids: ['a'], reason: 'status' } },
      ]),
    );

    await client.close();
    expect(backend.close).toHaveBeenCalledOnce();
  });

  it('a disconnect fails every pending call with unavailable: a write is never reported saved', async () => {
    const [mainSide, backendSide] = portPair();
    const client = createBackendClient(mainSide, { logger: quiet() });
    serveBackend(backendSide, fakeBackend(), { logger: quiet() });
    await client.ready;

    const write = client.dispatch('updateStatus', { place_ids: ['a'], status: 'Maybe' }, 't');
    const read = client.dispatch('listPlaces', {}, 't');
    const token = client.issueLocalToken('maria', 60).then(
      (value) => value,
      (error: unknown) => error,
    );
    // The read is answered; the held write is not when the process dies.
    await expect(read).resolves.toMatchObject({ ok: true });
    client.disconnect();

    const lost = await write;
    expect(lost).toEqual({
      ok: false,
      error: backendStoppedError('updateStatus', 'The backend stopped before answering'),
    });
    expect(lost.ok === false && lost.error.detail).toMatch(
      /not known to have been saved\. Try again\.$/,
    );
    expect(lost.ok === false && lost.error.type).toBe('unavailable');
    // The token was answered before the disconnect or fails with unavailable: never hangs.
    const settled = await token;
    if (typeof settled !== 'string') expect(settled).toMatchObject({ type: 'unavailable' });

    // Later calls fail at once, reads saying nothing changed.
    await expect(client.dispatch('listPlaces', {}, 't')).resolves.toMatchObject({
      ok: false,
      error: { type: 'unavailable', detail: expect.stringMatching(/nothing was changed/) },
    });
    await expect(client.issueLocalToken('maria', 60)).rejects.toBeInstanceOf(AppError);
  });

  it('drops and logs malformed messages on both sides without throwing', async () => {
    const [mainSide, backendSide] = portPair();
    const mainLog = quiet();
    const backendLog = quiet();
    const client = createBackendClient(mainSide, { logger: mainLog });
    serveBackend(backendSide, fakeBackend(), { logger: backendLog });
    await client.ready;

    const toMain = mainSide.peer();
    for (const bad of [
      null,
      42,
      'x',
      { kind: 'nope' },
      { kind: 'result', id: 999, ok: true },
      { kind: 'event', name: 'evil', payload: {} },
      { kind: 'log', line: 3 },
    ]) {
      expect(() => toMain(bad)).not.toThrow();
    }
    expect(mainLog.warn).toHaveBeenCalledTimes(7);

    const toBackend = backendSide.peer();
    for (const bad of [null, { kind: 'call' }, { kind: 'call', id: 'x', method: 'close' }]) {
      expect(() => toBackend(bad)).not.toThrow();
    }
    expect(backendLog.warn).toHaveBeenCalledTimes(3);

    // An unknown operation is answered in the one error format; the client still works.
    await expect(client.dispatch('nope' as never, {}, 't')).resolves.toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
    await expect(client.dispatch('health', {}, undefined)).resolves.toMatchObject({ ok: true });
  });

  it('a malformed dispatch answer becomes internal_error, and a backend throw an error body', async () => {
    const [mainSide, backendSide] = portPair();
    const backend = fakeBackend();
    backend.issueLocalToken = async () => {
      throw new Error('secret detail');
    };
    const client = createBackendClient(mainSide, { logger: quiet() });
    serveBackend(backendSide, backend, { logger: quiet() });
    await client.ready;
    await expect(client.issueLocalToken('maria', 1)).rejects.toMatchObject({
      type: 'internal_error',
      detail: expect.not.stringContaining('secret'),
    });

    const [m2, b2] = portPair();
    const client2 = createBackendClient(m2, { logger: quiet() });
    b2.on('message', (call) => {
      const id = (call as { id: number }).id;
      b2.postMessage({ kind: 'result', id, ok: true, value: { surprise: true } });
    });
    b2.postMessage({ kind: 'ready', authMode: 'local' });
    await client2.ready;
    await expect(client2.dispatch('health', {}, undefined)).resolves.toMatchObject({
      ok: false,
      error: { type: 'internal_error' },
    });
  });

  it('passes log lines on and reports a failed start', async () => {
    const [mainSide, other] = portPair();
    const lines: string[] = [];
    const client = createBackendClient(mainSide, { logger: quiet(), onLog: (l) => lines.push(l) });
    other.postMessage({ kind: 'log', line: '{"msg":"hi"}' });
    other.postMessage({ kind: 'failed', detail: 'The store is locked.' });
    await expect(client.ready).rejects.toThrow('The store is locked.');
    expect(lines).toEqual(['{"msg":"hi"}']);
  });
});
