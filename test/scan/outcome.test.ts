import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config';
import { MAX_TIMER_MS, retryDelayMs, timerDelay } from '../../src-main/scan/backoff';
import { jittered } from '../../src-shared/random';
import { scanConfig } from '../../src-main/scan/config';
import { outcomeOfFailure } from '../../src-main/scan/outcome';
import { PlacesApiError } from '../../src-main/scan/places-api/client';
import { createThroughputCounter } from '../../src-main/scan/throughput';
import { createWakeSignal } from '../../src-main/scan/wake-signal';

const config = { maxAttempts: 5, retryBaseMs: 1_000, retryMaxMs: 60_000, maxPauseMs: 3_600_000 };
const middle = () => 0.5;

describe('what a failed scan leads to', () => {
  it('a timeout or a 5xx retries with a growing delay, then ends in Error with the last message', () => {
    const error = new PlacesApiError(
      'transient',
      'Places API server error (HTTP 503 UNAVAILABLE)',
      {
        httpStatus: 503,
      },
    );
    const delays = [1, 2, 3, 4].map((attempt) => {
      const outcome = outcomeOfFailure(error, attempt, config, middle);
      expect(outcome.action).toBe('retry');
      return outcome.action === 'retry' ? outcome.delayMs : 0;
    });
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(outcomeOfFailure(error, 5, config, middle)).toEqual({
      action: 'fail',
      message: 'Places API server error (HTTP 503 UNAVAILABLE) (gave up after 5 attempts)',
      pauseAllMs: null,
    });
  });

  it('400 and 404 end in Error at once', () => {
    const notFound = new PlacesApiError('permanent', 'Places API: place not found (HTTP 404)', {
      httpStatus: 404,
    });
    expect(outcomeOfFailure(notFound, 1, config).action).toBe('fail');
  });

  it('a rejected key pauses without spending the attempt', () => {
    const rejected = new PlacesApiError('auth', 'Places API key rejected (HTTP 403): denied', {
      httpStatus: 403,
    });
    expect(outcomeOfFailure(rejected, 1, config)).toMatchObject({ action: 'pause_for_key' });
  });

  it('a 429 pauses every worker for Retry-After and retries the place no sooner', () => {
    const limited = new PlacesApiError('rate_limited', 'Places API rate limited (HTTP 429)', {
      httpStatus: 429,
      retryAfterSeconds: 30,
    });
    expect(outcomeOfFailure(limited, 1, config, middle)).toMatchObject({
      action: 'retry',
      delayMs: 30_000,
      pauseAllMs: 30_000,
    });
    // On the last attempt the place fails, and the others still pause.
    expect(outcomeOfFailure(limited, 5, config, middle)).toMatchObject({
      action: 'fail',
      pauseAllMs: 30_000,
    });
  });

  it('an error from elsewhere (the store) is treated as transient, with its message', () => {
    const outcome = outcomeOfFailure(new Error('connection reset'), 1, config);
    expect(outcome).toMatchObject({ action: 'retry' });
    expect(outcome.message).toMatch(/^Deep scan failed: connection reset/);
  });
});

describe('backoff', () => {
  it('keeps each gap longer than the one before, whatever the jitter', () => {
    for (let attempt = 1; attempt < 8; attempt++) {
      const longest = retryDelayMs(attempt, 100, 1e9, () => 1);
      const shortestNext = retryDelayMs(attempt + 1, 100, 1e9, () => 0);
      expect(shortestNext).toBeGreaterThan(longest);
    }
  });

  it('is capped', () => {
    expect(retryDelayMs(30, 1_000, 60_000, () => 0.5)).toBe(60_000);
  });

  it('spreads polls by +-20%', () => {
    expect(jittered(10_000, 0.2, () => 0)).toBe(8_000);
    expect(jittered(10_000, 0.2, () => 1)).toBe(12_000);
  });
});

describe('scans per minute', () => {
  it('counts what finished in the last 60 seconds', () => {
    let now = 1_000_000;
    const counter = createThroughputCounter(() => now);
    counter.record();
    now += 30_000;
    counter.record(2);
    expect(counter.lastMinute()).toBe(3);
    now += 31_000;
    expect(counter.lastMinute()).toBe(2);
    now += 60_000;
    expect(counter.lastMinute()).toBe(0);
  });
});

describe("no pause or delay beyond DEEP_SCAN_MAX_PAUSE_SECONDS, no timer beyond Node's range", () => {
  const thirtyDays = 30 * 24 * 3600;
  const capped = { ...config, retryMaxMs: 1e12, maxPauseMs: 3_600_000 };

  it('a Retry-After of 30 days pauses and delays for the maximum only', () => {
    const limited = new PlacesApiError('rate_limited', 'Places API rate limited (HTTP 429)', {
      httpStatus: 429,
      retryAfterSeconds: thirtyDays,
    });
    expect(outcomeOfFailure(limited, 1, capped, middle)).toMatchObject({
      action: 'retry',
      delayMs: 3_600_000,
      pauseAllMs: 3_600_000,
    });
    const unavailable = new PlacesApiError('transient', 'HTTP 503', {
      httpStatus: 503,
      retryAfterSeconds: thirtyDays,
    });
    expect(outcomeOfFailure(unavailable, 1, capped, middle)).toMatchObject({ delayMs: 3_600_000 });
  });

  it('a long exponential backoff is capped too, jitter included', () => {
    const error = new PlacesApiError('transient', 'HTTP 503', { httpStatus: 503 });
    const outcome = outcomeOfFailure(error, 40, { ...capped, maxAttempts: 50 }, () => 1);
    expect(outcome).toMatchObject({ action: 'retry', delayMs: 3_600_000 });
  });

  it('DEEP_SCAN_MAX_PAUSE_SECONDS defaults to an hour, is validated, and caps the other delays', () => {
    const settings = loadSettings({ LOG_LEVEL: 'silent' });
    expect(settings.DEEP_SCAN_MAX_PAUSE_SECONDS).toBe(3600);
    for (const bad of ['0', '-5', '1.5', 'soon', String(7 * 24 * 3600 + 1)]) {
      expect(() => loadSettings({ DEEP_SCAN_MAX_PAUSE_SECONDS: bad })).toThrow(
        /DEEP_SCAN_MAX_PAUSE_SECONDS/,
      );
    }
    const short = scanConfig(loadSettings({ DEEP_SCAN_MAX_PAUSE_SECONDS: '60' }));
    expect(short).toMatchObject({ maxPauseMs: 60_000, retryMaxMs: 60_000, authRetryMs: 60_000 });
    const longest = scanConfig(
      loadSettings({ DEEP_SCAN_MAX_PAUSE_SECONDS: String(7 * 24 * 3600) }),
    );
    expect(longest.maxPauseMs).toBeLessThan(MAX_TIMER_MS);
  });

  it('timer delays stay within 0 .. 2^31-1 ms', () => {
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(1_000)).toBe(1_000);
    expect(timerDelay(thirtyDays * 1000)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Infinity)).toBe(MAX_TIMER_MS);
  });

  it('sleeping until a deadline 30 days away arms no overflowing timer and wakes on a signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const signal = createWakeSignal();
      let woke = false;
      const sleeping = signal.sleepUntil(Date.now() + thirtyDays * 1000).then(() => (woke = true));
      // Node reports an overflowing setTimeout on the next tick (and fires it at once): one
      // macrotask later both would have happened.
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('TimeoutOverflowWarning');
      expect(woke).toBe(false);
      signal.notify();
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
