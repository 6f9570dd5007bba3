import type {
  ListPlacesInput,
  ListPlacesOutput,
  PlaceFilter,
} from '../../../../src-shared/contract';
import type { ApiClient } from '../../api/client';
import { filterToListParams } from '../filters/view-state';
import { toSortParam, type SortState } from './sort-param';

/** The request for one block of rows, as the grid's datasource asks for it. */
export function blockRequest(
  filter: PlaceFilter,
  sort: SortState | null,
  startRow: number,
  size: number,
  includeTotal: boolean,
  /** The last place of the block before, when the grid has it (keyset: block-anchors.ts). */
  after?: string,
): ListPlacesInput {
  return {
    page: Math.floor(startRow / size) + 1,
    size,
    ...filterToListParams(filter),
    sort: toSortParam(sort),
    include_total: includeTotal,
    ...(after === undefined ? {} : { after }),
  };
}

/**
 * The first block, asked for while the page is still loading the grid's code: by the time AG
 * Grid is up and asks, the rows are on their way or here. Held for the first request that matches
 * it exactly, and only once.
 */
export class EarlyFirstPage {
  private early: {
    key: string;
    page: Promise<ListPlacesOutput>;
    again: () => Promise<ListPlacesOutput>;
  } | null = null;

  ask(client: ApiClient, input: ListPlacesInput): void {
    const page = client.call('listPlaces', input);
    // Taken by the grid, or dropped: a failure is never reported from here.
    page.catch(() => {});
    this.early = {
      key: JSON.stringify(input),
      page,
      again: () => client.call('listPlaces', input),
    };
  }

  /** The early answer if this is the request it was asked for (once); otherwise null. */
  take(input: ListPlacesInput): Promise<ListPlacesOutput> | null {
    const early = this.early;
    this.early = null;
    if (!early || early.key !== JSON.stringify(input)) return null;
    // Refused or failed (no session yet, say, and the grid came up after the sign-in): asked
    // again now, so what the grid reports is an answer of its own time.
    return early.page.catch(early.again);
  }
}

/** The app's one early page (main.tsx asks, the grid's datasource takes). */
export const earlyFirstPage = new EarlyFirstPage();
