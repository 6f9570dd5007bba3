import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../src-shared/contract/events';
import type { Store } from '../../src-main/db/store';
import { readScanProgress } from '../../src-main/scan/progress';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { killAll, spawnWorker, type WorkerProcess } from './support/processes';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
  storeFactory,
  waitFor,
  type StoreFactory,
} from './support/stores';

/**
 * Headless workers as separate processes (`node --import tsx test/scan/worker-entry.ts`, the
 * same code as `staging-editor worker`) sharing one store, against the fake Places API.
 */

let fake: FakePlacesApi;
const spawned: WorkerProcess[] = [];

beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await killAll(spawned.splice(0));
});

function workerEnv(store: StoreFactory, env: Record<string, string> = {}) {
  return {
    ...store.env(),
    GOOGLE_MAPS_API_KEY: fake.apiKey,
    PLACES_API_BASE_URL: fake.baseUrl,
    DEEP_SCAN_INTERVAL_SECONDS: '1',
    DEEP_SCAN_RATE_PER_SECOND: '10000',
    ...env,
  };
}

function start(id: string, env: Record<string, string>, tuning = {}) {
  const worker = spawnWorker(id, env, tuning);
  spawned.push(worker);
  return worker;
}

async function stopAll(workers: WorkerProcess[]) {
  for (const w of workers) w.signal('SIGTERM');
  const exits = await Promise.all(workers.map((w) => w.exited));
  expect(exits.map((e) => e.code)).toEqual(workers.map(() => 0));
}

const statusCounts = async (store: Store) =>
  countBy(await scanRows(store), (r) => r.deep_scan_status);

const allCompleted = (store: Store, n: number) => async () =>
  (await statusCounts(store)).Completed === n;

/** Sum over places of (calls - 1): calls the API answered twice for one place. */
const duplicateCalls = (ids: string[]) =>
  ids.reduce((sum, id) => sum + Math.max(0, fake.callsFor(id) - 1), 0);

