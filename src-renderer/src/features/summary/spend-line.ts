import type { ScanSpend } from '../../../../src-shared/contract';
import { formatCalls as calls, formatCount, formatDollars } from '../../../../src-shared/messages';

/**
 * Today's paid Places API calls in one line, for the scan queue panel: how many, how many
 * completed a place, the estimated cost if a price per 1,000 is set, and the daily limit if any.
 */
export function spendLine(spend: ScanSpend): string {
  const today = spend.days[0];
  const made = today?.calls ?? 0;
  const parts = [`Places API today: ${calls(made)}`];
  if (today && today.places_completed > 0) {
    const places = today.places_completed;
    parts[0] += ` (${formatCount(places)} ${places === 1 ? 'place' : 'places'} scanned)`;
  }
  if (today?.estimated_cost != null) parts.push(`about ${formatDollars(today.estimated_cost)}`);
  if (spend.daily_call_limit !== null) {
    parts.push(`limit ${formatCount(spend.daily_call_limit)} a day`);
  }
  if (today && today.duplicate_calls > 0) {
    parts.push(`${calls(today.duplicate_calls)} for places already called today`);
  }
  return parts.join(' · ');
}
