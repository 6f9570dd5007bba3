import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../src-main/auth/test-support';
import { startBackend } from '../../src-main/backend';
import { formatSpend } from '../../src-main/cli/spend';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { PLACE_DETAILS_FIELD_MASK } from '../../src-main/scan/places-api/client';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { writeDailyCallLimit } from '../../src-main/scan/daily-limit';
import { DAY_MS } from '../../src-shared/time';
import type { Scheduler } from '../../src-main/scan/scheduler';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { httpTransport } from '../support/transports';
import { startPlacesGate } from './support/gate';
import { killAll, spawnWorker, type WorkerProcess } from './support/processes';
import { startTestLoop } from './support/scheduler';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
  setStatus,
  storeFactory,
  waitFor,
  type StoreFactory,
  type StoreKind,
} from './support/stores';

/**
 * The spend ledger (places_api_calls) and DEEP_SCAN_DAILY_CALL_LIMIT, on real stores against the
 * loopback fake Places API: every call the fake received has exactly one ledger row, and the
 * workers sharing a store never make more calls in a UTC day than the limit.
 */

let fake: FakePlacesApi;
beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterAll(async () => {
  await fake.close();
});

interface CallRow {
  place_id: string;
  worker_id: string;
  started_at: number | string | Date;
  duration_ms: number | null;
  http_status: number | null;
  outcome: string | null;
  field_mask: string;
}

const ledger = (store: Store) =>
  rawQuery<CallRow>(store, 'SELECT * FROM places_api_calls ORDER BY id');
const statusCounts = async (store: Store) =>
  countBy(await scanRows(store), (r) => r.deep_scan_status);
const epochMs = (v: CallRow['started_at']) => (v instanceof Date ? v.getTime() : Number(v));

/** 10:00 UTC of a fixed day, so the day's end is hours away unless a test moves the clock. */
const MORNING = Date.UTC(2026, 11, 2, 10, 0, 0);
const BUDGET_REASON = /^Daily Places API call limit reached: (\d+) calls today/;

