import { useEffect, type RefObject } from 'react';
import type { ApiClient } from '../api/client';
import type { GridHandle } from '../features/grid/StagingGrid';

const SETTLE_MS = 500;

/**
 * Re-reads the grid's loaded rows when pushed events say places changed (a scan finished,
 * another reviewer decided), gathering a burst of events into one refresh.
 */
export function useLiveGridRefresh(client: ApiClient, grid: RefObject<GridHandle | null>): void {
  useEffect(() => {
    let pending: Set<string> | null | undefined; // undefined: nothing pending; null: everything
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      grid.current?.refreshIfShown(pending ? [...pending] : null);
      pending = undefined;
    };
    const stopEvents = client.on('placesChanged', ({ place_ids }) => {
      if (place_ids === null || pending === null) pending = null;
      else pending = new Set([...(pending ?? []), ...place_ids]);
      clearTimeout(timer);
      timer = setTimeout(flush, SETTLE_MS);
    });
    const stopReconnect = client.onReconnect(() => grid.current?.refresh());
    return () => {
      stopEvents();
      stopReconnect();
      clearTimeout(timer);
    };
  }, [client, grid]);
}