describe('scan workers sharing PostgreSQL', () => {
  let stores: StoreFactory;
  let store: Store;

  beforeAll(async () => {
    stores = await storeFactory('postgres');
    store = await stores.open();
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    fake.reset();
    await stores.reset(store);
  });

  it('4 worker processes scan 5,000 places: each called once, all Completed, rows as answered', async () => {
    const ids = await queuePlaces(store, 5_000);
    const env = workerEnv(stores, { DEEP_SCAN_MAX_CONCURRENCY: '8', DEEP_SCAN_BATCH_SIZE: '20' });
    const workers = ['w1', 'w2', 'w3', 'w4'].map((id) => start(id, env));
    // Sampled while they run, the status figures always add up to the total.
    const samples: ScanProgress[] = [];
    await waitFor(
      async () => {
        const progress = await readScanProgress(store);
        samples.push(progress);
        return progress.counts.Completed === 5_000;
      },
      { timeoutMs: 50_000, intervalMs: 100, what: 'all Completed' },
    );
    // The throughput arrives with the workers' heartbeats (every 5 s): on a quick run all 5,000
    // can be done before the first one that counts any, so wait for it.
    await waitFor(async () => (await readScanProgress(store)).scans_per_minute > 0, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'the throughput in a heartbeat',
    });
    await stopAll(workers);
    expect(samples.some((p) => p.counts.Processing > 0)).toBe(true);
    const totals = samples.map((p) => Object.values(p.counts).reduce((a, b) => a + b, 0));
    expect(new Set(totals)).toEqual(new Set([5_000]));

    expect(ids.filter((id) => fake.callsFor(id) !== 1)).toEqual([]);
    expect(fake.totalCalls()).toBe(5_000);
    const rows = await rawQuery<Record<string, unknown>>(
      store,
      'SELECT * FROM local_businesses ORDER BY place_id',
    );
    expect(rows).toHaveLength(5_000);
    const mismatched = rows.filter((row) => {
      const expected = fake.expectedRowFor(row.place_id as string);
      return Object.entries(expected).some(
        ([key, value]) => !isDeepStrictEqual(row[key], value ?? null),
      );
    });
    expect(mismatched.map((r) => r.place_id)).toEqual([]);
    const byWorker = countBy(await scanRows(store), (r) => r.deep_scan_claimed_by);
    expect(Object.keys(byWorker).sort()).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(await statusCounts(store)).toEqual({ Completed: 5_000 });
  });

  it('SIGKILL a worker holding claims: its places complete after the lease, none lost, duplicates only among what it held', async () => {
    const ids = await queuePlaces(store, 300);
    fake.setLatencyMs(100);
    const env = workerEnv(stores, {
      DEEP_SCAN_LEASE_SECONDS: '2',
      DEEP_SCAN_MAX_CONCURRENCY: '4',
      DEEP_SCAN_BATCH_SIZE: '10',
    });
    const victim = start('victim', env);
    const survivor = start('survivor', env);
    await waitFor(
      async () => {
        const rows = await scanRows(store);
        const mine = rows.filter((r) => r.deep_scan_claimed_by === 'victim');
        return (
          mine.filter((r) => r.deep_scan_status === 'Completed').length >= 20 &&
          mine.some((r) => r.deep_scan_status === 'Processing')
        );
      },
      { timeoutMs: 30_000, what: 'the victim holding claims' },
    );
    victim.signal('SIGKILL');
    await victim.exited;
    const held = await rawQuery<{ place_id: string; lease: Date }>(
      store,
      `SELECT p.place_id, l.expires_at AS lease
       FROM deep_scan_leases l JOIN places_staging p ON p.id = l.place_row
       WHERE l.claimed_by = 'victim'`,
    );
    expect(held.length).toBeGreaterThan(0);

    await waitFor(allCompleted(store, 300), { timeoutMs: 30_000, what: 'all Completed' });
    await stopAll([survivor]);

    const heldIds = new Set(held.map((h) => h.place_id));
    expect(ids.every((id) => fake.callsFor(id) >= 1)).toBe(true);
    expect(duplicateCalls(ids)).toBeLessThanOrEqual(held.length);
    expect(ids.filter((id) => fake.callsFor(id) > 1 && !heldIds.has(id))).toEqual([]);
    const finished = await rawQuery<{ place_id: string; by: string; at: Date }>(
      store,
      `SELECT place_id, deep_scan_claimed_by AS by, deep_scan_completed_at AS at
       FROM places_staging WHERE place_id = ANY($1)`,
      [[...heldIds]],
    );
    for (const row of finished) {
      const lease = held.find((h) => h.place_id === row.place_id)!.lease;
      expect(row.by).toBe('survivor');
      expect(row.at.getTime()).toBeGreaterThanOrEqual(lease.getTime());
    }
    expect(await rawQuery(store, 'SELECT count(*)::int AS n FROM local_businesses')).toEqual([
      { n: 300 },
    ]);
  });

  it('a worker paused (SIGSTOP) past its lease, then resumed, cannot overwrite the place', async () => {
    await queuePlaces(store, 4);
    fake.setLatencyMs(1_500);
    const env = workerEnv(stores, { DEEP_SCAN_LEASE_SECONDS: '2' });
    const tuning = { requestTimeoutMs: 10_000 };
    const sleeper = start('sleeper', env, tuning);
    await waitFor(
      async () =>
        fake.totalCalls() >= 4 &&
        (await scanRows(store)).every(
          (r) => r.deep_scan_status === 'Processing' && r.deep_scan_claimed_by === 'sleeper',
        ),
      { timeoutMs: 30_000, intervalMs: 10, what: 'the sleeper calling the API' },
    );
    sleeper.signal('SIGSTOP');
    // Until every lease it holds has run out, by the store's clock.
    await waitFor(
      async () =>
        (
          await rawQuery<{ n: number }>(
            store,
            `SELECT count(*)::int AS n FROM deep_scan_leases WHERE expires_at >= now()`,
          )
        )[0]!.n === 0,
      { timeoutMs: 30_000, what: 'the sleeper past its leases' },
    );

    const other = start('other', env, tuning);
    await waitFor(
      async () =>
        (await scanRows(store)).every(
          (r) => r.deep_scan_status === 'Completed' && r.deep_scan_claimed_by === 'other',
        ),
      { timeoutMs: 30_000, what: 'the other worker finishing' },
    );
    const before = {
      places: await rawQuery(store, 'SELECT * FROM places_staging ORDER BY id'),
      businesses: await rawQuery(store, 'SELECT * FROM local_businesses ORDER BY id'),
    };

    sleeper.signal('SIGCONT');
    await waitFor(() => /lease lost/.test(sleeper.output()), {
      timeoutMs: 10_000,
      what: 'the sleeper noticing',
    });
    // A graceful stop lets its scans finish: whatever it would write is written before it exits.
    await stopAll([sleeper, other]);

    expect(await rawQuery(store, 'SELECT * FROM places_staging ORDER BY id')).toEqual(
      before.places,
    );
    expect(await rawQuery(store, 'SELECT * FROM local_businesses ORDER BY id')).toEqual(
      before.businesses,
    );
  });

  it('SIGTERM with scans in flight: exits within 10 s, nothing left Processing', async () => {
    await queuePlaces(store, 10);
    fake.setLatencyMs(8_000);
    const env = workerEnv(stores, { DEEP_SCAN_LEASE_SECONDS: '30' });
    const worker = start('terminated', env);
    await waitFor(() => fake.totalCalls() >= 4, { timeoutMs: 30_000, what: 'scans in flight' });
    const signalled = Date.now();
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(exit.code).toBe(0);

    const rows = await scanRows(store);
    expect(countBy(rows, (r) => r.deep_scan_status)).toEqual({ Queued: 10 });
    expect(rows.every((r) => r.deep_scan_attempts === 0 && r.deep_scan_claim_token === null)).toBe(
      true,
    );
    expect(await rawQuery(store, 'SELECT * FROM scan_workers')).toEqual([]);
  });

  it('a worker without an API key says how to set it and exits', async () => {
    const env = workerEnv(stores);
    delete (env as Record<string, string | undefined>).GOOGLE_MAPS_API_KEY;
    const worker = start('keyless', env);
    expect((await worker.exited).code).toBe(1);
    expect(worker.output()).toMatch(/Set GOOGLE_MAPS_API_KEY to run deep scans/);
  });
});

