import { jittered } from '../../../src-shared/random';

/**
 * How long to wait before trying the server again: doubling from `initialMs` up to `maxMs`, each
 * delay spread by +/- `jitter` so many browsers don't all come back in the same instant. The cap
 * is low on purpose: a reviewer is waiting, and one request every few seconds costs nothing.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0.2: each delay lands anywhere from 80% to 120% of its step. */
  jitter: number;
  /** Numbers in [0, 1): Math.random, or seededRandom(n) where a test needs the same delays. */
  random: () => number;
}

export const RECONNECT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 4_000,
  jitter: 0.2,
  random: Math.random,
};

/** The delay before attempt number `attempt + 1` (`attempt` failures so far, from 0). */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = RECONNECT_BACKOFF,
): number {
  const step = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, Math.floor(attempt)));
  return jittered(step, options.jitter, options.random);
}
