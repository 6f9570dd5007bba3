import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../src-main/db/store';
import { samplePlaceId, samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { execRaw, readPlaces, setScanState } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

const SEED = 42;

/** The messages of an error and of its causes, joined: the driver's text is in a cause. */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(' <- ');
}
const COUNT = 100_000;

describe.each(STORE_KINDS)('large and failing batches on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(COUNT, SEED, 10_000)) await places.insertPlaces(chunk);
  }, 120_000);
  afterAll(() => handle.dispose());

  test('a failure inside a batch leaves every row as it was', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => samplePlaceId(SEED, i));
    await setScanState(store, ids[3]!, { deep_scan_status: 'Queued' });
    const before = await readPlaces(store, ids);
    const summaryBefore = await places.summary();
    // The database itself refuses one row of the batch, the way a constraint or a lost
    // connection would fail mid-statement.
    const poisoned = ids[37]!;
    if (kind === 'postgres') {
      await execRaw(
        store,
        `CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.place_id = '${poisoned}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER refuse_poisoned BEFORE UPDATE ON places_staging FOR EACH ROW EXECUTE FUNCTION refuse_poisoned();`,
      );
    } else {
      await execRaw(
        store,
        `CREATE TRIGGER refuse_poisoned BEFORE UPDATE ON places_staging
         WHEN NEW.place_id = '${poisoned}' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;`,
      );
    }
    try {
      expect(
        causes(
          await places.updateStatus({ place_ids: ids, status: 'Selected' }, 'reviewer-1').then(
            () => null,
            (error: unknown) => error,
          ),
        ),
      ).toContain('refused by test trigger');
      expect(
        causes(
          await places
            .updateStatus({ filter: { q: '' }, exclude_ids: [], status: 'Archived' }, 'reviewer-1')
            .then(
              () => null,
              (error: unknown) => error,
            ),
        ),
      ).toContain('refused by test trigger');
    } finally {
      await execRaw(
        store,
        'DROP TRIGGER refuse_poisoned' + (kind === 'postgres' ? ' ON places_staging' : ''),
      );
    }
    expect(await readPlaces(store, ids)).toEqual(before);
    expect(await places.summary()).toEqual(summaryBefore);
  });

  test('10,000 ids in one request', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => samplePlaceId(SEED, 1000 + i));
    const before = await readPlaces(store, ids);
    const alreadyMaybe = [...before.values()].filter((r) => r.status === 'Maybe').length;
    const result = await places.updateStatus({ place_ids: ids, status: 'Maybe' }, 'reviewer-2');
    expect(result.updated_count).toBe(10_000 - alreadyMaybe);
    expect(result.not_found).toEqual([]);
    const after = await readPlaces(store, ids);
    expect([...after.values()].every((r) => r.status === 'Maybe')).toBe(true);
    expect([...after.values()].filter((r) => r.updated_by === 'reviewer-2')).toHaveLength(
      10_000 - alreadyMaybe,
    );
  });

  test('100,000 rows through the filter form, with exclusions, in one transaction', async () => {
    const excluded = [samplePlaceId(SEED, 5), samplePlaceId(SEED, 6)];
    const queuedBefore = (await places.summary()).by_deep_scan_status.Queued;
    const result = await places.updateStatus(
      { filter: {}, exclude_ids: excluded, status: 'Selected' },
      'reviewer-3',
    );
    const summary = await places.summary();
    expect(summary.total).toBe(COUNT);
    expect(summary.by_status.Selected).toBe(COUNT - 2);
    expect(result.queued_count + queuedBefore).toBe(summary.by_deep_scan_status.Queued);
    expect(result.queued_count).toBeGreaterThan(COUNT - 10);
    const rows = await readPlaces(store, excluded);
    for (const id of excluded) expect(rows.get(id)!.status).not.toBe('Selected');

    // And back: everything not yet scanned leaves the queue.
    const back = await places.updateStatus(
      { filter: { status: 'Selected' }, status: 'New' },
      'reviewer-3',
    );
    expect(back.updated_count).toBe(COUNT - 2);
    expect(back.dequeued_count).toBe(summary.by_deep_scan_status.Queued);
    expect((await places.summary()).by_deep_scan_status.Queued).toBe(0);
  });
});
