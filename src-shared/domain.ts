import { z } from 'zod';
import { foldSearchText } from './search-fold';

/** The reviewer's decision. Exact, case-sensitive strings shared by the database, the API and the UI. */
export const PLACE_STATUSES = ['New', 'Selected', 'Maybe', 'Not a Fit', 'Archived'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

/** The machine's progress on a deep scan; NULL in the database means "never queued". */
export const DEEP_SCAN_STATUSES = ['Queued', 'Processing', 'Completed', 'Error'] as const;
export type DeepScanStatus = (typeof DEEP_SCAN_STATUSES)[number];

/** How a Places API call ended, as recorded in the spend ledger (places_api_calls). */
export const PLACES_API_CALL_OUTCOMES = ['completed', 'retried', 'failed', 'cancelled'] as const;
export type PlacesApiCallOutcome = (typeof PLACES_API_CALL_OUTCOMES)[number];

export const placeStatusSchema = z.enum(PLACE_STATUSES, {
  error: (issue) =>
    `must be one of ${PLACE_STATUSES.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(issue.input)})`,
});
export const deepScanStatusSchema = z.enum(DEEP_SCAN_STATUSES, {
  error: (issue) =>
    `must be one of ${DEEP_SCAN_STATUSES.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(issue.input)})`,
});

/** What a place never queued for a deep scan (deep_scan_status NULL) is called wherever it is shown. */
export const NEVER_QUEUED = 'Never queued';

/** A place's deep scan state as the app and the export write it. */
export function scanStateLabel(status: DeepScanStatus | null): string {
  return status ?? NEVER_QUEUED;
}

/**
 * The deep scan state a place shows once a decision to `target` is stored (workflow step 6): a
 * place Selected whose scan never ran or failed is Queued; a place taken out of Selected while it
 * still waits in the queue leaves it; every other scan stays as it is. The server's SQL does the
 * update (src-main/places/queries.ts); this is for the app to show a decision before the server
 * has answered, and test/places/status-update.test.ts holds it equal to what both stores do.
 */
export function scanStateAfterDecision(
  scan: DeepScanStatus | null,
  target: PlaceStatus,
): DeepScanStatus | null {
  if (target === 'Selected') return scan === null || scan === 'Error' ? 'Queued' : scan;
  return scan === 'Queued' ? null : scan;
}

/** Deep scan filter values: the four statuses plus "none" for places never queued. */
export const DEEP_SCAN_FILTER_NONE = 'none';
export const deepScanFilterSchema = z.union(
  [deepScanStatusSchema, z.literal(DEEP_SCAN_FILTER_NONE)],
  {
    error: (issue) =>
      `must be one of ${[...DEEP_SCAN_STATUSES, DEEP_SCAN_FILTER_NONE].map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(issue.input)})`,
  },
);
export type DeepScanFilter = z.infer<typeof deepScanFilterSchema>;

/** At most this many place ids in one status request; larger selections use the filter form. */
export const MAX_PLACE_IDS_PER_REQUEST = 10_000;

/** How long after a status update its undo is offered (the UI offers it for a few seconds). */
export const UNDO_WINDOW_SECONDS = 60;

/**
 * Undoable updates kept per reviewer (within the window): the app's undo stack goes back this
 * far, one update at a time. The server keeps twice as many, so a batch of decisions that ties
 * on its time at the far end of the journal never cuts into what the app may still undo.
 */
export const UNDO_STACK_DEPTH = 100;
export const UNDO_JOURNAL_DEPTH = 2 * UNDO_STACK_DEPTH;

/** Key decisions per batch request (each one is its own update, in order, in one transaction). */
export const MAX_DECISIONS_PER_BATCH = 100;

/** The grid's columns that can be sorted, by their API name. */
export const SORTABLE_FIELDS = [
  'place_id',
  'business_name',
  'address',
  'category',
  'search_location',
  'rating',
  'reviews_count',
  'price_level',
  'status',
  'deep_scan_status',
  'updated_at',
  'updated_by',
] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

/**
 * Folds a free-text search term exactly as the database folds `search_text` (the one character
 * map in ./search-fold.ts: lower case, accents removed, spaces collapsed), so that `q` finds the
 * same rows on both engines, whoever inserted them.
 */
export function normaliseSearchText(text: string): string {
  return foldSearchText(text);
}
