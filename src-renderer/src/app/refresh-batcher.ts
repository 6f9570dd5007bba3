/** Quiet time after the last event before the grid re-reads its rows. */
export const SETTLE_MS = 500;
/**
 * The longest a re-read waits while events keep coming: scans finishing one after another send
 * events closer together than SETTLE_MS, and the grid must still show them as they finish.
 */
export const MAX_WAIT_MS = 1500;

/**
 * Gathers a burst of "these places changed" events (null: any place may have) into one call of
 * `flush`: SETTLE_MS after the last of them, or MAX_WAIT_MS after the first, whichever is
 * sooner.
 */
export function createRefreshBatcher(
  flush: (placeIds: string[] | null) => void,
  clock: { now(): number } = Date,
) {
  let pending: Set<string> | null | undefined; // undefined: nothing pending; null: everything
  let firstAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    const ids = pending;
    pending = undefined;
    timer = undefined;
    flush(ids ? [...ids] : null);
  };
  return {
    add(placeIds: readonly string[] | null): void {
      const now = clock.now();
      if (pending === undefined) firstAt = now;
      if (placeIds === null || pending === null) pending = null;
      else pending = new Set([...(pending ?? []), ...placeIds]);
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(SETTLE_MS, firstAt + MAX_WAIT_MS - now)));
    },
    stop(): void {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
