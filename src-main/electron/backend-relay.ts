import {
  contract,
  isEventName,
  isOperationName,
  type OperationName,
} from '../../src-shared/contract';
import { AppError, isErrorBody, type ErrorBody } from '../../src-shared/errors';
import type { Backend } from '../backend';
import type { EventListener } from '../events';
import type { DispatchResult } from '../router/dispatch-result';

/**
 * The contract calls and pushed events between Electron's main process and the backend running
 * in a utility process, over any port-like object: Electron's MessagePortMain (wrapped by
 * `messagePortMainAdapter`-style code in main.ts), or a `child_process.fork` IPC channel in the
 * tests. No electron import here: everything is decided in this module and tested in Node.
 *
 * main -> backend: `call` (dispatch, authenticate, issueLocalToken, close)
 * backend -> main: `ready` (once, after the store opened), `result`, `event`, `log`
 *
 * Every message is checked on arrival; a malformed one is logged and dropped, never thrown.
 */

/** What both ends need of a port: the raw message in, the raw message out. */
export interface RelayPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

type Logger = Pick<Backend['logger'], 'warn' | 'error'>;

/** The part of the Backend main uses, whether in this process or across the relay. */
export type RelayedBackend = Pick<
  Backend,
  'dispatch' | 'authenticate' | 'subscribe' | 'issueLocalToken' | 'close' | 'authMode'
>;

export type CallMethod = 'dispatch' | 'authenticate' | 'issueLocalToken' | 'close';

export type CallMessage =
  | { kind: 'call'; id: number; method: 'dispatch'; name: string; input: unknown; token?: string }
  | { kind: 'call'; id: number; method: 'authenticate'; token?: string }
  | { kind: 'call'; id: number; method: 'issueLocalToken'; sub: string; ttlSeconds: number }
  | { kind: 'call'; id: number; method: 'close' };

/** A call as written by the client, before it gets its kind and id (distributes over the union). */
type CallBody<C = CallMessage> = C extends CallMessage ? Omit<C, 'id' | 'kind'> : never;

export type BackendMessage =
  | { kind: 'ready'; authMode: Backend['authMode'] }
  | { kind: 'failed'; detail: string }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: ErrorBody }
  | { kind: 'event'; name: string; payload: unknown }
  | { kind: 'log'; line: string };

const AUTH_MODES = new Set<unknown>([
  'hs256',
  'public-key',
  'jwks',
  'local',
] satisfies Backend['authMode'][]);

/** Seconds the renderer is told to wait before trying again after the backend stopped. */
export const RETRY_AFTER_SECONDS = 2;

/** Writes: an answer lost with the process leaves it unknown whether the change was saved. */
export function isWriteOperation(name: OperationName): boolean {
  return contract[name].http.method !== 'GET';
}

/**
 * The `unavailable` error of a call the backend process never answered. A write is never
 * reported as saved (nor as certainly not saved): the renderer keeps it and tries again.
 */
export function backendStoppedError(name: OperationName | null, reason: string): ErrorBody {
  const outcome =
    name !== null && isWriteOperation(name)
      ? 'the change is not known to have been saved'
      : 'nothing was changed';
  return {
    status: 'error',
    type: 'unavailable',
    detail: `${reason}; ${outcome}. Try again.`,
    retry_after_seconds: RETRY_AFTER_SECONDS,
  };
}

export const BACKEND_STOPPED = 'The backend stopped before answering';
export const BACKEND_NOT_RUNNING = 'The backend is restarting';

// ---------------------------------------------------------------------------------------------
// Main's side

export interface BackendClient extends RelayedBackend {
  /** The backend's `ready` (its auth mode), or its start-up failure as an Error. */
  readonly ready: Promise<{ authMode: Backend['authMode'] }>;
  readonly connected: boolean;
  /**
   * The process is gone: every pending call gets `unavailable` (dispatch and authenticate as
   * their failure result, the others rejected with an AppError), and so does every later call.
   */
  disconnect(reason?: string): void;
}

