import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import {
  syncMutationSchema,
  type SyncMutation,
  type SyncMutationResult,
  type SyncPlaceState,
} from '../../src-shared/contract/sync';
import * as pgSchema from '../db/schema.pg';
import { appliedMutations, placesStaging as t } from '../db/schema.pg';
import type { PgStore } from '../db/store';
import { errorSummary } from '../error-summary';
import { updateStatusInTransaction, type Tx } from '../places/pg-repository';

/**
 * Failures after which the same mutation may well succeed later: the connection was lost or
 * refused, the server is shutting down, a lock or statement timeout, too many connections, no
 * pooled connection in time, a serialization failure or deadlock. The transaction rolled back.
 */
const TEMPORARY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  '08000',
  '08001',
  '08003',
  '08006',
  '40001',
  '40P01',
  '53300',
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
const TEMPORARY_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed)/;

export function isTemporaryFailure(error: unknown): boolean {
  const { code, message } = errorSummary(error);
  return (code !== undefined && TEMPORARY_CODES.has(code)) || TEMPORARY_MESSAGES.test(message);
}

export interface ApplyReport {
  /** One result per mutation that was decided (this time or before), in batch order. */
  results: SyncMutationResult[];
  /**
   * Set when the batch stopped before its end: `index` is the first mutation not applied (its
   * transaction rolled back, applied_mutations included; it and the rest are to be sent again).
   * `temporary` says whether waiting and retrying should help (a lost connection, a timeout); an
   * unexpected error also stops the batch, but is not a reason to reject the decision.
   */
  stopped: { index: number; mutationId: string; temporary: boolean; error: string } | null;
}

type PlaceSnapshot = Pick<
  typeof t.$inferSelect,
  'status' | 'status_revision' | 'updated_by' | 'updated_at' | 'deep_scan_status'
>;

const snapshotColumns = {
  status: t.status,
  status_revision: t.status_revision,
  updated_by: t.updated_by,
  updated_at: t.updated_at,
  deep_scan_status: t.deep_scan_status,
};

function placeState(p: PlaceSnapshot): SyncPlaceState {
  return {
    status: p.status,
    status_revision: p.status_revision,
    updated_by: p.updated_by,
    updated_at: p.updated_at.toISOString(),
    deep_scan_status: p.deep_scan_status,
  };
}

/**
 * One mutation in one transaction: record its id first (a repeat returns the stored result and
 * writes nothing else), lock the place, then apply step 6 if the place is still at the base
 * revision, agree if it already has the target status, and otherwise record a conflict carrying
 * the colleague's decision. The outcome is stored with the id, in the same transaction.
 */
async function applyOne(tx: Tx, m: SyncMutation, now: Date): Promise<SyncMutationResult> {
  const claimed = await tx
    .insert(appliedMutations)
    .values({
      mutation_id: m.mutation_id,
      place_id: m.place_id,
      user_id: m.user_id,
      target_status: m.target_status,
      base_revision: m.base_revision,
      // Replaced below, in this transaction: no one ever sees these two.
      outcome: 'rejected',
      result: { pending: true } as unknown as SyncMutationResult,
      applied_at: now,
    })
    .onConflictDoNothing({ target: appliedMutations.mutation_id })
    .returning({ mutation_id: appliedMutations.mutation_id });
  if (claimed.length === 0) {
    const [stored] = await tx
      .select({ result: appliedMutations.result })
      .from(appliedMutations)
      .where(eq(appliedMutations.mutation_id, m.mutation_id));
    return stored!.result;
  }

  const [place] = await tx
    .select(snapshotColumns)
    .from(t)
    .where(eq(t.place_id, m.place_id))
    .for('update');
  const base = { mutation_id: m.mutation_id, place_id: m.place_id };
  let result: SyncMutationResult;
  if (!place) {
    result = {
      ...base,
      outcome: 'rejected',
      place: null,
      theirs: null,
      counts: null,
      reason: 'no such place',
    };
  } else if (place.status_revision === m.base_revision) {
    // Step 6 for this one place, by the reviewers' own code path (the scan is derived here).
    const c = await updateStatusInTransaction(
      tx,
      { kind: 'ids', ids: [m.place_id] },
      m.target_status,
      m.user_id,
      now,
      { journal: false },
    );
    const [after] = await tx.select(snapshotColumns).from(t).where(eq(t.place_id, m.place_id));
    result = {
      ...base,
      outcome: 'applied',
      place: placeState(after!),
      theirs: null,
      counts: {
        updated: c.updated_count,
        queued: c.queued_count,
        dequeued: c.dequeued_count,
        already_queued: c.already_queued_count,
        already_scanned: c.already_scanned_count,
      },
      reason: null,
    };
  } else if (place.status === m.target_status) {
    result = {
      ...base,
      outcome: 'agreed',
      place: placeState(place),
      theirs: null,
      counts: null,
      reason: null,
    };
  } else {
    const state = placeState(place);
    result = {
      ...base,
      outcome: 'conflict',
      place: state,
      theirs: {
        status: state.status,
        updated_by: state.updated_by,
        updated_at: state.updated_at,
        deep_scan_status: state.deep_scan_status,
      },
      counts: null,
      reason: null,
    };
  }
  const [stored] = await tx
    .update(appliedMutations)
    .set({ outcome: result.outcome, result })
    .where(eq(appliedMutations.mutation_id, m.mutation_id))
    .returning({ result: appliedMutations.result });
  // The stored JSON, so the first answer is the very one every repeat gets.
  return stored!.result;
}

/**
 * One transaction on a pooled connection of its own that listens for its connection's errors:
 * a connection lost while checked out (the server restarted, pg_terminate_backend, a network cut)
 * makes pg emit 'error' on the client, which would be an uncaught exception (a crash) with no
 * listener. The transaction's query still fails, so the failure is reported, never swallowed; and
 * a connection that failed is destroyed, never given back to the pool.
 */
async function inTransaction<T>(store: PgStore, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await store.pool.connect();
  const onError = () => {};
  client.on('error', onError);
  let failed = false;
  try {
    return await drizzle(client, { schema: pgSchema }).transaction(work);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(failed);
  }
}

/**
 * Applies a batch of offline decisions to PostgreSQL, in order, each exactly once (keyed by its
 * mutation id in applied_mutations). The batch is validated first (nothing is applied if any
 * mutation is malformed: a ZodError). A permanent rejection (an unknown place) is recorded and
 * the batch goes on; any failure stops it at that mutation, rolled back, and says where.
 * `now` is the server's time for every write of this batch; no client clock decides anything.
 */
export async function applyMutations(
  store: PgStore,
  mutations: readonly unknown[],
  now: Date,
): Promise<ApplyReport> {
  const batch = syncMutationSchema.array().parse(mutations);
  const results: SyncMutationResult[] = [];
  for (const [index, m] of batch.entries()) {
    try {
      results.push(await inTransaction(store, (tx) => applyOne(tx, m, now)));
    } catch (error) {
      return {
        results,
        stopped: {
          index,
          mutationId: m.mutation_id,
          temporary: isTemporaryFailure(error),
          error: errorSummary(error).message,
        },
      };
    }
  }
  return { results, stopped: null };
}
