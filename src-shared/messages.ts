/** The sentences both the API's `message` and the renderer's toast use, so the two never differ. */

/** The counts of one status update, or the sum of several (a large selection in batches). */
export interface StatusUpdateCounts {
  matched_count: number;
  updated_count: number;
  queued_count: number;
  dequeued_count: number;
  already_queued_count: number;
  already_scanned_count: number;
  not_found_count: number;
}

/** Numbers as the UI and the API's sentences show them: 12,345. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A count and its noun: "1 place", "2,500 places". */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/** Places API calls: "1 call", "1,203 calls". */
export const formatCalls = (n: number): string => plural(n, 'call');

/** An amount of DEEP_SCAN_COST_PER_1000's currency, US dollars, to the cent: $20.45. */
export const formatDollars = (amount: number): string => `$${amount.toFixed(2)}`;

/**
 * Said after the counts when the update was made on this computer's replica (team mode offline,
 * with the outbox on): the counts are the replica's, and the decisions are not on the server yet.
 */
export const SAVED_ON_THIS_COMPUTER = 'saved on this computer; will sync when online';

export function describeStatusUpdate(
  status: string,
  c: StatusUpdateCounts,
  options: { offline?: boolean } = {},
): string {
  const parts = [`${formatCount(c.updated_count)} updated`];
  if (c.queued_count > 0) parts.push(`${formatCount(c.queued_count)} queued for deep scan`);
  if (c.already_queued_count > 0)
    parts.push(`${formatCount(c.already_queued_count)} already queued`);
  if (c.already_scanned_count > 0)
    parts.push(`${formatCount(c.already_scanned_count)} already scanned`);
  if (c.dequeued_count > 0)
    parts.push(`${formatCount(c.dequeued_count)} removed from the deep scan queue`);
  if (c.not_found_count > 0) parts.push(`${formatCount(c.not_found_count)} not found`);
  if (
    c.updated_count === 0 &&
    c.queued_count === 0 &&
    c.dequeued_count === 0 &&
    c.matched_count > 0
  ) {
    parts.push(`${plural(c.matched_count, 'place')} already ${status}`);
  }
  // Only a change is saved for later: an update that changed nothing has nothing to sync.
  const changed = c.updated_count + c.queued_count + c.dequeued_count > 0;
  if (options.offline && changed) parts.push(SAVED_ON_THIS_COMPUTER);
  return parts.join(', ');
}

export function describeUndo(c: { restored_count: number; skipped_count: number }): string {
  const parts = [`Undone: ${plural(c.restored_count, 'place')} restored`];
  if (c.skipped_count > 0)
    parts.push(
      `${formatCount(c.skipped_count)} left as ${c.skipped_count === 1 ? 'it is' : 'they are'} (changed since)`,
    );
  return parts.join(', ');
}

export function describeQueueDeepScan(c: {
  queued_count: number;
  skipped: number;
  not_selected: number;
  not_found: number;
}): string {
  const parts = [`${c.queued_count} queued for deep scan`];
  if (c.skipped > 0) parts.push(`${c.skipped} already queued, running or scanned`);
  if (c.not_selected > 0)
    parts.push(`${c.not_selected} not Selected (only Selected places are scanned)`);
  if (c.not_found > 0) parts.push(`${c.not_found} not found`);
  return parts.join(', ');
}
