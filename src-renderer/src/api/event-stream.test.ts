import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECONNECT_BACKOFF } from './backoff';
import { openEventStream, type EventStreamHandle } from './event-stream';
import type { ServerSentEvent } from './sse-parser';
import { createTokenStore } from './token-store';

/**
 * The event stream against a fetch played by the test: each call takes the next scripted answer,
 * an open stream the test writes to and ends, or a network failure.
 */
type Answer = 'refused' | { stream: ReadableStreamDefaultController<Uint8Array> };

function fakeFetch() {
  const answers: Answer[] = [];
  let calls = 0;
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    calls++;
    await Promise.resolve();
    const next = answers.shift() ?? 'refused';
    if (next === 'refused') throw new TypeError('Failed to fetch');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        next.stream = controller;
      },
    });
    init.signal?.addEventListener('abort', () => {
      try {
        next.stream.error(new DOMException('aborted', 'AbortError'));
      } catch {
        // already closed
      }
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  /** The next fetch gets an open stream; returns a handle to write to it and end it. */
  const openNext = () => {
    const answer = { stream: undefined as unknown as ReadableStreamDefaultController<Uint8Array> };
    answers.push(answer);
    const encoder = new TextEncoder();
    return {
      send: (text: string) => answer.stream.enqueue(encoder.encode(text)),
      end: () => answer.stream.close(),
    };
  };
  return { fetch, openNext, calls: () => calls };
}

describe('the HTTP event stream', () => {
  let server: ReturnType<typeof fakeFetch>;
  let stream: EventStreamHandle | undefined;
  const changes: boolean[] = [];
  const retries: (number | null)[] = [];
  const events: ServerSentEvent[] = [];
  let reconnects = 0;

  beforeEach(() => {
    vi.useFakeTimers();
    server = fakeFetch();
    vi.stubGlobal('fetch', server.fetch);
    changes.length = 0;
    retries.length = 0;
    events.length = 0;
    reconnects = 0;
  });
  afterEach(() => {
    stream?.close();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const open = (idleTimeoutMs?: number) => {
    const storage = new Map<string, string>();
    const store = createTokenStore({
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
      removeItem: (k) => void storage.delete(k),
    });
    store.set('token-1');
    stream = openEventStream({
      tokens: store,
      onEvent: (event) => events.push(event),
      onReconnect: () => reconnects++,
      onUnauthorized: () => {},
      onConnectionChange: (connected) => changes.push(connected),
      onRetryScheduled: (at) => retries.push(at === null ? null : at - Date.now()),
      // No spread: 500 ms, 1 s, 2 s, 4 s, 4 s...
      backoff: { ...RECONNECT_BACKOFF, random: () => 0.5 },
      idleTimeoutMs,
    });
  };

  it('says when the stream is lost, retries by itself, and says when it is back', async () => {
    const first = server.openNext();
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toEqual([true]);
    first.send('event: placesChanged\ndata: {"place_ids":["a"]}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ event: 'placesChanged', data: '{"place_ids":["a"]}' }]);

    // The server goes away: the stream ends, and the next attempt can't connect.
    first.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(500); // first retry, refused
    expect(server.calls()).toBe(2);
    expect(changes).toEqual([true, false]);

    // It is back: the next retry connects; the caller re-reads what it shows.
    const second = server.openNext();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls()).toBe(3);
    expect(changes).toEqual([true, false, true]);
    expect(reconnects).toBe(1);
    second.send('event: placesChanged\ndata: {"place_ids":null}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toHaveLength(2);
  });

  it('a first connection that fails counts as lost', async () => {
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toEqual([false]);
    expect(reconnects).toBe(0);
  });

  it('a stream that hears nothing for the idle timeout is dropped and opened again', async () => {
    const silent = server.openNext();
    open(60_000);
    await vi.advanceTimersByTimeAsync(0);
    silent.send(': connected\n\n');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(changes).toEqual([true]);
    server.openNext();
    await vi.advanceTimersByTimeAsync(1_000); // silence reaches 60 s: dropped
    expect(changes).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(500); // the retry connects
    expect(changes).toEqual([true, false, true]);
    expect(server.calls()).toBe(2);
  });

  it('waits at most 4 s between attempts however long the server is away, and says when', async () => {
    open();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 8; i++) await vi.advanceTimersByTimeAsync(4_000);
    const waits = retries.filter((wait): wait is number => wait !== null);
    expect(waits.slice(0, 6)).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    // Between two waits the attempt itself is under way (null: "trying now").
    expect(retries.slice(0, 4)).toEqual([500, null, 1_000, null]);
  });

  it('reconnectNow skips the wait: the server is back as soon as anyone knows it', async () => {
    open();
    await vi.advanceTimersByTimeAsync(0);
    for (const step of [500, 1_000, 2_000]) await vi.advanceTimersByTimeAsync(step);
    expect(server.calls()).toBe(4);
    expect(changes).toEqual([false]);
    server.openNext();
    stream!.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls()).toBe(5);
    expect(changes).toEqual([false, true]);
    // Asking while connected does nothing.
    stream!.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls()).toBe(5);
  });
});
