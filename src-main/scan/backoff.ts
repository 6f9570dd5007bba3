/** The longest delay Node's timers take (2^31-1 ms, 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a timer delay: never negative, never past MAX_TIMER_MS (callers wake and look again). */
export function timerDelay(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_TIMER_MS, Math.max(0, ms)) : MAX_TIMER_MS;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): `base * 2^(attempt-1)`, capped, with
 * +-25% jitter so that places which failed together do not come back together. The jitter band
 * keeps each gap longer than the one before (0.75 * 2d > 1.25 * d).
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(Math.min(maxMs, exponential) * (0.75 + 0.5 * random()));
}
