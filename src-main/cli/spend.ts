import type { ScanSpend } from '../../src-shared/contract/events';
import { formatDollars } from '../../src-shared/messages';
import type { Settings } from '../config';
import { openStore } from '../db/store';
import { parseDailyCallLimit, writeDailyCallLimit } from '../scan/daily-limit';
import { readSpend } from '../scan/spend';

/**
 * `staging-editor spend [--limit N|off]`: sets the store's daily call limit first when asked
 * (every worker sharing the store follows it at its next check, no restart), then prints the
 * spend ledger per UTC day, newest first, as a table.
 */
export async function printSpend(
  settings: Settings,
  days: number,
  options: { limit?: string } = {},
): Promise<void> {
  // Checked before the store is opened: a bad value changes nothing.
  const limit = options.limit === undefined ? undefined : parseDailyCallLimit(options.limit);
  // The ledger is the shared store's in team mode (DATABASE_URL wins in openStore).
  const store = await openStore(settings);
  try {
    if (limit !== undefined) {
      const { previous } = await writeDailyCallLimit(store, limit);
      console.log(
        `The store's daily call limit is now ${describeLimit(limit)} (was ${describeLimit(previous)}); every worker sharing it follows within DEEP_SCAN_INTERVAL_SECONDS.`,
      );
    }
    console.log(formatSpend(await readSpend(store, { days, settings })));
  } finally {
    await store.close();
  }
}

const describeLimit = (limit: number | null) =>
  limit === null ? 'none' : `${limit} calls a UTC day`;

export function formatSpend(spend: ScanSpend): string {
  const head = [
    'day (UTC)',
    'calls',
    'completed',
    'retried',
    'failed',
    'cancelled',
    'open',
    'places done',
    'calls/place',
    'duplicates',
    'cost ($)',
  ];
  const rows = spend.days.map((d) => [
    d.day,
    String(d.calls),
    String(d.by_outcome.completed),
    String(d.by_outcome.retried),
    String(d.by_outcome.failed),
    String(d.by_outcome.cancelled),
    String(d.by_outcome.open),
    String(d.places_completed),
    d.calls_per_completed_place === null ? '-' : d.calls_per_completed_place.toFixed(2),
    String(d.duplicate_calls),
    d.estimated_cost === null ? '-' : d.estimated_cost.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = [
    spend.cost_per_1000 === null
      ? 'Set DEEP_SCAN_COST_PER_1000 for the estimated cost.'
      : `Cost: ${formatDollars(spend.cost_per_1000)} per 1,000 calls (DEEP_SCAN_COST_PER_1000).`,
    spend.daily_call_limit === null
      ? 'No daily call limit on this store (set one with --limit N or DEEP_SCAN_DAILY_CALL_LIMIT).'
      : `Daily call limit of this store: ${spend.daily_call_limit} (change it with --limit N or off).`,
  ];
  return [line(head), ...rows.map(line), '', ...notes].join('\n');
}
