import type { PoolClient } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../src-shared/contract/events';
import type { PgStore, Store } from '../../src-main/db/store';
import { createLogger } from '../../src-main/logger';
import { NO_API_KEY_REASON, readScanProgress } from '../../src-main/scan/progress';
import { startScheduler, type Scheduler } from '../../src-main/scan/scheduler';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { startPlacesGate } from './support/gate';
import { startTestLoop } from './support/scheduler';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
  setStatus,
  storeFactory,
  testSettings,
  waitFor,
  type StoreFactory,
  type StoreKind,
} from './support/stores';

let fake: FakePlacesApi;
beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterAll(async () => {
  await fake.close();
});

const allCompleted = (store: Store, n: number) => async () => {
  const rows = await scanRows(store);
  return rows.length === n && rows.every((r) => r.deep_scan_status === 'Completed') && rows;
};

const sum = (p: ScanProgress) => Object.values(p.counts).reduce((a, b) => a + b, 0);

/**
 * A real store failure: a trigger that raises on the first `n` attempts to mark a place
 * Completed (PostgreSQL: a sequence counts them outside the failing transaction; SQLite: a
 * function of this connection, which the loop under test shares). `attempts()` tells how many
 * completions were tried.
 */
async function failCompletions(store: Store, n: number) {
  if (store.kind === 'postgres') {
    await store.pool.query(`
      DROP TRIGGER IF EXISTS test_fail_completion ON places_staging;
      DROP SEQUENCE IF EXISTS test_fail_completion_seq;
      CREATE SEQUENCE test_fail_completion_seq;
      CREATE OR REPLACE FUNCTION test_fail_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('test_fail_completion_seq') <= ${n} THEN
          RAISE EXCEPTION 'simulated store failure (test trigger)';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_fail_completion BEFORE UPDATE ON places_staging FOR EACH ROW
        WHEN (NEW.deep_scan_status = 'Completed') EXECUTE FUNCTION test_fail_completion();`);
    return {
      async attempts() {
        const { rows } = await store.pool.query<{ n: string }>(
          'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM test_fail_completion_seq',
        );
        return Number(rows[0]!.n);
      },
      async remove() {
        await store.pool.query('DROP TRIGGER IF EXISTS test_fail_completion ON places_staging');
      },
    };
  }
  let tried = 0;
  store.sqlite.function('test_fail_completion', { deterministic: false }, () =>
    ++tried <= n ? 1 : 0,
  );
  store.sqlite.exec(`
    DROP TRIGGER IF EXISTS temp.test_fail_completion;
    CREATE TEMP TRIGGER test_fail_completion BEFORE UPDATE OF deep_scan_status ON places_staging
      WHEN NEW.deep_scan_status = 'Completed' AND test_fail_completion()
      BEGIN SELECT RAISE(ABORT, 'simulated store failure (test trigger)'); END;`);
  return {
    attempts: async () => tried,
    async remove() {
      store.sqlite.exec('DROP TRIGGER IF EXISTS temp.test_fail_completion');
    },
  };
}

/**
 * Each test that scripts the fake's answers for its place gets a place no other test has: a
 * call still on its way from an earlier test's loop (the fake is shared by the file) must not
 * take an answer scripted for this one (seen once: a stray call took the first 503 of a
 * 503, 503, 200 script, and the place completed after two attempts of its own).
 */
let placeSeed = 1000;
const ownPlace = (store: Store) => queuePlaces(store, 1, placeSeed++);

