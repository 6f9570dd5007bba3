import { describe, expect, it } from 'vitest';
import type {
  ExportedPlace,
  ExportPlacesInput,
  ExportPlacesOutput,
} from '../../../../src-shared/contract/export';
import { AppError } from '../../../../src-shared/errors';
import { exportCsvHeader } from '../../../../src-shared/export-file';
import { runExport, type ExportProgress } from './export-run';

const placeOf = (i: number): ExportedPlace => ({
  place_id: `p${String(i).padStart(5, '0')}`,
  business_name: `Place ${i}`,
  address: null,
  category: null,
  search_location: null,
  latitude: null,
  longitude: null,
  rating: null,
  reviews_count: null,
  price_level: null,
  status: 'Maybe',
  deep_scan_status: null,
  deep_scan_error: null,
  updated_at: '2026-12-05T10:00:00.000Z',
  updated_by: null,
  local_business: null,
});

/**
 * The server's export over an in-memory store: the places in place id order, each page the
 * `size` places after `after`, and `next_after` set only when the page came out full (so a store
 * of exactly 2,000 ends with an empty third page, as the real one does). `failures` makes the
 * n-th request (1-based) fail; `during(n)` runs while request n is under way; `hold(n)` keeps
 * request n unanswered until released.
 */
function fakeServer(count: number) {
  const places = Array.from({ length: count }, (_, i) => placeOf(i));
  const requests: ExportPlacesInput[] = [];
  const failures = new Map<number, unknown>();
  let during: (n: number) => void = () => {};
  const held = new Map<number, Promise<void>>();
  const send = async (input: ExportPlacesInput): Promise<ExportPlacesOutput> => {
    const n = requests.length + 1;
    requests.push(input);
    during(n);
    await (held.get(n) ?? Promise.resolve());
    const failure = failures.get(n);
    if (failure) throw failure;
    const items = places
      .filter((p) => input.after === undefined || p.place_id > input.after)
      .slice(0, input.size);
    return {
      items,
      next_after: items.length === input.size ? items[items.length - 1]!.place_id : null,
    };
  };
  const hold = (n: number) => {
    let release: () => void = () => {};
    held.set(n, new Promise<void>((resolve) => (release = resolve)));
    return () => release();
  };
  return {
    send,
    places,
    requests,
    failures,
    hold,
    onRequest: (fn: (n: number) => void) => (during = fn),
  };
}

/** The file's data rows' place ids (the first cell: the ids have no comma or quote). */
const idsInFile = (parts: readonly string[]) =>
  parts
    .join('')
    .split('\r\n')
    .slice(1, -1)
    .map((line) => line.split(',')[0]);

const idsOf = (places: readonly ExportedPlace[]) => places.map((p) => p.place_id);

