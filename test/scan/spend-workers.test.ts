import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../src-main/auth/test-support';
import { startBackend } from '../../src-main/backend';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { readDailyCallLimit, writeDailyCallLimit } from '../../src-main/scan/daily-limit';
import { readSpend } from '../../src-main/scan/spend';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { httpTransport } from '../support/transports';
import { startPlacesGate, type PlacesGate } from './support/gate';
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
 * The full-size proofs of the spend ledger and the daily call limit: worker processes
 * (`staging-editor worker`'s code) sharing PostgreSQL, against the loopback fake Places API.
 * The workers' ledger clock starts at noon UTC of a fixed day (SCAN_TEST_CLOCK_START), so no run
 * crosses midnight, whenever it runs.
 */

const PLACES = 2_000;
const NOON = Date.UTC(2026, 11, 2, 12, 0, 0);
/** The same pinned clock in this process (the status server, the spend report). */
const startedAt = Date.now();
const clock = () => NOON + (Date.now() - startedAt);

let fake: FakePlacesApi;
const spawned: WorkerProcess[] = [];
const gates: PlacesGate[] = [];

beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await killAll(spawned.splice(0));
  for (const gate of gates.splice(0)) {
    gate.open();
    await gate.close();
  }
});

interface CallRow {
  place_id: string;
  worker_id: string;
  outcome: string | null;
}