export function createBackendClient(
  port: RelayPort,
  options: {
    logger: Logger;
    /** A `log` message: one JSON line written by the backend's logger. */
    onLog?: (line: string) => void;
  },
): BackendClient {
  const { logger } = options;
  interface Pending {
    name: OperationName | null;
    method: CallMethod;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  const pending = new Map<number, Pending>();
  const listeners = new Set<EventListener>();
  let nextId = 1;
  let connected = true;
  let authMode: Backend['authMode'] | null = null;
  let settleReady!: (value: { authMode: Backend['authMode'] }) => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<{ authMode: Backend['authMode'] }>((resolve, reject) => {
    settleReady = resolve;
    failReady = reject;
  });
  // Nobody may be waiting on `ready` when the process dies after it: never an unhandled rejection.
  ready.catch(() => {});

  function stoppedFailure(entry: Pick<Pending, 'name' | 'method'>, reason: string): unknown {
    const body = backendStoppedError(entry.name, reason);
    return entry.method === 'dispatch' || entry.method === 'authenticate'
      ? { ok: false, error: body }
      : AppError.fromBody(body);
  }

  function settleStopped(entry: Pending, reason: string): void {
    const failure = stoppedFailure(entry, reason);
    if (failure instanceof AppError) entry.reject(failure);
    else entry.resolve(failure);
  }

  function call(message: CallBody, name: OperationName | null): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry: Pending = { name, method: message.method, resolve, reject };
      if (!connected) return settleStopped(entry, BACKEND_NOT_RUNNING);
      const id = nextId++;
      pending.set(id, entry);
      try {
        port.postMessage({ kind: 'call', id, ...message });
      } catch (error) {
        pending.delete(id);
        logger.warn({ error: (error as Error).message }, 'could not send a call to the backend');
        settleStopped(entry, BACKEND_NOT_RUNNING);
      }
    });
  }

  function onResult(message: Record<string, unknown>): void {
    const id = message.id;
    const entry = typeof id === 'number' ? pending.get(id) : undefined;
    if (!entry) return drop(message, 'an answer to no pending call');
    pending.delete(id as number);
    if (message.ok === false) {
      if (!isErrorBody(message.error))
        return entry.reject(new AppError('internal_error', 'The backend gave a malformed error.'));
      return entry.reject(AppError.fromBody(message.error));
    }
    if (message.ok !== true) {
      return entry.reject(new AppError('internal_error', 'The backend gave a malformed answer.'));
    }
    const value = message.value;
    if (entry.method === 'dispatch' || entry.method === 'authenticate') {
      if (!isResultShape(value)) {
        logger.error({ method: entry.method }, 'the backend gave a malformed result');
        return entry.resolve({
          ok: false,
          error: {
            status: 'error',
            type: 'internal_error',
            detail: 'The backend gave a malformed answer; the details are in the log.',
          },
        });
      }
    }
    if (entry.method === 'issueLocalToken' && typeof value !== 'string') {
      return entry.reject(new AppError('internal_error', 'The backend gave a malformed token.'));
    }
    entry.resolve(value);
  }

  function drop(message: unknown, why: string): void {
    const kind =
      typeof message === 'object' && message !== null
        ? String((message as { kind?: unknown }).kind).slice(0, 40)
        : typeof message;
    logger.warn({ kind, why }, 'dropped a malformed message from the backend');
  }

  port.on('message', (message: unknown) => {
    try {
      if (typeof message !== 'object' || message === null) return drop(message, 'not an object');
      const m = message as Record<string, unknown>;
      switch (m.kind) {
        case 'result':
          return onResult(m);
        case 'event':
          if (!isEventName(m.name)) return drop(m, 'an unknown event');
          for (const listener of listeners) {
            try {
              listener(m.name, m.payload as never);
            } catch {
              // One broken subscriber must not stop the others.
            }
          }
          return;
        case 'log':
          if (typeof m.line !== 'string') return drop(m, 'a log line that is not text');
          return options.onLog?.(m.line);
        case 'ready':
          if (!AUTH_MODES.has(m.authMode)) return drop(m, 'an unknown auth mode');
          authMode = m.authMode as Backend['authMode'];
          return settleReady({ authMode });
        case 'failed':
          return failReady(
            new Error(typeof m.detail === 'string' ? m.detail : 'The backend could not start.'),
          );
        default:
          return drop(m, 'an unknown kind');
      }
    } catch (error) {
      logger.error({ error: (error as Error).message }, 'a message from the backend failed');
    }
  });

  return {
    ready,
    get connected() {
      return connected;
    },
    get authMode(): Backend['authMode'] {
      if (authMode === null) throw new Error('The backend is not ready yet.');
      return authMode;
    },
    dispatch: ((name: OperationName, input: unknown, token: string | undefined) =>
      call({ method: 'dispatch', name, input, token }, name)) as Backend['dispatch'],
    authenticate: (token) =>
      call({ method: 'authenticate', token }, null) as ReturnType<Backend['authenticate']>,
    issueLocalToken: (sub, ttlSeconds) =>
      call({ method: 'issueLocalToken', sub, ttlSeconds }, null) as Promise<string>,
    async close() {
      if (!connected) return;
      await call({ method: 'close' }, null);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnect(reason = BACKEND_STOPPED) {
      if (!connected) return;
      connected = false;
      failReady(new Error('The backend process exited before it was ready.'));
      const entries = [...pending.values()];
      pending.clear();
      for (const entry of entries) settleStopped(entry, reason);
    },
  };
}

function isResultShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v || 'user' in v;
  return v.ok === false && isErrorBody(v.error);
}

// ---------------------------------------------------------------------------------------------
// The backend's side

/**
 * Answers main's calls with `backend` and forwards its events, then says `ready`. The `close`
 * call closes the backend and answers once it has; `onClosed` then lets the process exit.
 */
export function serveBackend(
  port: RelayPort,
  backend: RelayedBackend,
  options: { logger: Logger; onClosed?: () => void },
): () => void {
  const { logger } = options;
  const send = (message: BackendMessage) => {
    try {
      port.postMessage(message);
    } catch (error) {
      // Main is gone: this process is about to be ended too.
      logger.warn({ error: (error as Error).message }, 'could not answer main');
    }
  };
  const stopEvents = backend.subscribe((name, payload) => send({ kind: 'event', name, payload }));

  async function answer(m: Record<string, unknown>, id: number): Promise<unknown> {
    switch (m.method) {
      case 'dispatch':
        if (!isOperationName(m.name)) {
          return {
            ok: false,
            error: {
              status: 'error',
              type: 'not_found',
              detail: `Unknown operation "${String(m.name).slice(0, 100)}".`,
            },
          };
        }
        return backend.dispatch(m.name, m.input, optionalString(m.token));
      case 'authenticate':
        return backend.authenticate(optionalString(m.token));
      case 'issueLocalToken':
        if (typeof m.sub !== 'string' || typeof m.ttlSeconds !== 'number') {
          throw new AppError('bad_request', 'issueLocalToken needs a sub and a ttlSeconds.');
        }
        return backend.issueLocalToken(m.sub, m.ttlSeconds);
      case 'close':
        stopEvents();
        await backend.close();
        return null;
      default:
        throw new AppError('bad_request', `Unknown method in call ${id}.`);
    }
  }

  port.on('message', (message: unknown) => {
    const m = message as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || m.kind !== 'call' || !Number.isSafeInteger(m.id)) {
      logger.warn({ why: 'not a call with an id' }, 'dropped a malformed message from main');
      return;
    }
    const id = m.id as number;
    answer(m, id).then(
      (value) => {
        send({ kind: 'result', id, ok: true, value });
        if (m.method === 'close') options.onClosed?.();
      },
      (error: unknown) => {
        const body =
          error instanceof AppError
            ? error.toBody()
            : {
                status: 'error' as const,
                type: 'internal_error' as const,
                detail: 'The backend failed; the details are in the log.',
              };
        if (!(error instanceof AppError)) {
          logger.error({ error: (error as Error)?.message, method: m.method }, 'a call failed');
        }
        send({ kind: 'result', id, ok: false, error: body });
      },
    );
  });

  send({ kind: 'ready', authMode: backend.authMode });
  return stopEvents;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export type { DispatchResult };
