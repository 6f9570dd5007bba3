import type { OperationInput, UpdateStatusOutput } from '../../../../src-shared/contract';
import { MAX_PLACE_IDS_PER_REQUEST, type PlaceStatus } from '../../../../src-shared/domain';
import { compactFilter } from '../filters/view-state';
import type { Selection } from '../selection/selection';

export type UpdateRequest = OperationInput<'updateStatus'>;

/**
 * The status requests for a selection. "All matching" is one filter-form request (the server
 * updates by predicate, any size). Explicit ids above the per-request limit are split into
 * batches: an id list can't be turned into a filter, and batches keep each request small.
 */
export function buildUpdateRequests(
  selection: Selection,
  status: PlaceStatus,
  maxIds: number = MAX_PLACE_IDS_PER_REQUEST,
): UpdateRequest[] {
  if (selection.mode === 'matching') {
    const exclude_ids = [...selection.excluded];
    return [
      {
        filter: compactFilter(selection.filter),
        ...(exclude_ids.length > 0 ? { exclude_ids } : {}),
        status,
      },
    ];
  }
  const ids = [...selection.ids];
  const requests: UpdateRequest[] = [];
  for (let start = 0; start < ids.length; start += maxIds) {
    requests.push({ place_ids: ids.slice(start, start + maxIds), status });
  }
  return requests;
}

export interface UpdateTotals {
  updated: number;
  queued: number;
  dequeued: number;
  notFound: string[];
}

export const NO_UPDATES: UpdateTotals = { updated: 0, queued: 0, dequeued: 0, notFound: [] };

export function addUpdateResult(totals: UpdateTotals, result: UpdateStatusOutput): UpdateTotals {
  return {
    updated: totals.updated + result.updated_count,
    queued: totals.queued + result.queued_count,
    dequeued: totals.dequeued + result.dequeued_count,
    notFound: [...totals.notFound, ...result.not_found],
  };
}