describe('the spend ledger with worker processes sharing PostgreSQL', () => {
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

  const workerEnv = (env: Record<string, string> = {}) => ({
    ...stores.env(),
    GOOGLE_MAPS_API_KEY: fake.apiKey,
    PLACES_API_BASE_URL: fake.baseUrl,
    DEEP_SCAN_INTERVAL_SECONDS: '1',
    DEEP_SCAN_RATE_PER_SECOND: '10000',
    DEEP_SCAN_MAX_CONCURRENCY: '8',
    DEEP_SCAN_BATCH_SIZE: '20',
    SCAN_TEST_CLOCK_START: String(clock()),
    ...env,
  });
  const start = (id: string, env: Record<string, string>, tuning = {}) => {
    const worker = spawnWorker(id, env, tuning);
    spawned.push(worker);
    return worker;
  };
  const stopAll = async (workers: WorkerProcess[]) => {
    for (const w of workers) w.signal('SIGTERM');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code)).toEqual(workers.map(() => 0));
  };
  const statusCounts = async () => countBy(await scanRows(store), (r) => r.deep_scan_status);
  const ledger = () =>
    rawQuery<CallRow>(store, 'SELECT place_id, worker_id, outcome FROM places_api_calls');

  it('2,000 places, 3 workers, one SIGKILLed mid-batch: the ledger matches the API call for call; only places the killed worker held were called twice', async () => {
    const ids = await queuePlaces(store, PLACES, 501);
    // The victim reaches the API through a gate: open while it scans, then holding its calls, so
    // at the kill every call it recorded is certainly at the API's door (none is between its
    // ledger row and its request, where a kill would leave a row for a call never sent).
    const gate = await startPlacesGate(fake.baseUrl, { open: true });
    gates.push(gate);
    const env = workerEnv({ DEEP_SCAN_LEASE_SECONDS: '3' });
    // A held call must not time out and be retried while the test waits.
    const victim = start(
      'victim',
      { ...env, PLACES_API_BASE_URL: gate.baseUrl },
      {
        requestTimeoutMs: 120_000,
      },
    );
    const survivors = [start('s1', env), start('s2', env)];

    const victimRows = async () =>
      (await scanRows(store)).filter((r) => r.deep_scan_claimed_by === 'victim');
    await waitFor(
      async () =>
        (await victimRows()).filter((r) => r.deep_scan_status === 'Completed').length >= 100,
      { timeoutMs: 120_000, what: 'the victim completing 100 places' },
    );
    gate.hold();
    // Mid-batch: its 8 scans all wait at the gate, each with its open ledger row, and it holds
    // more claims it has not started.
    await waitFor(
      async () => {
        const open = (await ledger()).filter((r) => r.worker_id === 'victim' && r.outcome === null);
        return gate.held() === 8 && open.length === 8;
      },
      { timeoutMs: 120_000, intervalMs: 20, what: "the victim's 8 calls held at the gate" },
    );
    victim.signal('SIGKILL');
    await victim.exited;
    const held = new Set(
      (await victimRows())
        .filter((r) => r.deep_scan_status === 'Processing')
        .map((r) => r.place_id),
    );
    expect(held.size).toBeGreaterThanOrEqual(8);
    // Its calls reach the API all the same (and are paid for).
    gate.open();
    await waitFor(() => gate.pending() === 0, {
      timeoutMs: 60_000,
      what: 'the held calls answered',
    });

    await waitFor(async () => (await statusCounts()).Completed === PLACES, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: 'all 2,000 Completed',
    });
    await stopAll(survivors);

    const rows = await ledger();
    // Call for call: the ledger's count is the API's, in total and for every place.
    expect(rows).toHaveLength(fake.totalCalls());
    const rowsFor = new Map<string, CallRow[]>();
    for (const row of rows) rowsFor.set(row.place_id, [...(rowsFor.get(row.place_id) ?? []), row]);
    expect(ids.filter((id) => (rowsFor.get(id)?.length ?? 0) !== fake.callsFor(id))).toEqual([]);
    // Every place not held by the killed worker: exactly one call, completed.
    const once = ids.filter((id) => !held.has(id));
    expect(
      once.filter((id) => {
        const calls = rowsFor.get(id) ?? [];
        return calls.length !== 1 || calls[0]!.outcome !== 'completed';
      }),
    ).toEqual([]);
    // The places it held: one completed call by a survivor each, and before it the killed
    // worker's call if it had sent one (still open: the sweep cancels it 5 minutes on).
    for (const id of held) {
      const calls = rowsFor.get(id) ?? [];
      expect(calls.filter((c) => c.outcome === 'completed').map((c) => c.worker_id)).toEqual([
        expect.stringMatching(/^s[12]$/),
      ]);
      expect(calls.filter((c) => c.outcome !== 'completed')).toEqual(
        calls.length === 1 ? [] : [{ place_id: id, worker_id: 'victim', outcome: null }],
      );
    }
    const calledTwice = ids.filter((id) => fake.callsFor(id) > 1);
    expect(calledTwice).toHaveLength(8);
    expect(calledTwice.every((id) => held.has(id) && fake.callsFor(id) === 2)).toBe(true);

    // The spend report of the (pinned) day says the same.
    const [today] = (await readSpend(store, { days: 1, settings: loadSettings({}), now: clock() }))
      .days;
    expect(today).toMatchObject({
      calls: PLACES + 8,
      places_completed: PLACES,
      duplicate_calls: 8,
      calls_per_completed_place: 1,
      by_outcome: { completed: PLACES, retried: 0, failed: 0, cancelled: 0, open: 8 },
    });
    expect(await rawQuery(store, 'SELECT count(*)::int AS n FROM local_businesses')).toEqual([
      { n: PLACES },
    ]);
  }, 240_000);

  it("a daily limit of 500 with 2,000 queued and 3 workers: 500 calls, paused with the reason in GET /api/v3/scan/status, nothing lost; raising the store's limit resumes them without a restart", async () => {
    const ids = await queuePlaces(store, PLACES, 502);
    // Each worker is started with the setting, which it writes to the store's limit.
    const env = workerEnv({ DEEP_SCAN_DAILY_CALL_LIMIT: '500' });
    const workers = ['w1', 'w2', 'w3'].map((id) => start(id, env));

    const reason = 'Daily Places API call limit reached: 500 calls today';
    // Every worker paused itself (its log says so), and nothing is held.
    await waitFor(
      async () =>
        workers.every((w) => w.output().includes(reason)) &&
        (await statusCounts()).Processing === undefined,
      { timeoutMs: 120_000, intervalMs: 100, what: 'every worker paused by the budget' },
    );
    expect(await readDailyCallLimit(store)).toBe(500);
    expect(fake.totalCalls()).toBe(500);
    expect(await ledger()).toHaveLength(500);
    expect(await statusCounts()).toEqual({ Completed: 500, Queued: PLACES - 500 });
    // Nothing queued is lost: the rest is still queued, due, with no attempt spent.
    const queued = (await scanRows(store)).filter((r) => r.deep_scan_status === 'Queued');
    expect(queued.filter((r) => r.deep_scan_attempts !== 0)).toEqual([]);

    // The reason, as any client of the server reads it (this server runs no scan loop).
    const secret = 'a-test-secret-that-is-long-enough-0123456789';
    const backend = await startBackend(
      loadSettings({ ...stores.env(), JWT_SECRET: secret, LOG_LEVEL: 'silent' }),
      { scheduler: false, clock },
    );
    const http = await httpTransport(backend);
    try {
      const token = await sign(new TextEncoder().encode(secret), 'HS256', { sub: 'lead' });
      const status = await http.call('scanStatus', {}, token);
      expect(status.status).toBe(200);
      expect((status.body as { paused_reason: string }).paused_reason).toMatch(
        new RegExp(`^${reason}`),
      );
      expect(fake.totalCalls()).toBe(500);

      // Raised once, in the store, from outside the workers; none is restarted or told.
      await writeDailyCallLimit(store, PLACES);
      await waitFor(async () => (await statusCounts()).Completed === PLACES, {
        timeoutMs: 120_000,
        intervalMs: 200,
        what: 'all 2,000 Completed after the limit was raised',
      });
      for (const w of workers) {
        expect(w.output()).toContain('deep scans resumed: the daily call budget has room again');
        expect(w.child.exitCode).toBeNull();
      }
    } finally {
      await http.close();
      await backend.close();
    }
    await stopAll(workers);

    const rows = await ledger();
    expect(rows).toHaveLength(PLACES);
    expect(fake.totalCalls()).toBe(PLACES);
    expect(ids.filter((id) => fake.callsFor(id) !== 1)).toEqual([]);
    expect(countBy(rows, (r) => r.outcome)).toEqual({ completed: PLACES });
  }, 240_000);
});
