import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { UNDO_JOURNAL_DEPTH, UNDO_WINDOW_SECONDS } from '../../src-shared/domain';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { readPlaces, setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

const IDS = ['u-1', 'u-2', 'u-3'];

describe.each(STORE_KINDS)('undo of recent status updates on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let now = new Date();
  let n = 0;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store), () => now);
  });
  afterAll(() => handle.dispose());

  // Fresh places for each test (distinct ids), with one scan already failed.
  let ids: string[];
  beforeEach(async () => {
    now = new Date(Date.now() + n * 1000);
    ids = IDS.map((id) => `${id}-${n}`);
    n++;
    await places.insertPlaces(ids.map((id) => ({ place_id: id, name: id })));
    await setScanState(store, ids[2]!, {
      deep_scan_status: 'Error',
      deep_scan_error: 'HTTP 404',
      deep_scan_attempts: 1,
    });
  });

  test('puts every row back exactly as it was', async () => {
    const before = await readPlaces(store, ids);
    const result = await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'rev-a');
    expect(result.undo_token).toEqual(expect.any(String));
    expect([...(await readPlaces(store, ids)).values()].map((r) => r.deep_scan_status)).toEqual([
      'Queued',
      'Queued',
      'Queued',
    ]);
    const undo = await places.undoStatusUpdate(result.undo_token!, 'rev-a');
    expect([undo.restored_count, undo.skipped_count]).toEqual([3, 0]);
    expect(await readPlaces(store, ids)).toEqual(before);
  });

  test('restores the status of a place whose scan has started and leaves the scan running; leaves one changed by someone else since', async () => {
    const result = await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'rev-a');
    await setScanState(store, ids[0]!, { deep_scan_status: 'Processing' });
    await places.updateStatus({ place_ids: [ids[1]!], status: 'Maybe' }, 'rev-b');
    const undo = await places.undoStatusUpdate(result.undo_token!, 'rev-a');
    expect([undo.restored_count, undo.skipped_count]).toEqual([2, 1]);
    expect(undo.message).toBe('Undone: 2 places restored, 1 left as it is (changed since)');
    const rows = await readPlaces(store, ids);
    expect(ids.map((id) => [rows.get(id)!.status, rows.get(id)!.deep_scan_status])).toEqual([
      ['New', 'Processing'],
      ['Maybe', null],
      ['New', 'Error'],
    ]);
    expect(rows.get(ids[2]!)!.deep_scan_error).toBe('HTTP 404');
  });

  test('works once, only for the same user, only within the window', async () => {
    const first = await places.updateStatus({ place_ids: [ids[0]!], status: 'Maybe' }, 'rev-a');
    await expect(places.undoStatusUpdate(first.undo_token!, 'rev-other')).rejects.toMatchObject({
      type: 'conflict',
    });
    await places.undoStatusUpdate(first.undo_token!, 'rev-a');
    await expect(places.undoStatusUpdate(first.undo_token!, 'rev-a')).rejects.toMatchObject({
      type: 'conflict',
    });

    const late = await places.updateStatus({ place_ids: [ids[2]!], status: 'Archived' }, 'rev-a');
    now = new Date(now.getTime() + (UNDO_WINDOW_SECONDS + 1) * 1000);
    await expect(places.undoStatusUpdate(late.undo_token!, 'rev-a')).rejects.toMatchObject({
      type: 'conflict',
    });
    expect((await readPlaces(store, [ids[2]!])).get(ids[2]!)!.status).toBe('Archived');
  });

  test('a stack: the last updates undo one by one, newest first, back to where they started', async () => {
    const before = await readPlaces(store, ids);
    const tokens: string[] = [];
    // The same place decided twice, then the others: five updates, one after another.
    for (const [id, status] of [
      [ids[0]!, 'Maybe'],
      [ids[0]!, 'Archived'],
      [ids[1]!, 'Not a Fit'],
      [ids[2]!, 'Selected'],
      [ids[1]!, 'Maybe'],
    ] as const) {
      now = new Date(now.getTime() + 10);
      tokens.push((await places.updateStatus({ place_ids: [id], status }, 'rev-a')).undo_token!);
    }
    now = new Date(now.getTime() + 10);
    const restored: number[] = [];
    for (const token of tokens.reverse()) {
      restored.push((await places.undoStatusUpdate(token, 'rev-a')).restored_count);
    }
    expect(restored).toEqual([1, 1, 1, 1, 1]);
    expect(await readPlaces(store, ids)).toEqual(before);
  });

  test('an older update undone before a newer one leaves the rows the newer one changed', async () => {
    const older = await places.updateStatus(
      { place_ids: [ids[0]!, ids[1]!], status: 'Maybe' },
      'rev-a',
    );
    now = new Date(now.getTime() + 10);
    await places.updateStatus({ place_ids: [ids[1]!], status: 'Archived' }, 'rev-a');
    const undo = await places.undoStatusUpdate(older.undo_token!, 'rev-a');
    expect([undo.restored_count, undo.skipped_count]).toEqual([1, 1]);
    const rows = await readPlaces(store, ids);
    expect([rows.get(ids[0]!)!.status, rows.get(ids[1]!)!.status]).toEqual(['New', 'Archived']);
  });

  test(`keeps the last ${UNDO_JOURNAL_DEPTH} updates undoable, not more`, async () => {
    const tokens: string[] = [];
    for (let i = 0; i <= UNDO_JOURNAL_DEPTH; i++) {
      const status = i % 2 === 0 ? 'Maybe' : 'Archived';
      tokens.push(
        (await places.updateStatus({ place_ids: [ids[0]!], status }, 'rev-d')).undo_token!,
      );
      now = new Date(now.getTime() + 1);
    }
    // The oldest went when the journal was full; every later one is still there.
    await expect(places.undoStatusUpdate(tokens[0]!, 'rev-d')).rejects.toMatchObject({
      type: 'conflict',
    });
    const newest = await places.undoStatusUpdate(tokens.at(-1)!, 'rev-d');
    expect(newest.restored_count).toBe(1);
    const oldestKept = await places.undoStatusUpdate(tokens[1]!, 'rev-d');
    expect(oldestKept.skipped_count).toBe(1);
  });

  test('an update that changes nothing offers no undo', async () => {
    await places.updateStatus({ place_ids: ids, status: 'Maybe' }, 'rev-a');
    const again = await places.updateStatus({ place_ids: ids, status: 'Maybe' }, 'rev-a');
    expect(again.updated_count).toBe(0);
    expect(again.undo_token).toBeNull();
  });

  test('undoes a filter-form update too', async () => {
    const before = await readPlaces(store, ids);
    const result = await places.updateStatus(
      {
        filter: { q: ids[0]!.slice(0, 3), status: 'New', deep_scan_status: 'none' },
        status: 'Not a Fit',
      },
      'rev-c',
    );
    expect(result.updated_count).toBeGreaterThanOrEqual(2);
    const undo = await places.undoStatusUpdate(result.undo_token!, 'rev-c');
    expect(undo.restored_count).toBe(result.updated_count);
    expect(await readPlaces(store, ids)).toEqual(before);
  });
});