describe('a scan worker on SQLite', () => {
  let stores: StoreFactory;
  let store: Store;

  beforeAll(async () => {
    stores = await storeFactory('sqlite');
    store = await stores.open();
  });
  afterAll(async () => {
    await stores.cleanup();
  });

  it('kill -9 mid-batch, restart: every place completes, once', async () => {
    fake.reset();
    const ids = await queuePlaces(store, 200);
    fake.setLatencyMs(40);
    const env = workerEnv(stores, { DEEP_SCAN_BATCH_SIZE: '20', DEEP_SCAN_MAX_CONCURRENCY: '4' });
    const first = start('first', env);
    await waitFor(
      async () => {
        const counts = await statusCounts(store);
        return (counts.Completed ?? 0) >= 30 && (counts.Processing ?? 0) > 0;
      },
      { timeoutMs: 30_000, what: 'the first worker mid-batch' },
    );
    first.signal('SIGKILL');
    await first.exited;
    const held = (await statusCounts(store)).Processing ?? 0;
    expect(held).toBeGreaterThan(0);

    const second = start('second', env);
    await waitFor(allCompleted(store, 200), { timeoutMs: 30_000, what: 'all Completed' });
    await stopAll([second]);

    expect(await statusCounts(store)).toEqual({ Completed: 200 });
    expect(duplicateCalls(ids)).toBeLessThanOrEqual(held);
    expect(ids.every((id) => fake.callsFor(id) >= 1 && fake.callsFor(id) <= 2)).toBe(true);
    expect(await rawQuery(store, 'SELECT count(*) AS n FROM local_businesses')).toEqual([
      { n: 200 },
    ]);
    expect(second.output()).toMatch(/places left Processing by a crash queued again/);
  });

  it("a second process on the same file runs no loop and leaves the first one's claims alone; it takes over when the first dies", async () => {
    fake.reset();
    await stores.reset(store);
    const ids = await queuePlaces(store, 12);
    fake.setLatencyMs(60_000); // the first worker's calls stay in flight until it is killed
    const env = workerEnv(stores, {
      DEEP_SCAN_BATCH_SIZE: '4',
      DEEP_SCAN_MAX_CONCURRENCY: '4',
      DEEP_SCAN_LEASE_SECONDS: '30',
    });
    const tuning = { requestTimeoutMs: 60_000 };
    const first = start('first', env, tuning);
    await waitFor(() => fake.totalCalls() >= 4, { timeoutMs: 30_000, what: 'first scanning' });
    const held = async () =>
      (await scanRows(store))
        .filter((r) => r.deep_scan_status === 'Processing')
        .map((r) => ({
          id: r.place_id,
          by: r.deep_scan_claimed_by,
          token: r.deep_scan_claim_token,
        }));
    const before = await held();
    expect(before).toHaveLength(4);
    expect(before.every((c) => c.by === 'first')).toBe(true);

    const second = start('second', env, tuning);
    // Either it stands by (the fix) or it started a loop and "recovered" the live claims.
    await waitFor(() => /stands by|deep scan loop started/.test(second.output()), {
      timeoutMs: 30_000,
      what: 'the second process deciding',
    });
    expect(second.output()).toMatch(/Deep scans run in another process on this SQLite file/);
    expect(second.output()).not.toMatch(/deep scan loop started|queued again/);
    expect(await held()).toEqual(before);
    expect(fake.totalCalls()).toBe(4);

    // The first one dies (the OS releases its lock): the second takes over and finishes.
    first.signal('SIGKILL');
    await first.exited;
    fake.setLatencyMs(0);
    await waitFor(allCompleted(store, 12), { timeoutMs: 30_000, what: 'all Completed' });
    await stopAll([second]);
    expect(second.output()).toMatch(/taking over/);
    expect(second.output()).toMatch(/places left Processing by a crash queued again/);
    const heldIds = new Set(before.map((c) => c.id));
    // Only what the dead process had in flight was called twice.
    expect(ids.filter((id) => fake.callsFor(id) !== (heldIds.has(id) ? 2 : 1))).toEqual([]);
    expect(await statusCounts(store)).toEqual({ Completed: 12 });
  });
});
