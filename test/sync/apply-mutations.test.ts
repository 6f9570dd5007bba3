import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { ZodError } from 'zod';
import type { PlaceStatus } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { setScanState } from '../support/places';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { appliedRows, insertPlaces, mutation, placeStates, revisionOf } from './support';
import { seededRandom } from '../../src-shared/random';

describe('applying offline decisions to PostgreSQL', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let n = 0;
  const now = new Date('2026-12-01T10:00:00.000Z');

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
  });
  afterAll(() => handle.dispose());

  async function fresh(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `m${n}-${String(i).padStart(4, '0')}`);
    n++;
    await insertPlaces(store, ids);
    return ids;
  }

  test('a mutation on its base revision is applied by step 6, with the counts and the server-derived scan', async () => {
    const ids = await fresh(6);
    const scans = [null, 'Error', 'Processing', 'Completed', 'Queued'] as const;
    for (const [i, scan] of scans.entries()) {
      await setScanState(store, ids[i]!, { status: 'Maybe', deep_scan_status: scan });
    }
    const bases = await Promise.all(ids.map((id) => revisionOf(store, id)));
    const batch = [
      ...ids.slice(0, 5).map((id, i) => mutation(id, 'Selected', bases[i]!, 'offline-ann')),
      // A place waiting in the queue that the reviewer rejects offline leaves the queue.
      mutation(ids[4]!, 'Not a Fit', bases[4]! + 1, 'offline-ann'),
    ];
    const report = await applyMutations(store, batch, now);
    expect(report.stopped).toBeNull();
    expect(report.results.map((r) => r.outcome)).toEqual(Array(6).fill('applied'));
    expect(report.results.map((r) => r.counts)).toEqual([
      { updated: 1, queued: 1, dequeued: 0, already_queued: 0, already_scanned: 0 },
      { updated: 1, queued: 1, dequeued: 0, already_queued: 0, already_scanned: 0 },
      { updated: 1, queued: 0, dequeued: 0, already_queued: 1, already_scanned: 0 },
      { updated: 1, queued: 0, dequeued: 0, already_queued: 0, already_scanned: 1 },
      { updated: 1, queued: 0, dequeued: 0, already_queued: 1, already_scanned: 0 },
      { updated: 1, queued: 0, dequeued: 1, already_queued: 0, already_scanned: 0 },
    ]);
    const after = await placeStates(store);
    // An offline Selected never resets a scan that ran or runs; it queues a never-run or failed one.
    expect(ids.slice(0, 5).map((id) => after.get(id)!.deep_scan_status)).toEqual([
      'Queued',
      'Queued',
      'Processing',
      'Completed',
      null,
    ]);
    expect(after.get(ids[0]!)!.deep_scan_queued_at).toEqual(now);
    for (const id of ids.slice(0, 5)) {
      expect(after.get(id)).toMatchObject({ updated_by: 'offline-ann', updated_at: now });
    }
    expect(after.get(ids[4]!)!.status).toBe('Not a Fit');
    expect(report.results[0]!.place).toEqual({
      status: 'Selected',
      status_revision: bases[0]! + 1,
      updated_by: 'offline-ann',
      updated_at: now.toISOString(),
      deep_scan_status: 'Queued',
    });
    // The place untouched by the batch is as it was.
    expect(after.get(ids[5]!)).toMatchObject({ status: 'New', status_revision: 0 });
  });

  test('agreed, conflict (carrying theirs) and rejected write nothing to the place; a rejection does not stop the batch', async () => {
    const ids = await fresh(3);
    const before = await placeStates(store);
    const colleague = await applyMutations(
      store,
      [mutation(ids[0]!, 'Archived', 0, 'bob'), mutation(ids[1]!, 'Maybe', 0, 'bob')],
      new Date('2026-12-01T09:30:00.000Z'),
    );
    expect(colleague.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    const middle = await placeStates(store);
    const report = await applyMutations(
      store,
      [
        mutation(ids[0]!, 'Archived', 0, 'ann'),
        mutation('no-such-place', 'Selected', 0, 'ann'),
        mutation(ids[1]!, 'Selected', 0, 'ann'),
        mutation(ids[2]!, 'Maybe', 0, 'ann'),
      ],
      now,
    );
    expect(report.stopped).toBeNull();
    expect(report.results.map((r) => r.outcome)).toEqual([
      'agreed',
      'rejected',
      'conflict',
      'applied',
    ]);
    expect(report.results[1]).toMatchObject({ place: null, reason: 'no such place' });
    expect(report.results[2]!.theirs).toEqual({
      status: 'Maybe',
      updated_by: 'bob',
      updated_at: '2026-12-01T09:30:00.000Z',
      deep_scan_status: null,
    });
    const after = await placeStates(store);
    expect(after.get(ids[0]!)).toEqual(middle.get(ids[0]!));
    expect(after.get(ids[1]!)).toEqual(middle.get(ids[1]!));
    expect(after.get(ids[2]!)).not.toEqual(before.get(ids[2]!));
    const rows = await appliedRows(store);
    const outcomes = new Map(rows.map((r) => [r.mutation_id, r.outcome]));
    expect(report.results.map((r) => outcomes.get(r.mutation_id))).toEqual([
      'agreed',
      'rejected',
      'conflict',
      'applied',
    ]);
  });

  test('the same batch applied 5 times (each response lost after the commit): the same answers and state, one row per id', async () => {
    const ids = await fresh(40);
    const r = seededRandom(11);
    const statuses: PlaceStatus[] = ['Selected', 'Maybe', 'Not a Fit', 'Archived'];
    await setScanState(store, ids[0]!, { deep_scan_status: 'Completed' });
    const base0 = await revisionOf(store, ids[0]!);
    const batch = [
      mutation(ids[0]!, 'Selected', base0, 'ann'),
      ...ids.slice(1, 30).map((id) => mutation(id, statuses[Math.floor(r() * 4)]!, 0, 'ann')),
      // A second decision on the same place, on the revision the first one leaves.
      mutation(ids[1]!, 'New', 1, 'ann'),
      // Stale bases: conflict or agree.
      ...ids.slice(2, 12).map((id) => mutation(id, statuses[Math.floor(r() * 4)]!, 0, 'cat')),
      mutation('missing-place', 'Maybe', 0, 'ann'),
    ];
    const first = await applyMutations(store, batch, now);
    expect(first.stopped).toBeNull();
    const state = await placeStates(store);
    const rows = await appliedRows(store);
    for (let i = 1; i < 5; i++) {
      // A later clock changes nothing either: a repeat is answered from the ledger.
      const again = await applyMutations(store, batch, new Date(now.getTime() + i * 3_600_000));
      expect(again).toEqual(first);
      expect(await placeStates(store)).toEqual(state);
      expect(await appliedRows(store)).toEqual(rows);
    }
    const ours = rows.filter((row) => batch.some((m) => m.mutation_id === row.mutation_id));
    expect(ours).toHaveLength(batch.length);
    expect(new Set(first.results.map((x) => x.outcome))).toEqual(
      new Set(['applied', 'agreed', 'conflict', 'rejected']),
    );
  });

  test('two reviewers decide the same 300 places differently from the same base: each place agrees or is a conflict carrying the other decision', async () => {
    const ids = await fresh(300);
    const r = seededRandom(300);
    const statuses: PlaceStatus[] = ['Selected', 'Maybe', 'Not a Fit', 'Archived'];
    const pick = () => statuses[Math.floor(r() * statuses.length)]!;
    const ann = ids.map((id) => mutation(id, pick(), 0, 'ann'));
    const bob = ids.map((id) => mutation(id, pick(), 0, 'bob'));
    // Pushed at the same time (each batch in its own order), so which one is first varies.
    const [a, b] = await Promise.all([
      applyMutations(store, ann, now),
      applyMutations(store, [...bob].reverse(), new Date(now.getTime() + 1000)),
    ]);
    expect(a.stopped).toBeNull();
    expect(b.stopped).toBeNull();
    const byId = (results: typeof a.results) => new Map(results.map((x) => [x.place_id, x]));
    const annResults = byId(a.results);
    const bobResults = byId(b.results);
    const after = await placeStates(store);
    let conflicts = 0;
    let agreed = 0;
    for (const [i, id] of ids.entries()) {
      const mine = [annResults.get(id)!, bobResults.get(id)!];
      const applied = mine.filter((x) => x.outcome === 'applied');
      expect(applied, id).toHaveLength(1);
      const winner = applied[0]!;
      const winnerMutation = winner === mine[0] ? ann[i]! : bob[i]!;
      const loser = winner === mine[0] ? mine[1]! : mine[0]!;
      expect(after.get(id)).toMatchObject({
        status: winnerMutation.target_status,
        updated_by: winnerMutation.user_id,
        status_revision: 1,
      });
      if (ann[i]!.target_status === bob[i]!.target_status) {
        expect(loser.outcome, id).toBe('agreed');
        agreed++;
      } else {
        expect(loser.outcome, id).toBe('conflict');
        expect(loser.theirs).toMatchObject({
          status: winnerMutation.target_status,
          updated_by: winnerMutation.user_id,
        });
        conflicts++;
      }
    }
    expect(conflicts).toBeGreaterThan(150);
    expect(agreed).toBeGreaterThan(20);
  });

  const LEASE = `INSERT INTO deep_scan_leases (place_row, claim_token, claimed_by, attempt, expires_at)
    SELECT id, 't', 'w', 1, now() + interval '1 minute' FROM places_staging WHERE place_id = $1`;

  /**
   * A Selected, Queued place decided Not a Fit offline, pushed while a worker's transaction (its
   * `statements`, each given the place id) holds the place: the worker commits only once the
   * batch waits for the place's row lock. Answers the batch's report.
   */
  async function pushWhileWorkerHolds(id: string, statements: string[]) {
    const base = await revisionOf(store, id);
    const worker = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await worker.connect();
    try {
      await worker.query('BEGIN');
      for (const statement of statements) await worker.query(statement, [id]);
      const applying = applyMutations(store, [mutation(id, 'Not a Fit', base, 'offline-ann')], now);
      await waitForLockWaiter(worker);
      await worker.query('COMMIT');
      return await applying;
    } finally {
      await worker.end();
    }
  }

  test('a claim that commits while the batch waits for its place: applied, the place left Processing, no dequeue counted', async () => {
    const [id] = await fresh(1);
    await setScanState(store, id!, { status: 'Selected', deep_scan_status: 'Queued' });
    // A worker's claim as the PostgreSQL queue makes it (the place locked, a lease row added).
    const report = await pushWhileWorkerHolds(id!, [
      'SELECT id FROM places_staging WHERE place_id = $1 FOR UPDATE',
      LEASE,
    ]);
    expect(report.stopped).toBeNull();
    expect(report.results[0]).toMatchObject({
      outcome: 'applied',
      counts: { updated: 1, queued: 0, dequeued: 0, already_queued: 0, already_scanned: 0 },
      place: { status: 'Not a Fit', deep_scan_status: 'Processing' },
    });
    expect((await placeStates(store)).get(id!)).toMatchObject({
      status: 'Not a Fit',
      deep_scan_status: 'Processing',
    });
  });

  test('a lease that ends while the batch waits for its place (a retry later): applied, the place dequeued and counted', async () => {
    const [id] = await fresh(1);
    await setScanState(store, id!, { status: 'Selected', deep_scan_status: 'Queued' });
    await store.pool.query(LEASE, [id]);
    // The worker ends its attempt as the PostgreSQL queue's retry does (its lease deleted, the
    // place written and left Queued): the batch's first statement saw the lease in its
    // snapshot, and the place as it is after the commit.
    const report = await pushWhileWorkerHolds(id!, [
      `DELETE FROM deep_scan_leases USING places_staging p
       WHERE p.place_id = $1 AND deep_scan_leases.place_row = p.id`,
      `UPDATE places_staging SET deep_scan_claimed_by = 'w' WHERE place_id = $1`,
    ]);
    expect(report.stopped).toBeNull();
    expect(report.results[0]).toMatchObject({
      outcome: 'applied',
      counts: { updated: 1, queued: 0, dequeued: 1, already_queued: 0, already_scanned: 0 },
      place: { status: 'Not a Fit', deep_scan_status: null },
    });
    expect((await placeStates(store)).get(id!)).toMatchObject({
      status: 'Not a Fit',
      deep_scan_status: null,
    });
  });

  /** Resolves once a session of this database waits for a lock (the worker's client excepted). */
  async function waitForLockWaiter(worker: pg.Client): Promise<void> {
    const { rows } = await worker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows: waiting } = await store.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
        [rows[0]!.pid],
      );
      if (waiting[0]!.n >= 1) return;
      if (Date.now() > deadline) throw new Error('no lock waiter after 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('a malformed batch is refused whole before anything is applied', async () => {
    const ids = await fresh(2);
    const good = mutation(ids[0]!, 'Maybe', 0, 'ann');
    const bad = [
      { ...mutation(ids[1]!, 'Maybe', 0, 'ann'), mutation_id: 'not-a-uuid' },
      { ...mutation(ids[1]!, 'maybe' as PlaceStatus, 0, 'ann') },
      { ...mutation(ids[1]!, 'Maybe', -1, 'ann') },
      { ...mutation(`a\u0000b`, 'Maybe', 0, 'ann') },
      { ...mutation(ids[1]!, 'Maybe', 0, 'ann'), deep_scan_status: 'Queued' },
      { ...mutation(ids[1]!, 'Maybe', 0, 'ann'), client_time: 'yesterday' },
    ];
    for (const m of bad) {
      await expect(applyMutations(store, [good, m], now)).rejects.toBeInstanceOf(ZodError);
    }
    const rows = await appliedRows(store);
    expect(rows.some((row) => row.mutation_id === good.mutation_id)).toBe(false);
    expect((await placeStates(store)).get(ids[0]!)!.status).toBe('New');
  });
});
