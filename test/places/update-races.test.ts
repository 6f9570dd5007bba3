import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import pg from 'pg';
import type { PgStore } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { waitForLockWaiters } from '../support/lock-waiters';
import { readPlaces, setScanState } from '../support/places';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * The status update under concurrent writers on PostgreSQL (READ COMMITTED): a claim, another
 * reviewer or an import commits while the update waits for a row lock. The reply, the undo
 * journal and the rows written must all describe the rows as they are once locked. (SQLite runs
 * the whole update under BEGIN IMMEDIATE: no other writer can commit in between.)
 */
describe('status update races on PostgreSQL', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let places: PlacesService;
  let other: pg.Client;
  let n = 0;
  let prefix: string;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
    places = createPlacesService(placesRepositoryFor(store));
    other = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await handle.dispose();
  });
  beforeEach(() => {
    prefix = `race-${n++}`;
  });

  test('a claim that commits while "Not a Fit" waits: the reply counts no dequeue', async () => {
    const id = `${prefix}-claimed`;
    await places.insertPlaces([{ place_id: id, name: id }]);
    await places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');

    // A worker's claim as the PostgreSQL queue makes it (the place locked, a lease row added:
    // src-main/scan/pg-queue.ts), committed only after the reviewer's update is waiting for the row.
    await other.query('BEGIN');
    await other.query(`SELECT id FROM places_staging WHERE place_id = $1 FOR UPDATE`, [id]);
    await other.query(
      `INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
       SELECT id, 't', 'w', deep_scan_attempts + 1, now() + interval '1 minute'
       FROM places_staging WHERE place_id = $1`,
      [id],
    );
    const update = places.updateStatus({ place_ids: [id], status: 'Not a Fit' }, 'rev-a');
    await waitForLockWaiters(store.pool, 1);
    await other.query('COMMIT');
    const result = await update;

    const row = (await readPlaces(store, [id])).get(id)!;
    expect([row.status, row.deep_scan_status]).toEqual(['Not a Fit', 'Processing']);
    expect([result.updated_count, result.dequeued_count]).toEqual([1, 0]);
    expect(result.message).not.toContain('removed from the deep scan queue');
  });

  test('two reviewers set the same place to Maybe at once: one updates it, the other keeps its undo', async () => {
    const id = `${prefix}-contested`;
    const earlier = `${prefix}-earlier`;
    await places.insertPlaces([
      { place_id: id, name: id },
      { place_id: earlier, name: earlier },
    ]);
    // Reviewer B's previous update, which B may still undo.
    const bEarlier = await places.updateStatus(
      { place_ids: [earlier], status: 'Archived' },
      'rev-b',
    );

    // Hold the row so both requests start (and take their snapshots) before either can lock it.
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE', [id]);
    const a = places.updateStatus({ place_ids: [id], status: 'Maybe' }, 'rev-a');
    const b = places.updateStatus({ place_ids: [id], status: 'Maybe' }, 'rev-b');
    await waitForLockWaiters(store.pool, 2);
    await other.query('COMMIT');
    const results = await Promise.all([a, b]);

    expect(results.map((r) => r.updated_count).sort()).toEqual([0, 1]);
    const winner = results.find((r) => r.updated_count === 1)!;
    const loser = results.find((r) => r.updated_count === 0)!;
    expect(winner.undo_token).toEqual(expect.any(String));
    expect(loser.undo_token).toBeNull();
    const row = (await readPlaces(store, [id])).get(id)!;
    expect(row.status).toBe('Maybe');
    expect(row.updated_by).toBe(winner === results[0] ? 'rev-a' : 'rev-b');

    // The loser changed nothing, so its earlier update is still its last one, and undoable.
    if (loser === results[1]) {
      const undo = await places.undoStatusUpdate(bEarlier.undo_token!, 'rev-b');
      expect(undo.restored_count).toBe(1);
      expect((await readPlaces(store, [earlier])).get(earlier)!.status).toBe('New');
    }
  });

  test('the filter form changes exactly the rows it counted, not rows imported meanwhile', async () => {
    const ids = [1, 2, 3].map((i) => `${prefix}-old-${i}`);
    await places.insertPlaces(ids.map((id) => ({ place_id: id, name: id })));
    await places.updateStatus({ place_ids: ids, status: 'Maybe' }, 'rev-a');
    const { Maybe: maybeBefore, Archived: archivedBefore } = (await places.summary()).by_status;

    // An import lands while the update waits for a row lock held by another transaction.
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE', [ids[0]]);
    const update = places.updateStatus(
      { filter: { status: 'Maybe' }, status: 'Archived' },
      'rev-a',
    );
    await waitForLockWaiters(store.pool, 1);
    const imported = [1, 2, 3, 4, 5].map((i) => `${prefix}-imported-${i}`);
    for (const id of imported) {
      await other.query(
        `INSERT INTO places_staging (place_id, name, status) VALUES ($1, $1, 'Maybe')`,
        [id],
      );
    }
    await other.query('COMMIT');
    const result = await update;

    expect(result.updated_count).toBe(maybeBefore);
    const rows = await readPlaces(store);
    // Every row the reply counted is Archived; every row imported meanwhile is untouched.
    expect(imported.map((id) => rows.get(id)!.status)).toEqual(imported.map(() => 'Maybe'));
    expect([...rows.values()].filter((r) => r.status === 'Archived')).toHaveLength(
      archivedBefore + result.updated_count,
    );
    // And undo puts back exactly those.
    const undo = await places.undoStatusUpdate(result.undo_token!, 'rev-a');
    expect([undo.restored_count, undo.skipped_count]).toEqual([maybeBefore, 0]);
    expect((await places.summary()).by_status.Maybe).toBe(maybeBefore + imported.length);
  });

  test('a place queued while "Selected" waits is counted as already queued', async () => {
    const id = `${prefix}-queued-meanwhile`;
    await places.insertPlaces([{ place_id: id, name: id, status: 'Maybe' }]);
    await other.query('BEGIN');
    await other.query(
      `UPDATE places_staging SET deep_scan_status = 'Queued', deep_scan_next_attempt_at = now()
       WHERE place_id = $1`,
      [id],
    );
    const update = places.updateStatus({ place_ids: [id], status: 'Selected' }, 'rev-a');
    await waitForLockWaiters(store.pool, 1);
    await other.query('COMMIT');
    const result = await update;
    expect([result.updated_count, result.queued_count, result.already_queued_count]).toEqual([
      1, 0, 1,
    ]);
    await setScanState(store, id, { deep_scan_status: null });
  });
});
