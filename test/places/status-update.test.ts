import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEEP_SCAN_STATUSES,
  PLACE_STATUSES,
  scanStateAfterDecision,
  type DeepScanStatus,
  type PlaceStatus,
} from '../../src-shared/domain';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { readPlaces, setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

const SCAN_STATES: (DeepScanStatus | null)[] = [null, ...DEEP_SCAN_STATUSES];

interface Case {
  current: PlaceStatus;
  scan: DeepScanStatus | null;
  target: PlaceStatus;
}

const cases: Case[] = PLACE_STATUSES.flatMap((current) =>
  SCAN_STATES.flatMap((scan) => PLACE_STATUSES.map((target) => ({ current, scan, target }))),
);

const idFor = (c: Case) => `${c.current}|${c.scan ?? 'null'}|${c.target}`;

/** Step 6 of workflow.md, restated independently of the implementation. */
function expected(c: Case) {
  const updated = c.current !== c.target;
  const queued = c.target === 'Selected' && (c.scan === null || c.scan === 'Error');
  const dequeued = c.target !== 'Selected' && c.scan === 'Queued';
  const alreadyQueued = c.target === 'Selected' && (c.scan === 'Queued' || c.scan === 'Processing');
  const alreadyScanned = c.target === 'Selected' && c.scan === 'Completed';
  return {
    counts: {
      updated: updated ? 1 : 0,
      queued: queued ? 1 : 0,
      dequeued: dequeued ? 1 : 0,
      already_queued: alreadyQueued ? 1 : 0,
      already_scanned: alreadyScanned ? 1 : 0,
    },
    row: {
      status: c.target,
      deep_scan_status: queued ? 'Queued' : dequeued ? null : c.scan,
      deep_scan_error: c.scan === 'Error' && !queued ? 'HTTP 500 from the Places API' : null,
      deep_scan_attempts: queued ? 0 : c.scan === 'Error' ? 5 : 2,
      updated_by: updated || queued || dequeued ? 'reviewer-7' : null,
    },
  };
}

describe.each(STORE_KINDS)('dual-status update (step 6) on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    await places.insertPlaces(
      cases.map((c) => ({ place_id: idFor(c), name: idFor(c), status: c.current })),
    );
    for (const c of cases) {
      await setScanState(store, idFor(c), {
        deep_scan_status: c.scan,
        deep_scan_error: c.scan === 'Error' ? 'HTTP 500 from the Places API' : null,
        deep_scan_attempts: c.scan === 'Error' ? 5 : 2,
      });
    }
  });
  afterAll(() => handle.dispose());

  test.each(cases)('$current with scan $scan -> $target', async (c) => {
    const before = (await readPlaces(store, [idFor(c)])).get(idFor(c))!;
    const result = await places.updateStatus(
      { place_ids: [idFor(c)], status: c.target },
      'reviewer-7',
    );
    const want = expected(c);
    expect({
      updated: result.updated_count,
      queued: result.queued_count,
      dequeued: result.dequeued_count,
      already_queued: result.already_queued_count,
      already_scanned: result.already_scanned_count,
    }).toEqual(want.counts);
    expect(result.not_found).toEqual([]);

    const after = (await readPlaces(store, [idFor(c)])).get(idFor(c))!;
    expect({
      status: after.status,
      deep_scan_status: after.deep_scan_status,
      deep_scan_error: after.deep_scan_error,
      deep_scan_attempts: after.deep_scan_attempts,
      updated_by: after.updated_by,
    }).toEqual(want.row);
    // What the app shows for the decision before the server answers is what the store did.
    expect(scanStateAfterDecision(c.scan, c.target)).toBe(after.deep_scan_status);
    if (want.row.updated_by === null)
      expect(after.updated_at.getTime()).toBe(before.updated_at.getTime());
    else expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
  });

  test('one request over every combination gives the summed counts', async () => {
    // A second, fresh group of the same 125 combinations, updated to Selected in one request.
    const group = cases.filter((c) => c.target === 'Selected');
    const ids = group.map((c) => `batch|${idFor(c)}`);
    await places.insertPlaces(
      group.map((c, i) => ({ place_id: ids[i]!, name: ids[i]!, status: c.current })),
    );
    for (const [i, c] of group.entries())
      await setScanState(store, ids[i]!, { deep_scan_status: c.scan });
    const result = await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'reviewer-7');
    const sum = group.map(expected).reduce(
      (acc, e) => ({
        updated: acc.updated + e.counts.updated,
        queued: acc.queued + e.counts.queued,
        dequeued: acc.dequeued + e.counts.dequeued,
        already_queued: acc.already_queued + e.counts.already_queued,
        already_scanned: acc.already_scanned + e.counts.already_scanned,
      }),
      { updated: 0, queued: 0, dequeued: 0, already_queued: 0, already_scanned: 0 },
    );
    expect({
      updated: result.updated_count,
      queued: result.queued_count,
      dequeued: result.dequeued_count,
      already_queued: result.already_queued_count,
      already_scanned: result.already_scanned_count,
    }).toEqual(sum);
    expect(sum.already_queued).toBeGreaterThan(0);
    expect(sum.already_scanned).toBeGreaterThan(0);
    expect(result.message).toContain(`${sum.updated} updated, `);
    const rows = await readPlaces(store, ids);
    expect([...rows.values()].filter((r) => r.deep_scan_status === 'Queued')).toHaveLength(
      group.filter((c) => c.scan === null || c.scan === 'Error' || c.scan === 'Queued').length,
    );
  });

  test('ids that match no place are reported back, and the rest still update', async () => {
    await places.insertPlaces([{ place_id: 'known-1', name: 'Known One' }]);
    const result = await places.updateStatus(
      { place_ids: ['known-1', 'missing-1', 'missing-2', 'known-1'], status: 'Maybe' },
      'reviewer-7',
    );
    expect(result.updated_count).toBe(1);
    expect(result.not_found.sort()).toEqual(['missing-1', 'missing-2']);
    expect(result.message).toContain('2 not found');
    expect((await readPlaces(store, ['known-1'])).get('known-1')?.status).toBe('Maybe');
  });

  test('re-selecting a place whose scan failed queues it again', async () => {
    await places.insertPlaces([{ place_id: 'failed-1', name: 'Failed', status: 'Selected' }]);
    await setScanState(store, 'failed-1', {
      deep_scan_status: 'Error',
      deep_scan_error: '404',
      deep_scan_attempts: 1,
    });
    const result = await places.updateStatus(
      { place_ids: ['failed-1'], status: 'Selected' },
      'reviewer-7',
    );
    expect([result.updated_count, result.queued_count]).toEqual([0, 1]);
    const row = (await readPlaces(store, ['failed-1'])).get('failed-1')!;
    expect([row.deep_scan_status, row.deep_scan_error, row.deep_scan_attempts]).toEqual([
      'Queued',
      null,
      0,
    ]);
  });

  test('queue-deep-scan queues the NULL and Error scans of Selected places only, and leaves the status alone', async () => {
    const ids = ['q-null', 'q-error', 'q-done', 'q-running', 'q-maybe'];
    await places.insertPlaces(
      ids.map((id) => ({
        place_id: id,
        name: id,
        status: id === 'q-maybe' ? ('Maybe' as const) : ('Selected' as const),
      })),
    );
    await setScanState(store, 'q-error', { deep_scan_status: 'Error', deep_scan_error: 'x' });
    await setScanState(store, 'q-done', { deep_scan_status: 'Completed' });
    await setScanState(store, 'q-running', { deep_scan_status: 'Processing' });
    const result = await places.queueDeepScan([...ids, 'q-missing'], 'reviewer-7');
    expect([result.queued_count, result.not_selected_count]).toEqual([2, 1]);
    expect(result.not_found).toEqual(['q-missing']);
    expect(result.message).toBe(
      '2 queued for deep scan, 2 already queued, running or scanned, 1 not Selected (only Selected places are scanned), 1 not found',
    );
    const rows = await readPlaces(store, ids);
    expect(ids.map((id) => [rows.get(id)!.status, rows.get(id)!.deep_scan_status])).toEqual([
      ['Selected', 'Queued'],
      ['Selected', 'Queued'],
      ['Selected', 'Completed'],
      ['Selected', 'Processing'],
      ['Maybe', null],
    ]);
  });
});