describe.each<StoreKind>(['postgres', 'sqlite'])('the spend ledger on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  const running: Scheduler[] = [];
  let now = MORNING;
  const clock = () => now;
  const loop = (env: Record<string, string> = {}, workerId?: string, onStore = store) => {
    const started = startTestLoop(onStore, fake, env, {}, workerId, () => 0.5, clock);
    running.push(started.scheduler);
    return started.scheduler;
  };

  beforeAll(async () => {
    stores = await storeFactory(kind);
    store = await stores.open();
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    now = MORNING;
    fake.reset();
    await stores.reset(store);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop(0)));
  });

  it('records each call once, with its outcome, in the transaction of the scan outcome', async () => {
    const ids = await queuePlaces(store, 6, 301);
    fake.script(ids[0]!, [503, 200]);
    fake.script(ids[1]!, [404]);
    loop({}, 'ledger-a');
    await waitFor(
      async () => {
        const c = await statusCounts(store);
        return c.Completed === 5 && c.Error === 1;
      },
      { what: '5 Completed, 1 Error' },
    );
    const rows = await ledger(store);
    expect(rows).toHaveLength(fake.totalCalls());
    expect(rows).toHaveLength(7);
    const of = (id: string) => rows.filter((r) => r.place_id === id);
    expect(of(ids[0]!).map((r) => [r.outcome, r.http_status])).toEqual([
      ['retried', 503],
      ['completed', 200],
    ]);
    expect(of(ids[1]!).map((r) => [r.outcome, r.http_status])).toEqual([['failed', 404]]);
    for (const id of ids.slice(2)) {
      expect(of(id).map((r) => [r.outcome, r.http_status])).toEqual([['completed', 200]]);
    }
    for (const row of rows) {
      expect(row).toMatchObject({ worker_id: 'ledger-a', field_mask: PLACE_DETAILS_FIELD_MASK });
      expect(epochMs(row.started_at)).toBe(MORNING);
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it.runIf(kind === 'postgres')(
    "writes a call's ledger row in the commit of the result before it: one commit a place",
    async () => {
      if (store.kind !== 'postgres') return;
      const ids = await queuePlaces(store, 6, 304);
      // Which transaction wrote each ledger row and each result (a trigger records it).
      await store.pool.query(`
        CREATE TABLE test_write_tx (kind text, place_id text, xid bigint);
        CREATE FUNCTION test_write_tx() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_write_tx VALUES (TG_ARGV[0], NEW.place_id, txid_current());
          RETURN NULL;
        END $$;
        CREATE TRIGGER test_call_tx AFTER INSERT ON places_api_calls
          FOR EACH ROW EXECUTE FUNCTION test_write_tx('call');
        CREATE TRIGGER test_result_tx AFTER INSERT ON local_businesses
          FOR EACH ROW EXECUTE FUNCTION test_write_tx('result');`);
      // A call's row may still be on its way when a 0 ms answer comes back (PostgreSQL sends the
      // call before the row commits), and then its result waits for it and the next row goes
      // alone. The sharing holds once each row has committed before its answer: 300 ms answers.
      fake.setLatencyMs(300);
      try {
        // One call at a time, and no pause read between places (it would take a turn of its own).
        const started = startTestLoop(
          store,
          fake,
          { DEEP_SCAN_MAX_CONCURRENCY: '1', DEEP_SCAN_BATCH_SIZE: '6' },
          { controlRefreshMs: 3_600_000 },
          'ledger-one-commit',
          () => 0.5,
          clock,
        );
        running.push(started.scheduler);
        await waitFor(async () => (await statusCounts(store)).Completed === 6, {
          what: 'all 6 Completed',
        });
        const { rows } = await store.pool.query<{ kind: string; place_id: string; xid: string }>(
          'SELECT kind, place_id, xid FROM test_write_tx',
        );
        const xidOf = (kind: string, placeId: string) =>
          rows.find((r) => r.kind === kind && r.place_id === placeId)?.xid;
        const order = (await ledger(store)).map((r) => r.place_id);
        expect([...order].sort()).toEqual([...ids].sort());
        // The first call has no result before it; each later one shares the previous result's.
        const shared = order
          .slice(1)
          .map((id, k) => xidOf('call', id) === xidOf('result', order[k]!));
        expect(shared).toEqual([true, true, true, true, true]);
      } finally {
        fake.setLatencyMs(0);
        await Promise.all(running.splice(0).map((s) => s.stop(0)));
        await store.pool.query(`
          DROP TRIGGER IF EXISTS test_call_tx ON places_api_calls;
          DROP TRIGGER IF EXISTS test_result_tx ON local_businesses;
          DROP FUNCTION IF EXISTS test_write_tx();
          DROP TABLE IF EXISTS test_write_tx;`);
      }
    },
  );

  it('makes no call for places dequeued or rejected before their scan', async () => {
    const ids = await queuePlaces(store, 8, 302);
    const [dequeued, rejected, kept] = [ids.slice(0, 3), ids.slice(3, 5), ids.slice(5)];
    await setStatus(store, dequeued, 'New');
    await setStatus(store, rejected, 'Not a Fit');
    loop();
    await waitFor(async () => (await statusCounts(store)).Completed === kept.length, {
      what: 'the kept places Completed',
    });
    const rows = await ledger(store);
    expect(rows.map((r) => r.place_id).sort()).toEqual([...kept].sort());
    expect(rows).toHaveLength(fake.totalCalls());
    for (const id of [...dequeued, ...rejected]) expect(fake.callsFor(id)).toBe(0);
  });

  it('stops at the daily limit with the reason in the status, and goes on the next UTC day', async () => {
    await queuePlaces(store, 5, 303);
    now = Date.UTC(2026, 11, 2, 23, 59, 0);
    await writeDailyCallLimit(store, 3);
    const scheduler = loop();
    const paused = await waitFor(
      async () => {
        const status = await scheduler.status();
        // The store's budget is spent as soon as the 3rd call starts: wait for its scan too.
        return (
          BUDGET_REASON.test(status.paused_reason ?? '') && status.counts.Processing === 0 && status
        );
      },
      { what: 'the budget pause in the status, nothing Processing' },
    );
    expect(paused.paused_reason).toContain('3 calls today');
    expect(await statusCounts(store)).toEqual({ Completed: 3, Queued: 2 });
    expect(fake.totalCalls()).toBe(3);
    expect(await ledger(store)).toHaveLength(3);
    // Nothing queued lost its place or an attempt.
    const queued = (await scanRows(store)).filter((r) => r.deep_scan_status === 'Queued');
    expect(queued.every((r) => r.deep_scan_attempts === 0)).toBe(true);

    now += 2 * 60_000; // 00:01 UTC: a new day, a new budget
    scheduler.wake();
    await waitFor(async () => (await statusCounts(store)).Completed === 5, {
      what: 'the rest Completed the next day',
    });
    const rows = await ledger(store);
    expect(rows).toHaveLength(fake.totalCalls());
    expect(rows.map((r) => Math.floor(epochMs(r.started_at) / DAY_MS) - 20_789)).toEqual([
      0, 0, 0, 1, 1,
    ]);
  });

  it('marks a call its worker never finished as cancelled, and never touches a finished one', async () => {
    const queue = scanQueueFor(store);
    await queue.prepare(5);
    await writeDailyCallLimit(store, 2);
    const day = { startMs: MORNING - 10 * 3600_000, endMs: MORNING + 14 * 3600_000 };
    const call = async (placeId: string, startedAt: number) =>
      (await queue.startCall({ placeId, workerId: 'gone', fieldMask: 'id', startedAt, day })).id;
    expect(await call('p1', MORNING - 60_000)).not.toBeNull();
    expect(await call('p2', MORNING)).not.toBeNull();
    // The limit counts open calls too.
    expect(await call('p3', MORNING)).toBeNull();
    await queue.sweepExpiredLeases(5, MORNING - 1);
    const rows = await ledger(store);
    expect(rows.map((r) => [r.place_id, r.outcome])).toEqual([
      ['p1', 'cancelled'],
      ['p2', null],
    ]);
    await queue.close();
  });

  it('sums the ledger per UTC day in GET /api/v3/scan/spend', async () => {
    const queue = scanQueueFor(store);
    await queue.prepare(5);
    const now = Date.now();
    const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const call = async (placeId: string, startedAt: number, outcome: string | null) => {
      const day = { startMs: 0, endMs: Number.MAX_SAFE_INTEGER };
      const started = await queue.startCall({
        placeId,
        workerId: 'w',
        fieldMask: 'id',
        startedAt,
        day,
      });
      // Without a limit the row may be on its way still (PostgreSQL): its id once committed.
      const id = started.id ?? (await started.recorded)?.id;
      if (outcome) {
        await rawQuery(store, 'UPDATE places_api_calls SET outcome = $1 WHERE id = $2', [
          outcome,
          id,
        ]);
      }
    };
    await call('a', todayStart + 1, 'retried');
    await call('a', todayStart + 2, 'completed');
    await call('b', todayStart + 3, 'completed');
    await call('c', todayStart + 4, null);
    await call('a', todayStart - 1, 'failed'); // yesterday, 23:59:59.999
    await call('z', todayStart - 2 * DAY_MS, 'completed'); // outside 2 days
    await queue.close();

    const secret = 'a-test-secret-that-is-long-enough-0123456789';
    const backend = await startBackend(
      loadSettings({
        ...stores.env(),
        JWT_SECRET: secret,
        DEEP_SCAN_COST_PER_1000: '17',
        DEEP_SCAN_DAILY_CALL_LIMIT: '500',
        LOG_LEVEL: 'silent',
      }),
      { scheduler: false },
    );
    const http = await httpTransport(backend);
    try {
      const token = await sign(new TextEncoder().encode(secret), 'HS256', { sub: 'r' });
      const reply = await http.call('scanSpend', { days: 2 }, token);
      expect(reply.status).toBe(200);
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      expect(reply.body).toEqual({
        days: [
          {
            day: day(todayStart),
            calls: 4,
            by_outcome: { completed: 2, retried: 1, failed: 0, cancelled: 0, open: 1 },
            places_completed: 2,
            calls_per_completed_place: 2,
            duplicate_calls: 1,
            estimated_cost: 0.068,
          },
          {
            day: day(todayStart - DAY_MS),
            calls: 1,
            by_outcome: { completed: 0, retried: 0, failed: 1, cancelled: 0, open: 0 },
            places_completed: 0,
            calls_per_completed_place: null,
            duplicate_calls: 0,
            estimated_cost: 0.017,
          },
        ],
        cost_per_1000: 17,
        daily_call_limit: 500,
      });
      const table = formatSpend(reply.body as Parameters<typeof formatSpend>[0]).split('\n');
      expect(table[1]).toMatch(
        new RegExp(
          `^${day(todayStart)}\\s+4\\s+2\\s+1\\s+0\\s+0\\s+1\\s+2\\s+2\\.00\\s+1\\s+0\\.07$`,
        ),
      );
      expect(table[0]).toMatch(/\bcost \(\$\)$/);
      expect(table).toContain('Cost: $17.00 per 1,000 calls (DEEP_SCAN_COST_PER_1000).');
    } finally {
      await http.close();
      await backend.close();
    }
  });

  if (kind === 'postgres') {
    it('a worker killed after sending its calls leaves them open; a sweep marks them cancelled', async () => {
      await queuePlaces(store, 3, 305);
      const gate = await startPlacesGate(fake.baseUrl);
      let victim: WorkerProcess | undefined;
      try {
        victim = spawnWorker('victim', {
          ...stores.env(),
          GOOGLE_MAPS_API_KEY: fake.apiKey,
          PLACES_API_BASE_URL: gate.baseUrl,
          DEEP_SCAN_INTERVAL_SECONDS: '1',
          DEEP_SCAN_RATE_PER_SECOND: '10000',
          DEEP_SCAN_LEASE_SECONDS: '2',
        });
        // Its 3 calls are sent (held at the gate): their rows are in the ledger, still open.
        await waitFor(() => gate.held() === 3, { timeoutMs: 30_000, what: '3 calls in flight' });
        victim.signal('SIGKILL');
        await victim.exited;
        expect((await ledger(store)).map((r) => [r.worker_id, r.outcome])).toEqual([
          ['victim', null],
          ['victim', null],
          ['victim', null],
        ]);
        // The calls reach the API all the same (and are paid for).
        gate.open();
        await waitFor(() => fake.totalCalls() === 3, { what: 'the 3 calls at the fake' });
      } finally {
        if (victim) await killAll([victim]);
        gate.open();
        await gate.close();
      }
      // Long after: the survivor's sweep cancels the open rows, and its lease sweep re-queues
      // the places, which it scans again.
      now = Date.now() + 10 * 60_000;
      loop({ DEEP_SCAN_LEASE_SECONDS: '2' }, 'survivor');
      await waitFor(async () => (await statusCounts(store)).Completed === 3, {
        what: 'the places Completed by the survivor',
      });
      const rows = await ledger(store);
      expect(rows).toHaveLength(fake.totalCalls());
      expect(countBy(rows, (r) => `${r.worker_id} ${r.outcome}`)).toEqual({
        'victim cancelled': 3,
        'survivor completed': 3,
      });
    });

    it('keeps 3 workers sharing the store within the limit; raising it resumes them', async () => {
      await queuePlaces(store, 30, 304);
      await writeDailyCallLimit(store, 12);
      // Each worker on its own pool, as separate processes would be.
      const workers: Scheduler[] = [];
      for (const id of ['w1', 'w2', 'w3']) workers.push(loop({}, id, await stores.open()));
      // Paused, and the claims the budget refused returned (they go back as the pause starts).
      const allPaused = async () => {
        const statuses = await Promise.all(workers.map((w) => w.status()));
        return (
          statuses.every((s) => BUDGET_REASON.test(s.paused_reason ?? '')) &&
          statuses[0]!.counts.Processing === 0 &&
          statuses
        );
      };
      await waitFor(allPaused, { what: 'every worker paused by the budget' });
      expect(await statusCounts(store)).toEqual({ Completed: 12, Queued: 18 });
      expect(fake.totalCalls()).toBe(12);
      expect(await ledger(store)).toHaveLength(12);

      // One write to the store's limit, from outside the workers: no worker is told.
      await writeDailyCallLimit(await stores.open(), 20);
      await waitFor(async () => (await statusCounts(store)).Completed === 20, {
        what: '20 Completed after the limit was raised',
      });
      await waitFor(allPaused, { what: 'every worker paused again at 20' });
      expect(await statusCounts(store)).toEqual({ Completed: 20, Queued: 10 });
      const rows = await ledger(store);
      expect(rows).toHaveLength(20);
      expect(rows).toHaveLength(fake.totalCalls());
      expect(rows.every((r) => r.outcome === 'completed')).toBe(true);
      // Every place was called once: no call was lost to a claim the budget sent back.
      expect(new Set(rows.map((r) => r.place_id)).size).toBe(20);
    });
  }
});
