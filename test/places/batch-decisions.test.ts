import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

describe.each(STORE_KINDS)('decisions typed ahead, sent as one batch, on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let now = new Date();
  let n = 0;
  const fresh = async (count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `batch-${n}-${i}`);
    n++;
    now = new Date(now.getTime() + 1000);
    await places.insertPlaces(ids.map((id) => ({ place_id: id, name: id })));
    return ids;
  };

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store), () => now);
  });
  afterAll(() => handle.dispose());

  test('applies every decision in its order, each with its own counts and undo token', async () => {
    const ids = await fresh(3);
    const { results } = await places.updateStatuses(
      {
        decisions: [
          { place_ids: [ids[0]!], status: 'Maybe' },
          { place_ids: [ids[1]!], status: 'Selected' },
          // The same place again, later in the batch: the later decision wins.
          { place_ids: [ids[0]!], status: 'Archived' },
          { place_ids: [ids[2]!, 'no-such-place'], status: 'Not a Fit' },
        ],
      },
      'rev-a',
    );
    expect(results.map((r) => [r.updated_count, r.queued_count, r.not_found])).toEqual([
      [1, 0, []],
      [1, 1, []],
      [1, 0, []],
      [1, 0, ['no-such-place']],
    ]);
    expect(results[1]!.message).toBe('1 updated, 1 queued for deep scan');
    expect(new Set(results.map((r) => r.undo_token)).size).toBe(4);
    const rows = await readPlaces(store, ids);
    expect(ids.map((id) => [rows.get(id)!.status, rows.get(id)!.updated_by])).toEqual([
      ['Archived', 'rev-a'],
      ['Selected', 'rev-a'],
      ['Not a Fit', 'rev-a'],
    ]);
    expect(rows.get(ids[1]!)!.deep_scan_status).toBe('Queued');

    // Undone newest first, one at a time, the batch goes back exactly.
    for (const result of [...results].reverse()) {
      await places.undoStatusUpdate(result.undo_token!, 'rev-a');
    }
    const after = await readPlaces(store, ids);
    expect(ids.map((id) => [after.get(id)!.status, after.get(id)!.deep_scan_status])).toEqual([
      ['New', null],
      ['New', null],
      ['New', null],
    ]);
  });

  test('all or nothing: a batch that fails part-way writes none of its decisions', async () => {
    const ids = await fresh(2);
    const failing = places.updateStatuses(
      {
        decisions: [
          { place_ids: [ids[0]!], status: 'Maybe' },
          // Bypasses the contract's check, as a bug would: the database refuses the value.
          { place_ids: [ids[1]!], status: 'Bogus' as 'Maybe' },
        ],
      },
      'rev-a',
    );
    await expect(failing).rejects.toThrow();
    const rows = await readPlaces(store, ids);
    expect(ids.map((id) => rows.get(id)!.status)).toEqual(['New', 'New']);
  });

  test('a dry run counts the scans an update would queue and writes nothing', async () => {
    const ids = await fresh(4);
    await places.updateStatus({ place_ids: [ids[0]!], status: 'Selected' }, 'rev-a');
    const before = await readPlaces(store, ids);
    const preview = await places.updateStatus(
      { place_ids: [...ids, 'nope'], status: 'Selected', dry_run: true },
      'rev-a',
    );
    expect([preview.updated_count, preview.queued_count, preview.already_queued_count]).toEqual([
      3, 3, 1,
    ]);
    expect(preview.not_found).toEqual(['nope']);
    expect(preview.undo_token).toBeNull();
    expect(preview.message).toMatch(/^Not saved \(a dry run\): /);
    expect(await readPlaces(store, ids)).toEqual(before);
  });
});
