import { describe, expect, it } from 'vitest';
import type {
  ImportPlace,
  ImportPlacesInput,
  ImportPlacesOutput,
} from '../../../../src-shared/contract/import';
import { AppError } from '../../../../src-shared/errors';
import { runImport, type ImportProgress } from './import-run';

/**
 * The server's import over an in-memory store: a place id it already has is skipped, and
 * `failures` makes the n-th request (1-based) fail before anything is written. `during(n)` runs
 * while request n is under way (a reviewer pressing Stop, say).
 */
function fakeServer(storeHas: readonly string[] = []) {
  const store = new Set(storeHas);
  const requests: string[][] = [];
  const failures = new Map<number, unknown>();
  let during: (n: number) => void = () => {};
  const send = async ({ places }: ImportPlacesInput): Promise<ImportPlacesOutput> => {
    const n = requests.length + 1;
    requests.push(places.map((p) => p.place_id));
    during(n);
    await Promise.resolve();
    const failure = failures.get(n);
    if (failure) throw failure;
    let inserted = 0;
    for (const { place_id } of places) {
      if (!store.has(place_id)) inserted++;
      store.add(place_id);
    }
    return { message: '', inserted, skipped: places.length - inserted };
  };
  return {
    send,
    store,
    requests,
    failures,
    onRequest: (fn: (n: number) => void) => (during = fn),
  };
}

const placesOf = (count: number): ImportPlace[] =>
  Array.from({ length: count }, (_, i) => ({
    place_id: `p${String(i).padStart(5, '0')}`,
    business_name: `Place ${i}`,
  }));

const file = placesOf(2_500);
const ids = file.map((p) => p.place_id);

describe('importing a file in requests', () => {
  it('sends the chunks one at a time, in the file’s order, each place once', async () => {
    const server = fakeServer();
    let inFlight = 0;
    let most = 0;
    const send = async (input: ImportPlacesInput) => {
      most = Math.max(most, ++inFlight);
      try {
        return await server.send(input);
      } finally {
        inFlight--;
      }
    };
    const result = await runImport(file, send);
    expect(server.requests.map((r) => r.length)).toEqual([1_000, 1_000, 500]);
    expect(server.requests.flat()).toEqual(ids);
    expect(most).toBe(1);
    expect(result.outcome).toBe('done');
  });

  it('adds up the answers: progress after each request, and the totals in the message', async () => {
    // 300 of the file's places are in the store already, all of them in the second chunk.
    const server = fakeServer(ids.slice(1_200, 1_500));
    const seen: ImportProgress[] = [];
    const result = await runImport(file, server.send, { onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([
      { sent: 0, total: 2_500, inserted: 0, skipped: 0 },
      { sent: 1_000, total: 2_500, inserted: 1_000, skipped: 0 },
      { sent: 2_000, total: 2_500, inserted: 1_700, skipped: 300 },
      { sent: 2_500, total: 2_500, inserted: 2_200, skipped: 300 },
    ]);
    expect(result).toEqual({
      outcome: 'done',
      progress: { sent: 2_500, total: 2_500, inserted: 2_200, skipped: 300 },
      message: '2,200 places imported, 300 already in the store',
    });
  });

  it('the same file again: every place is skipped', async () => {
    const server = fakeServer();
    await runImport(file, server.send);
    const again = await runImport(file, server.send);
    expect(again.message).toBe('0 places imported, 2,500 already in the store');
    expect(server.store.size).toBe(2_500);
  });

  it('Stop while chunk 2 is under way: chunk 2 is answered, no chunk after it is sent', async () => {
    const server = fakeServer();
    const stop = new AbortController();
    server.onRequest((n) => {
      if (n === 2) stop.abort();
    });
    const result = await runImport(file, server.send, { signal: stop.signal });
    expect(server.requests.map((r) => r.length)).toEqual([1_000, 1_000]);
    expect([...server.store]).toEqual(ids.slice(0, 2_000));
    expect(result).toEqual({
      outcome: 'stopped',
      progress: { sent: 2_000, total: 2_500, inserted: 2_000, skipped: 0 },
      message:
        'Stopped after 2,000 of 2,500 places: 2,000 places imported. Those places are in the ' +
        'store: importing the same file again skips them and adds the rest.',
    });
  });

  it('Stop before the first request sends nothing', async () => {
    const server = fakeServer();
    const stop = new AbortController();
    stop.abort();
    const result = await runImport(file, server.send, { signal: stop.signal });
    expect(server.requests).toEqual([]);
    expect(result.outcome).toBe('stopped');
    expect(result.message).toBe('Stopped before any place was sent: nothing was imported.');
  });

  it('a failed request stops the import and reports the requests answered before it', async () => {
    // Chunk 1 adds 990 (10 already in), then chunk 2 fails: the team store went away.
    const server = fakeServer(ids.slice(0, 10));
    server.failures.set(
      2,
      new AppError('unavailable', 'The shared store is unreachable', undefined, {
        retryAfterSeconds: 5,
      }),
    );
    const result = await runImport(file, server.send);
    expect(server.requests.map((r) => r.length)).toEqual([1_000, 1_000]);
    expect(result.outcome).toBe('failed');
    expect(result.progress).toEqual({ sent: 1_000, total: 2_500, inserted: 990, skipped: 10 });
    expect(result.message).toBe(
      'The shared store is unreachable. The rest of the import did not happen. The import ' +
        'stopped after 1,000 of 2,500 places: 990 places imported, 10 already in the store. ' +
        'Those places are in the store: importing the same file again skips them and adds the rest.',
    );
    expect(result.outcome === 'failed' && result.error.type).toBe('unavailable');
  });

  it('a failure of the first request: the error, and no word of places that are in', async () => {
    const server = fakeServer();
    server.failures.set(1, new AppError('internal_error', 'HTTP 500'));
    const result = await runImport(file, server.send);
    expect(result.progress.sent).toBe(0);
    expect(result.message).toBe('Could not finish the import: HTTP 500');
  });

  it('anything thrown (not an AppError) is reported as the app’s error, with its detail', async () => {
    const server = fakeServer();
    server.failures.set(3, new TypeError('Failed to fetch'));
    const result = await runImport(file, server.send);
    expect(result.progress).toMatchObject({ sent: 2_000, inserted: 2_000 });
    expect(result.message).toMatch(
      /^Could not finish the rest of the import: Something went wrong in the app: Failed to fetch\. The import stopped after 2,000 of 2,500 places/,
    );
  });
});
