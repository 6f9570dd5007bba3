import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../src-shared/contract/events';
import type { Store } from '../../src-main/db/store';
import { createLogger } from '../../src-main/logger';
import { NO_API_KEY_REASON, readScanProgress } from '../../src-main/scan/progress';
import { startScheduler, type Scheduler } from '../../src-main/scan/scheduler';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { startTestLoop } from './support/scheduler';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
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

  it('503, 503, 200 ends Completed after 3 attempts, with growing gaps between them', async () => {
    const [id] = await queuePlaces(store, 1);
    fake.script(id!, [503, 503, 200]);
    loop({}, { retryBaseMs: 300 });
    await waitFor(allCompleted(store, 1), { what: 'Completed' });

    const [row] = await scanRows(store);
    expect(row).toMatchObject({ deep_scan_attempts: 3, deep_scan_error: null });
    const times = fake.callTimes(id!);
    expect(times).toHaveLength(3);
    const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
    expect(first).toBeGreaterThanOrEqual(0.75 * 300 - 5);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeGreaterThanOrEqual(0.75 * 600 - 5);
  });

  it('404 ends Error after one call', async () => {
    const [id] = await queuePlaces(store, 1);
    fake.script(id!, [404]);
    loop();
    const [row] = await waitFor(async () => {
      const rows = await scanRows(store);
      return rows[0]?.deep_scan_status === 'Error' && rows;
    });
    expect(row!.deep_scan_error).toMatch(/place not found \(HTTP 404 NOT_FOUND\)/);
    expect(row!.deep_scan_attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsFor(id!)).toBe(1);
  });

  it('a 503 that never clears ends Error after the maximum attempts', async () => {
    const [id] = await queuePlaces(store, 1);
    fake.script(id!, [503, 503, 503, 503, 503, 503]);
    loop({ DEEP_SCAN_MAX_ATTEMPTS: '3' }, { retryBaseMs: 50 });
    const [row] = await waitFor(async () => {
      const rows = await scanRows(store);
      return rows[0]?.deep_scan_status === 'Error' && rows;
    });
    expect(row!.deep_scan_attempts).toBe(3);
    expect(row!.deep_scan_error).toMatch(/HTTP 503 UNAVAILABLE.*gave up after 3 attempts/);
    await new Promise((r) => setTimeout(r, 300));
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
    await new Promise((r) => setTimeout(r, 500));

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
    const { events } = loop({ DEEP_SCAN_INTERVAL_SECONDS: '3600' });
    await new Promise((r) => setTimeout(r, 300)); // the first poll found nothing
    await queuePlaces(store, 5);
    const started = Date.now();
    events.emit('placesChanged', { place_ids: null, reason: 'status' });
    await waitFor(allCompleted(store, 5), { timeoutMs: 5_000, what: 'all Completed' });
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

  it('without an API key the loop does not run, and the status says how to turn it on', async () => {
    await queuePlaces(store, 3);
    const settings = testSettings({ PLACES_API_BASE_URL: fake.baseUrl });
    const scheduler = startScheduler({ store, settings, logger: createLogger('silent') });
    const status = await scheduler.status();
    expect(status).toMatchObject({ running: false, paused_reason: NO_API_KEY_REASON });
    expect(status.counts.Queued).toBe(3);
    expect(await readScanProgress(store, { settings })).toEqual(status);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.totalCalls()).toBe(0);
  });

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

  it('the rate limit holds across workers', async () => {
    const ids = await queuePlaces(a, 60);
    await rawQuery(a, `UPDATE scan_control SET rate_tokens = 0, rate_refilled_at = now()`);
    const env = { DEEP_SCAN_RATE_PER_SECOND: '20', DEEP_SCAN_MAX_CONCURRENCY: '4' };
    running.push(startTestLoop(a, fake, env, {}, 'one').scheduler);
    running.push(startTestLoop(b, fake, env, {}, 'two').scheduler);
    await waitFor(allCompleted(a, 60), { what: 'all Completed' });
    const times = ids.flatMap((id) => fake.callTimes(id)).sort((x, y) => x - y);
    expect(times).toHaveLength(60);
    // 60 calls at 20 per second from an empty bucket take about 3 s, never a burst above it.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(2_400);
    times.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(20 * ((t - times[0]!) / 1000) + 21));
  });
});
