import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../src-main/config';
import { relayBackendLogLine, type StartMessage } from '../../src-main/electron/backend-host';
import {
  createBackendSupervisor,
  type BackendProcess,
  type BackendStatus,
  type BackendSupervisor,
} from '../../src-main/electron/backend-supervisor';
import { createLogger } from '../../src-main/logger';
import { createRestartableBackend } from '../../src-main/settings/restartable-backend';
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

function spawnChild(settings: Settings = { ...store.settings, LOG_LEVEL: 'info' }): BackendProcess {
  const child = fork(ENTRY, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  child.send({ kind: 'start', settings } satisfies StartMessage);
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
    spawn: () => spawnChild(),
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

describe('saving settings in the desktop app: the restartable backend over the relay', () => {
  it('starts a new backend process on the new settings, keeps subscribers, and falls back when they fail', async () => {
    const other = await createTestStore('sqlite');
    const launched: { settings: Settings; child: ChildProcess }[] = [];
    const launch = async (settings: Settings) => {
      const relayed = createBackendSupervisor({
        spawn: () => {
          const process = spawnChild(settings);
          launched.push({ settings, child: children.at(-1)! });
          return process;
        },
        logger: createLogger('silent'),
        onStatus: () => {},
        backoffMs: () => 50,
      });
      await relayed.start();
      return Object.assign(relayed, { settings, logger: createLogger('silent') });
    };
    const backend = await createRestartableBackend(store.settings, launch);
    try {
      const events: string[] = [];
      backend.subscribe((name) => events.push(name));
      const t1 = await backend.issueLocalToken('maria', 600);
      const onFirst = await backend.dispatch('listPlaces', { size: 50 }, t1);
      expect(onFirst).toMatchObject({ ok: true });
      const firstCount = onFirst.ok ? onFirst.value.items.length : -1;
      expect(firstCount).toBeGreaterThan(0);

      // The new settings: another store. The old process closes its store and exits 0.
      const firstChild = launched[0]!.child;
      const firstExit = new Promise((done) => firstChild.once('exit', (code) => done(code)));
      await backend.restart(other.settings);
      await expect(firstExit).resolves.toBe(0);
      expect(launched).toHaveLength(2);
      expect(backend.settings.SQLITE_PATH).toBe(other.settings.SQLITE_PATH);
      const t2 = await backend.issueLocalToken('maria', 600);
      await expect(
        backend.dispatch('loadSampleData', { count: 3, seed: 9 }, t2),
      ).resolves.toMatchObject({ ok: true, value: { inserted: 3 } });
      // Subscribers carried over: the restart's own notice and the new process's events.
      await vi.waitFor(() =>
        expect(events.filter((name) => name === 'placesChanged').length).toBeGreaterThanOrEqual(2),
      );
      const file = new Database(other.settings.SQLITE_PATH!, { readonly: true });
      try {
        expect(file.prepare('SELECT count(*) AS n FROM places_staging').get()).toEqual({ n: 3 });
      } finally {
        file.close();
      }

      // Settings whose backend can't start (the shared store alone, on a PostgreSQL nobody
      // listens on): the error is thrown and the previous settings run again, in a new process.
      const broken: Settings = {
        ...other.settings,
        SQLITE_PATH: undefined,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
        DATABASE_CONNECT_TIMEOUT_SECONDS: 1,
      };
      await expect(backend.restart(broken)).rejects.toThrow(/127\.0\.0\.1:1|ECONNREFUSED|connect/i);
      expect(launched.map((l) => l.settings.DATABASE_URL === undefined)).toEqual([
        true,
        true,
        false,
        true,
      ]);
      expect(backend.settings.SQLITE_PATH).toBe(other.settings.SQLITE_PATH);
      expect(backend.settings.DATABASE_URL).toBeUndefined();
      const after = await backend.dispatch(
        'listPlaces',
        { size: 50 },
        await backend.issueLocalToken('maria', 600),
      );
      expect(after).toMatchObject({ ok: true });
      expect(after.ok && after.value.items.length).toBe(3);
    } finally {
      await backend.close();
      await other.dispose();
    }
  });
});