describe('exporting a filter’s places page by page', () => {
  it('asks for the pages one after another, each after the last place of the one before', async () => {
    const server = fakeServer(2_500);
    const result = await runExport({ status: 'Maybe', q: '  oak ' }, server.send);
    expect(server.requests).toEqual([
      { status: 'Maybe', q: 'oak', after: undefined, size: 1_000 },
      { status: 'Maybe', q: 'oak', after: 'p00999', size: 1_000 },
      { status: 'Maybe', q: 'oak', after: 'p01999', size: 1_000 },
    ]);
    expect(result.outcome).toBe('done');
    if (result.outcome !== 'done') return;
    // Every place once, in place id order: the pages were put together as they came.
    expect(idsInFile(result.parts)).toEqual(idsOf(server.places));
    expect(result.count).toBe(2_500);
  });

  it('sends one page at a time: the next is asked for once the one before is answered', async () => {
    const server = fakeServer(2_500);
    let inFlight = 0;
    let most = 0;
    const send = async (input: ExportPlacesInput) => {
      most = Math.max(most, ++inFlight);
      try {
        return await server.send(input);
      } finally {
        inFlight--;
      }
    };
    await runExport({}, send);
    expect(server.requests).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('the header comes once, first; each page’s rows follow it, and an empty last page adds nothing', async () => {
    // Exactly two full pages: the third is empty and ends the export.
    const server = fakeServer(2_000);
    const result = await runExport({}, server.send);
    expect(server.requests.map((r) => r.after)).toEqual([undefined, 'p00999', 'p01999']);
    if (result.outcome !== 'done') throw new Error(result.outcome);
    expect(result.parts).toHaveLength(3);
    expect(result.parts[0]).toBe(exportCsvHeader());
    const text = result.parts.join('');
    expect(text.split(exportCsvHeader())).toHaveLength(2);
    expect(text.split('\ufeff')).toHaveLength(2);
    expect(text.startsWith('\ufeffPlace ID,Name,Address,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1 + 2_000 + 1);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('no place matches: a file of the header alone, after one request', async () => {
    const server = fakeServer(0);
    const result = await runExport({ status: 'Archived' }, server.send);
    expect(server.requests).toHaveLength(1);
    expect(result).toEqual({ outcome: 'done', parts: [exportCsvHeader()], count: 0 });
  });

  it('reports the places read after each page, against the total the grid counted', async () => {
    const server = fakeServer(2_500);
    const seen: ExportProgress[] = [];
    const result = await runExport({}, server.send, {
      total: 2_500,
      onProgress: (p) => seen.push(p),
    });
    expect(seen).toEqual([
      { read: 0, total: 2_500 },
      { read: 1_000, total: 2_500 },
      { read: 2_000, total: 2_500 },
      { read: 2_500, total: 2_500 },
    ]);
    expect(result.count).toBe(2_500);
  });

  it('without a count the total stays unknown; a count passed by meanwhile grows with the places read', async () => {
    const unknown: ExportProgress[] = [];
    await runExport({}, fakeServer(1_200).send, { onProgress: (p) => unknown.push(p) });
    expect(unknown).toEqual([
      { read: 0, total: null },
      { read: 1_000, total: null },
      { read: 1_200, total: null },
    ]);
    // The grid counted 1,100, then decisions moved 100 more places into the filter.
    const grown: ExportProgress[] = [];
    await runExport({}, fakeServer(1_200).send, {
      total: 1_100,
      onProgress: (p) => grown.push(p),
    });
    expect(grown.at(-1)).toEqual({ read: 1_200, total: 1_200 });
  });

  it('Stop after page 2: no further page is asked for, and there is no file', async () => {
    const server = fakeServer(5_000);
    const stop = new AbortController();
    const result = await runExport({}, server.send, {
      total: 5_000,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.read === 2_000) stop.abort();
      },
    });
    expect(server.requests).toHaveLength(2);
    expect(result).toEqual({
      outcome: 'stopped',
      count: 2_000,
      message: 'Stopped after 2,000 of 5,000 places: no file was saved.',
    });
    expect(result).not.toHaveProperty('parts');
  });

  it('Stop while page 3 is under way ends the export at once, without its answer', async () => {
    const server = fakeServer(5_000);
    const stop = new AbortController();
    server.hold(3); // never released: the answer would never come
    server.onRequest((n) => {
      if (n === 3) setTimeout(() => stop.abort());
    });
    const result = await runExport({}, server.send, { total: 5_000, signal: stop.signal });
    expect(server.requests).toHaveLength(3);
    expect(result).toEqual({
      outcome: 'stopped',
      count: 2_000,
      message: 'Stopped after 2,000 of 5,000 places: no file was saved.',
    });
  });

  it('the page under way failing after Stop changes nothing', async () => {
    const server = fakeServer(5_000);
    const stop = new AbortController();
    const release = server.hold(2);
    server.failures.set(2, new AppError('internal_error', 'HTTP 500'));
    server.onRequest((n) => {
      if (n === 2) setTimeout(() => stop.abort());
    });
    const result = await runExport({}, server.send, { signal: stop.signal });
    release();
    await new Promise((resolve) => setTimeout(resolve));
    expect(result).toEqual({
      outcome: 'stopped',
      count: 1_000,
      message: 'Stopped after 1,000 places: no file was saved.',
    });
  });

  it('Stop before the first page asks for nothing', async () => {
    const server = fakeServer(2_500);
    const stop = new AbortController();
    stop.abort();
    const result = await runExport({}, server.send, { signal: stop.signal });
    expect(server.requests).toEqual([]);
    expect(result).toEqual({
      outcome: 'stopped',
      count: 0,
      message: 'Stopped before any place was read: no file was saved.',
    });
  });

  it('a page after the first failing: the export stops there, says why, and there is no file', async () => {
    // The place page 3 would continue after was deleted by hand meanwhile.
    const server = fakeServer(5_000);
    server.failures.set(
      3,
      new AppError(
        'conflict',
        'The place the export had reached ("p01999") is no longer in the store: start the export again.',
      ),
    );
    const result = await runExport({}, server.send, { total: 5_000 });
    expect(server.requests).toHaveLength(3);
    expect(result).toEqual({
      outcome: 'failed',
      count: 2_000,
      error: expect.objectContaining({ type: 'conflict' }),
      message:
        'Could not finish the export: The place the export had reached ("p01999") is no longer ' +
        'in the store: start the export again. It stopped after 2,000 of 5,000 places, and no ' +
        'file was saved.',
    });
    expect(result).not.toHaveProperty('parts');
  });

  it('the first page failing: the error, and that nothing was saved', async () => {
    const server = fakeServer(2_500);
    server.failures.set(1, new AppError('internal_error', 'HTTP 500'));
    const result = await runExport({}, server.send);
    expect(server.requests).toHaveLength(1);
    expect(result.outcome).toBe('failed');
    expect(result.count).toBe(0);
    expect(result.outcome === 'failed' && result.message).toBe(
      'Could not finish the export: HTTP 500. No file was saved.',
    );
  });

  it('the server gone, or anything thrown that is not an AppError, is said with its detail', async () => {
    const gone = fakeServer(2_500);
    gone.failures.set(
      2,
      new AppError('unavailable', 'Cannot reach the Staging Editor server', undefined, {
        retryAfterSeconds: 5,
      }),
    );
    const away = await runExport({}, gone.send, { total: 2_500 });
    expect(away.outcome === 'failed' && away.message).toBe(
      'Cannot reach the Staging Editor server. The export did not happen. It stopped after ' +
        '1,000 of 2,500 places, and no file was saved.',
    );

    const broken = fakeServer(2_500);
    broken.failures.set(1, new TypeError('Failed to fetch'));
    const result = await runExport({}, broken.send);
    expect(result.outcome === 'failed' && result.message).toBe(
      'Could not finish the export: Something went wrong in the app: Failed to fetch. No file was ' +
        'saved.',
    );
  });
});
