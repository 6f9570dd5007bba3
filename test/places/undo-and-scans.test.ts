import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import type { ClaimedPlace, ScanQueue } from '../../src-main/scan/queue';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { execRaw, readPlaces, setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

/**
 * Undo meets the scheduler: the scan may have moved on between a reviewer's update and their
 * undo. Undo puts back the reviewer's status; the scan state it leaves is step 6's rule applied
 * to the row as it is now, never an old scan state copied from the journal.
 */
describe.each(STORE_KINDS)('undo after the scan moved on, on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let queue: ScanQueue;
  let n = 0;
  let id: string;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    queue = scanQueueFor(store);
    await queue.prepare(5);
  });
  afterAll(() => handle.dispose());

  beforeEach(async () => {
    id = `scan-undo-${n++}`;
    await places.insertPlaces([{ place_id: id, name: id }]);
    // A full rate-limit bucket, so a claim is never held back by it.
    await execRaw(
      store,
      kind === 'postgres'
        ? `UPDATE scan_control SET rate_tokens = 1000, rate_refilled_at = now(), paused_until = NULL`
        : `UPDATE scan_control SET rate_tokens = 1000, rate_refilled_at = ${Date.now()}, paused_until = NULL`,
    );
  });

  async function claimOne(): Promise<ClaimedPlace> {
    const { places: claimed } = await queue.claim({
      workerId: 'worker-test',
      token: randomUUID(),
      limit: 1,
      leaseMs: 60_000,
      ratePerSecond: 1000,
    });
    expect(claimed.map((c) => c.placeId)).toEqual([id]);
    return claimed[0]!;
  }

  /** The place's scan columns; on PostgreSQL a claim is a lease row (sql/pg/0019). */
  async function scanColumns() {
    if (store.kind === 'postgres') {
      const query = `SELECT p.status,
          CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN 'Processing'
            ELSE p.deep_scan_status END AS deep_scan_status,
          p.deep_scan_error, COALESCE(l.attempt, p.deep_scan_attempts) AS deep_scan_attempts,
          l.claim_token AS deep_scan_claim_token, l.expires_at AS deep_scan_lease_expires_at,
          p.deep_scan_claim_token AS column_token, p.deep_scan_lease_expires_at AS column_lease
        FROM places_staging p LEFT JOIN deep_scan_leases l ON l.place_row = p.id
        WHERE p.place_id = $1`;
      const row = (await store.pool.query(query, [id])).rows[0];
      // The PostgreSQL queue never writes the place's own claim columns.
      expect([row.column_token, row.column_lease]).toEqual([null, null]);
      const { column_token: _, column_lease: __, ...rest } = row;
      return rest;
    }
    const query = `SELECT status, deep_scan_status, deep_scan_error, deep_scan_attempts,
        deep_scan_claim_token, deep_scan_lease_expires_at FROM places_staging WHERE place_id = ?`;
    return store.sqlite.prepare(query).get(id);
  }

  test('Selected -> claimed -> Not a Fit -> the call fails -> undo: Selected and queued, never Processing without a claim', async () => {
    await places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');
    const claim = await claimOne();
    const rejected = await places.updateStatus({ place_ids: [id], status: 'Not a Fit' }, 'rev-a');
    expect(rejected.undo_token).toEqual(expect.any(String));
    // The in-flight call fails transiently: the attempt ends without a result.
    await queue.retryLater(claim, 'HTTP 503 from the Places API', 0);

    const undo = await places.undoStatusUpdate(rejected.undo_token!, 'rev-a');
    expect([undo.restored_count, undo.skipped_count]).toEqual([1, 0]);
    const row = await scanColumns();
    expect(row).toMatchObject({
      status: 'Selected',
      deep_scan_status: 'Queued',
      deep_scan_claim_token: null,
      deep_scan_lease_expires_at: null,
    });
    // And the scheduler can take it again: it is really in the queue.
    const again = await claimOne();
    expect(again.attempt).toBeGreaterThanOrEqual(1);
  });

  test('undo never writes an old scan error and attempt count over a newer attempt', async () => {
    await setScanState(store, id, {
      deep_scan_status: 'Error',
      deep_scan_error: 'old: HTTP 500',
      deep_scan_attempts: 5,
    });
    const selected = await places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');
    const claim = await claimOne();
    await queue.retryLater(claim, 'new: HTTP 503', 60_000);

    await places.undoStatusUpdate(selected.undo_token!, 'rev-a');
    // Back to New: step 6 takes a place still waiting in the queue out of it; the newer attempt's
    // error and count stay.
    expect(await scanColumns()).toMatchObject({
      status: 'New',
      deep_scan_status: null,
      deep_scan_error: 'new: HTTP 503',
      deep_scan_attempts: 1,
    });
  });

  test('undo while the scan is running restores the status and leaves the scan running', async () => {
    await places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');
    const claim = await claimOne();
    const maybe = await places.updateStatus({ place_ids: [id], status: 'Maybe' }, 'rev-a');
    const undo = await places.undoStatusUpdate(maybe.undo_token!, 'rev-a');
    expect(undo.restored_count).toBe(1);
    expect(await scanColumns()).toMatchObject({
      status: 'Selected',
      deep_scan_status: 'Processing',
      deep_scan_claim_token: claim.token,
    });
  });

  test('an untouched update is undone exactly, a failed scan included', async () => {
    await setScanState(store, id, {
      deep_scan_status: 'Error',
      deep_scan_error: 'HTTP 404',
      deep_scan_attempts: 1,
    });
    const before = await readPlaces(store, [id]);
    const selected = await places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');
    await places.undoStatusUpdate(selected.undo_token!, 'rev-a');
    expect(await readPlaces(store, [id])).toEqual(before);
  });
});
