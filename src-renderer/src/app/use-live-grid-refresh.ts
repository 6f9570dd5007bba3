import { useEffect, type RefObject } from 'react';
import type { ApiClient } from '../api/client';
import type { GridHandle } from '../features/grid/StagingGrid';
import { createRefreshBatcher } from './refresh-batcher';

/**
 * Re-reads the grid's loaded rows when pushed events say places changed (a scan finished,
 * another reviewer decided), gathering a burst of events into one refresh (refresh-batcher.ts:
 * also while a run of scans keeps the events coming).
 */
export function useLiveGridRefresh(client: ApiClient, grid: RefObject<GridHandle | null>): void {
  useEffect(() => {
    const batcher = createRefreshBatcher((placeIds) => grid.current?.refreshIfShown(placeIds));
    const stopEvents = client.on('placesChanged', ({ place_ids }) => batcher.add(place_ids));
    const stopReconnect = client.onReconnect(() => grid.current?.refresh());
    return () => {
      stopEvents();
      stopReconnect();
      batcher.stop();
    };
  }, [client, grid]);
}
