import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBackend } from '../../src-main/backend';
import { printSpend } from '../../src-main/cli/spend';
import { loadSettings, SettingsError } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { readDailyCallLimit, writeDailyCallLimit } from '../../src-main/scan/daily-limit';
import { readScanProgress } from '../../src-main/scan/progress';
import type { Scheduler } from '../../src-main/scan/scheduler';
import { readSpend } from '../../src-main/scan/spend';
import { startFakePlacesApi, type FakePlacesApi } from '../support/fake-places-api';
import { startPlacesGate } from './support/gate';
import { startTestLoop } from './support/scheduler';
import {
  countBy,
  queuePlaces,
  rawQuery,
  scanRows,
  storeFactory,
  waitFor,
  type StoreFactory,
  type StoreKind,
} from './support/stores';

/**
 * One daily call limit per store (scan_control.daily_call_limit, sql 0015): what every worker
 * obeys, what every status and spend report shows, written by a process started with
 * DEEP_SCAN_DAILY_CALL_LIMIT or by `staging-editor spend --limit`.
 */

let fake: FakePlacesApi;
beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterAll(async () => {
  await fake.close();
});

const MORNING = Date.UTC(2026, 11, 2, 10, 0, 0);
const BUDGET_REASON = /^Daily Places API call limit reached: (\d+) calls today/;

