import { z } from 'zod';
import { DEEP_SCAN_STATUSES, placeStatusSchema } from '../domain';
import { idSchema } from './text';

/**
 * One offline decision as the client pushes it: set `place_id` to `target_status`, made on the
 * place's `base_revision` (its status_revision when the reviewer decided). The client never sends
 * a scan state: the server derives it (step 6). `client_time` is informational only: no client
 * clock decides anything.
 */
export const syncMutationSchema = z.strictObject({
  mutation_id: z.uuid({ error: 'must be a UUID' }),
  place_id: idSchema(),
  target_status: placeStatusSchema,
  base_revision: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must not be negative')
    .max(2_147_483_647, 'must fit a 32-bit integer'),
  user_id: idSchema(),
  client_time: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
});
export type SyncMutation = z.infer<typeof syncMutationSchema>;

export const SYNC_OUTCOMES = ['applied', 'agreed', 'conflict', 'rejected'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** The place as the server has it after the mutation (or as it stood, when nothing was written). */
export const syncPlaceStateSchema = z.object({
  status: placeStatusSchema,
  status_revision: z.number().int(),
  updated_by: z.string().nullable(),
  updated_at: z.iso.datetime({ offset: true }),
  deep_scan_status: z.enum(DEEP_SCAN_STATUSES).nullable(),
});
export type SyncPlaceState = z.infer<typeof syncPlaceStateSchema>;

/** What a push answers for one mutation; stored in applied_mutations.result and replayed as is. */
export const syncMutationResultSchema = z.object({
  mutation_id: z.uuid(),
  place_id: z.string(),
  outcome: z.enum(SYNC_OUTCOMES),
  /** null when rejected (no such place). */
  place: syncPlaceStateSchema.nullable(),
  /** For a conflict: the colleague's decision that won (status, who, when, the scan state). */
  theirs: z
    .object({
      status: placeStatusSchema,
      updated_by: z.string().nullable(),
      updated_at: z.iso.datetime({ offset: true }),
      deep_scan_status: z.enum(DEEP_SCAN_STATUSES).nullable(),
    })
    .nullable(),
  /** For an applied mutation: step 6's counts for this one place. */
  counts: z
    .object({
      updated: z.number().int(),
      queued: z.number().int(),
      dequeued: z.number().int(),
      already_queued: z.number().int(),
      already_scanned: z.number().int(),
    })
    .nullable(),
  /** For a rejection: why (permanent). */
  reason: z.string().nullable(),
});
export type SyncMutationResult = z.infer<typeof syncMutationResultSchema>;

/**
 * GET /api/v3/sync/status: where this backend's decisions go and how many wait. The first five
 * fields are the public surface other tools read (keep them exactly so); the rest feed the app's
 * indicator.
 */
export const syncStatusSchema = z.object({
  /** PostgreSQL answers and decisions go straight to it (always true outside team mode). */
  online: z.boolean(),
  /** Decisions on this computer not yet answered by the shared store (pending or sent). */
  pending: z.number().int().nonnegative(),
  /** When the oldest of them was made (ISO 8601), or null. */
  oldest_pending_at: z.iso.datetime({ offset: true }).nullable(),
  /** Decisions the shared store refused because a colleague changed the place first, unresolved. */
  conflicts: z.number().int().nonnegative(),
  /** When the last push and pull both finished (ISO 8601), or null when never. */
  last_synced_at: z.iso.datetime({ offset: true }).nullable(),
  /** 'team': the shared PostgreSQL plus this computer's replica; 'single': one store, no sync. */
  mode: z.enum(['single', 'team']),
  /** A push or pull is running now. */
  syncing: z.boolean(),
  /** The reviewer (or `serve --offline`) chose to work on the replica. */
  forced_offline: z.boolean(),
  /** Decisions the shared store refused for good (a place it no longer has). */
  rejected: z.number().int().nonnegative(),
  /** The first pull's progress while it runs (changes applied of the estimate), else null. */
  pull_progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** Why the last attempt failed ("PostgreSQL is unreachable: ..."), or null. */
  last_error: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** One unresolved conflict: my decision and the colleague's that the shared store kept. */
export const syncConflictSchema = z.object({
  place_id: z.string(),
  /** My target status. */
  mine: placeStatusSchema,
  /** The status the shared store has (the colleague's decision). */
  theirs: placeStatusSchema,
  theirs_by: z.string().nullable(),
  theirs_at: z.iso.datetime({ offset: true }),
  /** The place's scan state on the shared store when the conflict was found. */
  theirs_deep_scan_status: z.enum(DEEP_SCAN_STATUSES).nullable(),
  business_name: z.string().nullable(),
  /** When I decided (this computer's clock: shown, never compared). */
  decided_at: z.iso.datetime({ offset: true }),
  mutation_id: z.uuid(),
});
export type SyncConflict = z.infer<typeof syncConflictSchema>;

export const syncConflictsOutput = z.object({ items: z.array(syncConflictSchema) });
export type SyncConflictsOutput = z.infer<typeof syncConflictsOutput>;

/**
 * Resolve conflicts: `mine` sends my decision again on the colleague's revision (a new decision,
 * pushed at once when online), `theirs` keeps the shared store's status. Only the caller's own
 * conflicts are resolved; place ids without one are reported, not an error.
 */
export const resolveConflictsInput = z.strictObject({
  place_ids: z
    .array(idSchema(255), { error: 'must be an array of place id strings' })
    .min(1, 'must contain at least one place id')
    .max(10_000, 'must contain at most 10000 place ids'),
  keep: z.enum(['mine', 'theirs'], { error: 'must be "mine" or "theirs"' }),
});
export type ResolveConflictsInput = z.infer<typeof resolveConflictsInput>;

export const resolveConflictsOutput = z.object({
  message: z.string(),
  resolved_count: z.number().int(),
  /** Requested places with no unresolved conflict of the caller's. */
  not_found: z.array(z.string()),
});
export type ResolveConflictsOutput = z.infer<typeof resolveConflictsOutput>;

export const RECEIPT_STATES = ['pending', 'synced', 'conflict', 'rejected'] as const;
export type ReceiptState = (typeof RECEIPT_STATES)[number];

/** The receipt of one offline decision (newest first in the list). */
export const syncReceiptSchema = z.object({
  mutation_id: z.uuid(),
  place_id: z.string(),
  business_name: z.string().nullable(),
  target_status: placeStatusSchema,
  /** 'pending' covers decisions handed to a push whose answer is not known yet. */
  state: z.enum(RECEIPT_STATES),
  decided_at: z.iso.datetime({ offset: true }),
  /** Why it was rejected, or null. */
  reason: z.string().nullable(),
});
export type SyncReceipt = z.infer<typeof syncReceiptSchema>;

/** The most receipts one request lists; the outbox keeps each reviewer's newest this many. */
export const RECEIPTS_MAX = 500;

export const syncReceiptsInput = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1, `must be between 1 and ${RECEIPTS_MAX}`)
    .max(RECEIPTS_MAX, `must be between 1 and ${RECEIPTS_MAX}`)
    .default(100),
});
export const syncReceiptsOutput = z.object({ items: z.array(syncReceiptSchema) });
export type SyncReceiptsOutput = z.infer<typeof syncReceiptsOutput>;

/** Force working on this computer's replica (true) or go back to the shared store when it answers. */
export const setOfflineInput = z.strictObject({
  offline: z.boolean({ error: 'must be true or false' }),
});

/** What a sync (push then pull) did; `staging-editor sync` prints the same numbers. */
export const syncRunOutput = z.object({
  message: z.string(),
  pushed: z.number().int(),
  applied: z.number().int(),
  agreed: z.number().int(),
  conflicts: z.number().int(),
  rejected: z.number().int(),
  pulled: z.number().int(),
  /** The push stopped on a temporary failure: the rest stays in the outbox and is retried. */
  incomplete: z.boolean(),
});
export type SyncRunOutput = z.infer<typeof syncRunOutput>;

/** A dry run of the push against the shared store's state now (nothing is sent). */
export const syncPreviewOutput = z.object({
  /** "12 of your 340 decisions conflict with a colleague's (...)" */
  message: z.string(),
  total: z.number().int(),
  apply: z.number().int(),
  agree: z.number().int(),
  conflict: z.number().int(),
  reject: z.number().int(),
});
export type SyncPreviewOutput = z.infer<typeof syncPreviewOutput>;
