import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src-main/db/store';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import type { ClaimRequest, ScanQueue } from '../../src-main/scan/queue';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { defaultPlace } from '../support/fake-places-api';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
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

/** Moves the lease of every Processing place into the past, as if its worker had died. */
async function expireLeases(store: Store) {
  await rawQuery(
    store,
    store.kind === 'postgres'
      ? `UPDATE places_staging SET deep_scan_lease_expires_at = now() - interval '1 second' WHERE deep_scan_status = 'Processing'`
      : `UPDATE places_staging SET deep_scan_lease_expires_at = 0 WHERE deep_scan_status = 'Processing'`,
  );
}

describe.each<StoreKind>(['postgres', 'sqlite'])('the scan queue on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  let queue: ScanQueue;

  beforeAll(async () => {
    stores = await storeFactory(kind);
    store = await stores.open();
    queue = scanQueueFor(store);
  });
  afterAll(async () => {
    await stores.cleanup();
  });
  beforeEach(async () => {
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
    const queues = [queue, ...others.map(scanQueueFor)];
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
    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 1, failed: 0 });
    const [fresh] = (await queue.claim(request({ workerId: 'fast' }))).places;
    expect(await queue.complete(fresh!, fieldsFor(id!))).toBe(true);
    const before = await rawQuery(store, 'SELECT * FROM local_businesses');

    expect(await queue.complete(stale!, { ...fieldsFor(id!), business_name: 'Stale' })).toBe(false);
    expect(await queue.fail(stale!, 'stale')).toBe(false);
    expect(await queue.retryLater(stale!, 'stale', 0)).toBe(false);
    expect(await queue.release([stale!], 0)).toBe(0);
    expect((await queue.extendLeases([stale!], 60_000)).size).toBe(0);

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
    await rawQuery(store, 'UPDATE places_staging SET deep_scan_attempts = 5 WHERE id = $1', [
      places[1]!.id,
    ]);
    await expireLeases(store);
    const live = (await queue.claim(request({ limit: 1 }))).places;
    expect(live).toHaveLength(1);

    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 1, failed: 1 });
    const rows = await scanRows(store);
    expect(rows.map((r) => r.deep_scan_status)).toEqual(['Queued', 'Error', 'Processing']);
    expect(rows[1]!.deep_scan_error).toBe(
      'The scan did not finish: its worker stopped responding (5 attempts).',
    );
    expect(rows[0]!.deep_scan_attempts).toBe(1);
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
    expect(await queue.sweepExpiredLeases(5)).toEqual({ requeued: 0, failed: 0 });
  });

  it('claims no more places than the rate limit has tokens for', async () => {
    await queuePlaces(store, 50);
    await rawQuery(
      store,
      store.kind === 'postgres'
        ? `UPDATE scan_control SET rate_tokens = 0, rate_refilled_at = now()`
        : `UPDATE scan_control SET rate_tokens = 0, rate_refilled_at = ${Date.now()}`,
    );
    const first = await queue.claim(request({ limit: 20, ratePerSecond: 5 }));
    expect(first.places.length).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1_100));
    const second = await queue.claim(request({ limit: 20, ratePerSecond: 5 }));
    // The bucket holds one second of calls at most.
    expect(second.places.length).toBeGreaterThanOrEqual(4);
    expect(second.places.length).toBeLessThanOrEqual(5);
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
