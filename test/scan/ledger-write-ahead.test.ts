import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PgStore } from '../../src-main/db/store';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import { utcDayOf, type ClaimedPlace, type ScanQueue } from '../../src-main/scan/queue';
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

  async function claim(limit: number): Promise<ClaimedPlace[]> {
    const { places } = await queue.claim({
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

  const start = (place: ClaimedPlace) =>
    queue.startCall({
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

  it('records calls already sent on their own when the statement they went in failed', async () => {
    await queuePlaces(store, 2);
    const [a, b] = await claim(2);
    const first = await start(a!);
    expect((await first.recorded!).id).toEqual(expect.any(Number));
    a!.call = {
      id: (await first.recorded!).id,
      startedAt: Date.now(),
      durationMs: 5,
      httpStatus: 200,
    };
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
      // A's result and B's call, in the same turn: one statement, which fails.
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
