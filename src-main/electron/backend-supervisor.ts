import type { EventListener } from '../events';
import {
  BACKEND_NOT_RUNNING,
  backendStoppedError,
  createBackendClient,
  type BackendClient,
  type RelayedBackend,
  type RelayPort,
} from './backend-relay';
import { AppError } from '../../src-shared/errors';
import type { Backend } from '../backend';

/**
 * Keeps the backend process running: starts it, restarts it after an unexpected exit (with a
 * growing delay), gives up after `maxQuickCrashes` crashes in a row that each came soon after a
 * start, and tells the window each time. Calls made while no backend is ready get `unavailable`
 * at once; calls in flight when the process died get it from the relay (backend-relay.ts).
 * Pure: the process comes from `spawn` and time from `clock`, so Node tests drive both.
 */

export interface BackendProcess {
  /** The relay's port to this process (a MessagePortMain in the app, the IPC channel in tests). */
  port: RelayPort;
  /** Called once, when the process has exited. */
  onExit(listener: (exit: { code: number | null; signal?: string | null }) => void): void;
  /** Ends the process now (SIGTERM or equivalent). */
  kill(): void;
}

export interface SupervisorClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the window is told: shown by the renderer like a lost event connection. */
export type BackendStatus =
  | { state: 'lost'; detail: string }
  | { state: 'restored'; detail: string }
  | { state: 'failed'; detail: string };

export const BACKEND_LOST_DETAIL =
  'The backend stopped unexpectedly and is restarting; changes not confirmed are kept to retry.';
export const BACKEND_RESTORED_DETAIL = 'The backend is running again.';
export function backendFailedDetail(crashes: number): string {
  return `The backend stopped ${crashes} times in a row soon after starting and was not restarted again. Quit and reopen Staging Editor; the details are in the log.`;
}

type Logger = Pick<Backend['logger'], 'warn' | 'error' | 'info'>;

export interface BackendSupervisor extends RelayedBackend {
  /** The first start: resolves once the backend is ready, rejects with its start-up failure. */
  start(): Promise<void>;
  readonly state: 'starting' | 'ready' | 'restarting' | 'failed' | 'closed';
}

