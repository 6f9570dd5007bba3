import { EVENTS_HTTP_PATH } from '../../../src-shared/contract';
import { backoffDelayMs, RECONNECT_BACKOFF, type BackoffOptions } from './backoff';
import { SseParser, type ServerSentEvent } from './sse-parser';
import type { TokenStore } from './token-store';

export interface EventStreamOptions {
  tokens: TokenStore;
  onEvent(event: ServerSentEvent): void;
  /** The stream came back after a break: the caller should re-read what it shows. */
  onReconnect(): void;
  /** The server refused the token: the stream waits for a new one. */
  onUnauthorized(): void;
  /** The stream is up (true), or broke or could not connect and is retrying (false). */
  onConnectionChange?(connected: boolean): void;
  /** While lost: when the next attempt starts (epoch ms), or null while one is under way. */
  onRetryScheduled?(retryAt: number | null): void;
  /** The waits between attempts (tests pass a seeded `random`). */
  backoff?: BackoffOptions;
  /**
   * Silence longer than this counts as a dropped connection (the server sends a comment every
   * 25 s, so a stream that hears nothing for a minute has lost its server without being told).
   */
  idleTimeoutMs?: number;
}

const IDLE_TIMEOUT_MS = 60_000;

export interface EventStreamHandle {
  /** Stops it for good. */
  close(): void;
  /** Skips the wait before the next attempt (the server answered a call, the user asked). */
  reconnectNow(): void;
}

/**
 * The HTTP event stream: `fetch` (so the bearer header can be sent, which EventSource can't do)
 * read chunk by chunk, reconnecting with a capped backoff.
 */
export function openEventStream(options: EventStreamOptions): EventStreamHandle {
  const controller = new AbortController();
  const waiting: Waiting = { wake: null };
  void runStream(options, controller.signal, waiting);
  return {
    close: () => controller.abort(),
    reconnectNow: () => waiting.wake?.(),
  };
}

interface Waiting {
  /** Set while the stream waits to retry: ends the wait at once. */
  wake: (() => void) | null;
}

async function runStream(
  options: EventStreamOptions,
  signal: AbortSignal,
  waiting: Waiting,
): Promise<void> {
  const backoff = options.backoff ?? RECONNECT_BACKOFF;
  let failures = 0;
  let connectedBefore = false;
  let connected: boolean | null = null;
  const setConnected = (value: boolean) => {
    if (connected === value || signal.aborted) return;
    connected = value;
    options.onConnectionChange?.(value);
  };
  while (!signal.aborted) {
    const token = options.tokens.get();
    if (!token) {
      await nextToken(options.tokens, signal);
      continue;
    }
    // One controller per connection: stopping for good aborts it, and so does a silent server.
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener('abort', stop);
    try {
      const response = await fetch(EVENTS_HTTP_PATH, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: connection.signal,
      });
      if (response.status === 401) {
        options.onUnauthorized();
        await nextToken(options.tokens, signal, token);
        continue;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      failures = 0;
      setConnected(true);
      if (connectedBefore) options.onReconnect();
      connectedBefore = true;
      await readEvents(
        response.body,
        options.onEvent,
        connection,
        options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      );
    } catch {
      if (signal.aborted) return;
    } finally {
      signal.removeEventListener('abort', stop);
      connection.abort();
    }
    setConnected(false);
    const delay = backoffDelayMs(failures++, backoff);
    options.onRetryScheduled?.(Date.now() + delay);
    const woken = await sleep(delay, signal, waiting);
    if (woken) failures = 0; // asked to try now: a fresh start if this attempt fails too
    if (!signal.aborted) options.onRetryScheduled?.(null);
  }
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  connection: AbortController,
  idleTimeoutMs: number,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const quiet = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      connection.abort();
      void reader.cancel().catch(() => {});
    }, idleTimeoutMs);
  };
  try {
    for (;;) {
      quiet();
      const { done, value } = await reader.read();
      if (done || connection.signal.aborted) return;
      for (const event of parser.feed(decoder.decode(value, { stream: true }))) onEvent(event);
    }
  } finally {
    clearTimeout(idle);
  }
}

function nextToken(tokens: TokenStore, signal: AbortSignal, current?: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = tokens.subscribe(() => {
      const token = tokens.get();
      if (token && token !== current) finish();
    });
    const finish = () => {
      stop();
      signal.removeEventListener('abort', finish);
      resolve();
    };
    signal.addEventListener('abort', finish);
  });
}

/** Waits `ms`, or less if stopped or woken; resolves true when woken. */
function sleep(ms: number, signal: AbortSignal, waiting: Waiting): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const onAbort = () => done(false);
    function done(woken: boolean) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      waiting.wake = null;
      resolve(woken);
    }
    waiting.wake = () => done(true);
    signal.addEventListener('abort', onAbort);
  });
}