describe.each<StoreKind>(['postgres', 'sqlite'])('the deep scan loop on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  const running: Scheduler[] = [];
  const loop = (
    env: Record<string, string> = {},
    tuning: Parameters<typeof startTestLoop>[3] = {},
    workerId?: string,
  ) => {
    const started = startTestLoop(store, fake, env, tuning, workerId);
    running.push(started.scheduler);
    return started;
  };

  beforeAll(async () => {
    stores = await storeFactory(kind);
    store = await stores.open();
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    fake.reset();
    await stores.reset(store);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop(0)));
  });

  it('scans every queued place once and stores what the Places API answered', async () => {
    const ids = await queuePlaces(store, 200);
    const { emitted } = loop();
    await waitFor(allCompleted(store, 200), { what: 'all Completed' });

    expect(ids.every((id) => fake.callsFor(id) === 1)).toBe(true);
    const rows = await rawQuery<Record<string, unknown>>(
      store,
      'SELECT * FROM local_businesses ORDER BY place_id',
    );
    expect(rows).toHaveLength(200);
    for (const row of rows.slice(0, 20)) {
      const expected = fake.expectedRowFor(row.place_id as string);
      expect(row.business_name).toBe(expected.business_name);
      expect(row.monday_hours).toBe(expected.monday_hours);
      expect(row.website_url).toBe(expected.website_url);
    }
    const scans = await scanRows(store);
    expect(scans.every((r) => r.deep_scan_attempts === 1 && r.deep_scan_error === null)).toBe(true);

    await waitFor(() =>
      emitted.some(
        (e) => e.name === 'scanProgress' && (e.payload as ScanProgress).counts.Completed === 200,
      ),
    );
    const changed = emitted.filter((e) => e.name === 'placesChanged');
    expect(changed.every((e) => (e.payload as { reason: string }).reason === 'scan')).toBe(true);
    const reported = changed.flatMap((e) => (e.payload as { place_ids: string[] }).place_ids);
    expect(new Set(reported)).toEqual(new Set(ids));
  });

  it('announces a claimed place (placesChanged) while its call is still in flight', async () => {
    const [id] = await ownPlace(store);
    const gate = await startPlacesGate(fake.baseUrl);
    try {
      // A call that never times out here: only the claim itself may announce the place.
      const { emitted } = loop({ PLACES_API_BASE_URL: gate.baseUrl }, { requestTimeoutMs: 60_000 });
      await waitFor(() => gate.held() === 1, { what: 'the call in flight' });
      // The grid learns the place is Processing now, not only when its scan ends.
      await waitFor(
        () =>
          emitted.some(
            (e) =>
              e.name === 'placesChanged' &&
              ((e.payload as { place_ids: string[] | null }).place_ids ?? []).includes(id!),
          ),
        { what: 'placesChanged for the claimed place', timeoutMs: 10_000 },
      );
      expect((await scanRows(store))[0]!.deep_scan_status).toBe('Processing');
      gate.open();
      await waitFor(allCompleted(store, 1), { what: 'Completed' });
    } finally {
      gate.open();
      await gate.close();
    }
  });

  it('503, 503, 200 ends Completed after 3 attempts, with growing gaps between them', async () => {
    const [id] = await ownPlace(store);
    fake.script(id!, [503, 503, 200]);
    // Seeded jitter (the middle of the band): the delays are exactly 1 s, then 2 s. A gap is
    // never shorter than its delay; a loaded machine can only make it longer, and the second
    // gap stays the longer one unless a retry is late by a whole second.
    loop({}, { retryBaseMs: 1_000 });
    await waitFor(allCompleted(store, 1), { what: 'Completed' });

    const [row] = await scanRows(store);
    expect(row).toMatchObject({ deep_scan_attempts: 3, deep_scan_error: null });
    const times = fake.callTimes(id!);
    expect(times).toHaveLength(3);
    const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
    expect(first).toBeGreaterThanOrEqual(1_000 - 1);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeGreaterThanOrEqual(2_000 - 1);
  });

  it('404 ends Error after one call', async () => {
    const [id] = await ownPlace(store);
    fake.script(id!, [404]);
    const { scheduler } = loop();
    const [row] = await waitFor(async () => {
      const rows = await scanRows(store);
      return rows[0]?.deep_scan_status === 'Error' && rows;
    });
    expect(row!.deep_scan_error).toMatch(/place not found \(HTTP 404 NOT_FOUND\)/);
    expect(row!.deep_scan_attempts).toBe(1);
    // Stopped, the loop can call no more: the count is final.
    await scheduler.stop(0);
    expect(fake.callsFor(id!)).toBe(1);
  });

  it('a 503 that never clears ends Error after the maximum attempts', async () => {
    const [id] = await ownPlace(store);
    fake.script(id!, [503, 503, 503, 503, 503, 503]);
    const { scheduler } = loop({ DEEP_SCAN_MAX_ATTEMPTS: '3' }, { retryBaseMs: 50 });
    const [row] = await waitFor(async () => {
      const rows = await scanRows(store);
      return rows[0]?.deep_scan_status === 'Error' && rows;
    });
    expect(row!.deep_scan_attempts).toBe(3);
    expect(row!.deep_scan_error).toMatch(/HTTP 503 UNAVAILABLE.*gave up after 3 attempts/);
    await scheduler.stop(0);
    expect(fake.callsFor(id!)).toBe(3);
  });

  it('a rejected key (401) pauses scanning with a clear message and spends no attempt', async () => {
    const ids = await queuePlaces(store, 30);
    fake.setGlobalStatus(401);
    const { scheduler } = loop();
    const status = await waitFor(async () => {
      const s = await scheduler.status();
      return s.paused_reason ? s : null;
    });
    expect(status.paused_reason).toMatch(/^Places API key rejected \(HTTP 401\)/);
    expect(status.paused_reason).toMatch(/GOOGLE_MAPS_API_KEY/);
    expect(status.paused_reason).not.toContain(fake.apiKey);
    // Every claim comes back (the scans under way return theirs when their 401 arrives).
    await waitFor(
      async () =>
        (await scanRows(store)).every(
          (r) => r.deep_scan_status === 'Queued' && r.deep_scan_attempts === 0,
        ),
      { what: 'every place back in the queue, no attempt spent' },
    );
    await scheduler.stop(0);
    const rows = await scanRows(store);
    expect(rows.every((r) => r.deep_scan_status === 'Queued' && r.deep_scan_attempts === 0)).toBe(
      true,
    );
    // Only the scans already under way when the first 401 came back reached the API.
    expect(fake.totalCalls()).toBeLessThanOrEqual(4);
    expect(ids.filter((id) => fake.callsFor(id) > 0).length).toBe(fake.totalCalls());
  });

  it('a 429 pauses the loop for Retry-After, then the place completes', async () => {
    const ids = await queuePlaces(store, 20);
    fake.script(ids[3]!, [429]);
    fake.setRetryAfterSeconds(2);
    loop({ DEEP_SCAN_BATCH_SIZE: '1', DEEP_SCAN_MAX_CONCURRENCY: '1' });
    await waitFor(allCompleted(store, 20), { what: 'all Completed' });
    const hit = fake.callTimes(ids[3]!)[0]!;
    const during = ids
      .flatMap((id) => fake.callTimes(id))
      .filter((t) => t > hit + 300 && t < hit + 1_800);
    expect(during).toEqual([]);
    expect(fake.callsFor(ids[3]!)).toBe(2);
  });

  it('wakes at once when the app queues places, instead of waiting for the next poll', async () => {
    await ownPlace(store);
    const { events } = loop({ DEEP_SCAN_INTERVAL_SECONDS: '3600' });
    // Once its first batch is done the queue is drained: the next poll is an hour away.
    await waitFor(allCompleted(store, 1), { what: 'the first batch' });
    await queuePlaces(store, 5, 8);
    const started = Date.now();
    events.emit('placesChanged', { place_ids: null, reason: 'status' });
    await waitFor(allCompleted(store, 6), { timeoutMs: 5_000, what: 'all Completed' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('status counts always add up to the total while the loop runs', async () => {
    await queuePlaces(store, 400);
    fake.setLatencyMs(5);
    const { scheduler } = loop({ DEEP_SCAN_MAX_CONCURRENCY: '8' });
    const samples: ScanProgress[] = [];
    await waitFor(
      async () => {
        const s = await scheduler.status();
        samples.push(s);
        return s.counts.Completed === 400;
      },
      { intervalMs: 5, what: 'all Completed' },
    );
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.every((s) => sum(s) === 400)).toBe(true);
    expect(samples.some((s) => s.counts.Processing > 0)).toBe(true);
    expect(samples.every((s) => s.running && s.paused_reason === null)).toBe(true);
    const last = samples.at(-1)!;
    expect(last.scans_per_minute).toBe(400);
    expect(last.oldest_queued_age_seconds).toBeNull();
  });

  it('stopping returns unstarted and interrupted places: nothing is left Processing', async () => {
    await queuePlaces(store, 10);
    fake.setLatencyMs(5_000);
    const { scheduler } = loop();
    await waitFor(() => fake.totalCalls() >= 4, { what: 'scans in flight' });
    const started = Date.now();
    await scheduler.stop(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    const rows = await scanRows(store);
    expect(countBy(rows, (r) => r.deep_scan_status)).toEqual({ Queued: 10 });
    // Their attempts were given back: an interrupted scan is not the place's fault.
    expect(rows.every((r) => r.deep_scan_attempts === 0 && r.deep_scan_claim_token === null)).toBe(
      true,
    );
    expect((await scheduler.status()).running).toBe(false);
  });

  it('a place set to Not a Fit while its scan runs is not called again when that call fails: it ends never queued, counted as cancelled', async () => {
    const [id] = await ownPlace(store);
    fake.script(id!, [503]);
    const gate = await startPlacesGate(fake.baseUrl);
    try {
      const { scheduler } = loop({ PLACES_API_BASE_URL: gate.baseUrl }, { retryBaseMs: 50 });
      await waitFor(() => gate.held() === 1, { what: 'the call in flight' });
      // The reviewer rejects the place while the call is held; step 6 leaves Processing alone.
      await setStatus(store, [id!], 'Not a Fit');
      expect((await scanRows(store))[0]!.deep_scan_status).toBe('Processing');
      gate.open();
      const [row] = await waitFor(
        async () => {
          const rows = await scanRows(store);
          return rows[0]!.deep_scan_status !== 'Processing' && rows;
        },
        { what: 'the attempt to end' },
      );
      expect(row).toMatchObject({
        deep_scan_status: null,
        deep_scan_attempts: 1,
        deep_scan_claim_token: null,
      });
      expect((await scheduler.status()).cancelled).toBe(1);
      expect((await readScanProgress(store)).cancelled).toBe(1);
      // Stopped, the loop cannot call again: one paid call in all.
      await scheduler.stop(0);
      expect(fake.callsFor(id!)).toBe(1);
      const [place] = await rawQuery<{ status: string }>(
        store,
        'SELECT status FROM places_staging',
      );
      expect(place!.status).toBe('Not a Fit');
    } finally {
      await gate.close();
    }
  });

  it('a store error while recording a result writes it again: the API is called once and the place completes', async () => {
    const [id] = await ownPlace(store);
    const failing = await failCompletions(store, 2);
    try {
      const { scheduler } = loop({}, { storeRetryBaseMs: 20 });
      await waitFor(allCompleted(store, 1), { what: 'Completed' });
      await scheduler.stop(0);
      expect(await failing.attempts()).toBe(3);
      expect(fake.callsFor(id!)).toBe(1);
      const [row] = await scanRows(store);
      expect(row).toMatchObject({ deep_scan_attempts: 1, deep_scan_error: null });
      const businesses = await rawQuery<{ business_name: string }>(
        store,
        'SELECT business_name FROM local_businesses',
      );
      expect(businesses).toEqual([{ business_name: fake.expectedRowFor(id!).business_name }]);
    } finally {
      await failing.remove();
    }
  });

  it("a refused result does not hold back the next place's call that was to share its commit", async () => {
    const ids = await queuePlaces(store, 2, placeSeed++);
    const failing = await failCompletions(store, 1);
    try {
      // One call at a time: the second place's ledger row comes in the turn of the first result.
      const { scheduler } = loop(
        { DEEP_SCAN_MAX_CONCURRENCY: '1', DEEP_SCAN_BATCH_SIZE: '2' },
        { storeRetryBaseMs: 20, controlRefreshMs: 3_600_000 },
      );
      await waitFor(allCompleted(store, 2), { what: 'both Completed' });
      await scheduler.stop(0);
      expect(await failing.attempts()).toBe(3);
      for (const id of ids) expect(fake.callsFor(id)).toBe(1);
      const calls = await rawQuery<{ place_id: string; outcome: string }>(
        store,
        'SELECT place_id, outcome FROM places_api_calls ORDER BY id',
      );
      expect(calls.map((c) => c.outcome)).toEqual(['completed', 'completed']);
      expect(calls.map((c) => c.place_id).sort()).toEqual([...ids].sort());
    } finally {
      await failing.remove();
    }
  });

  it.runIf(kind === 'postgres')(
    'results the store is slow to take hold the calls back at twice the concurrency',
    async () => {
      if (store.kind !== 'postgres') return;
      await queuePlaces(store, 12, placeSeed++);
      // Results wait on this lock; without the ledger nothing else waits for them, so only the
      // loop's own bound stops the calls.
      const blocker = await store.pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE local_businesses IN EXCLUSIVE MODE');
        const started = startTestLoop(
          store,
          fake,
          { DEEP_SCAN_MAX_CONCURRENCY: '2', DEEP_SCAN_BATCH_SIZE: '12' },
          {},
          undefined,
          () => 0.5,
          undefined,
          false,
        );
        running.push(started.scheduler);
        await waitFor(() => fake.totalCalls() >= 4, { what: '4 calls' });
        // Twice the concurrency answered and waiting to be written: no fifth call, however long.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(fake.totalCalls()).toBe(4);
        await blocker.query('ROLLBACK');
        await waitFor(allCompleted(store, 12), { what: 'all 12 Completed' });
        expect(fake.totalCalls()).toBe(12);
      } finally {
        await blocker.query('ROLLBACK').catch(() => {});
        blocker.release();
      }
    },
  );

  it('a result the store keeps refusing returns the place without spending its attempt, and never calls the API again for it', async () => {
    const [id] = await ownPlace(store);
    const failing = await failCompletions(store, 1_000_000);
    try {
      // The place comes back after retryBaseMs (a minute here): well after this test.
      const { scheduler } = loop(
        {},
        { storeRetries: 2, storeRetryBaseMs: 10, retryBaseMs: 60_000 },
      );
      const [row] = await waitFor(
        async () => {
          if (fake.callsFor(id!) === 0) return false;
          const rows = await scanRows(store);
          return rows[0]!.deep_scan_status !== 'Processing' && rows;
        },
        { what: 'the place returned' },
      );
      await scheduler.stop(0);
      expect(await failing.attempts()).toBe(3);
      expect(row).toMatchObject({
        deep_scan_status: 'Queued',
        deep_scan_attempts: 0,
        deep_scan_error: null,
        deep_scan_claim_token: null,
      });
      expect(fake.callsFor(id!)).toBe(1);
      expect(await rawQuery(store, 'SELECT * FROM local_businesses')).toEqual([]);
    } finally {
      await failing.remove();
    }
  });

  it('stopping while the store refuses a result does not wait out the write retries: the place is returned', async () => {
    const [id] = await ownPlace(store);
    const failing = await failCompletions(store, 1_000_000);
    try {
      // Retries a minute apart: only the stop can cut them short.
      const { scheduler } = loop({}, { storeRetries: 10, storeRetryBaseMs: 60_000 });
      await waitFor(async () => (await failing.attempts()) >= 1, { what: 'the first refusal' });
      const started = Date.now();
      await scheduler.stop(100);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await failing.attempts()).toBe(2); // one last write when the grace ran out
      const [row] = await scanRows(store);
      expect(row).toMatchObject({
        deep_scan_status: 'Queued',
        deep_scan_attempts: 0,
        deep_scan_claim_token: null,
      });
      expect(fake.callsFor(id!)).toBe(1);
    } finally {
      await failing.remove();
    }
  });

  it('a Retry-After of 30 days pauses for DEEP_SCAN_MAX_PAUSE_SECONDS only, then the place completes', async () => {
    const [id] = await ownPlace(store);
    fake.script(id!, [429]);
    fake.setRetryAfterSeconds(30 * 24 * 3600);
    loop({ DEEP_SCAN_MAX_PAUSE_SECONDS: '1' });
    const pause = await waitFor(
      async () => {
        const [row] = await rawQuery<{ reason: string | null; until_ms: number | string | null }>(
          store,
          store.kind === 'postgres'
            ? `SELECT pause_reason AS reason, (EXTRACT(EPOCH FROM paused_until) * 1000)::float8 AS until_ms FROM scan_control`
            : `SELECT pause_reason AS reason, paused_until AS until_ms FROM scan_control`,
        );
        return row?.reason ? row : null;
      },
      { what: 'the shared pause' },
    );
    const hit = fake.callTimes(id!)[0]!;
    expect(Number(pause.until_ms)).toBeGreaterThanOrEqual(hit + 1_000 - 5);
    expect(Number(pause.until_ms)).toBeLessThan(hit + 1_000 + 10_000);
    await waitFor(allCompleted(store, 1), { what: 'Completed after the capped pause' });
    expect(fake.callsFor(id!)).toBe(2);
  });

  it('without an API key the loop does not run, and the status says how to turn it on', async () => {
    await queuePlaces(store, 3);
    const settings = testSettings({ PLACES_API_BASE_URL: fake.baseUrl });
    const scheduler = startScheduler({ store, settings, logger: createLogger('silent') });
    const status = await scheduler.status();
    expect(scheduler.running).toBe(false);
    expect(status).toMatchObject({ running: false, paused_reason: NO_API_KEY_REASON });
    expect(status.counts.Queued).toBe(3);
    // Read later, only the queue's age has moved on.
    const { oldest_queued_age_seconds: age, ...rest } = status;
    const { oldest_queued_age_seconds: laterAge, ...later } = await readScanProgress(store, {
      settings,
    });
    expect(later).toEqual(rest);
    expect(laterAge).toBeGreaterThanOrEqual(age!);
    expect(await rawQuery(store, 'SELECT * FROM scan_workers')).toEqual([]);
    expect(fake.totalCalls()).toBe(0);
  });

  if (kind === 'sqlite') {
    it('a second loop on the same SQLite file stands by, says why, and takes over when the first stops', async () => {
      await queuePlaces(store, 3);
      const first = loop({}, {}, 'first');
      await waitFor(allCompleted(store, 3), { what: 'the first loop scanning' });
      const other = await stores.open();
      const second = loop({}, {}, 'second');
      // `loop` used `store`; a second connection to the same file behaves the same.
      const third = startTestLoop(other, fake, {}, {}, 'third');
      running.push(third.scheduler);
      for (const standby of [second, third]) {
        expect(standby.scheduler.running).toBe(false);
        const status = await standby.scheduler.status();
        expect(status.running).toBe(false);
        expect(status.paused_reason).toMatch(/another process on this SQLite file/);
      }
      await first.scheduler.stop(0);
      await waitFor(() => second.scheduler.running || third.scheduler.running, {
        what: 'a standby taking over',
      });
      const ids = await queuePlaces(store, 2, 9);
      second.scheduler.wake();
      third.scheduler.wake();
      await waitFor(allCompleted(store, 5), { what: 'the new places Completed' });
      const taker = second.scheduler.running ? 'second' : 'third';
      expect(second.scheduler.running && third.scheduler.running).toBe(false);
      const rows = await scanRows(store);
      expect(
        rows.filter((r) => ids.includes(r.place_id)).map((r) => r.deep_scan_claimed_by),
      ).toEqual([taker, taker]);
    });
  }

  it('serve --no-scheduler reports that scans run elsewhere, or not at all', async () => {
    const settings = testSettings({ GOOGLE_MAPS_API_KEY: fake.apiKey });
    const here = startScheduler({
      store,
      settings,
      logger: createLogger('silent'),
      runLoop: false,
    });
    expect((await here.status()).paused_reason).toMatch(/not run by this process/);
    loop({}, {}, 'other-worker');
    await waitFor(async () =>
      /1 other worker is scanning/.test((await here.status()).paused_reason ?? ''),
    );
  });
});