describe.each<StoreKind>(['postgres', 'sqlite'])('the daily call limit on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  const running: Scheduler[] = [];
  const statusCounts = async (on: Store) => countBy(await scanRows(on), (r) => r.deep_scan_status);

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

  it('a limit set elsewhere while the loop scans without one holds from the next call on', async () => {
    await queuePlaces(store, 6, 402);
    const gate = await startPlacesGate(fake.baseUrl);
    try {
      // One call at a time: each later call's ledger row comes with the result before it.
      const { scheduler } = startTestLoop(
        store,
        fake,
        {
          PLACES_API_BASE_URL: gate.baseUrl,
          DEEP_SCAN_MAX_CONCURRENCY: '1',
          DEEP_SCAN_BATCH_SIZE: '6',
        },
        { controlRefreshMs: 3_600_000 },
        'unlimited-then-limited',
        () => 0.5,
        () => MORNING,
      );
      running.push(scheduler);
      await waitFor(() => gate.held() === 1, { what: 'the first call in flight' });
      await writeDailyCallLimit(await stores.open(), 2);
      gate.open();
      await waitFor(
        async () => {
          const status = await scheduler.status();
          return status.paused_reason?.match(BUDGET_REASON) && status.counts.Processing === 0;
        },
        { what: 'the budget pause, nothing Processing' },
      );
      expect((await scheduler.status()).paused_reason).toContain('2 calls today');
      expect(await statusCounts(store)).toEqual({ Completed: 2, Queued: 4 });
      expect(fake.totalCalls()).toBe(2);
      const calls = await rawQuery<{ n: number | string }>(
        store,
        'SELECT count(*) AS n FROM places_api_calls',
      );
      expect(Number(calls[0]!.n)).toBe(2);
    } finally {
      await gate.close();
    }
  });

  it("raising the store's limit from another connection resumes a paused loop without a restart", async () => {
    await queuePlaces(store, 5, 401);
    await writeDailyCallLimit(store, 2);
    const { scheduler, logs } = startTestLoop(
      store,
      fake,
      {},
      {},
      'limited',
      () => 0.5,
      () => MORNING,
    );
    running.push(scheduler);
    // The loop itself paused (its log says so once per limit), and nothing is held.
    const pausedAt = (n: number) => async () => {
      const status = await scheduler.status();
      const reason = `Daily Places API call limit reached: ${n} calls today`;
      return (
        logs.some((l) => l.msg === 'deep scans paused' && String(l.reason).startsWith(reason)) &&
        status.paused_reason?.startsWith(reason) &&
        status.counts.Processing === 0
      );
    };
    await waitFor(pausedAt(2), { what: 'the loop paused by the budget at 2' });
    expect(await statusCounts(store)).toEqual({ Completed: 2, Queued: 3 });
    // A process without the loop (a `serve --no-scheduler`, another app) shows the same reason:
    // it is the store's.
    const elsewhere = await stores.open();
    const status = await readScanProgress(elsewhere, { running: false, now: MORNING });
    expect(status.paused_reason).toMatch(BUDGET_REASON);
    expect(status.paused_reason).toContain('2 calls today');

    // Raised elsewhere; the loop is never told (no wake, no restart).
    await writeDailyCallLimit(elsewhere, 4);
    await waitFor(async () => (await statusCounts(store)).Completed === 4, {
      what: '4 Completed after the limit was raised to 4',
    });
    await waitFor(pausedAt(4), { what: 'paused again at 4' });
    expect(await statusCounts(store)).toEqual({ Completed: 4, Queued: 1 });

    // Lifted: the rest is scanned, and nobody shows a pause.
    await writeDailyCallLimit(elsewhere, null);
    await waitFor(async () => (await statusCounts(store)).Completed === 5, {
      what: 'all 5 Completed once the limit was lifted',
    });
    expect(
      (await readScanProgress(elsewhere, { running: false, now: MORNING })).paused_reason,
    ).not.toMatch(BUDGET_REASON);
    expect(fake.totalCalls()).toBe(5);
    const calls = await rawQuery<{ n: number | string }>(
      store,
      'SELECT count(*) AS n FROM places_api_calls',
    );
    expect(Number(calls[0]!.n)).toBe(5);
  });

  it('a process started with DEEP_SCAN_DAILY_CALL_LIMIT writes it to the store; one without it leaves it', async () => {
    const start = async (env: Record<string, string>) => {
      const backend = await startBackend(
        loadSettings({ ...stores.env(), LOG_LEVEL: 'silent', ...env }),
        { scheduler: false },
      );
      await backend.close();
    };
    await start({ DEEP_SCAN_DAILY_CALL_LIMIT: '40' });
    expect(await readDailyCallLimit(store)).toBe(40);
    await start({});
    expect(await readDailyCallLimit(store)).toBe(40);
    // The spend report shows the store's limit, also to a process that has none of its own.
    const spend = await readSpend(store, { days: 1, settings: loadSettings({}) });
    expect(spend.daily_call_limit).toBe(40);
    await start({ DEEP_SCAN_DAILY_CALL_LIMIT: '0' });
    expect(await readDailyCallLimit(store)).toBe(0);
  });

  it("`spend --limit` sets the store's limit; a bad value is refused with the setting's sentence and changes nothing", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const settings = loadSettings({ ...stores.env(), LOG_LEVEL: 'silent' });
      await printSpend(settings, 1, { limit: '25' });
      expect(await readDailyCallLimit(store)).toBe(25);
      expect(log.mock.calls[0]![0]).toBe(
        "The store's daily call limit is now 25 calls a UTC day (was none); every worker sharing it follows within DEEP_SCAN_INTERVAL_SECONDS.",
      );
      for (const bad of ['abc', '-1', '1.5', '', '2000000000']) {
        const refused = printSpend(settings, 1, { limit: bad });
        await expect(refused).rejects.toBeInstanceOf(SettingsError);
        await expect(refused).rejects.toThrow(/DEEP_SCAN_DAILY_CALL_LIMIT|daily call limit/);
        expect(await readDailyCallLimit(store)).toBe(25);
      }
      await expect(printSpend(settings, 1, { limit: 'abc' })).rejects.toThrow(
        'Setting DEEP_SCAN_DAILY_CALL_LIMIT is invalid: must be a whole number from 0 to 1,000,000,000 (got "abc").',
      );
      await printSpend(settings, 1, { limit: 'off' });
      expect(await readDailyCallLimit(store)).toBeNull();
      // The store refuses a negative limit itself (CHECK), whoever writes it.
      await expect(
        rawQuery(store, "UPDATE scan_control SET daily_call_limit = -1 WHERE name = 'deep_scan'"),
      ).rejects.toThrow(/scan_control_daily_call_limit_check|CHECK constraint/);
    } finally {
      log.mockRestore();
    }
  });
});