export function createBackendSupervisor(options: {
  spawn: () => BackendProcess;
  logger: Logger;
  onStatus: (status: BackendStatus) => void;
  /** One JSON log line of the backend process (main writes it to the one log file). */
  onLog?: (line: string) => void;
  clock?: SupervisorClock;
  /** Crashes in a row, each within `quickCrashMs` of its start, before giving up (default 3). */
  maxQuickCrashes?: number;
  quickCrashMs?: number;
  /** Delay before the nth restart in a row (n from 1). */
  backoffMs?: (n: number) => number;
  /** How long `close` waits for the process to close its store and exit before killing it. */
  closeTimeoutMs?: number;
}): BackendSupervisor {
  const { logger } = options;
  const clock: SupervisorClock = options.clock ?? {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const maxQuickCrashes = options.maxQuickCrashes ?? 3;
  const quickCrashMs = options.quickCrashMs ?? 60_000;
  const backoffMs = options.backoffMs ?? ((n) => Math.min(500 * 2 ** (n - 1), 10_000));
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;

  const listeners = new Set<EventListener>();
  let state: BackendSupervisor['state'] = 'starting';
  let authMode: Backend['authMode'] | null = null;
  /** The client of the running process once it said `ready`; null otherwise. */
  let active: BackendClient | null = null;
  let current: { process: BackendProcess; client: BackendClient; exited: Promise<void> } | null =
    null;
  let quickCrashes = 0;
  let restartTimer: unknown = null;
  let failedDetail = '';

  const fanOut: EventListener = (name, payload) => {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  };

  /** Spawns one process; resolves when it is ready, rejects when it fails or exits first. */
  function launch(): Promise<void> {
    const startedAt = clock.now();
    const process = options.spawn();
    const client = createBackendClient(process.port, { logger, onLog: options.onLog });
    let markExited!: () => void;
    const exited = new Promise<void>((done) => (markExited = done));
    const launched = { process, client, exited };
    current = launched;
    client.subscribe(fanOut);
    process.onExit((exit) => {
      markExited();
      client.disconnect();
      if (current === launched) {
        current = null;
        active = null;
      }
      if (state === 'closed' || state === 'failed') return;
      if (state === 'starting') return; // start() reports it (client.ready rejects).
      logger.error({ ...exit, uptimeMs: clock.now() - startedAt }, 'the backend process exited');
      quickCrashes = clock.now() - startedAt < quickCrashMs ? quickCrashes + 1 : 1;
      if (quickCrashes >= maxQuickCrashes) {
        state = 'failed';
        failedDetail = backendFailedDetail(quickCrashes);
        logger.error({ crashes: quickCrashes }, 'the backend keeps stopping: not restarting it');
        options.onStatus({ state: 'failed', detail: failedDetail });
        return;
      }
      const wasRestarting = state === 'restarting';
      state = 'restarting';
      if (!wasRestarting) options.onStatus({ state: 'lost', detail: BACKEND_LOST_DETAIL });
      restartTimer = clock.setTimeout(restart, backoffMs(quickCrashes));
    });
    return client.ready.then(
      (ready) => {
        if (current !== launched || state === 'closed') return;
        authMode ??= ready.authMode;
        active = client;
      },
      (error: unknown) => {
        // Failed before it was ready: make sure it is gone (its exit handler does the rest).
        process.kill();
        throw error;
      },
    );
  }

  function restart(): void {
    restartTimer = null;
    if (state !== 'restarting') return;
    logger.info({ attempt: quickCrashes }, 'restarting the backend process');
    launch().then(
      () => {
        if (state !== 'restarting') return;
        state = 'ready';
        options.onStatus({ state: 'restored', detail: BACKEND_RESTORED_DETAIL });
      },
      (error: unknown) => {
        // Its exit is counted as another quick crash by the exit handler.
        logger.warn({ error: (error as Error).message }, 'the restarted backend did not start');
      },
    );
  }

  function reason(): string {
    return state === 'failed' ? failedDetail.replace(/\.$/, '') : BACKEND_NOT_RUNNING;
  }

  return {
    get state() {
      return state;
    },
    get authMode(): Backend['authMode'] {
      if (authMode === null) throw new Error('The backend has not started yet.');
      return authMode;
    },
    async start() {
      try {
        await launch();
      } catch (error) {
        state = 'failed';
        throw error;
      }
      state = 'ready';
    },
    dispatch: ((name, input, token) =>
      active
        ? active.dispatch(name, input, token)
        : Promise.resolve({
            ok: false,
            error: backendStoppedError(name, reason()),
          })) as Backend['dispatch'],
    authenticate: (token) =>
      active
        ? active.authenticate(token)
        : Promise.resolve({ ok: false, error: backendStoppedError(null, reason()) }),
    issueLocalToken: (sub, ttlSeconds) =>
      active
        ? active.issueLocalToken(sub, ttlSeconds)
        : Promise.reject(AppError.fromBody(backendStoppedError(null, reason()))),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      const wasActive = active;
      state = 'closed';
      active = null;
      if (restartTimer !== null) clock.clearTimeout(restartTimer);
      const running = current;
      if (!running) return;
      let timer: unknown;
      const timeout = new Promise<'timeout'>((done) => {
        timer = clock.setTimeout(() => done('timeout'), closeTimeoutMs);
      });
      try {
        // The backend closes its store, answers, then exits by itself.
        const closed = wasActive
          ? wasActive.close().then(
              () => running.exited,
              (error: unknown) => {
                logger.warn(
                  { error: (error as Error).message },
                  'the backend did not close cleanly',
                );
                running.process.kill();
                return running.exited;
              },
            )
          : running.exited;
        if (!wasActive) running.process.kill();
        const outcome = await Promise.race([closed.then(() => 'closed' as const), timeout]);
        if (outcome === 'timeout') {
          logger.warn('the backend did not close in time: ending its process');
          running.process.kill();
        }
      } finally {
        clock.clearTimeout(timer);
      }
    },
  };
}

/** Environment switch for the in-process backend (debugging, or a platform without it). */
export const BACKEND_MODE_ENV = 'STAGING_EDITOR_BACKEND';

/**
 * Where the desktop app runs its backend: a utility process unless Electron offers none or
 * STAGING_EDITOR_BACKEND=in-process asks for the main process.
 */
export function chooseBackendMode(input: {
  env: Record<string, string | undefined>;
  hasUtilityProcess: boolean;
}): 'utility' | 'in-process' {
  if (!input.hasUtilityProcess) return 'in-process';
  return input.env[BACKEND_MODE_ENV]?.trim().toLowerCase() === 'in-process'
    ? 'in-process'
    : 'utility';
}
