import { describe, expect, it, vi } from 'vitest';
import type { RelayPort } from './backend-relay';
import {
  backendFailedDetail,
  chooseBackendMode,
  createBackendSupervisor,
  type BackendProcess,
  type BackendStatus,
  type SupervisorClock,
} from './backend-supervisor';

/**
 * The supervisor against scripted processes and a hand-driven clock: restarts with backoff, the
 * give-up after quick crashes, calls while no backend is ready. The real child process is in
 * test/desktop/backend-process.test.ts.
 */

function fakeClock() {
  let now = 0;
  const timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: SupervisorClock & { advance(ms: number): void; pending(): number[] } = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout(id) {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.callback();
      }
    },
    pending: () => timers.map((t) => t.at - now),
  };
  return clock;
}

/** A process that answers the relay by hand: `ready` when told, `crash` to exit. */
function scriptedProcess(behaviour: 'ready' | 'fail') {
  const toMain: ((m: unknown) => void)[] = [];
  const exits: ((e: { code: number | null }) => void)[] = [];
  let alive = true;
  const port: RelayPort = {
    postMessage(message) {
      if (!alive) throw new Error('channel closed');
      const m = message as { kind: string; id: number; method: string; name?: string };
      if (m.method === 'close') {
        setTimeout(() => {
          reply({ kind: 'result', id: m.id, ok: true, value: null });
          exit(0);
        }, 0);
      } else if (m.name !== 'updateStatus') {
        setTimeout(
          () => reply({ kind: 'result', id: m.id, ok: true, value: { ok: true, value: 1 } }),
          0,
        );
      } // updateStatus is never answered: a write in flight.
    },
    on(_event, listener) {
      toMain.push(listener);
    },
  };
  const reply = (m: unknown) => alive && toMain.forEach((fn) => fn(m));
  const exit = (code: number | null) => {
    if (!alive) return;
    alive = false;
    exits.forEach((fn) => fn({ code }));
  };
  setTimeout(() => {
    if (behaviour === 'ready') reply({ kind: 'ready', authMode: 'local' });
    else {
      reply({ kind: 'failed', detail: 'The store is locked.' });
      exit(1);
    }
  }, 0);
  const process: BackendProcess & { crash(): void } = {
    port,
    onExit: (listener) => exits.push(listener),
    kill: () => exit(null),
    crash: () => exit(null),
  };
  return process;
}

const quiet = () => ({ warn: vi.fn(), error: vi.fn(), info: vi.fn() });
const tick = () => new Promise((done) => setTimeout(done, 5));

describe('backend supervisor', () => {
  it('restarts a crashed backend after a delay, tells the window, and fails the write in flight', async () => {
    const clock = fakeClock();
    const spawned: ReturnType<typeof scriptedProcess>[] = [];
    const statuses: BackendStatus[] = [];
    const supervisor = createBackendSupervisor({
      spawn: () => {
        const p = scriptedProcess('ready');
        spawned.push(p);
        return p;
      },
      logger: quiet(),
      onStatus: (s) => statuses.push(s),
      clock,
    });
    await supervisor.start();
    expect(supervisor.authMode).toBe('local');
    await expect(supervisor.dispatch('listPlaces', {}, 't')).resolves.toEqual({
      ok: true,
      value: 1,
    });

    const write = supervisor.dispatch('updateStatus', { place_ids: ['a'], status: 'Maybe' }, 't');
    await tick();
    spawned[0]!.crash();
    await expect(write).resolves.toMatchObject({
      ok: false,
      error: { type: 'unavailable', detail: expect.stringMatching(/not known to have been saved/) },
    });
    expect(statuses).toEqual([{ state: 'lost', detail: expect.any(String) }]);
    expect(supervisor.state).toBe('restarting');
    // While it restarts: unavailable at once, nothing sent anywhere.
    await expect(supervisor.dispatch('listPlaces', {}, 't')).resolves.toMatchObject({
      ok: false,
      error: {
        type: 'unavailable',
        detail: expect.stringMatching(/restarting; nothing was changed/),
      },
    });
    expect(clock.pending()).toEqual([500]);
    expect(spawned).toHaveLength(1);

    clock.advance(500);
    expect(spawned).toHaveLength(2);
    await tick();
    expect(supervisor.state).toBe('ready');
    expect(statuses.map((s) => s.state)).toEqual(['lost', 'restored']);
    await expect(supervisor.dispatch('listPlaces', {}, 't')).resolves.toEqual({
      ok: true,
      value: 1,
    });

    await supervisor.close();
    expect(supervisor.state).toBe('closed');
    expect(spawned).toHaveLength(2);
  });

  it('gives up after quick crashes in a row, with a clear message; a long-lived process resets the count', async () => {
    const clock = fakeClock();
    const spawned: ReturnType<typeof scriptedProcess>[] = [];
    const statuses: BackendStatus[] = [];
    const supervisor = createBackendSupervisor({
      spawn: () => {
        const p = scriptedProcess('ready');
        spawned.push(p);
        return p;
      },
      logger: quiet(),
      onStatus: (s) => statuses.push(s),
      clock,
      maxQuickCrashes: 3,
      quickCrashMs: 60_000,
    });
    await supervisor.start();

    // Lived long: counts as the first crash of a new series.
    clock.advance(120_000);
    spawned.at(-1)!.crash();
    expect(clock.pending()).toEqual([500]);
    clock.advance(500);
    await tick();
    spawned.at(-1)!.crash();
    expect(clock.pending()).toEqual([1000]);
    clock.advance(1000);
    await tick();
    spawned.at(-1)!.crash();
    expect(clock.pending()).toEqual([]);
    expect(supervisor.state).toBe('failed');
    expect(statuses.at(-1)).toEqual({ state: 'failed', detail: backendFailedDetail(3) });
    await expect(supervisor.dispatch('updateStatus', {}, 't')).resolves.toMatchObject({
      ok: false,
      error: { type: 'unavailable', detail: expect.stringMatching(/Quit and reopen/) },
    });
    await expect(supervisor.issueLocalToken('maria', 60)).rejects.toMatchObject({
      type: 'unavailable',
    });
    expect(spawned).toHaveLength(3);
  });

  it('a first start that fails is reported to the caller, not restarted', async () => {
    const clock = fakeClock();
    const statuses: BackendStatus[] = [];
    const supervisor = createBackendSupervisor({
      spawn: () => scriptedProcess('fail'),
      logger: quiet(),
      onStatus: (s) => statuses.push(s),
      clock,
    });
    await expect(supervisor.start()).rejects.toThrow('The store is locked.');
    expect(clock.pending()).toEqual([]);
    expect(statuses).toEqual([]);
  });

  it('runs the backend in a utility process unless asked not to or there is none', () => {
    expect(chooseBackendMode({ env: {}, hasUtilityProcess: true })).toBe('utility');
    expect(
      chooseBackendMode({ env: { STAGING_EDITOR_BACKEND: 'in-process' }, hasUtilityProcess: true }),
    ).toBe('in-process');
    expect(chooseBackendMode({ env: {}, hasUtilityProcess: false })).toBe('in-process');
  });
});
