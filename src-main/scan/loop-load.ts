import { performance } from 'node:perf_hooks';

/** Time this process's event loop has spent, in ms since it started: at work and waiting. */
export interface LoopTime {
  active: number;
  idle: number;
}

/** At this share of the time at work or more, the loop counts as busy (see eventLoopLoad). */
export const BUSY_UTILIZATION = 0.75;
/** The window over which that share is taken, ms. */
export const LOAD_WINDOW_MS = 250;

/**
 * Whether this process's event loop was busy over the last window: at work (running callbacks,
 * or waiting for a core while it was) for at least `threshold` of it. The scan queue asks it when
 * a call could wait for the next statement of results (pg-queue's flushWrites): on a busy loop a
 * statement saved is worth more than a call's short wait; on an idle one the call should not
 * wait. Read at most once a window, so asking costs nothing in between. `read` and `now` are
 * injected by tests.
 */
export function eventLoopLoad(
  options: {
    threshold?: number;
    windowMs?: number;
    read?: () => LoopTime;
    now?: () => number;
  } = {},
): () => boolean {
  const threshold = options.threshold ?? BUSY_UTILIZATION;
  const windowMs = options.windowMs ?? LOAD_WINDOW_MS;
  const read = options.read ?? (() => performance.eventLoopUtilization());
  const now = options.now ?? (() => performance.now());
  let mark = read();
  let markedAt = now();
  let busy = false;
  return () => {
    const at = now();
    if (at - markedAt < windowMs) return busy;
    const time = read();
    const active = time.active - mark.active;
    const total = active + time.idle - mark.idle;
    busy = total > 0 && active / total >= threshold;
    mark = time;
    markedAt = at;
    return busy;
  };
}
