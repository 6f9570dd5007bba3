import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openPostgres, type PgStore } from '../../src-main/db/store';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { waitFor } from '../scan/support/stores';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { appliedRows, insertPlaces, mutation, placeStates } from './support';

/**
 * A temporary failure (a lock held past lock_timeout, the connection killed) leaves the segment
 * it hit (the batch is applied in one transaction per segment, cut where a place comes again) and
 * the rest of the batch unapplied, with no applied_mutations row; the earlier segments stay
 * applied; a rerun applies the rest once.
 */
describe('a temporary failure in the middle of a batch', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let holder: pg.Client | null = null;
  let n = 0;
  const now = new Date('2026-12-01T10:00:00.000Z');

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
  });
  afterEach(async () => {
    await holder?.end().catch(() => {});
    holder = null;
  });
  afterAll(() => handle.dispose());

  /**
   * Five fresh places, a batch of one decision each plus a second decision on the first place
   * (third in the batch, so the batch is two segments: mutations 0-1 and 2-5), and the third
   * place locked by another connection (it is in the second segment).
   */
  async function arrange() {
    const ids = Array.from({ length: 5 }, (_, i) => `t${n}-${i}`);
    n++;
    await insertPlaces(store, ids);
    const batch = ids.map((id) => mutation(id, 'Maybe', 0, 'ann'));
    batch.splice(2, 0, mutation(ids[0]!, 'Selected', 1, 'ann'));
    holder = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE', [ids[2]]);
    return { ids, batch };
  }

  async function expectStoppedAtSecondSegment(
    ids: string[],
    batch: ReturnType<typeof mutation>[],
    report: Awaited<ReturnType<typeof applyMutations>>,
  ) {
    expect(report.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(report.stopped).toMatchObject({
      index: 2,
      mutationId: batch[2]!.mutation_id,
      temporary: true,
    });
    const recorded = new Set((await appliedRows(store)).map((r) => r.mutation_id));
    expect(batch.map((m) => recorded.has(m.mutation_id))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    const states = await placeStates(store);
    expect(ids.map((id) => states.get(id)!.status)).toEqual([
      'Maybe',
      'Maybe',
      'New',
      'New',
      'New',
    ]);
  }

  async function expectRerunAppliesRestOnce(
    ids: string[],
    batch: ReturnType<typeof mutation>[],
    first: Awaited<ReturnType<typeof applyMutations>>,
  ) {
    await holder!.query('ROLLBACK');
    const rerun = await applyMutations(store, batch, now);
    expect(rerun.stopped).toBeNull();
    expect(rerun.results.slice(0, 2)).toEqual(first.results);
    expect(rerun.results.map((r) => r.outcome)).toEqual(Array(6).fill('applied'));
    const rows = (await appliedRows(store)).filter((r) =>
      batch.some((m) => m.mutation_id === r.mutation_id),
    );
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.outcome === 'applied')).toBe(true);
    const states = await placeStates(store);
    expect(ids.map((id) => states.get(id)!.status_revision)).toEqual([2, 1, 1, 1, 1]);
    expect(states.get(ids[0]!)!.status).toBe('Selected');
    // And once more: nothing new.
    expect(await applyMutations(store, batch, now)).toEqual(rerun);
  }

  test('a row lock held past lock_timeout', async () => {
    const { ids, batch } = await arrange();
    const impatient = await openPostgres(handle.settings.DATABASE_URL!, {
      migrate: false,
      poolSize: 2,
      lockTimeoutMs: 300,
    });
    try {
      const report = await applyMutations(impatient, batch, now);
      expect(report.stopped?.error).toMatch(/lock timeout/);
      await expectStoppedAtSecondSegment(ids, batch, report);
      await expectRerunAppliesRestOnce(ids, batch, report);
    } finally {
      await impatient.close();
    }
  });

  test('the connection killed (pg_terminate_backend) while the mutation waits for the place', async () => {
    const { ids, batch } = await arrange();
    const applying = await openPostgres(handle.settings.DATABASE_URL!, {
      migrate: false,
      poolSize: 2,
    });
    try {
      const holderPid = (await holder!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0]!.pid;
      const running = applyMutations(applying, batch, now);
      // The backend applying the second segment, blocked by the holder's row lock (asked on
      // another connection: inside the holder's transaction pg_stat_activity is a snapshot).
      // Found by who blocks it, not by its SQL text (pg_stat_activity cuts long statements).
      const pid = await waitFor(
        async () => {
          const { rows } = await store.pool.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND $1::int = ANY(pg_blocking_pids(pid))`,
            [holderPid],
          );
          return rows[0]?.pid;
        },
        { what: 'the push to wait for the locked place' },
      );
      await store.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      const report = await running;
      await expectStoppedAtSecondSegment(ids, batch, report);
      await expectRerunAppliesRestOnce(ids, batch, report);
    } finally {
      await applying.close();
    }
  });
});
