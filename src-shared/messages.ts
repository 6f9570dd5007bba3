/** The sentences both the API's `message` and the renderer's toast use, so the two never differ. */

export interface StatusUpdateCounts {
  status: string;
  matched: number;
  updated_count: number;
  queued_count: number;
  dequeued_count: number;
  /** Matched places whose scan had already finished (Selected leaves them alone). */
  already_scanned: number;
  /** Matched places already Queued or Processing (Selected leaves them alone). */
  already_in_queue: number;
  not_found: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describeStatusUpdate(c: StatusUpdateCounts): string {
  const parts = [`${c.updated_count} updated`];
  if (c.queued_count > 0) parts.push(`${c.queued_count} queued for deep scan`);
  if (c.status === 'Selected') {
    if (c.already_in_queue > 0) parts.push(`${c.already_in_queue} already queued`);
    if (c.already_scanned > 0) parts.push(`${c.already_scanned} already scanned`);
  }
  if (c.dequeued_count > 0) parts.push(`${c.dequeued_count} removed from the deep scan queue`);
  if (c.not_found > 0) parts.push(`${c.not_found} not found`);
  const unchanged = c.matched - c.updated_count;
  if (c.updated_count === 0 && c.queued_count === 0 && c.dequeued_count === 0 && c.matched > 0) {
    parts.push(`${plural(unchanged, 'place')} already ${c.status}`);
  }
  return parts.join(', ');
}

export function describeQueueDeepScan(c: {
  queued_count: number;
  skipped: number;
  not_found: number;
}): string {
  const parts = [`${c.queued_count} queued for deep scan`];
  if (c.skipped > 0) parts.push(`${c.skipped} already queued, running or scanned`);
  if (c.not_found > 0) parts.push(`${c.not_found} not found`);
  return parts.join(', ');
}
