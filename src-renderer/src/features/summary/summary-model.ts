import type { PlacesSummary, ScanProgress } from '../../../../src-shared/contract';
import {
  DEEP_SCAN_FILTER_NONE,
  DEEP_SCAN_STATUSES,
  NEVER_QUEUED,
  PLACE_STATUSES,
} from '../../../../src-shared/domain';

export interface Bar {
  key: string;
  label: string;
  count: number;
  /** Share of the largest bar, 0..1, for the bar's length. */
  fraction: number;
}

type DeepScanCounts = PlacesSummary['by_deep_scan_status'];

/** The deep scan counts pushed by scanProgress are fresher than the last summary. */
export function applyScanProgress(summary: PlacesSummary, progress: ScanProgress): PlacesSummary {
  return { ...summary, by_deep_scan_status: progress.counts };
}

function toBars(entries: [key: string, label: string, count: number][]): Bar[] {
  const max = Math.max(1, ...entries.map(([, , count]) => count));
  return entries.map(([key, label, count]) => ({ key, label, count, fraction: count / max }));
}

export function statusBars(summary: PlacesSummary): Bar[] {
  return toBars(PLACE_STATUSES.map((status) => [status, status, summary.by_status[status]]));
}

export function deepScanBars(counts: DeepScanCounts): Bar[] {
  return toBars([
    [DEEP_SCAN_FILTER_NONE, NEVER_QUEUED, counts.none],
    ...DEEP_SCAN_STATUSES.map((status): [string, string, number] => [
      status,
      status,
      counts[status],
    ]),
  ]);
}

export interface QueueProgress {
  /** Places that entered the queue and are still in it or came out of it. */
  total: number;
  /** Finished, one way or the other (Completed or Error). */
  done: number;
  segments: {
    key: 'Completed' | 'Error' | 'Processing' | 'Queued';
    count: number;
    share: number;
  }[];
}

/** The scan queue as a progress bar: completed and failed scans out of everything ever queued. */
export function queueProgress(counts: DeepScanCounts): QueueProgress {
  const order = ['Completed', 'Error', 'Processing', 'Queued'] as const;
  const total = order.reduce((sum, key) => sum + counts[key], 0);
  return {
    total,
    done: counts.Completed + counts.Error,
    segments: order.map((key) => ({
      key,
      count: counts[key],
      share: total === 0 ? 0 : counts[key] / total,
    })),
  };
}
