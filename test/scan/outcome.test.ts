import { describe, expect, it } from 'vitest';
import { jittered, retryDelayMs } from '../../src-main/scan/backoff';
import { outcomeOfFailure } from '../../src-main/scan/outcome';
import { PlacesApiError } from '../../src-main/scan/places-api/client';
import { createThroughputCounter } from '../../src-main/scan/throughput';

const config = { maxAttempts: 5, retryBaseMs: 1_000, retryMaxMs: 60_000 };
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
