import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import type { ScanQueue } from '../../src-main/scan/queue';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { rawQuery } from '../scan/support/stores';

/**
 * status_revision is kept by the database: +1 on every change of status, whoever writes it (a
 * reviewer's update, undo, SQL by hand), never by the scheduler's writes (which leave status be).
 */
describe.each(STORE_KINDS)('status_revision on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let queue: ScanQueue;
  let n = 0;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    queue = scanQueueFor(store);
    await queue.prepare(5);
  });
  afterAll(async () => {
    await queue.close();
    await handle.dispose();
  });

  async function freshPlaces(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `rev-${n}-${i}`);
    n++;
    await places.insertPlaces(ids.map((id) => ({ place_id: id, name: id })));
    return ids;
  }

  async function revisions(ids: string[]): Promise<number[]> {
    const rows = await rawQuery<{ place_id: string; status_revision: number }>(
      store,
      'SELECT place_id, status_revision FROM places_staging ORDER BY place_id',
    );
    const byId = new Map(rows.map((r) => [r.place_id, Number(r.status_revision)]));
    return ids.map((id) => byId.get(id)!);
  }

  test('new places start at 0; a reviewer update bumps exactly the places whose status changed', async () => {
    const ids = await freshPlaces(3);
    expect(await revisions(ids)).toEqual([0, 0, 0]);
    await places.updateStatus({ place_ids: [ids[0]!, ids[1]!], status: 'Maybe' }, 'rev-a');
    expect(await revisions(ids)).toEqual([1, 1, 0]);
    // Same status again: nothing changes, no bump.
    await places.updateStatus({ place_ids: ids, status: 'Maybe' }, 'rev-a');
    expect(await revisions(ids)).toEqual([1, 1, 1]);
    await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'rev-b');
    expect(await revisions(ids)).toEqual([2, 2, 2]);
  });

  test('undo bumps it (the status changes back)', async () => {
    const ids = await freshPlaces(2);
    const update = await places.updateStatus({ place_ids: ids, status: 'Not a Fit' }, 'rev-a');
    expect(await revisions(ids)).toEqual([1, 1]);
    await places.undoStatusUpdate(update.undo_token!, 'rev-a');
    expect(await revisions(ids)).toEqual([2, 2]);
  });

  test('plain SQL updates of status bump it; of other columns do not; a hand-written revision does not win on PostgreSQL', async () => {
    const ids = await freshPlaces(1);
    const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
    await rawQuery(
      store,
      `UPDATE places_staging SET status = 'Archived' WHERE place_id = ${p(1)}`,
      [ids[0]],
    );
    expect(await revisions(ids)).toEqual([1]);
    await rawQuery(
      store,
      `UPDATE places_staging SET status = 'Archived', notes = 'x' WHERE place_id = ${p(1)}`,
      [ids[0]],
    );
    await rawQuery(store, `UPDATE places_staging SET name = 'renamed' WHERE place_id = ${p(1)}`, [
      ids[0],
    ]);
    expect(await revisions(ids)).toEqual([1]);
    if (kind === 'postgres') {
      // The server's revision belongs to the database.
      await rawQuery(
        store,
        `UPDATE places_staging SET status_revision = 0 WHERE place_id = ${p(1)}`,
        [ids[0]],
      );
      await rawQuery(
        store,
        `UPDATE places_staging SET status = 'New', status_revision = 99 WHERE place_id = ${p(1)}`,
        [ids[0]],
      );
      expect(await revisions(ids)).toEqual([2]);
    } else {
      // A replica takes the server's status and revision (a pull): status, then the revision.
      await rawQuery(store, `UPDATE places_staging SET status = 'New' WHERE place_id = ${p(1)}`, [
        ids[0],
      ]);
      expect(await revisions(ids)).toEqual([2]);
      await rawQuery(
        store,
        `UPDATE places_staging SET status_revision = 7 WHERE place_id = ${p(1)}`,
        [ids[0]],
      );
      expect(await revisions(ids)).toEqual([7]);
    }
  });

  test("the scan queue's claim, retry, fail and complete never bump it", async () => {
    const ids = await freshPlaces(3);
    await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'rev-a');
    expect(await revisions(ids)).toEqual([1, 1, 1]);
    const claim = () =>
      queue.claim({
        workerId: 'w1',
        token: randomUUID(),
        limit: 10,
        leaseMs: 60_000,
        ratePerSecond: 10_000,
      });
    const first = await claim();
    const mine = first.places.filter((c) => ids.includes(c.placeId));
    expect(mine.map((c) => c.placeId).sort()).toEqual([...ids].sort());
    const byId = new Map(mine.map((c) => [c.placeId, c]));
    expect(await queue.retryLater(byId.get(ids[0]!)!, 'HTTP 503', 0)).toBe(true);
    expect(await queue.fail(byId.get(ids[1]!)!, 'HTTP 404')).toBe(true);
    expect(
      await queue.complete(byId.get(ids[2]!)!, { place_id: ids[2]!, business_name: 'Done' }),
    ).toBe(true);
    const again = await claim();
    const retried = again.places.find((c) => c.placeId === ids[0]);
    expect(retried).toBeDefined();
    expect(await queue.complete(retried!, { place_id: ids[0]!, business_name: 'Done' })).toBe(true);
    const scans = await rawQuery<{ deep_scan_status: string }>(
      store,
      `SELECT deep_scan_status FROM places_staging WHERE place_id IN ('${ids.join("','")}') ORDER BY place_id`,
    );
    expect(scans.map((s) => s.deep_scan_status)).toEqual(['Completed', 'Error', 'Completed']);
    expect(await revisions(ids)).toEqual([1, 1, 1]);
  });
});
