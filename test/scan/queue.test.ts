import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src-main/db/store';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import type { ClaimRequest, ScanQueue } from '../../src-main/scan/queue';
import { readScanProgress } from '../../src-main/scan/progress';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { defaultPlace } from '../support/fake-places-api';
import {
  countBy,
  queuePlaces,
  rawQuery,
  expireLeases,
  scanRows,
  setStatus,
  storeFactory,
  type StoreFactory,
  type StoreKind,
} from './support/stores';

const request = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  workerId: 'worker-a',
  token: randomUUID(),
  limit: 10,
  leaseMs: 60_000,
  ratePerSecond: 10_000,
  ...overrides,
});

const fieldsFor = (placeId: string) =>
  mapPlaceToLocalBusiness(placeId, placeDetailsSchema.parse(defaultPlace(placeId)));

describe.each<StoreKind>(['postgres', 'sqlite'])('the scan queue on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  let queue: ScanQueue;
  /** SQLite reads the process clock: a test may freeze it (null: the real clock). */
  let frozen: number | null = null;

  beforeAll(async () => {
    stores = await storeFactory(kind);
    store = await stores.open();
    queue = scanQueueFor(store, { clock: () => frozen ?? Date.now() });
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
    frozen = null;
    await stores.reset(store);
    await queue.prepare(5);
  });

  it('claims due places oldest first, marking them Processing with a token, a lease and an attempt', async () => {
    const ids = await queuePlaces(store, 25);
    const first = await queue.claim(request({ limit: 10 }));
    expect(first.places.map((p) => p.placeId)).toEqual(ids.slice(0, 10));
    expect(first.places.every((p) => p.attempt === 1)).toBe(true);
    const second = await queue.claim(request({ limit: 10, workerId: 'worker-b' }));
    expect(second.places.map((p) => p.placeId)).toEqual(ids.slice(10, 20));

    const rows = await scanRows(store);
    expect(countBy(rows, (r) => r.deep_scan_status)).toEqual({ Processing: 20, Queued: 5 });
    const claimed = rows.filter((r) => r.deep_scan_status === 'Processing');
    expect(new Set(claimed.map((r) => r.deep_scan_claim_token)).size).toBe(2);
    expect(countBy(claimed, (r) => r.deep_scan_claimed_by)).toEqual({
      'worker-a': 10,
      'worker-b': 10,
    });
  });

  it('never hands the same place to two claims running at once', async () => {
    await queuePlaces(store, 300);
    const others = await Promise.all(Array.from({ length: 3 }, () => stores.open(4)));
    const queues = [queue, ...others.map((s) => scanQueueFor(s))];
    const claimed: string[] = [];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        queues.flatMap((q, i) =>
          [0, 1].map(() => q.claim(request({ limit: 10, workerId: `w${i}` }))),
        ),
      );
      for (const r of results) claimed.push(...r.places.map((p) => p.placeId));
    }
    expect(claimed).toHaveLength(300);
    expect(new Set(claimed).size).toBe(300);
  });

  it('tells how long until the next place falls due when none is due now', async () => {
    const [id] = await queuePlaces(store, 1);
    const [claim] = (await queue.claim(request())).places;
    expect(claim!.placeId).toBe(id);
    expect(await queue.retryLater(claim!, 'HTTP 503', 3_000)).toBe(true);
    const result = await queue.claim(request());
    expect(result.places).toEqual([]);
    expect(result.nextDueInMs).toBeGreaterThan(2_000);
    expect(result.nextDueInMs).toBeLessThanOrEqual(3_000);
  });

  it('completes a place: Completed, error cleared, and one local_businesses row', async () => {
    const [id] = await queuePlaces(store, 1);
    const [claim] = (await queue.claim(request())).places;
    await queue.retryLater(claim!, 'HTTP 503 (attempt 1)', 0);
    const [again] = (await queue.claim(request())).places;
    expect(again!.attempt).toBe(2);
    expect(await queue.complete(again!, fieldsFor(id!))).toBe(true);

    const [row] = await scanRows(store);
    expect(row).toMatchObject({
      deep_scan_status: 'Completed',
      deep_scan_error: null,
      deep_scan_attempts: 2,
      deep_scan_claim_token: null,
    });
    const businesses = await rawQuery<{ place_id: string; business_name: string }>(
      store,
      'SELECT place_id, business_name FROM local_businesses',
    );
    expect(businesses).toEqual([{ place_id: id, business_name: fieldsFor(id!).business_name }]);
  });

  it('a worker whose lease was swept and re-claimed cannot overwrite the place', async () => {
    const [id] = await queuePlaces(store, 1);
    const [stale] = (await queue.claim(request({ workerId: 'slow' }))).places;
    await expireLeases(store);
    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 1, failed: 0, cancelled: 0 });
    const [fresh] = (await queue.claim(request({ workerId: 'fast' }))).places;

    // While the fresh claim holds the place, the stale worker's writes change nothing: not the
    // place, not the fresh claim.
    expect(await queue.complete(stale!, { ...fieldsFor(id!), business_name: 'Stale' })).toBe(false);
    expect(await queue.fail(stale!, 'stale')).toBe(false);
    expect(await queue.retryLater(stale!, 'stale', 0)).toBe(false);
    expect(await queue.release([stale!], 0)).toBe(0);
    expect((await queue.extendLeases([stale!], 60_000)).size).toBe(0);
    expect(await rawQuery(store, 'SELECT * FROM local_businesses')).toEqual([]);
    expect((await scanRows(store))[0]).toMatchObject({
      deep_scan_status: 'Processing',
      deep_scan_claim_token: fresh!.token,
      deep_scan_claimed_by: 'fast',
    });

    expect(await queue.complete(fresh!, fieldsFor(id!))).toBe(true);
    const before = await rawQuery(store, 'SELECT * FROM local_businesses');
    expect(before).toHaveLength(1);
    // And after it finished, as well.
    expect(await queue.complete(stale!, { ...fieldsFor(id!), business_name: 'Stale' })).toBe(false);
    expect(await queue.fail(stale!, 'stale')).toBe(false);
    expect(await queue.retryLater(stale!, 'stale', 0)).toBe(false);
    expect(await queue.release([stale!], 0)).toBe(0);
    expect(await rawQuery(store, 'SELECT * FROM local_businesses')).toEqual(before);
    const [row] = await scanRows(store);
    expect(row).toMatchObject({
      deep_scan_status: 'Completed',
      deep_scan_claimed_by: 'fast',
      deep_scan_attempts: 2,
    });
  });

  it('the sweep returns expired places to the queue, or to Error after the last attempt, and leaves live leases alone', async () => {
    await queuePlaces(store, 3);
    const { places } = await queue.claim(request({ limit: 2 }));
    // The second place is on its last attempt (PostgreSQL counts it in the lease).
    await rawQuery(
      store,
      store.kind === 'postgres'
        ? 'UPDATE deep_scan_leases SET attempt = 5 WHERE place_row = $1'
        : 'UPDATE places_staging SET deep_scan_attempts = 5 WHERE id = $1',
      [places[1]!.id],
    );
    await expireLeases(store);
    const live = (await queue.claim(request({ limit: 1 }))).places;
    expect(live).toHaveLength(1);

    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 1, failed: 1, cancelled: 0 });
    const rows = await scanRows(store);
    expect(rows.map((r) => r.deep_scan_status)).toEqual(['Queued', 'Error', 'Processing']);
    expect(rows[1]!.deep_scan_error).toBe(
      'The scan did not finish: its worker stopped responding (5 attempts).',
    );
    expect(rows[0]!.deep_scan_attempts).toBe(1);
  });

  it('the sweep also returns places an older version left Processing in the place itself once their lease ran out', async () => {
    // Before sql 0019 a PostgreSQL claim wrote Processing, its token, worker and lease into the
    // place and counted the attempt there (SQLite's claims still do). A worker of such a version
    // sharing a migrated store, or SQL by hand, can still leave a place that way.
    const [gone, last, live] = await queuePlaces(store, 3);
    frozen = Date.now();
    const postgres = store.kind === 'postgres';
    const legacyClaim = (placeId: string, attempts: number, leaseInMs: number) =>
      rawQuery(
        store,
        `UPDATE places_staging SET deep_scan_status = 'Processing', deep_scan_attempts = $1,
           deep_scan_lease_expires_at = ${postgres ? `now() + $2 * interval '1 millisecond'` : '$2'},
           deep_scan_claim_token = 'old-token', deep_scan_claimed_by = 'old-worker'
         WHERE place_id = $3`,
        [attempts, postgres ? leaseInMs : frozen! + leaseInMs, placeId],
      );
    await legacyClaim(gone!, 1, -60_000);
    await legacyClaim(last!, 5, -60_000);
    await legacyClaim(live!, 1, 3_600_000);

    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 1, failed: 1, cancelled: 0 });
    const rows = await scanRows(store);
    expect(rows.map((r) => [r.place_id, r.deep_scan_status, r.deep_scan_attempts])).toEqual([
      [gone, 'Queued', 1],
      [last, 'Error', 5],
      [live, 'Processing', 1],
    ]);
    expect(rows[1]!.deep_scan_error).toBe(
      'The scan did not finish: its worker stopped responding (5 attempts).',
    );
    expect(rows[0]!.deep_scan_claim_token).toBeNull();
    // The place swept is claimed again, on its second attempt; the live one is not.
    const { places } = await queue.claim(request());
    expect(places.map((p) => [p.placeId, p.attempt])).toEqual([[gone, 2]]);
    const summary = await readScanProgress(store);
    expect(summary.counts).toMatchObject({ Processing: 2, Error: 1 });
  });

  it('returning a claim gives its attempt back', async () => {
    await queuePlaces(store, 4);
    const { places } = await queue.claim(request({ limit: 4 }));
    expect(await queue.release(places, 0)).toBe(4);
    const rows = await scanRows(store);
    expect(rows.every((r) => r.deep_scan_status === 'Queued' && r.deep_scan_attempts === 0)).toBe(
      true,
    );
    expect(rows.every((r) => r.deep_scan_claim_token === null)).toBe(true);
  });

  it('extends the leases it still holds', async () => {
    await queuePlaces(store, 2);
    const { places } = await queue.claim(request({ limit: 2, leaseMs: 1_000 }));
    const kept = await queue.extendLeases(places, 60_000);
    expect([...kept].sort()).toEqual(places.map((p) => p.id).sort());
    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 0, failed: 0, cancelled: 0 });
  });

  it('claims no more places than the rate limit has tokens for', async () => {
    await queuePlaces(store, 50);
    // The bucket's state is set explicitly, in the store's own time (PostgreSQL's now(), the
    // SQLite queue's frozen clock), so no sleep decides how many tokens there are.
    frozen = Date.now();
    const setBucket = (tokens: number, refilledAgoMs: number) =>
      rawQuery(
        store,
        store.kind === 'postgres'
          ? `UPDATE scan_control SET rate_tokens = $1, rate_refilled_at = now() - $2 * interval '1 millisecond'`
          : `UPDATE scan_control SET rate_tokens = $1, rate_refilled_at = $2`,
        store.kind === 'postgres' ? [tokens, refilledAgoMs] : [tokens, frozen! - refilledAgoMs],
      );
    // Refilled "in the future": nothing has accrued yet.
    await setBucket(0, -3_600_000);
    const empty = await queue.claim(request({ limit: 20, ratePerSecond: 5 }));
    expect(empty.places).toEqual([]);
    expect(empty.tokensBefore).toBe(0);
    // 2.5 tokens: two calls, half a token left.
    await setBucket(2.5, -3_600_000);
    expect((await queue.claim(request({ limit: 20, ratePerSecond: 5 }))).places).toHaveLength(2);
    const [control] = await rawQuery<{ rate_tokens: number }>(
      store,
      'SELECT rate_tokens FROM scan_control',
    );
    expect(control!.rate_tokens).toBeCloseTo(0.5, 6);
    // Ten seconds since the last refill at 5 per second: the bucket holds one second of calls.
    await setBucket(0, 10_000);
    const full = await queue.claim(request({ limit: 20, ratePerSecond: 5 }));
    expect(full.places).toHaveLength(5);
    expect(full.tokensBefore).toBe(5);
  });

  it('a claim sets each lease to now + the lease length', async () => {
    await queuePlaces(store, 2);
    frozen = Date.now();
    const leaseMs = 123_000;
    const { places } = await queue.claim(request({ limit: 2, leaseMs }));
    expect(places).toHaveLength(2);
    if (store.kind === 'postgres') {
      // now() of this read is at or after the claim's: the rest of the lease is at most
      // leaseMs, and only the few moments between the two statements less.
      const rows = await rawQuery<{ left_ms: number }>(
        store,
        `SELECT (EXTRACT(EPOCH FROM expires_at - now()) * 1000)::float8 AS left_ms
         FROM deep_scan_leases`,
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.left_ms).toBeLessThanOrEqual(leaseMs);
        expect(row.left_ms).toBeGreaterThan(leaseMs - 5_000);
      }
    } else {
      const rows = await rawQuery<{ lease: number }>(
        store,
        `SELECT deep_scan_lease_expires_at AS lease FROM places_staging WHERE deep_scan_status = 'Processing'`,
      );
      expect(rows).toEqual([{ lease: frozen + leaseMs }, { lease: frozen + leaseMs }]);
    }
  });

  it('claims only places whose status is still Selected', async () => {
    const ids = await queuePlaces(store, 4);
    // Queued by other means than a reviewer's Selected (by hand, an older queueDeepScan).
    await rawQuery(store, `UPDATE places_staging SET status = 'Maybe' WHERE place_id = $1`, [
      ids[1],
    ]);
    const { places } = await queue.claim(request({ limit: 10 }));
    expect(places.map((p) => p.placeId)).toEqual([ids[0], ids[2], ids[3]]);
    const rows = await scanRows(store);
    expect(rows.find((r) => r.place_id === ids[1])).toMatchObject({
      deep_scan_status: 'Queued',
      deep_scan_claim_token: null,
    });
  });

  it('a place that left Selected while Processing is cancelled, not queued again, when its attempt ends without a result', async () => {
    const ids = await queuePlaces(store, 5);
    const { places } = await queue.claim(request({ limit: 5 }));
    expect(places).toHaveLength(5);
    // The reviewer changes their mind while the scans run: step 6 leaves Processing alone.
    const update = await setStatus(store, ids, 'Not a Fit');
    expect(update.updated_count).toBe(5);
    expect(countBy(await scanRows(store), (r) => r.deep_scan_status)).toEqual({ Processing: 5 });

    const [transient, returned, swept, completed, failed] = places;
    expect(await queue.retryLater(transient!, 'HTTP 503 (attempt 1 of 5, will retry)', 0)).toBe(
      true,
    );
    expect(await queue.release([returned!], 0)).toBe(1);
    await expireLeases(store, swept!.id);
    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 0, failed: 0, cancelled: 1 });
    // A result is still recorded.
    expect(await queue.complete(completed!, fieldsFor(completed!.placeId))).toBe(true);
    expect(await queue.fail(failed!, 'place not found (HTTP 404)')).toBe(true);

    const rows = await rawQuery<{
      place_id: string;
      status: string;
      deep_scan_status: string | null;
      deep_scan_next_attempt_at: unknown;
      deep_scan_queued_at: unknown;
      deep_scan_lease_expires_at: unknown;
      deep_scan_claim_token: string | null;
    }>(
      store,
      `SELECT place_id, status, deep_scan_status, deep_scan_next_attempt_at, deep_scan_queued_at,
         deep_scan_lease_expires_at, deep_scan_claim_token FROM places_staging ORDER BY id`,
    );
    const byId = new Map(rows.map((r) => [r.place_id, r]));
    for (const claim of [transient, returned, swept]) {
      expect(byId.get(claim!.placeId)).toEqual({
        place_id: claim!.placeId,
        status: 'Not a Fit',
        deep_scan_status: null,
        deep_scan_next_attempt_at: null,
        deep_scan_queued_at: null,
        deep_scan_lease_expires_at: null,
        deep_scan_claim_token: null,
      });
    }
    expect(byId.get(completed!.placeId)!.deep_scan_status).toBe('Completed');
    expect(byId.get(failed!.placeId)!.deep_scan_status).toBe('Error');
    expect(await rawQuery(store, 'SELECT place_id FROM local_businesses')).toEqual([
      { place_id: completed!.placeId },
    ]);
    // Nothing is left to claim, and the scan status counts the three as cancelled.
    expect((await queue.claim(request())).places).toEqual([]);
    expect((await queue.readProgress()).cancelled).toBe(3);
    expect((await readScanProgress(store)).cancelled).toBe(3);
    const [counter] = await rawQuery<{ value: number }>(
      store,
      `SELECT value FROM scan_counters WHERE name = 'cancelled'`,
    );
    expect(counter!.value).toBe(3);
  });

  it('claims nothing while the store is paused, and says for how long', async () => {
    await queuePlaces(store, 5);
    await queue.pauseAll(2_000, 'Places API rate limited (HTTP 429).');
    const paused = await queue.claim(request());
    expect(paused.places).toEqual([]);
    expect(paused.pause?.reason).toBe('Places API rate limited (HTTP 429).');
    expect(paused.pause?.remainingMs).toBeGreaterThan(1_000);
    expect((await queue.readPause())?.remainingMs).toBeGreaterThan(1_000);
  });

  it('counts places per deep scan status in one snapshot, with the oldest queued age', async () => {
    await queuePlaces(store, 6);
    await queue.claim(request({ limit: 2 }));
    await rawQuery(
      store,
      `INSERT INTO places_staging (place_id, name) VALUES ('never-queued', 'Never queued')`,
    );
    await queue.heartbeat('worker-a', 42);
    const progress = await queue.readProgress();
    expect(progress.counts).toEqual({ none: 1, Queued: 4, Processing: 2, Completed: 0, Error: 0 });
    expect(progress.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(progress.scansPerMinute).toBe(42);
    await queue.removeWorker('worker-a');
    expect((await queue.readProgress()).liveWorkers).toEqual([]);
  });

  if (kind === 'sqlite') {
    it('at start-up, a place a crash left in Processing that left Selected meanwhile is cancelled', async () => {
      const ids = await queuePlaces(store, 3);
      await queue.claim(request({ limit: 3 }));
      await setStatus(store, [ids[0]!], 'Archived');
      expect(await queue.prepare(5)).toEqual({ recovered: 3 });
      const rows = await scanRows(store);
      expect(rows.map((r) => r.deep_scan_status)).toEqual([null, 'Queued', 'Queued']);
      expect((await queue.readProgress()).cancelled).toBe(1);
      expect((await queue.claim(request())).places.map((p) => p.placeId)).toEqual(ids.slice(1));
    });

    it('at start-up, places a crash left in Processing go back to the queue', async () => {
      await queuePlaces(store, 3);
      await queue.claim(request({ limit: 3 }));
      expect(await queue.prepare(5)).toEqual({ recovered: 3 });
      const rows = await scanRows(store);
      expect(rows.every((r) => r.deep_scan_status === 'Queued')).toBe(true);
      expect((await queue.claim(request())).places).toHaveLength(3);
    });
  }
});
