import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlacesSummary } from '../../src-shared/contract';
import { DEEP_SCAN_STATUSES, PLACE_STATUSES } from '../../src-shared/domain';
import type { Store } from '../../src-main/db/store';
import { foldPlaceCounts, PLACE_COUNTS_FOLD_AT } from '../../src-main/places/place-counts';
import { samplePlaces } from '../../src-main/places/sample-data';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { seededRandom } from '../../src-shared/random';
import { rawStore, type RawStore } from '../db/stores-at-version';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';

/**
 * The summary reads the counts the database keeps (sql/*\/0011_place_counts.sql), never a scan
 * of places_staging: after any mix of writes, by the app or by hand, they must equal what a
 * GROUP BY over the places says.
 */

/**
 * places_staging as reviewers see it on PostgreSQL: a Queued place with a lease row is Processing
 * (sql/pg/0019). SQLite's queue writes Processing into the place.
 */
const PG_PLACES = `(SELECT p.status, p.search_text,
    CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN 'Processing'
      ELSE p.deep_scan_status END AS deep_scan_status
  FROM places_staging p LEFT JOIN deep_scan_leases l ON l.place_row = p.id) AS places`;

/** The summary as a full GROUP BY over the places computes it: the truth. */
async function countedByHand(raw: RawStore): Promise<PlacesSummary> {
  const rows = await raw.query<{ status: string; deep_scan_status: string | null; n: number }>(
    raw.kind === 'postgres'
      ? `SELECT status, deep_scan_status, count(*)::int AS n FROM ${PG_PLACES} GROUP BY 1, 2`
      : 'SELECT status, deep_scan_status, count(*) AS n FROM places_staging GROUP BY 1, 2',
  );
  const summary: PlacesSummary = {
    total: 0,
    by_status: Object.fromEntries(PLACE_STATUSES.map((s) => [s, 0])) as PlacesSummary['by_status'],
    by_deep_scan_status: { none: 0, Queued: 0, Processing: 0, Completed: 0, Error: 0 },
  };
  for (const row of rows) {
    summary.total += row.n;
    summary.by_status[row.status as keyof PlacesSummary['by_status']] += row.n;
    summary.by_deep_scan_status[
      (row.deep_scan_status ?? 'none') as keyof PlacesSummary['by_deep_scan_status']
    ] += row.n;
  }
  return summary;
}

