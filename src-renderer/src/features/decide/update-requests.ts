import type { OperationInput, UpdateStatusOutput } from '../../../../src-shared/contract';
import { MAX_PLACE_IDS_PER_REQUEST, type PlaceStatus } from '../../../../src-shared/domain';
import type { StatusUpdateCounts } from '../../../../src-shared/messages';
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

/** The counts of every batch so far, summed: the shared message builder's input. */
export type UpdateTotals = StatusUpdateCounts;

export const NO_UPDATES: UpdateTotals = {
  matched_count: 0,
  updated_count: 0,
  queued_count: 0,
  dequeued_count: 0,
  already_queued_count: 0,
  already_scanned_count: 0,
  not_found_count: 0,
};

export function addUpdateResult(totals: UpdateTotals, result: UpdateStatusOutput): UpdateTotals {
  return {
    matched_count: totals.matched_count + result.matched_count,
    updated_count: totals.updated_count + result.updated_count,
    queued_count: totals.queued_count + result.queued_count,
    dequeued_count: totals.dequeued_count + result.dequeued_count,
    already_queued_count: totals.already_queued_count + result.already_queued_count,
    already_scanned_count: totals.already_scanned_count + result.already_scanned_count,
    not_found_count: totals.not_found_count + result.not_found.length,
  };
}
