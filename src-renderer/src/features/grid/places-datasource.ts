import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { PlaceFilter, PlaceListItem } from '../../../../src-shared/contract';
import type { AppError } from '../../../../src-shared/errors';
import type { ApiClient } from '../../api/client';
import { toAppError } from '../../api/client';
import { BlockAnchors } from './block-anchors';
import { blockRequest, earlyFirstPage } from './first-page';
import { sortStateFromModel, toSortParam } from './sort-param';

export const BLOCK_SIZE = 100;

export interface PlacesDatasource extends IDatasource {
  /**
   * The grid is about to re-read its blocks (rows may have left or joined the filter): the next
   * first block asks for the total again, and no block read before anchors the next one.
   */
  beforeReread(): void;
}

interface Callbacks {
  onTotal(total: number, filterKey: string): void;
  onLoadError(error: AppError): void;
  /** Rows read from the server (asked at page time `askedAt`), before the grid shows them. */
  decorateRows?(rows: PlaceListItem[], askedAt: number): PlaceListItem[];
  /**
   * A block's rows are in the grid. The grid fires modelUpdated only when the row count changes,
   * not for a block loaded into a known count.
   */
  onRowsLoaded?(): void;
}

/**
 * Pages `listPlaces` for one filter. Counting is the slow part, so only the first block of the
 * filter asks for the total (and again after beforeReread); later blocks reuse it as the last row.
 * A block right after one read in the same pass is asked for by keyset (block-anchors.ts).
 */
export function createPlacesDatasource(
  client: ApiClient,
  filterKey: string,
  /** Read at call time, so the datasource outlives re-renders of its owner. */
  callbacks: { readonly current: Callbacks },
): PlacesDatasource {
  const filter = JSON.parse(filterKey) as PlaceFilter;
  let total: number | null = null;
  let recount = true;
  let destroyed = false;
  const anchors = new BlockAnchors();

  return {
    beforeReread() {
      recount = true;
      anchors.reread();
    },
    destroy() {
      destroyed = true;
    },
    getRows(params: IGetRowsParams) {
      const size = params.endRow - params.startRow;
      const askedAt = performance.now();
      const includeTotal = params.startRow === 0 && (recount || total === null);
      if (includeTotal) recount = false;
      const sort = sortStateFromModel(params.sortModel);
      const anchor = anchors.ask(toSortParam(sort), params.startRow, size);
      const input = blockRequest(filter, sort, params.startRow, size, includeTotal, anchor.after);
      (earlyFirstPage.take(input) ?? client.call('listPlaces', input)).then(
        (page) => {
          if (destroyed) {
            // The grid moved on (a new filter or sort: a new datasource). Still answer the block:
            // the grid counts a request as running until its callback comes, and with
            // maxConcurrentDatasourceRequests taken by unanswered ones it would ask for no
            // block again (the filter count stayed at "Counting…"). A failure of a block the
            // grid has already dropped changes nothing else.
            params.failCallback();
            return;
          }
          anchor.answered(page.items.map((item) => item.place_id));
          if (page.total !== null) {
            total = page.total;
            callbacks.current.onTotal(page.total, filterKey);
          }
          const endOfData =
            page.items.length < size ? params.startRow + page.items.length : undefined;
          const rows = callbacks.current.decorateRows?.(page.items, askedAt) ?? page.items;
          params.successCallback(rows, total ?? endOfData ?? -1);
          queueMicrotask(() => callbacks.current.onRowsLoaded?.());
        },
        (error: unknown) => {
          if (includeTotal) recount = true;
          params.failCallback();
          if (!destroyed) callbacks.current.onLoadError(toAppError(error));
        },
      );
    },
  };
}
