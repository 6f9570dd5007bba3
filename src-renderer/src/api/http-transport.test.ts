import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from './http-transport';
import { createTokenStore } from './token-store';

/**
 * The browser transport against a fetch played by the test: the event stream is refused while
 * `down`, and calls answer (or fail to connect) the same way.
 */
function playServer() {
  const state = { down: false, streams: 0, calls: 0 };
  const fetch = vi.fn(async (url: string) => {
    await Promise.resolve();
    if (state.down) throw new TypeError('Failed to fetch');
    if (url.startsWith('/api/v3/events')) {
      state.streams++;
      const body = new ReadableStream<Uint8Array>({});
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    state.calls++;
    return new Response(JSON.stringify({ status: 'ok' }), { status: 200 });
  });
  return { state, fetch };
}

describe('the browser transport', () => {
  let server: ReturnType<typeof playServer>;
  beforeEach(() => {
    vi.useFakeTimers();
    server = playServer();
    vi.stubGlobal('fetch', server.fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const transport = () => {
    const storage = new Map<string, string>([['staging-editor.token', 'token-1']]);
    const tokens = createTokenStore({
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
      removeItem: (k) => void storage.delete(k),
    });
    return createHttpTransport(tokens, () => {});
  };

  it('an answer to any call while the stream is lost makes it reconnect at once', async () => {
    const http = transport();
    const stop = http.subscribe('placesChanged', () => {});
    server.state.down = true;
    await http.invoke('health', {}).catch(() => {}); // the first answer lets the stream open
    await vi.advanceTimersByTimeAsync(0);
    // Away long enough for the wait between attempts to reach its cap.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(http.connection()).toBe(false);
    const lost = http.connectionStatus!();
    expect(lost.state).toBe('reconnecting');

    server.state.down = false;
    await http.invoke('health', {});
    await vi.advanceTimersByTimeAsync(0);
    // Connected without waiting for the next scheduled attempt.
    expect(http.connection()).toBe(true);
    expect(http.connectionStatus!().state).toBe('live');
    stop();
  });

  it('says when the next attempt starts, and Try now starts it', async () => {
    const http = transport();
    const stop = http.subscribe('placesChanged', () => {});
    server.state.down = true;
    await http.invoke('health', {}).catch(() => {});
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(5_000);
    const { retryAt } = http.connectionStatus!();
    expect(retryAt).not.toBeNull();
    expect(retryAt! - Date.now()).toBeGreaterThan(0);
    expect(retryAt! - Date.now()).toBeLessThanOrEqual(4_800);

    server.state.down = false;
    http.reconnectNow!();
    await vi.advanceTimersByTimeAsync(0);
    expect(http.connection()).toBe(true);
    stop();
  });
});
