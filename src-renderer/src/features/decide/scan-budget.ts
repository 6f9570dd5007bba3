import type { ScanSpend } from '../../../../src-shared/contract';
import {
  formatCalls as calls,
  formatCount,
  formatDollars as dollars,
} from '../../../../src-shared/messages';

/**
 * What queuing `scans` deep scans will cost and when they can run, for the question asked before
 * a large update (ConfirmScansDialog): the estimated price when DEEP_SCAN_COST_PER_1000 is set,
 * and, under the store's daily call limit, how many of them today has room for once the `queued`
 * scans ahead of them have run, and in about how many more UTC days the last of them runs at that
 * limit (the queue ahead runs first).
 * Empty without a price or a limit (or before the spend is known).
 */
export function scanBudgetNotes(scans: number, spend: ScanSpend | null, queued: number): string[] {
  if (!spend || scans <= 0) return [];
  const notes: string[] = [];
  if (spend.cost_per_1000 !== null) {
    notes.push(
      `Estimated cost: about ${dollars((scans * spend.cost_per_1000) / 1000)} ` +
        `(${calls(scans)} at ${dollars(spend.cost_per_1000)} per 1,000; a retry is another call).`,
    );
  }
  const limit = spend.daily_call_limit;
  if (limit === null) return notes;
  if (limit === 0) {
    notes.push('The daily call limit is 0: no scan runs until it is raised.');
    return notes;
  }
  const made = spend.days[0]?.calls ?? 0;
  const roomToday = Math.max(0, limit - made);
  const leftToday = Math.max(0, roomToday - queued);
  const limitSays =
    `The daily limit is ${calls(limit)} (${formatCount(made)} made today` +
    (queued > 0 ? `, ${formatCount(queued)} already queued` : '') +
    ')';
  if (scans <= leftToday) {
    notes.push(`${limitSays}: today has room for all of them.`);
    return notes;
  }
  // What today leaves of the queue ahead and of these, a limit's worth each day after.
  const days = Math.ceil((queued + scans - roomToday) / limit);
  notes.push(
    `${limitSays}: today has room for ${formatCount(leftToday)} of them; the last of them runs ` +
      `in about ${formatCount(days)} more ${days === 1 ? 'day' : 'days'} (days start at 00:00 ` +
      'UTC), unless the limit is raised.',
  );
  return notes;
}
