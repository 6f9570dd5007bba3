import { timerDelay } from './backoff';

/**
 * How the loop sleeps: until a deadline (the next poll, a retry falling due, a pause ending) or
 * until something happens first (a scan finished, `wake()`, `stop()`). A signal sent while the
 * loop is busy is kept, so the next sleep returns at once and nothing is missed.
 */
export function createWakeSignal() {
  let signalled = false;
  let wakeUp: (() => void) | null = null;
  return {
    notify(): void {
      signalled = true;
      wakeUp?.();
    },
    /** `at` in epoch ms, or null to wait for a signal only. */
    async sleepUntil(at: number | null): Promise<void> {
      if (!signalled) {
        await new Promise<void>((resolve) => {
          // A far deadline (a long pause) is slept in steps of at most MAX_TIMER_MS: a longer
          // setTimeout fires at once, and the loop would spin.
          const timer = at === null ? undefined : setTimeout(done, timerDelay(at - Date.now()));
          function done() {
            clearTimeout(timer);
            wakeUp = null;
            resolve();
          }
          wakeUp = done;
        });
      }
      signalled = false;
    },
  };
}