describe.each(STORE_KINDS)('the place counts on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  let places: PlacesService;
  let raw: RawStore;
  const random = seededRandom(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const p = (i: number) => (kind === 'postgres' ? `$${i}` : '?');

  beforeAll(async () => {
    handle = await createTestStore(kind);
    store = await handle.open();
    places = createPlacesService(placesRepositoryFor(store));
    raw = rawStore(handle);
  });
  afterAll(async () => {
    await raw?.close();
    await handle?.dispose();
  });

  test('equal a GROUP BY after every kind of write, by the app and by hand', async () => {
    expect(await places.summary()).toEqual(await countedByHand(raw));
    for (const chunk of samplePlaces(3000, 11, 1000)) await places.insertPlaces(chunk);
    expect((await places.summary()).total).toBe(3000);
    expect(await places.summary()).toEqual(await countedByHand(raw));

    const ids = (await raw.query<{ place_id: string }>('SELECT place_id FROM places_staging')).map(
      (r) => r.place_id,
    );
    for (let round = 0; round < 40; round++) {
      const some = Array.from({ length: 1 + Math.floor(random() * 200) }, () => pick(ids));
      const what = random();
      if (what < 0.5) {
        // A reviewer's decision (Selected queues scans; leaving Selected dequeues them).
        await places.updateStatus(
          { place_ids: [...new Set(some)], status: pick(PLACE_STATUSES) },
          `reviewer-${round % 3}`,
        );
      } else if (what < 0.65 && kind === 'postgres') {
        // A claim (a lease row for a place) or its end, as the PostgreSQL queue writes them.
        const place = pick(some);
        if (random() < 0.6) {
          await raw.query(
            `INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
             SELECT id, 't', 'w', 1, now() + interval '1 hour' FROM places_staging
             WHERE place_id = $1 ON CONFLICT (place_row) DO NOTHING`,
            [place],
          );
        } else {
          await raw.query(
            `DELETE FROM deep_scan_leases WHERE place_row =
               (SELECT id FROM places_staging WHERE place_id = $1)`,
            [place],
          );
        }
      } else if (what < 0.8) {
        // The scheduler's or an operator's writes to the scan state, by hand.
        const state = pick([null, ...DEEP_SCAN_STATUSES]);
        await raw.query(
          `UPDATE places_staging SET deep_scan_status = ${p(1)} WHERE place_id = ${p(2)}`,
          [state, pick(some)],
        );
      } else if (what < 0.9) {
        // A row rewritten without changing either counted column.
        await raw.query(`UPDATE places_staging SET name = name || '.' WHERE place_id = ${p(1)}`, [
          pick(some),
        ]);
      } else {
        await raw.query(`DELETE FROM places_staging WHERE place_id = ${p(1)}`, [pick(some)]);
      }
      expect(await places.summary(), `round ${round}`).toEqual(await countedByHand(raw));
    }
  });

  test('a page total without a search comes from them and equals a count(*) for every filter', async () => {
    // Places of every status and scan state (on its own: any places already here stay).
    for (const chunk of samplePlaces(600, 29, 600)) await places.insertPlaces(chunk);
    const states = [null, ...DEEP_SCAN_STATUSES];
    for (const [i, state] of states.entries()) {
      await raw.query(
        `UPDATE places_staging SET deep_scan_status = ${p(1)} WHERE id % ${states.length} = ${i}`,
        [state],
      );
    }
    if (kind === 'postgres') {
      // Some Queued places being scanned: Processing with a lease row (sql/pg/0019).
      await raw.query(
        `INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
         SELECT id, 't', 'w', 1, now() + interval '1 hour' FROM places_staging
         WHERE deep_scan_status = 'Queued' AND id % 3 = 0 ON CONFLICT (place_row) DO NOTHING`,
      );
    }
    const counted = async (where: string, params: unknown[]) =>
      (
        await raw.query<{ n: number }>(
          `SELECT count(*)${kind === 'postgres' ? '::int' : ''} AS n
           FROM ${kind === 'postgres' ? PG_PLACES : 'places_staging'} ${where}`,
          params,
        )
      )[0]!.n;
    const scanFilters = [undefined, 'none', ...DEEP_SCAN_STATUSES] as const;
    for (const status of [undefined, ...PLACE_STATUSES]) {
      for (const scan of scanFilters) {
        const parts: string[] = [];
        const params: unknown[] = [];
        if (status) parts.push(`status = ${p(params.push(status))}`);
        if (scan === 'none') parts.push('deep_scan_status IS NULL');
        else if (scan) parts.push(`deep_scan_status = ${p(params.push(scan))}`);
        const page = await places.list({
          page: 1,
          size: 5,
          include_total: true,
          ...(status ? { status } : {}),
          ...(scan ? { deep_scan_status: scan } : {}),
        });
        expect(page.total, `${status} / ${scan}`).toBe(
          await counted(parts.length ? `WHERE ${parts.join(' AND ')}` : '', params),
        );
      }
    }
  });

  test('an undo and a bulk update through the filter form keep them right', async () => {
    const update = await places.updateStatus(
      { filter: { status: 'New' }, status: 'Maybe' },
      'bulk-reviewer',
    );
    expect(update.updated_count).toBeGreaterThan(0);
    expect(await places.summary()).toEqual(await countedByHand(raw));
    await places.undoStatusUpdate(update.undo_token!, 'bulk-reviewer');
    expect(await places.summary()).toEqual(await countedByHand(raw));
  });

  if (kind === 'postgres') {
    test('PostgreSQL: deltas are folded once there are many, and concurrent writers lose nothing', async () => {
      const pg = store as Extract<Store, { kind: 'postgres' }>;
      const ids = (
        await raw.query<{ place_id: string }>('SELECT place_id FROM places_staging ORDER BY id')
      ).map((r) => r.place_id);
      // Each statement appends its deltas: well past the fold threshold.
      for (let i = 0; i < PLACE_COUNTS_FOLD_AT + 50; i++) {
        await raw.query(`UPDATE places_staging SET deep_scan_status = $1 WHERE place_id = $2`, [
          i % 2 ? 'Queued' : null,
          ids[i % ids.length],
        ]);
      }
      const deltas = async () =>
        (await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM place_counts'))[0]!.n;
      expect(await deltas()).toBeGreaterThan(PLACE_COUNTS_FOLD_AT);
      expect(await places.summary()).toEqual(await countedByHand(raw));
      // That read folded them: one row per pair at most.
      expect(await deltas()).toBeLessThanOrEqual(PLACE_STATUSES.length * 5);
      expect(await places.summary()).toEqual(await countedByHand(raw));

      // Writers and folds at once, on separate connections: every delta counted exactly once.
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 60; i++) {
          await pg.pool.query(
            `UPDATE places_staging SET status = $1 WHERE place_id = ANY($2::text[])`,
            [
              PLACE_STATUSES[(w + i) % PLACE_STATUSES.length],
              ids.slice(w * 50 + i, w * 50 + i + 7),
            ],
          );
        }
      });
      const folds = Array.from({ length: 3 }, async () => {
        for (let i = 0; i < 20; i++) await foldPlaceCounts(pg.db);
      });
      await Promise.all([...writers, ...folds]);
      expect(await places.summary()).toEqual(await countedByHand(raw));

      // TRUNCATE (an operator emptying the table) leaves nothing counted.
      await raw.exec('TRUNCATE places_staging CASCADE');
      expect(await places.summary()).toEqual(await countedByHand(raw));
      expect((await places.summary()).total).toBe(0);
    });
  }
});
