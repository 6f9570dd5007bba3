import { errorSummary } from '../error-summary';
import { retryDelayMs } from './backoff';
import type { ScanConfig } from './config';
import { PlacesApiError } from './places-api/client';

/** What the loop does with a place whose scan failed. */
export type FailureOutcome = (
  | /** Back to Queued, due in `delayMs`. */
    { action: 'retry'; message: string; delayMs: number }
    /** Error at once (400, 404, a body that is not a Place) or after the last attempt. */
  | { action: 'fail'; message: string }
  /** The key was rejected: return the place without spending its attempt and pause this loop. */
  | { action: 'pause_for_key'; message: string }
) & {
  /** A 429: pause every worker sharing the store for this long. */
  pauseAllMs: number | null;
};

export const RATE_LIMITED_REASON = 'Places API rate limited (HTTP 429).';

/**
 * Decides from the error and the attempt number (this one included). Timeouts, network errors,
 * 408, 429 and 5xx retry with exponential backoff up to the maximum; 429 also pauses every
 * worker sharing the store, for the server's Retry-After when it sent one. No delay exceeds
 * `maxPauseMs`.
 */
export function outcomeOfFailure(
  error: unknown,
  attempt: number,
  config: Pick<ScanConfig, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'maxPauseMs'>,
  random: () => number = Math.random,
): FailureOutcome {
  const kind = error instanceof PlacesApiError ? error.kind : 'transient';
  const text =
    error instanceof PlacesApiError
      ? error.message
      : `Deep scan failed: ${errorSummary(error).message}`;
  // Every delay is capped at DEEP_SCAN_MAX_PAUSE_SECONDS: a Retry-After of months must not stop
  // scanning for months (nor overflow a timer or PostgreSQL's int milliseconds).
  const cap = (ms: number) => Math.min(config.maxPauseMs, ms);
  const backoff = cap(retryDelayMs(attempt, config.retryBaseMs, config.retryMaxMs, random));
  const retryAfterMs =
    error instanceof PlacesApiError && error.retryAfterSeconds !== null
      ? cap(error.retryAfterSeconds * 1000)
      : null;
  const pauseAllMs = kind === 'rate_limited' ? (retryAfterMs ?? backoff) : null;

  if (kind === 'auth') return { action: 'pause_for_key', message: text, pauseAllMs: null };
  if (kind === 'permanent') return { action: 'fail', message: text, pauseAllMs: null };
  if (attempt >= config.maxAttempts) {
    return { action: 'fail', message: `${text} (gave up after ${attempt} attempts)`, pauseAllMs };
  }
  return {
    action: 'retry',
    message: `${text} (attempt ${attempt} of ${config.maxAttempts}, will retry)`,
    delayMs: Math.max(backoff, retryAfterMs ?? 0),
    pauseAllMs,
  };
}
