import type { PlaceStatus } from '../../../../src-shared/domain';
import type { UpdateTotals } from './update-requests';

export interface UpdateContext {
  status: PlaceStatus;
  /**
   * How many explicit ids were sent, or null for "all matching a filter" (the server counts
   * the matches, so nothing beyond its counts can be said truthfully).
   */
  requestedIds: number | null;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/**
 * The toast after an update, from the server's exact counts. Derived parts only say what the
 * counts prove: of the ids that matched, those not queued were already queued, in progress or
 * scanned; those not updated already had the status.
 */
export function describeUpdate(totals: UpdateTotals, context: UpdateContext): string {
  const parts = [`${formatCount(totals.updated)} updated`];
  if (context.status === 'Selected') {
    parts.push(`${formatCount(totals.queued)} queued for deep scan`);
  }
  if (context.requestedIds !== null) {
    const matched = Math.max(0, context.requestedIds - totals.notFound.length);
    const alreadyInScan = matched - totals.queued;
    if (context.status === 'Selected' && alreadyInScan > 0) {
      parts.push(`${formatCount(alreadyInScan)} already queued or scanned`);
    }
    const unchanged = matched - totals.updated;
    if (unchanged > 0) parts.push(`${formatCount(unchanged)} already ${context.status}`);
  }
  if (context.status !== 'Selected' && totals.dequeued > 0) {
    parts.push(`${formatCount(totals.dequeued)} taken off the scan queue`);
  }
  if (totals.notFound.length > 0) {
    parts.push(`${formatCount(totals.notFound.length)} not found`);
  }
  return parts.join(', ');
}

/** When some batches of a large id selection went through and a later one failed. */
export function describePartialUpdate(
  totals: UpdateTotals,
  context: UpdateContext,
  batchesDone: number,
  batchesTotal: number,
  reason: string,
): string {
  return (
    `Only ${batchesDone} of ${batchesTotal} batches were saved (${describeUpdate(totals, context)}). ` +
    `The rest failed: ${reason}`
  );
}
