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
  const spread = 1 + options.jitter * (2 * options.random() - 1);
  return Math.round(step * spread);
}

/** A small deterministic generator (mulberry32): the same seed gives the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
