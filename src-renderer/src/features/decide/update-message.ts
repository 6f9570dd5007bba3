import { describeStatusUpdate, formatCount } from '../../../../src-shared/messages';
import type { PlaceStatus } from '../../../../src-shared/domain';
import type { UpdateTotals } from './update-requests';

/** The toast after an update: the server's own sentence, from the summed counts of every batch. */
export function describeUpdate(totals: UpdateTotals, status: PlaceStatus): string {
  return describeStatusUpdate(status, totals);
}

/** When some batches of a large id selection went through and a later one failed. */
export function describePartialUpdate(
  totals: UpdateTotals,
  status: PlaceStatus,
  batchesDone: number,
  batchesTotal: number,
  unsavedPlaces: number,
  reason: string,
): string {
  return (
    `Only ${batchesDone} of ${batchesTotal} batches were saved (${describeUpdate(totals, status)}). ` +
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
): string {
  const unchanged = totals.matched_count - totals.updated_count;
  const already =
    unchanged > 0 && totals.updated_count > 0 && totals.queued_count === 0
      ? `, ${formatCount(unchanged)} already ${status}`
      : '';
  return `All ${batchesTotal} batches saved: ${describeUpdate(totals, status)}${already}`;
}
