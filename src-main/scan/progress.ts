import type { ScanProgress } from '../../src-shared/contract/events';
import type { Settings } from '../config';
import type { Store } from '../db/store';
import { budgetReason } from './daily-limit';
import { scanQueueFor } from './queue-for-store';
import { utcDayOf, type QueueProgress } from './queue';

export const NO_API_KEY_REASON = 'Set GOOGLE_MAPS_API_KEY to run deep scans';

export function hasPlacesApiKey(settings: Pick<Settings, 'GOOGLE_MAPS_API_KEY'>): boolean {
  return (settings.GOOGLE_MAPS_API_KEY ?? '').trim() !== '';
}

export interface ReadScanProgressOptions {
  settings?: Pick<Settings, 'GOOGLE_MAPS_API_KEY'>;
  /** Whether this process runs the loop (default false). */
  running?: boolean;
  /** This process's own reason to be paused (it wins over the shared pause). */
  pausedReason?: string | null;
  /** This loop's id and live figure, fresher than its last heartbeat. */
  self?: { workerId: string; scansPerMinute: number };
  /** Epoch ms whose UTC day the daily call limit counts (default now; tests pin the day). */
  now?: number;
}

/**
 * The `scanStatus` figures, also when no loop runs in this process: the counts come from one
 * statement (they add up to the total); the throughput sums every live worker's heartbeat.
 */
export async function readScanProgress(
  store: Store,
  options: ReadScanProgressOptions = {},
): Promise<ScanProgress> {
  const day = utcDayOf(options.now ?? Date.now());
  return composeProgress(await scanQueueFor(store).readProgress(day), options);
}

export function composeProgress(
  progress: QueueProgress,
  options: ReadScanProgressOptions,
): ScanProgress {
  const running = options.running ?? false;
  const others = progress.liveWorkers.filter((w) => w.workerId !== options.self?.workerId);
  const scansPerMinute =
    others.reduce((sum, w) => sum + w.scansPerMinute, 0) + (options.self?.scansPerMinute ?? 0);
  return {
    counts: progress.counts,
    scans_per_minute: scansPerMinute,
    oldest_queued_age_seconds:
      progress.oldestQueuedAgeSeconds === null
        ? null
        : Math.round(progress.oldestQueuedAgeSeconds * 10) / 10,
    running,
    paused_reason: pausedReason(progress, options, others.length),
    cancelled: progress.cancelled,
  };
}

function pausedReason(
  progress: QueueProgress,
  options: ReadScanProgressOptions,
  otherWorkers: number,
): string | null {
  if (options.pausedReason) return options.pausedReason;
  if (progress.pause) {
    const seconds = Math.ceil(progress.pause.remainingMs / 1000);
    return `${progress.pause.reason} All workers paused for ${seconds} s.`;
  }
  // The store's limit is spent: every worker sharing it is paused, whichever process asks.
  if (progress.budget && progress.budget.callsToday >= progress.budget.limit) {
    return budgetReason(progress.budget.limit);
  }
  if (options.running) return null;
  if (options.settings && !hasPlacesApiKey(options.settings)) {
    return otherWorkers > 0
      ? `${NO_API_KEY_REASON} here (${describeWorkers(otherWorkers)} scanning this store).`
      : NO_API_KEY_REASON;
  }
  return otherWorkers > 0
    ? `Deep scans run elsewhere: ${describeWorkers(otherWorkers)} scanning this store.`
    : 'Deep scans are not run by this process (started with --no-scheduler).';
}

function describeWorkers(n: number): string {
  return n === 1 ? '1 other worker is' : `${n} other workers are`;
}
