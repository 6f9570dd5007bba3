import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listPlacesInput } from '../../src-shared/contract';
import { SORTABLE_FIELDS, type SortField } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';
import { IMPORT_ONLY_SORT_COLUMNS } from '../../src-main/places/queries';
import { createPgPlacesRepository } from '../../src-main/places/pg-repository';
import { createPlacesService, type PlacesService } from '../../src-main/places/service';
import { FILTERS, fill, naivePage, SIZE, SORT_COLUMN } from '../support/deep-pages-fixture';
import { waitForLockWaiters } from '../support/lock-waiters';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * Issue 11, a jump deep into a PostgreSQL grid of millions (sql/pg/0018, page-marks.ts): an
 * unfiltered page by number starts at the page mark before it. Marks here every 37 places and
 * from the first page on, so every page of the 1,300-place fixture goes through them: each must
 * be the naive page, and a mark set the data has moved past must never be used.
 */

const SPACING = 37;
/** The sortable fields whose column is marked (the others: test 'not the sorts...'). */
const MARKED = SORTABLE_FIELDS.filter((f) => IMPORT_ONLY_SORT_COLUMNS.has(SORT_COLUMN[f]));

describe('page marks on postgres', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let places: PlacesService;
  let repo: ReturnType<typeof createPgPlacesRepository>;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
    repo = createPgPlacesRepository(store.db, { pageMarks: { spacing: SPACING, fromOffset: 0 } });
    places = createPlacesService(repo);
    await fill(places, store);
  });
  afterAll(() => handle.dispose());

  const page = async (sort: string, n: number) =>
    (await places.list(listPlacesInput.parse({ sort, size: SIZE, page: n, include_total: false })))
      .items;

  test('the marked sorts are the eight no decision or scan writes', () => {
    expect(MARKED).toHaveLength(8);
  });

  async function markSet(column: string) {
    const { rows } = await store.pool.query<{ snap: string; total: string; marks: string }>(
      `SELECT s.snap::text AS snap, s.total, (SELECT count(*) FROM page_marks m
         WHERE m.sort_column = s.sort_column) AS marks
       FROM page_mark_sets s WHERE s.sort_column = $1`,
      [column],
    );
    return rows[0] ?? null;
  }

  /** A deep jump asks for the marks; this counts them now, as the background would. */
  async function countMarks(sort: string) {
    await page(sort, 2);
    await repo.pageMarks.settled();
  }

  test.each(MARKED.flatMap((field) => [field, `${field}:desc`]))(
    'by %s: every page read through the marks is the naive page',
    async (sort) => {
      await countMarks(sort);
      const set = await markSet(SORT_COLUMN[sort.split(':')[0] as SortField]);
      expect(set).toMatchObject({ total: '1300', marks: String(Math.ceil(1300 / SPACING)) });
      const expected = await naivePage(store, {}, sort, 10_000, 0);
      for (let n = 1; n <= Math.ceil(expected.length / SIZE) + 1; n++) {
        expect(await page(sort, n), `page ${n}`).toEqual(expected.slice((n - 1) * SIZE, n * SIZE));
      }
    },
  );

  test('one count at a time: deep jumps in two sorts without marks count the first only', async () => {
    await repo.pageMarks.settled();
    await store.pool.query('DELETE FROM page_mark_sets');
    // The first count is held until the second jump has been asked: on a fast machine it could
    // otherwise end before, and the second count would rightly start.
    const blocker = await store.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE page_marks IN EXCLUSIVE MODE');
      await page('address', 5); // no set: the background count starts, and waits here
      await waitForLockWaiters(store.pool, 1);
      await page('category', 5);
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    await repo.pageMarks.settled();
    const { rows } = await store.pool.query<{ sort_column: string }>(
      'SELECT sort_column FROM page_mark_sets',
    );
    expect(rows.map((r) => r.sort_column)).toEqual(['formatted_address']);
    await page('category', 5);
    await repo.pageMarks.settled();
    expect(await markSet('business_type')).not.toBeNull();
  });

  test('the pages are read from the marks (a wrong mark gives a wrong page)', async () => {
    await countMarks('business_name');
    const expected = await naivePage(store, {}, 'business_name', SIZE, 5 * SIZE);
    expect(await page('business_name', 6)).toEqual(expected);
    // Point the mark before page 6 at another place: the page moves with it.
    await store.pool.query(
      `UPDATE page_marks SET place_row = (SELECT min(id) FROM places_staging)
       WHERE sort_column = 'name' AND pos = (SELECT max(pos) FROM page_marks
         WHERE sort_column = 'name' AND pos < $1)`,
      [5 * SIZE],
    );
    expect(await page('business_name', 6)).not.toEqual(expected);
    await store.pool.query(`DELETE FROM page_mark_sets WHERE sort_column = 'name'`);
    expect(await page('business_name', 6)).toEqual(expected);
  });

  test('with marks counted, a filtered page and a page after a place are not read from them', async () => {
    await countMarks('address');
    expect(await markSet('formatted_address')).not.toBeNull();
    const size = 50;
    for (const filter of FILTERS.filter((f) => Object.keys(f).length > 0)) {
      const expected = await naivePage(store, filter, 'address', 10_000, 0);
      expect(expected.length).toBeGreaterThan(2 * size);
      for (const n of [2, 3]) {
        const got = await places.list(
          listPlacesInput.parse({ ...filter, sort: 'address', size, page: n }),
        );
        expect(got.items, `${JSON.stringify(filter)} page ${n}`).toEqual(
          expected.slice((n - 1) * size, n * size),
        );
      }
    }
    // Scrolling on: asked as page 7 after the last place of page 4, it is page 5 (read from the
    // marks, the page number would give page 7).
    const expected = await naivePage(store, {}, 'address', 10_000, 0);
    const after = expected[4 * SIZE - 1]!.place_id;
    const got = await places.list(
      listPlacesInput.parse({ sort: 'address', size: SIZE, page: 7, after, include_total: false }),
    );
    expect(got.items).toEqual(expected.slice(4 * SIZE, 5 * SIZE));
  });

  test('no marks for the sorts every decision moves', async () => {
    for (const field of SORTABLE_FIELDS.filter((f) => !MARKED.includes(f))) {
      await page(field, 3);
    }
    await repo.pageMarks.settled();
    const { rows } = await store.pool.query<{ sort_column: string }>(
      'SELECT sort_column FROM page_mark_sets ORDER BY 1',
    );
    expect(rows.map((r) => r.sort_column)).toEqual(
      expect.not.arrayContaining(['status', 'deep_scan_status', 'updated_at', 'updated_by']),
    );
  });

  test('an insert, a delete or a rename makes the marks stale: pages stay exact and the set is counted again', async () => {
    const sort = 'business_name';
    const writes = [
      () => places.insertPlaces([{ place_id: 'aaa-new', name: 'Aardvark Deli' }]),
      () => store.pool.query(`DELETE FROM places_staging WHERE place_id = 'aaa-new'`),
      () =>
        store.pool.query(
          `UPDATE places_staging SET name = 'AAA First' WHERE id = (SELECT max(id) FROM places_staging)`,
        ),
    ];
    for (const write of writes) {
      await countMarks(sort);
      const before = await markSet('name');
      await write();
      const expected = await naivePage(store, {}, sort, 10_000, 0);
      for (const n of [2, 5, 11, 12]) {
        expect(await page(sort, n), `page ${n}`).toEqual(expected.slice((n - 1) * SIZE, n * SIZE));
      }
      await repo.pageMarks.settled();
      const after = await markSet('name');
      expect(after).not.toBeNull();
      expect(after!.snap).not.toEqual(before!.snap);
      expect(after!.total).toBe(String(expected.length));
    }
  });

  test('a decision or a deep scan leaves the marks in use', async () => {
    await countMarks('address');
    const before = await markSet('formatted_address');
    await places.updateStatus({ filter: { q: 'oak' }, status: 'Maybe' }, 'carol');
    await store.pool.query(
      `UPDATE places_staging SET deep_scan_status = 'Queued' WHERE status = 'Maybe'`,
    );
    await page('address', 4);
    await repo.pageMarks.settled();
    expect(await markSet('formatted_address')).toEqual(before);
  });

  test('a place inserted while the marks are counted, committed after, makes them stale', async () => {
    const writer = await store.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO places_staging (place_id, name) VALUES ('mid-count', 'AAAA During The Count')`,
      );
      // Counted now, in a snapshot that doesn't see the uncommitted place.
      await repo.pageMarks.refresh('name');
      expect((await markSet('name'))!.total).toBe(
        String((await naivePage(store, {}, 'business_name', 10_000, 0)).length),
      );
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    const expected = await naivePage(store, {}, 'business_name', 10_000, 0);
    expect(expected.some((p) => p.place_id === 'mid-count')).toBe(true);
    for (const n of [2, 7]) {
      expect(await page('business_name', n)).toEqual(expected.slice((n - 1) * SIZE, n * SIZE));
    }
  });

  test('the change log keeps one row per writing transaction, and only what a set may need', async () => {
    const rows = async () =>
      Number((await store.pool.query('SELECT count(*) AS n FROM page_order_changes')).rows[0].n);
    await repo.pageMarks.refresh('name');
    expect(await rows()).toBe(0);
    await places.insertPlaces(
      Array.from({ length: 3 }, (_, i) => ({ place_id: `log-${i}`, name: `Log ${i}` })),
    );
    await store.pool.query(`UPDATE places_staging SET rating = 4.9 WHERE place_id = 'log-1'`);
    // A decision names none of the marked columns: no row.
    await places.updateStatus({ place_ids: ['log-2'], status: 'Selected' }, 'carol');
    expect(await rows()).toBe(2);
    await repo.pageMarks.refresh('name');
    expect(await rows()).toBe(0);
  });

  test('a count that meets a set committed after its snapshot counts again, instead of failing', async () => {
    await repo.pageMarks.settled();
    await repo.pageMarks.refresh('name');
    const other = await store.pool.connect();
    try {
      // Another process's count replaces the set between this count's snapshot and its write.
      await other.query('BEGIN');
      await other.query(`DELETE FROM page_mark_sets WHERE sort_column = 'name'`);
      const counting = repo.pageMarks.refresh('name');
      await waitForLockWaiters(store.pool, 1);
      await other.query(
        `INSERT INTO page_mark_sets (sort_column, snap, spacing, total, nulls)
         VALUES ('name', pg_current_snapshot(), 1, 0, 0)`,
      );
      await other.query('COMMIT');
      await counting;
    } finally {
      other.release();
    }
    const expected = await naivePage(store, {}, 'business_name', 10_000, 0);
    expect(await markSet('name')).toMatchObject({
      total: String(expected.length),
      marks: String(Math.ceil(expected.length / SPACING)),
    });
  });

  test('a count asked for while this process counts the column in the background waits for that count', async () => {
    await repo.pageMarks.settled();
    await store.pool.query(`DELETE FROM page_mark_sets WHERE sort_column = 'name'`);
    const blocker = await store.pool.connect();
    let asked: Promise<void> | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE page_marks IN EXCLUSIVE MODE');
      await page('business_name', 3); // no set: the background count starts, and waits here
      await waitForLockWaiters(store.pool, 1);
      asked = repo.pageMarks.refresh('name');
      const first = await Promise.race([
        asked.then(() => 'the count asked for'),
        new Promise((r) => setTimeout(r, 300, 'the lock holder')),
      ]);
      expect(first).toBe('the lock holder');
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    await asked;
    const expected = await naivePage(store, {}, 'business_name', 10_000, 0);
    expect(await markSet('name')).toMatchObject({ total: String(expected.length) });
  });
});
