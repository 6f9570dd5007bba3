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
