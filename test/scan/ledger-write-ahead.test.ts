import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PgStore } from '../../src-main/db/store';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import { utcDayOf, type ClaimedPlace, type ScanQueue } from '../../src-main/scan/queue';
import { createPgScanQueue } from '../../src-main/scan/pg-queue';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { defaultPlace } from '../support/fake-places-api';
import { queuePlaces, rawQuery, storeFactory, waitFor, type StoreFactory } from './support/stores';

/**
 * PostgreSQL without a daily limit: a call may be sent once its ledger row's statement is handed
 * to the operating system, before it commits (StartCallResult.recorded). These tests hold the
 * ledger's INSERT back with a table lock, so "sent before committed" is a state they can look at,
 * and check what that order must never lose: the row of a call that went out.
 */

const fieldsFor = (placeId: string) =>
  mapPlaceToLocalBusiness(placeId, placeDetailsSchema.parse(defaultPlace(placeId)));

const CHILD = fileURLToPath(new URL('./support/start-call-and-die.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface CallRow {
  id: string;
  place_id: string;
  worker_id: string;
  outcome: string | null;
}

describe('ledger rows sent ahead of their commit (PostgreSQL)', () => {
  let stores: StoreFactory;
  let store: PgStore;
  let queue: ScanQueue;
  /** A connection of the test's own that holds places_api_calls against INSERTs. */
  let locker: pg.Client | null = null;
  const day = utcDayOf(Date.now());

  beforeAll(async () => {
    stores = await storeFactory('postgres');
    store = (await stores.open()) as PgStore;
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    await stores.reset(store);
    queue = scanQueueFor(store);
    await queue.prepare(5);
  });
  afterEach(async () => {
    await locker?.end().catch(() => {});
    locker = null;
    await queue.close();
    // A test that failed before reading its trace (traceCalls) leaves it behind: drop it, or the
    // next test's CREATE fails too.
    await rawQuery(
      store,
      `DROP TRIGGER IF EXISTS test_call_trace ON places_api_calls;
       DROP FUNCTION IF EXISTS test_call_trace();
       DROP TABLE IF EXISTS test_call_trace;`,
    );
  });

  const calls = () =>
    rawQuery<CallRow>(store, 'SELECT id, place_id, worker_id, outcome FROM places_api_calls');

  async function holdLedger(): Promise<() => Promise<void>> {
    locker = new pg.Client({ connectionString: store.pool.options.connectionString });
    await locker.connect();
    await locker.query('BEGIN');
    // SHARE conflicts with the ROW EXCLUSIVE lock an INSERT takes.
    await locker.query('LOCK TABLE places_api_calls IN SHARE MODE');
    const held = locker;
    return async () => {
      await held.query('COMMIT');
    };
  }

  async function claim(limit: number, on: ScanQueue = queue): Promise<ClaimedPlace[]> {
    const { places } = await on.claim({
      workerId: 'w',
      token: randomUUID(),
      limit,
      leaseMs: 60_000,
      ratePerSecond: 100,
      day,
    });
    expect(places).toHaveLength(limit);
    return places;
  }

  const start = (place: ClaimedPlace, on: ScanQueue = queue) =>
    on.startCall({
      placeId: place.placeId,
      workerId: 'w',
      fieldMask: 'id',
      startedAt: Date.now(),
      day,
    });

  it('lets the call go before its row commits, and the row commits after', async () => {
    await queuePlaces(store, 1);
    const [place] = await claim(1);
    const release = await holdLedger();

    // The INSERT waits for the lock in the server; the call may go all the same.
    const started = await start(place!);
    expect(started.id).toBeNull();
    expect(started.recorded).toBeDefined();
    expect(await calls()).toEqual([]);

    await release();
    const recorded = await started.recorded!;
    expect(recorded.id).toEqual(expect.any(Number));
    expect(await calls()).toEqual([
      { id: String(recorded.id), place_id: place!.placeId, worker_id: 'w', outcome: null },
    ]);
  });

  it('keeps the row of a call whose worker was killed right after it was sent', async () => {
    await queuePlaces(store, 1);
    const release = await holdLedger();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...stores.env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    expect(output).toContain('SENT');
    expect(exit).toBe('SIGKILL');
    // The worker is gone; its statement is still waiting in the server behind the lock.
    expect(await calls()).toEqual([]);

    await release();
    const rows = await waitFor(
      async () => {
        const rows = await calls();
        return rows.length > 0 && rows;
      },
      { what: "the killed worker's ledger row" },
    );
    expect(rows.map((r) => [r.worker_id, r.outcome])).toEqual([['doomed', null]]);
  });

  /** A second store of the same database whose connections have a lock_timeout, and its queue. */
  async function openTimedStore(lockTimeoutMs: number, poolSize = 2) {
    const timed = await openPostgres(store.pool.options.connectionString!, {
      migrate: false,
      poolSize,
      lockTimeoutMs,
    });
    const timedQueue = scanQueueFor(timed);
    return {
      store: timed,
      queue: timedQueue,
      close: async () => {
        await timedQueue.close();
        await timed.close();
      },
    };
  }

  /** Two claimed places: A's call made (its row recorded) and answered, B's not started. */
  async function answeredAndNext(): Promise<ClaimedPlace[]> {
    await queuePlaces(store, 2);
    const [a, b] = await claim(2);
    const first = await start(a!);
    const { id } = await first.recorded!;
    expect(id).toEqual(expect.any(Number));
    a!.call = { id, startedAt: Date.now(), durationMs: 5, httpStatus: 200 };
    return [a!, b!];
  }

  /** Records, for each ledger row, the connection that wrote it and its commit mode. */
  async function traceCalls(): Promise<
    () => Promise<{ place_id: string; app: string; sync: string }[]>
  > {
    await rawQuery(
      store,
      `
      CREATE TABLE test_call_trace (place_id text, app text, sync text);
      CREATE FUNCTION test_call_trace() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_call_trace VALUES (NEW.place_id, current_setting('application_name'),
            current_setting('synchronous_commit'));
          RETURN NULL;
        END $$;
      CREATE TRIGGER test_call_trace AFTER INSERT ON places_api_calls
        FOR EACH ROW EXECUTE FUNCTION test_call_trace();`,
    );
    return async () => {
      const rows = await rawQuery<{ place_id: string; app: string; sync: string }>(
        store,
        'SELECT place_id, app, sync FROM test_call_trace',
      );
      await rawQuery(
        store,
        `
        DROP TRIGGER test_call_trace ON places_api_calls;
        DROP FUNCTION test_call_trace();
        DROP TABLE test_call_trace;`,
      );
      return rows;
    };
  }

  /**
   * Holds local_businesses against the results' upsert, on a connection of the test's own, until
   * the function returned is called (once or more).
   */
  async function holdBusinesses(): Promise<() => Promise<void>> {
    const holder = new pg.Client({ connectionString: store.pool.options.connectionString });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE local_businesses IN SHARE MODE');
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await holder.query('COMMIT');
      } finally {
        await holder.end();
      }
    };
  }

  const resultsWaitingForLock = () =>
    waitFor(
      async () =>
        (
          await rawQuery<{ n: number }>(
            store,
            `SELECT count(*)::int AS n FROM pg_locks
             WHERE relation = 'local_businesses'::regclass AND NOT granted`,
          )
        )[0]!.n > 0,
      { what: "a results' statement waiting for the lock" },
    );

  it('records a call on the calls lane while the results before it wait to commit', async () => {
    const [a, b] = await answeredAndNext();
    const traced = await traceCalls();
    // The results' statement waits in the server: local_businesses is held against its upsert.
    const release = await holdBusinesses();
    let settled = false;
    try {
      const completed = queue.complete(a!, fieldsFor(a!.placeId)).finally(() => (settled = true));
      await resultsWaitingForLock();
      // B's call neither waits for A's result nor goes with it: its row commits meanwhile.
      const second = await start(b!);
      expect((await second.recorded!).id).toEqual(expect.any(Number));
      expect(settled).toBe(false);
      await release();
      expect(await completed).toBe(true);
    } finally {
      await release();
    }
    expect(await traced()).toEqual([
      { place_id: b!.placeId, app: 'staging-editor-scan-calls', sync: 'off' },
    ]);
  });

  /**
   * On `on`: places A and C answered (their calls recorded), B not started; A's result is sent
   * and held in the server (local_businesses locked against its upsert), C's result waits for
   * the next statement. Then B's call starts. Returns the call, the results and the lock's end.
   */
  async function startWhileResultsWait(on: ScanQueue) {
    await queuePlaces(store, 3);
    const [a, c, b] = await claim(3, on);
    for (const answered of [a!, c!]) {
      const { id } = await (await start(answered, on)).recorded!;
      expect(id).toEqual(expect.any(Number));
      answered.call = { id, startedAt: Date.now(), durationMs: 5, httpStatus: 200 };
    }
    const traced = await traceCalls();
    const release = await holdBusinesses();
    const settled = new Set<string>();
    const complete = (place: ClaimedPlace) =>
      on.complete(place, fieldsFor(place.placeId)).finally(() => settled.add(place.placeId));
    const completedA = complete(a!);
    try {
      await resultsWaitingForLock();
    } catch (error) {
      // The lock would otherwise outlive this test and stall the next ones.
      await release();
      throw error;
    }
    const completedC = complete(c!);
    const second = start(b!, on).finally(() => settled.add(b!.placeId));
    return {
      b: b!,
      second,
      settled,
      completed: () => Promise.all([completedA, completedC]),
      traced,
      release,
    };
  }

  /** A queue of its own whose loop is busy or not as the test says, holding calls `holdStartMs`. */
  async function queueWithLoop(
    busy: boolean,
    holdStartMs: number,
    test: (q: ScanQueue) => Promise<void>,
  ) {
    const own = createPgScanQueue(store, { loopBusy: () => busy, holdStartMs });
    try {
      await test(own);
    } finally {
      await own.close();
    }
  }

  it('holds a call for the next statement of results while the loop is busy', async () => {
    await queueWithLoop(true, 60_000, async (own) => {
      const run = await startWhileResultsWait(own);
      try {
        // The turn in which the queue decides where B's row goes (startCall's flushSoon) is over.
        await new Promise((resolve) => setImmediate(resolve));
        expect(run.settled).toEqual(new Set());
        expect((await calls()).filter((r) => r.place_id === run.b.placeId)).toEqual([]);
      } finally {
        await run.release();
      }
      expect(await run.completed()).toEqual([true, true]);
      expect((await (await run.second).recorded!).id).toEqual(expect.any(Number));
      // B's row went with C's result: one statement on the pool, committed synchronously.
      const rows = await run.traced();
      expect(rows).toEqual([{ place_id: run.b.placeId, app: expect.any(String), sync: 'on' }]);
      expect(rows[0]!.app).not.toBe('staging-editor-scan-calls');
    });
  });

  it.each([
    // Held 50 ms, then the lane: a statement held up by a lock does not hold the calls.
    { busy: true, holdStartMs: 50, when: 'after its hold when the loop is busy' },
    // At once: a hold of a minute would time the test out.
    { busy: false, holdStartMs: 60_000, when: 'at once when the loop is not busy' },
  ])(
    'sends a call on the calls lane while the results before it are held up, $when',
    async ({ busy, holdStartMs }) => {
      await queueWithLoop(busy, holdStartMs, async (own) => {
        const run = await startWhileResultsWait(own);
        try {
          // A's statement stays locked, C's result waits for the next: B's call goes on the lane.
          expect((await (await run.second).recorded!).id).toEqual(expect.any(Number));
          expect(run.settled).toEqual(new Set([run.b.placeId]));
        } finally {
          await run.release();
        }
        expect(await run.completed()).toEqual([true, true]);
        expect(await run.traced()).toEqual([
          { place_id: run.b.placeId, app: 'staging-editor-scan-calls', sync: 'off' },
        ]);
      });
    },
  );

  it('records a call with the results that came in the same turn, on the pool, in one commit', async () => {
    const [a, b] = await answeredAndNext();
    const traced = await traceCalls();
    const [completed, second] = await Promise.all([
      queue.complete(a!, fieldsFor(a!.placeId)),
      start(b!),
    ]);
    expect(completed).toBe(true);
    expect((await second.recorded!).id).toEqual(expect.any(Number));
    const rows = await traced();
    expect(rows).toEqual([{ place_id: b!.placeId, app: expect.any(String), sync: 'on' }]);
    expect(rows[0]!.app).not.toBe('staging-editor-scan-calls');
  });

  it('records a call on the calls lane when the pool has no connection free', async () => {
    const [a, b] = await answeredAndNext();
    const traced = await traceCalls();
    // Every connection of the pool is taken (as by reviewers' long updates).
    const taken = await Promise.all(
      Array.from({ length: store.pool.options.max }, () => store.pool.connect()),
    );
    let completed: Promise<boolean>;
    try {
      const [done, second] = [queue.complete(a!, fieldsFor(a!.placeId)), start(b!)];
      completed = done;
      expect((await (await second).recorded!).id).toEqual(expect.any(Number));
    } finally {
      for (const client of taken) client.release();
    }
    expect(await completed).toBe(true);
    expect(await traced()).toEqual([
      { place_id: b!.placeId, app: 'staging-editor-scan-calls', sync: 'off' },
    ]);
  });

  it('sends the calls lane its INSERT unprepared once the prepared statement is gone', async (ctx) => {
    await queuePlaces(store, 3);
    // The lane prepares its INSERT only where the server gets the store's startup parameters
    // (its timeouts); through a transaction pooler (npm run test:pgbouncer) there is no lane.
    const timed = await openTimedStore(10_000);
    if (timed.store.timeoutDelivery !== 'startup') {
      await timed.close();
      ctx.skip();
    }
    const [a, b, c] = await claim(3, timed.queue);
    // The first INSERT drops the session's prepared statements (as a pooler that hands the lane
    // another server connection would); each records the connection that wrote it.
    await rawQuery(
      store,
      `
      CREATE SEQUENCE test_drops;
      CREATE TABLE test_call_app (place_id text, app text);
      CREATE FUNCTION test_drop_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_call_app VALUES (NEW.place_id, current_setting('application_name'));
          IF nextval('test_drops') = 1 THEN EXECUTE 'DEALLOCATE ALL'; END IF;
          RETURN NULL;
        END $$;
      CREATE TRIGGER test_drop_once AFTER INSERT ON places_api_calls
        FOR EACH ROW EXECUTE FUNCTION test_drop_once();`,
    );
    let apps: { place_id: string; app: string }[];
    try {
      for (const place of [a!, b!, c!]) {
        const started = await start(place, timed.queue);
        expect((await started.recorded!).id).toEqual(expect.any(Number));
      }
      apps = await rawQuery(store, 'SELECT place_id, app FROM test_call_app');
    } finally {
      await timed.close();
      await rawQuery(
        store,
        `
        DROP TRIGGER test_drop_once ON places_api_calls;
        DROP FUNCTION test_drop_once();
        DROP TABLE test_call_app;
        DROP SEQUENCE test_drops;`,
      );
    }
    const appOf = (place: ClaimedPlace) => apps.find((r) => r.place_id === place.placeId)?.app;
    // A on the lane; B's prepared statement was gone, so B went again at once on the lane,
    // unprepared, and so did C.
    expect(appOf(a!)).toBe('staging-editor-scan-calls');
    expect(appOf(b!)).toBe('staging-editor-scan-calls');
    expect(appOf(c!)).toBe('staging-editor-scan-calls');
    expect((await calls()).map((r) => r.place_id).sort()).toEqual(
      [a!.placeId, b!.placeId, c!.placeId].sort(),
    );
  });

  it('finishes places with a statement prepared once per connection, unprepared once it is gone', async (ctx) => {
    await queuePlaces(store, 3);
    // One connection, so the queue's statements and this test's run on the same session.
    const timed = await openTimedStore(10_000, 1);
    if (timed.store.timeoutDelivery !== 'startup') {
      await timed.close();
      ctx.skip();
    }
    const prepared = async () =>
      (
        await timed.store.pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements')
      ).rows.map((r) => r.name);
    try {
      const [a, b, c] = await claim(3, timed.queue);
      expect(await timed.queue.complete(a!, fieldsFor(a!.placeId))).toBe(true);
      expect(await prepared()).toEqual(['staging-editor-complete']);
      // The session's statements dropped, as by a pooler that hands the next statement another
      // server connection: B's goes again at once, unprepared, and so does every one after it.
      await timed.store.pool.query('DEALLOCATE ALL');
      expect(await timed.queue.complete(b!, fieldsFor(b!.placeId))).toBe(true);
      expect(await timed.queue.complete(c!, fieldsFor(c!.placeId))).toBe(true);
      expect(await prepared()).toEqual([]);
    } finally {
      await timed.close();
    }
    expect(
      await rawQuery(
        store,
        `SELECT p.deep_scan_status AS status, count(b.place_id)::int AS businesses
         FROM places_staging p LEFT JOIN local_businesses b USING (place_id)
         GROUP BY 1`,
      ),
    ).toEqual([{ status: 'Completed', businesses: 3 }]);
  });

  it('completes ledger rows by their primary key, not through the index of open calls', async (ctx) => {
    await queuePlaces(store, 1);
    // A ledger as after a long run: thousands of calls completed since the last VACUUM, each
    // still with its entry in the partial index of open calls (sql/pg/0013), and few open.
    await rawQuery(
      store,
      `INSERT INTO places_api_calls (place_id, worker_id, started_at, field_mask)
         SELECT 'earlier-' || g, 'w', now() - interval '1 hour', 'm' FROM generate_series(1, 4000) g;
       UPDATE places_api_calls SET outcome = 'completed' WHERE place_id <> 'earlier-1';
       ANALYZE places_api_calls;`,
    );
    // One connection, so the queue's statements and this test's run on the same session.
    const timed = await openTimedStore(10_000, 1);
    if (timed.store.timeoutDelivery !== 'startup') {
      await timed.close();
      ctx.skip();
    }
    let plan: string;
    let place: ClaimedPlace;
    try {
      [place] = (await claim(1, timed.queue)) as [ClaimedPlace];
      const { id } = await (await start(place, timed.queue)).recorded!;
      place.call = { id, startedAt: Date.now(), durationMs: 5, httpStatus: 200 };
      expect(await timed.queue.complete(place, fieldsFor(place.placeId))).toBe(true);
      // The plan PostgreSQL keeps for the prepared statement (a generic one, as after the fifth
      // run): its parameters' values do not matter to it.
      const client = await timed.store.pool.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          `SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements
           WHERE name = 'staging-editor-complete'`,
        );
        await client.query('SET plan_cache_mode = force_generic_plan');
        const explained = await client.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) EXECUTE "staging-editor-complete"(${Array.from(
            { length: rows[0]!.n },
            () => 'NULL',
          ).join(', ')})`,
        );
        await client.query('RESET plan_cache_mode');
        plan = JSON.stringify(explained.rows[0]!['QUERY PLAN']);
      } finally {
        client.release();
      }
    } finally {
      await timed.close();
    }
    expect(plan).toContain('"Index Name":"places_api_calls_pkey"');
    expect(plan).not.toContain('places_api_calls_open_idx');
    expect((await calls()).find((r) => r.place_id === place.placeId)?.outcome).toBe('completed');
  });

  it("ends the calls lane's stuck INSERT at the store's lock_timeout, as the pool would", async () => {
    await queuePlaces(store, 1);
    // A store of the same database whose connections give up on a lock after 200 ms.
    const timed = await openTimedStore(200);
    try {
      const [place] = await claim(1, timed.queue);
      await holdLedger();
      const starting = start(place!, timed.queue);
      if (timed.store.timeoutDelivery === 'per-transaction') {
        // Through a transaction pooler there is no lane: the row commits before the call, so
        // the lock timeout stops the call itself.
        await expect(starting).rejects.toMatchObject({
          cause: expect.objectContaining({ code: '55P03' }),
        });
        return;
      }
      // The lane's INSERT and the pool's retries all give up while the lock is held: the call
      // is reported unrecorded (the scheduler logs it) instead of waiting for ever.
      const recorded = await (await starting).recorded!;
      expect(recorded.id).toBeNull();
      expect((recorded.error as { code?: string }).code).toBe('55P03');
    } finally {
      await timed.close();
    }
  });

  it('records calls already sent on their own when the statement they went in failed', async () => {
    const [a, b] = await answeredAndNext();
    // The store refuses the next INSERT into the ledger once (a sequence: not rolled back).
    await rawQuery(
      store,
      `
      CREATE SEQUENCE test_refusals;
      CREATE FUNCTION test_refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('test_refusals') = 1 THEN RAISE EXCEPTION 'refused once'; END IF;
          RETURN NULL;
        END $$;
      CREATE TRIGGER test_refuse_once BEFORE INSERT ON places_api_calls
        FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_once();`,
    );
    try {
      // A's result and B's call, in the same turn: B's statement (on the calls lane) fails.
      const [completed, second] = await Promise.all([
        queue.complete(a!, fieldsFor(a!.placeId)),
        start(b!),
      ]);
      expect(completed).toBe(true);
      const recorded = await second.recorded!;
      expect(recorded.id).toEqual(expect.any(Number));
    } finally {
      await rawQuery(
        store,
        `
        DROP TRIGGER test_refuse_once ON places_api_calls;
        DROP FUNCTION test_refuse_once();
        DROP SEQUENCE test_refusals;`,
      );
    }
    const rows = await calls();
    expect(rows.map((r) => [r.place_id, r.outcome]).sort()).toEqual(
      [
        [a!.placeId, 'completed'],
        [b!.placeId, null],
      ].sort(),
    );
    const [state] = await rawQuery<{ deep_scan_status: string }>(
      store,
      'SELECT deep_scan_status FROM places_staging WHERE id = $1',
      [a!.id],
    );
    expect(state!.deep_scan_status).toBe('Completed');
  });
});