describe('several loops sharing one PostgreSQL', () => {
  let stores: StoreFactory;
  let a: Store;
  let b: Store;
  const running: Scheduler[] = [];

  beforeAll(async () => {
    stores = await storeFactory('postgres');
    [a, b] = [await stores.open(), await stores.open()];
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    fake.reset();
    await stores.reset(a);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop(0)));
  });

  it('a 429 seen by one worker pauses every worker', async () => {
    const ids = await queuePlaces(a, 60);
    fake.setLatencyMs(20);
    fake.script(ids[10]!, [429]);
    fake.setRetryAfterSeconds(2);
    const env = { DEEP_SCAN_BATCH_SIZE: '1', DEEP_SCAN_MAX_CONCURRENCY: '1' };
    const one = startTestLoop(a, fake, env, {}, 'one').scheduler;
    const two = startTestLoop(b, fake, env, {}, 'two').scheduler;
    running.push(one, two);
    await waitFor(() => fake.callsFor(ids[10]!) === 1, { what: 'the 429' });
    const statuses = await waitFor(async () => {
      const s = await Promise.all([one.status(), two.status()]);
      return s.every((x) => /rate limited/.test(x.paused_reason ?? '')) && s;
    });
    expect(statuses[1]!.paused_reason).toMatch(/All workers paused/);
    await waitFor(allCompleted(a, 60), { what: 'all Completed' });

    const hit = fake.callTimes(ids[10]!)[0]!;
    const all = ids.flatMap((id) => fake.callTimes(id));
    expect(all.filter((t) => t > hit + 300 && t < hit + 1_800)).toEqual([]);
    const rows = await scanRows(a);
    expect(Object.keys(countBy(rows, (r) => r.deep_scan_claimed_by)).sort()).toEqual([
      'one',
      'two',
    ]);
  });

  it('a worker whose key is rejected returns its places due now for the others, and claims nothing while paused', async () => {
    await queuePlaces(a, 30);
    const bad = startTestLoop(a, fake, { GOOGLE_MAPS_API_KEY: 'rejected-key' }, {}, 'bad');
    running.push(bad.scheduler);
    await waitFor(async () =>
      /key rejected/.test((await bad.scheduler.status()).paused_reason ?? ''),
    );
    // Everything it held is back in the queue, due now: the key is the process's problem.
    await waitFor(async () => (await scanRows(a)).every((r) => r.deep_scan_status === 'Queued'), {
      what: 'the bad worker returning its claims',
    });
    const [late] = await rawQuery<{ n: number }>(
      a,
      `SELECT count(*)::int AS n FROM places_staging WHERE deep_scan_next_attempt_at > now()`,
    );
    expect(late!.n).toBe(0);
    expect((await scanRows(a)).every((r) => r.deep_scan_attempts === 0)).toBe(true);
    const rejectedCalls = fake.totalCalls();
    expect(rejectedCalls).toBeGreaterThan(0);
    expect(rejectedCalls).toBeLessThanOrEqual(4);

    // A worker with a good key picks them up at once (not five minutes later).
    running.push(startTestLoop(b, fake, {}, {}, 'good').scheduler);
    await waitFor(allCompleted(a, 30), { timeoutMs: 20_000, what: 'all Completed' });
    const rows = await scanRows(a);
    expect(countBy(rows, (r) => r.deep_scan_claimed_by)).toEqual({ good: 30 });
    expect(rows.every((r) => r.deep_scan_attempts === 1)).toBe(true);
    expect(fake.totalCalls()).toBe(rejectedCalls + 30);
  });

  it('leases are extended while every connection of the main pool is held by long transactions', async () => {
    const small = (await stores.open(2)) as PgStore;
    await queuePlaces(a, 2);
    const gate = await startPlacesGate(fake.baseUrl);
    const held: PoolClient[] = [];
    try {
      const { scheduler } = startTestLoop(
        small,
        fake,
        { PLACES_API_BASE_URL: gate.baseUrl, DEEP_SCAN_LEASE_SECONDS: '3' },
        { requestTimeoutMs: 60_000, heartbeatMs: 200 },
        'busy',
      );
      running.push(scheduler);
      await waitFor(() => gate.held() === 2, { what: 'both calls in flight' });
      // Reviewers' long updates hold every pooled connection of this process.
      for (let i = 0; i < 2; i++) {
        const client = await small.pool.connect();
        held.push(client);
        await client.query('BEGIN');
        await client.query('SELECT 1 FROM places_staging LIMIT 1');
      }
      const leases = async () =>
        rawQuery<{ ms: number }>(
          a,
          `SELECT (EXTRACT(EPOCH FROM expires_at) * 1000)::float8 AS ms FROM deep_scan_leases`,
        );
      const before = Math.max(...(await leases()).map((r) => r.ms));
      await waitFor(
        async () => {
          const now = await leases();
          return now.length === 2 && now.every((r) => r.ms > before + 500);
        },
        { timeoutMs: 8_000, what: 'leases extended' },
      );
    } finally {
      for (const client of held.splice(0)) {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
      gate.open();
      await gate.close();
    }
  });

  it('the rate limit holds across workers', async () => {
    const ids = await queuePlaces(a, 60);
    // An empty bucket that does not refill until the test says so ("refilled" an hour ahead):
    // both loops are running before the first token accrues, however slowly they start.
    await rawQuery(
      a,
      `UPDATE scan_control SET rate_tokens = 0, rate_refilled_at = now() + interval '1 hour'`,
    );
    const env = { DEEP_SCAN_RATE_PER_SECOND: '20', DEEP_SCAN_MAX_CONCURRENCY: '4' };
    running.push(startTestLoop(a, fake, env, {}, 'one').scheduler);
    running.push(startTestLoop(b, fake, env, {}, 'two').scheduler);
    await waitFor(
      async () =>
        (await rawQuery<{ n: number }>(a, 'SELECT count(*)::int AS n FROM scan_workers'))[0]!.n ===
        2,
      { what: 'both loops running' },
    );
    expect(fake.totalCalls()).toBe(0);
    const released = Date.now();
    await rawQuery(a, `UPDATE scan_control SET rate_tokens = 0, rate_refilled_at = now()`);
    await waitFor(allCompleted(a, 60), { what: 'all Completed' });
    const times = ids.flatMap((id) => fake.callTimes(id)).sort((x, y) => x - y);
    expect(times).toHaveLength(60);
    // From an empty bucket at `released`, 20 tokens a second: by time t at most 20 * (t -
    // released) calls can have been claimed (a call arrives after its claim), so 60 calls take
    // 3 s at least, with no burst anywhere. A slow machine can only make it slower.
    expect(times.at(-1)! - released).toBeGreaterThanOrEqual(3_000 - 1);
    times.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(20 * ((t - released) / 1000) + 1));
  });
});
