import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { SyncMutation } from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';
import { seededRandom } from '../../src-shared/random';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { waitFor } from '../scan/support/stores';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import {
  appliedRows,
  insertPlaces,
  mutation,
  placeStates,
  revisionOf,
  seededUuid,
} from './support';

const STATUSES: PlaceStatus[] = ['New', 'Selected', 'Maybe', 'Not a Fit', 'Archived'];

/**
 * applyMutations applies a batch set-wise (one transaction and a fixed number of statements per
 * segment). These tests hold it to what applying the same mutations one per call gives.
 */
describe('applying a batch set-wise', () => {
  let setwiseHandle: TestStoreHandle;
  let singleHandle: TestStoreHandle;
  let setwise: PgStore;
  let single: PgStore;
  const now = new Date('2026-12-01T10:00:00.000Z');

  beforeAll(async () => {
    setwiseHandle = await createTestStore('postgres');
    singleHandle = await createTestStore('postgres');
    setwise = (await setwiseHandle.open()) as PgStore;
    single = (await singleHandle.open()) as PgStore;
  });
  afterAll(async () => {
    await setwiseHandle.dispose();
    await singleHandle.dispose();
  });

  /**
   * The same places in a store: statuses and scan states in every combination; a third of them
   * changed once since revision 0 (so a decision on base 0 agrees or conflicts); one clock.
   */
  async function arrange(store: PgStore, ids: string[]) {
    await insertPlaces(store, ids);
    await store.pool.query(
      `UPDATE places_staging SET
         status = (ARRAY['New','Selected','Maybe','Not a Fit'])[1 + (substr(place_id, 3)::int % 4)],
         deep_scan_status = (ARRAY[NULL,'Queued','Processing','Completed','Error'])[1 + (substr(place_id, 3)::int % 5)],
         updated_at = '2026-11-30T00:00:00Z', updated_by = 'importer'
       WHERE substr(place_id, 3)::int % 3 = 0`,
    );
    await store.pool.query(
      `UPDATE places_staging SET
         deep_scan_status = (ARRAY[NULL,'Queued','Processing','Completed','Error'])[1 + (substr(place_id, 3)::int % 5)],
         updated_at = '2026-11-30T00:00:00Z', updated_by = 'importer'
       WHERE substr(place_id, 3)::int % 3 <> 0`,
    );
  }

  test('a 500-mutation batch mixing all four outcomes gives, result by result and place by place, what one mutation per call gives', async () => {
    const ids = Array.from({ length: 520 }, (_, i) => `p-${String(i).padStart(4, '0')}`);
    await arrange(setwise, ids);
    await arrange(single, ids);
    const start = await placeStates(single);
    expect(await placeStates(setwise)).toEqual(start);

    const r = seededRandom(500);
    const pick = () => STATUSES[Math.floor(r() * STATUSES.length)]!;
    const users = ['ann', 'bob'];
    const batch: SyncMutation[] = [];
    for (const id of ids.slice(0, 490)) {
      // Mostly on the place's revision (applied), some on revision 0 whatever it is now (stale
      // for the places changed since: agreed or conflict), from two users.
      const base = r() < 0.7 ? start.get(id)!.status_revision : 0;
      batch.push(mutation(id, pick(), base, users[Math.floor(r() * 2)]!, seededUuid(r)));
    }
    for (let i = 0; i < 10; i++) {
      batch.splice(
        Math.floor(r() * batch.length),
        0,
        mutation(`gone-${i}`, pick(), 0, 'ann', seededUuid(r)),
      );
    }
    expect(batch).toHaveLength(500);

    const oneByOne = [];
    for (const m of batch) {
      const report = await applyMutations(single, [m], now);
      expect(report.stopped).toBeNull();
      oneByOne.push(...report.results);
    }
    const report = await applyMutations(setwise, batch, now);
    expect(report.stopped).toBeNull();

    const tally = report.results.reduce<Record<string, number>>((acc, x) => {
      acc[x.outcome] = (acc[x.outcome] ?? 0) + 1;
      return acc;
    }, {});
    expect(tally.rejected).toBe(10);
    expect(tally.applied).toBeGreaterThan(200);
    expect(tally.agreed).toBeGreaterThan(5);
    expect(tally.conflict).toBeGreaterThan(20);
    // Some applied decisions queued, dequeued or left a running scan alone.
    const counts = report.results.flatMap((x) => (x.counts ? [x.counts] : []));
    expect(counts.some((c) => c.queued === 1)).toBe(true);
    expect(counts.some((c) => c.dequeued === 1)).toBe(true);
    expect(counts.some((c) => c.already_scanned === 1)).toBe(true);
    expect(counts.some((c) => c.updated === 0)).toBe(true);

    for (const [i, result] of report.results.entries()) {
      expect(result, `mutation ${i}`).toEqual(oneByOne[i]);
    }
    const after = await placeStates(setwise);
    const expected = await placeStates(single);
    for (const id of ids) expect(after.get(id), id).toEqual(expected.get(id));
    expect(await appliedRows(setwise)).toEqual(await appliedRows(single));

    // And a repeat of the whole batch is answered from the ledger, the same, writing nothing.
    const again = await applyMutations(setwise, batch, new Date(now.getTime() + 3_600_000));
    expect(again).toEqual(report);
    expect(await placeStates(setwise)).toEqual(after);
  });

  test('a place decided twice in one batch: the later decision sees the earlier one', async () => {
    const ids = ['rp-a', 'rp-b', 'rp-c'];
    await insertPlaces(setwise, ids);
    const [a, b, c] = ids as [string, string, string];
    const batch = [
      mutation(a, 'Maybe', 0, 'ann'),
      mutation(b, 'Selected', 0, 'ann'),
      // On the revision the first decision leaves: applied.
      mutation(a, 'Archived', 1, 'ann'),
      mutation(c, 'Maybe', 0, 'ann'),
      // On revision 0, but the place moved twice since: a conflict carrying Archived.
      mutation(a, 'New', 0, 'ann'),
      // On revision 0 of a place now Selected: agreed.
      mutation(b, 'Selected', 0, 'ann'),
    ];
    const report = await applyMutations(setwise, batch, now);
    expect(report.stopped).toBeNull();
    expect(report.results.map((x) => x.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'conflict',
      'agreed',
    ]);
    expect(report.results[2]!.place).toMatchObject({ status: 'Archived', status_revision: 2 });
    expect(report.results[4]!.theirs).toMatchObject({ status: 'Archived', updated_by: 'ann' });
    const after = await placeStates(setwise);
    expect(ids.map((id) => [after.get(id)!.status, after.get(id)!.status_revision])).toEqual([
      ['Archived', 2],
      ['Selected', 1],
      ['Maybe', 1],
    ]);
  });

  test('without `now`, every write of the batch carries the database clock, whatever the client clock says', async () => {
    const ids = ['clk-a', 'clk-b', 'clk-c'];
    await insertPlaces(setwise, ids);
    const dbNow = async () =>
      (await setwise.pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
    const before = await dbNow();
    // The client's clock is years off: nothing may come from it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2001-01-01T00:00:00.000Z'));
    let report;
    try {
      report = await applyMutations(setwise, [
        mutation(ids[0]!, 'Selected', 0, 'ann'),
        mutation(ids[1]!, 'Maybe', 0, 'ann'),
        mutation(ids[2]!, 'Archived', 0, 'bob'),
      ]);
    } finally {
      vi.useRealTimers();
    }
    const after = await dbNow();
    expect(report.stopped).toBeNull();
    expect(report.results.map((x) => x.outcome)).toEqual(['applied', 'applied', 'applied']);
    const { rows } = await setwise.pool.query<{ applied_at: Date }>(
      'SELECT applied_at FROM applied_mutations WHERE mutation_id = ANY($1::uuid[])',
      [report.results.map((x) => x.mutation_id)],
    );
    const states = await placeStates(setwise);
    const written = [
      ...rows.map((x) => x.applied_at),
      ...ids.map((id) => states.get(id)!.updated_at),
      states.get(ids[0]!)!.deep_scan_queued_at!,
    ];
    // One instant for the whole transaction, read once, at a millisecond's precision (what a JS
    // Date carries), within the database's now() before and after the call.
    expect(new Set(written.map((d) => d.getTime())).size).toBe(1);
    const at = written[0]!.getTime();
    expect(at).toBeGreaterThanOrEqual(Math.floor(before.getTime()));
    expect(at).toBeLessThanOrEqual(after.getTime());
    expect(report.results[0]!.place!.updated_at).toBe(written[0]!.toISOString());
    expect(await revisionOf(setwise, ids[0]!)).toBe(1);
  });

  test('the places are locked in row id order (the order of a reviewer update), whatever the batch, place_id and table orders', async () => {
    // z gets the lower row id, a the higher; z is then rewritten, so its live version lies after
    // a's in the table. In place_id, table and batch order a comes first; only in id order z does.
    const [z, a] = ['lock-z', 'lock-a'];
    await insertPlaces(setwise, [z]);
    await insertPlaces(setwise, [a]);
    await setwise.pool.query(`UPDATE places_staging SET name = name || '.' WHERE place_id = $1`, [
      z,
    ]);
    const holder = new pg.Client({ connectionString: setwiseHandle.settings.DATABASE_URL });
    const prober = new pg.Client({ connectionString: setwiseHandle.settings.DATABASE_URL });
    await holder.connect();
    await prober.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE', [a]);
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0]!.pid;
      const running = applyMutations(setwise, [
        mutation(a, 'Maybe', 0, 'ann'),
        mutation(z, 'Maybe', 0, 'ann'),
      ]);
      // The push waits for a, held above.
      await waitFor(
        async () => {
          const { rows } = await prober.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
               AND pid <> $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
            [holderPid],
          );
          return rows.length > 0;
        },
        { what: 'the push to wait for the held place' },
      );
      // Locking in row id order, it took z before asking for a: z is locked now.
      await prober.query('BEGIN');
      await expect(
        prober.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE NOWAIT', [z]),
      ).rejects.toMatchObject({ code: '55P03' });
      await prober.query('ROLLBACK');
      await holder.query('ROLLBACK');
      const report = await running;
      expect(report.results.map((x) => x.outcome)).toEqual(['applied', 'applied']);
    } finally {
      await holder.end();
      await prober.end();
    }
  });

  test('an applied decision that step 6 leaves untouched answers the place as it is, its microsecond time as a JS Date reads it', async () => {
    const ids = ['us-a', 'us-b'];
    await insertPlaces(setwise, ids);
    // Selected with a finished scan, written with microseconds (as SQL's now() writes).
    await setwise.pool.query(
      `UPDATE places_staging SET status = 'Selected', deep_scan_status = 'Completed',
         updated_at = '2026-11-30T08:15:42.123987Z', updated_by = 'importer' WHERE place_id = $1`,
      [ids[0]],
    );
    const base = await revisionOf(setwise, ids[0]!);
    const report = await applyMutations(setwise, [
      mutation(ids[0]!, 'Selected', base, 'ann'),
      mutation(ids[1]!, 'Maybe', 0, 'ann'),
    ]);
    expect(report.results.map((x) => x.outcome)).toEqual(['applied', 'applied']);
    expect(report.results[0]!.counts).toEqual({
      updated: 0,
      queued: 0,
      dequeued: 0,
      already_queued: 0,
      already_scanned: 1,
    });
    const states = await placeStates(setwise);
    for (const [i, id] of ids.entries()) {
      const s = states.get(id)!;
      expect(report.results[i]!.place).toEqual({
        status: s.status,
        status_revision: s.status_revision,
        updated_by: s.updated_by,
        updated_at: s.updated_at.toISOString(),
        deep_scan_status: s.deep_scan_status,
      });
    }
    expect(report.results[0]!.place!.updated_at).toBe('2026-11-30T08:15:42.123Z');
  });

  test('a resend racing its first push (not yet committed) gets the first answer once it commits', async () => {
    const id = 'race-a';
    await insertPlaces(setwise, [id]);
    const m = mutation(id, 'Maybe', 0, 'ann');
    // The first push, by hand: its ledger row is written but not committed.
    const first = new pg.Client({ connectionString: setwiseHandle.settings.DATABASE_URL });
    await first.connect();
    try {
      await first.query('BEGIN');
      const firstPid = (await first.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0]!.pid;
      const answer = {
        mutation_id: m.mutation_id,
        place_id: id,
        outcome: 'agreed',
        place: {
          status: 'New',
          status_revision: 0,
          updated_by: null,
          updated_at: '2026-12-01T09:59:00.000Z',
          deep_scan_status: null,
        },
        theirs: null,
        counts: null,
        reason: null,
      };
      await first.query(
        `INSERT INTO applied_mutations (mutation_id, place_id, user_id, target_status,
           base_revision, outcome, result, applied_at)
         VALUES ($1, $2, 'ann', 'Maybe', 0, 'agreed', $3, now())`,
        [m.mutation_id, id, JSON.stringify(answer)],
      );
      const resend = applyMutations(setwise, [m], now);
      // The resend's INSERT waits for the first push's row.
      await waitFor(
        async () => {
          const { rows } = await setwise.pool.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
               AND pid <> $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
            [firstPid],
          );
          return rows.length > 0;
        },
        { what: 'the resend to wait for the first push' },
      );
      await first.query('COMMIT');
      const report = await resend;
      expect(report.stopped).toBeNull();
      expect(report.results).toEqual([answer]);
      // Nothing else was written: the place is as it was.
      expect((await placeStates(setwise)).get(id)).toMatchObject({
        status: 'New',
        status_revision: 0,
      });
    } finally {
      await first.end();
    }
  });
});
