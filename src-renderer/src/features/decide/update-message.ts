import {
  describeStatusUpdate,
  formatCount,
  SAVED_ON_THIS_COMPUTER,
} from '../../../../src-shared/messages';
import type { PlaceStatus } from '../../../../src-shared/domain';
import type { UpdateTotals } from './update-requests';

/** Where the update was saved: `offline` when on this computer's replica (team mode offline). */
export interface UpdateWhere {
  offline?: boolean;
}

/**
 * Whether the server saved an update on this computer's replica: its message says so with the
 * shared sentence (the contract's output has no other mark of it).
 */
export function savedOnThisComputer(serverMessage: string): boolean {
  return serverMessage.includes(SAVED_ON_THIS_COMPUTER);
}

/** The toast after an update: the server's own sentence, from the summed counts of every batch. */
export function describeUpdate(
  totals: UpdateTotals,
  status: PlaceStatus,
  where: UpdateWhere = {},
): string {
  return describeStatusUpdate(status, totals, where);
}

/** When some batches of a large id selection went through and a later one failed. */
export function describePartialUpdate(
  totals: UpdateTotals,
  status: PlaceStatus,
  batchesDone: number,
  batchesTotal: number,
  unsavedPlaces: number,
  reason: string,
  where: UpdateWhere = {},
): string {
  return (
    `Only ${batchesDone} of ${batchesTotal} batches were saved (${describeUpdate(totals, status, where)}). ` +
    `The rest failed: ${reason} Retry sends only the ${formatCount(unsavedPlaces)} ` +
    `${unsavedPlaces === 1 ? 'place' : 'places'} not saved.`
  );
}

/**
 * After a retry finished the batches an earlier attempt left unsaved: the whole decision. A
 * batch whose answer was lost after the server had saved it comes back from the retry with
 * nothing to change; those places are counted as already having the status, not left out.
 */
export function describeCompletedRetry(
  totals: UpdateTotals,
  status: PlaceStatus,
  batchesTotal: number,
  where: UpdateWhere = {},
): string {
  const unchanged = totals.matched_count - totals.updated_count;
  const already =
    unchanged > 0 && totals.updated_count > 0 && totals.queued_count === 0
      ? `, ${formatCount(unchanged)} already ${status}`
      : '';
  const counts = describeUpdate(totals, status);
  // The shared sentence decides whether anything waits to sync; here it goes last, after "already".
  const willSync = describeUpdate(totals, status, where) !== counts;
  return `All ${batchesTotal} batches saved: ${counts}${already}${willSync ? `, ${SAVED_ON_THIS_COMPUTER}` : ''}`;
}
