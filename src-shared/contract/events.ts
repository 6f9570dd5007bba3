import { z } from 'zod';
import { syncStatusSchema } from './sync';

/** Counts of places per deep scan status; `none` is NULL (never queued). */
export const deepScanCountsSchema = z.object({
  none: z.number().int(),
  Queued: z.number().int(),
  Processing: z.number().int(),
  Completed: z.number().int(),
  Error: z.number().int(),
});

export const scanProgressSchema = z.object({
  counts: deepScanCountsSchema,
  /** Scans finished (Completed or Error) in the last minute, across every worker. */
  scans_per_minute: z.number(),
  /** Age of the oldest queued place, or null when the queue is empty. */
  oldest_queued_age_seconds: z.number().nullable(),
  /** Whether this process runs the scheduler loop. */
  running: z.boolean(),
  /** Why scanning is paused or not running ("no API key", "Places API key rejected"), or null. */
  paused_reason: z.string().nullable(),
  /**
   * Scans cancelled since the store was created: the place left Selected while its scan ran and
   * the scan ended without a result, so the place went back to never queued instead of the queue.
   * A cumulative counter kept in the store (scan_counters).
   */
  cancelled: z.number().int().nonnegative(),
});
export type ScanProgress = z.infer<typeof scanProgressSchema>;

export const scanSpendInput = z.object({
  /** The last N UTC days, today included. */
  days: z.coerce.number().int().min(1).max(366).default(7),
});

/** One UTC day of the spend ledger (places_api_calls). */
export const spendDaySchema = z.object({
  /** YYYY-MM-DD (UTC). */
  day: z.string(),
  calls: z.number().int().nonnegative(),
  /** `open`: calls in flight, or whose worker died and no sweep has marked yet. */
  by_outcome: z.object({
    completed: z.number().int(),
    retried: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    open: z.number().int(),
  }),
  /** Distinct places with a completed call that day. */
  places_completed: z.number().int().nonnegative(),
  /** calls / places_completed; null when nothing completed. */
  calls_per_completed_place: z.number().nullable(),
  /** Calls beyond the first for the same place that day (retries and rescans). */
  duplicate_calls: z.number().int().nonnegative(),
  /** calls x DEEP_SCAN_COST_PER_1000 / 1000; null when the cost is not set. */
  estimated_cost: z.number().nullable(),
});
export type SpendDay = z.infer<typeof spendDaySchema>;

export const scanSpendOutput = z.object({
  /** Newest first; a day without calls is listed with zeros. */
  days: z.array(spendDaySchema),
  cost_per_1000: z.number().nullable(),
  /** The store's daily call limit, the one every worker sharing it obeys (null: none). */
  daily_call_limit: z.number().int().nullable(),
});
export type ScanSpend = z.infer<typeof scanSpendOutput>;

/** Events main pushes to the renderer (IPC `on`, or server-sent events at GET /api/v3/events). */
export const events = {
  /** Places changed (a status update, a scan finishing, sample data loaded). */
  placesChanged: z.object({
    place_ids: z.array(z.string()).nullable(),
    reason: z.enum(['status', 'scan', 'import', 'sync']),
  }),
  scanProgress: scanProgressSchema,
  /** Team mode: online/offline/syncing, unsynced decisions, conflicts (pushed when any changes). */
  syncStatus: syncStatusSchema,
  /**
   * Desktop only: the backend process stopped (`lost`, restarting), runs again (`restored`), or
   * kept stopping and was given up on (`failed`). Never sent over HTTP.
   */
  backendStatus: z.object({
    state: z.enum(['lost', 'restored', 'failed']),
    detail: z.string(),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export const EVENTS_HTTP_PATH = '/api/v3/events';
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
