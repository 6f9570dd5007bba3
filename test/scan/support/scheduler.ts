import { createEventBus } from '../../../src-main/events';
import { createLogger } from '../../../src-main/logger';
import type { Store } from '../../../src-main/db/store';
import type { ScanTuning } from '../../../src-main/scan/config';
import { startScheduler, type Scheduler } from '../../../src-main/scan/scheduler';
import type { FakePlacesApi } from '../../support/fake-places-api';
import { testSettings } from './stores';

export interface TestLoop {
  scheduler: Scheduler;
  events: ReturnType<typeof createEventBus>;
  emitted: { name: string; payload: unknown }[];
  /** The loop's log lines (info and up), parsed; printed too when SCAN_TEST_LOG_LEVEL is set. */
  logs: Record<string, unknown>[];
}

/** A scheduler in this process against the fake Places API, with short timings. */
export function startTestLoop(
  store: Store,
  fake: FakePlacesApi,
  env: Record<string, string> = {},
  tuning: ScanTuning = {},
  workerId?: string,
  /** Jitter's random source: seeded (the middle of every band) unless a test says otherwise. */
  random: () => number = () => 0.5,
  /** The ledger's clock (calls' start times, the UTC day of the daily call limit). */
  clock?: () => number,
  /** False: no spend ledger (as the benchmark's `no-ledger` worker). */
  recordCalls?: boolean,
): TestLoop {
  const events = createEventBus();
  const emitted: { name: string; payload: unknown }[] = [];
  events.subscribe((name, payload) => emitted.push({ name, payload }));
  const settings = testSettings({
    GOOGLE_MAPS_API_KEY: fake.apiKey,
    PLACES_API_BASE_URL: fake.baseUrl,
    DEEP_SCAN_INTERVAL_SECONDS: '1',
    DEEP_SCAN_BATCH_SIZE: '10',
    DEEP_SCAN_MAX_CONCURRENCY: '4',
    DEEP_SCAN_LEASE_SECONDS: '5',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const print = Boolean(process.env.SCAN_TEST_LOG_LEVEL);
  const destination = {
    write(line: string) {
      logs.push(JSON.parse(line) as Record<string, unknown>);
      if (print) process.stderr.write(line);
    },
  };
  const scheduler = startScheduler({
    store,
    settings,
    logger: createLogger(process.env.SCAN_TEST_LOG_LEVEL ?? 'info', destination),
    events,
    workerId,
    random,
    clock,
    recordCalls,
    tuning: { retryBaseMs: 100, progressIntervalMs: 200, ...tuning },
  });
  return { scheduler, events, emitted, logs };
}
