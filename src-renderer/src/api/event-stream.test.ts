import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEventStream } from './event-stream';
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
  let stop: () => void;
  const changes: boolean[] = [];
  const events: ServerSentEvent[] = [];
  let reconnects = 0;

  beforeEach(() => {
    vi.useFakeTimers();
    server = fakeFetch();
    vi.stubGlobal('fetch', server.fetch);
    changes.length = 0;
    events.length = 0;
    reconnects = 0;
  });
  afterEach(() => {
    stop?.();
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
    stop = openEventStream({
      tokens: store,
      onEvent: (event) => events.push(event),
      onReconnect: () => reconnects++,
      onUnauthorized: () => {},
      onConnectionChange: (connected) => changes.push(connected),
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
    await vi.advanceTimersByTimeAsync(1_300); // first retry, refused
    expect(server.calls()).toBe(2);
    expect(changes).toEqual([true, false]);

    // It is back: the next retry connects; the caller re-reads what it shows.
    const second = server.openNext();
    await vi.advanceTimersByTimeAsync(2_500);
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
    await vi.advanceTimersByTimeAsync(1_300); // the retry connects
    expect(changes).toEqual([true, false, true]);
    expect(server.calls()).toBe(2);
  });
});
