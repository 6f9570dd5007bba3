import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { relayBackendLogLine } from '../../src-main/electron/backend-host';
import {
  createBackendSupervisor,
  type BackendProcess,
  type BackendStatus,
  type BackendSupervisor,
} from '../../src-main/electron/backend-supervisor';
import { createLogger } from '../../src-main/logger';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * The relay and the supervisor with a real child process standing in for Electron's utility
 * process: `child_process.fork` with an IPC channel (structured-clone serialization, like a
 * MessagePort) running the backend host over a real SQLite store.
 */

const ENTRY = fileURLToPath(new URL('./backend-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let store: TestStoreHandle;
const children: ChildProcess[] = [];
const statuses: BackendStatus[] = [];
const logLines: string[] = [];
let supervisor: BackendSupervisor;

function spawnChild(): BackendProcess {
  const child = fork(ENTRY, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  child.send({ kind: 'start', env: { ...store.env, LOG_LEVEL: 'info' } });
  return {
    port: {
      postMessage: (message) => {
        child.send(message as never);
      },
      on: (_event, listener) => child.on('message', listener),
    },
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    kill: () => child.kill(),
  };
}

beforeAll(async () => {
  store = await createTestStore('sqlite');
  supervisor = createBackendSupervisor({
    spawn: spawnChild,
    logger: createLogger('silent'),
    onStatus: (status) => statuses.push(status),
    onLog: (line) => logLines.push(line),
    backoffMs: () => 50,
  });
  await supervisor.start();
});

afterAll(async () => {
  await supervisor?.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await store?.dispose();
});

async function token(): Promise<string> {
  return supervisor.issueLocalToken('maria', 600);
}

async function idsOf(t: string): Promise<string[]> {
  const list = await supervisor.dispatch('listPlaces', { size: 50 }, t);
  if (!list.ok) throw new Error(list.error.detail);
  return list.value.items.map((p) => p.place_id);
}

describe('the backend in a child process', () => {
  it('round-trips calls and pushes events', async () => {
    expect(supervisor.authMode).toBe('local');
    const t = await token();
    const events: { name: string; payload: unknown }[] = [];
    const stop = supervisor.subscribe((name, payload) => events.push({ name, payload }));
    await expect(
      supervisor.dispatch('loadSampleData', { count: 4, seed: 3 }, t),
    ).resolves.toMatchObject({ ok: true, value: { inserted: 4 } });
    const ids = await idsOf(t);
    expect(ids).toHaveLength(4);
    await expect(
      supervisor.dispatch('updateStatus', { place_ids: [ids[0]], status: 'Maybe' }, t),
    ).resolves.toMatchObject({ ok: true, value: { updated_count: 1 } });
    await vi.waitFor(() =>
      expect(events).toContainEqual({
        name: 'placesChanged',
        payload: { place_ids: [ids[0]], reason: 'status' },
      }),
    );
    stop();
    // A bad token is refused in the one error format, across the process boundary.
    await expect(supervisor.dispatch('listPlaces', {}, 'nope')).resolves.toMatchObject({
      ok: false,
      error: { type: 'unauthorized' },
    });
    // Its log lines reach main, and main's logger can write them.
    expect(logLines.some((line) => line.includes('"msg"'))).toBe(true);
    const written: string[] = [];
    const mainLogger = createLogger('info', { write: (line: string) => written.push(line) });
    relayBackendLogLine(mainLogger, logLines[0]!);
    expect(JSON.parse(written[0]!)).toMatchObject({ process: 'backend' });
  });

  it('a SIGKILLed backend fails its pending call with unavailable, is restarted, and the next call works', async () => {
    const t = await token();
    const ids = await idsOf(t);
    const before = children.length;
    const victim = children.at(-1)!;
    const write = supervisor.dispatch(
      'updateStatus',
      { place_ids: [ids[1]], status: 'Archived' },
      t,
    );
    victim.kill('SIGKILL');
    const lost = await write;
    expect(lost).toMatchObject({
      ok: false,
      error: {
        type: 'unavailable',
        detail: expect.stringMatching(/not known to have been saved\. Try again\.$/),
      },
    });
    await vi.waitFor(() => expect(statuses.map((s) => s.state)).toEqual(['lost', 'restored']), {
      timeout: 30_000,
      interval: 100,
    });
    expect(children.length).toBe(before + 1);

    // The retry works on the new process; what was saved before the crash is still there.
    const retried = await supervisor.dispatch(
      'updateStatus',
      { place_ids: [ids[1]], status: 'Archived' },
      await token(),
    );
    expect(retried).toMatchObject({ ok: true, value: { updated_count: 1 } });
    const first = await supervisor.dispatch('getPlace', { place_id: ids[0] }, t);
    expect(first).toMatchObject({ ok: true, value: { status: 'Maybe' } });
  });

  it('closes the backend and its process on quit, without a restart', async () => {
    const last = children.at(-1)!;
    const exited = new Promise((done) => last.once('exit', (code) => done(code)));
    await supervisor.close();
    await expect(exited).resolves.toBe(0);
    expect(statuses.map((s) => s.state)).toEqual(['lost', 'restored']);
  });
});
