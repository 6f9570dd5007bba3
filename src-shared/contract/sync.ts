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
