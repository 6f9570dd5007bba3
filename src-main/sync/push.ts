import type { SyncMutation, SyncMutationResult } from '../../src-shared/contract/sync';
import type { PgStore, SqliteStore } from '../db/store';
import { errorSummary } from '../error-summary';
import { applyMutations, isTemporaryFailure, type ApplyReport } from './apply-mutations';
import { serverCopyApplier } from './pull';

/**
 * Pushes this machine's outbox (sync_outbox on the replica, see outbox.ts) to the shared
 * PostgreSQL store, exactly once per decision, in the order the reviewer made them.
 *
 * A round, repeated until the outbox has nothing sendable:
 * 1. Take a batch (one SQLite transaction): the unanswered entries (`pending` or `sent`) in `seq`
 *    order, at most one per place: the earliest unanswered entry of each place (a later one waits
 *    for its answer, because its base is provisional until then). The `pending` ones become
 *    `sent` before anything leaves the machine; a `sent` one is simply sent again with its id.
 * 2. applyMutations on PostgreSQL (each id recorded once in applied_mutations; a repeat replays
 *    the stored answer). The server's clock stamps the writes; no client clock decides anything.
 * 3. Record the answers (one SQLite transaction): each entry's state (`synced` for applied or
 *    agreed, `conflict`, `rejected`) and result; the place's next unanswered entry is rebased on
 *    the server's revision after applied/agreed (after a conflict it keeps its old base, so the
 *    server answers conflict or agreement honestly); a place with nothing unanswered left takes
 *    the server's state: the pull's set-aside copy if there is one, then the answered status,
 *    scan state and revision.
 *
 * A crash anywhere repeats at most the batch in flight: its entries are `sent`, the next push
 * sends them again with the same ids, and the server answers what it answered before. A
 * temporary failure (PostgreSQL unreachable, a timeout) stops the push with the entries `sent`;
 * the caller retries later (the engine does, on a timer and on reconnect). A rejection (no such
 * place) is recorded and the rest goes on.
 */

export interface PushProgress {
  /** Decisions answered by this call so far. */
  done: number;
  /** Unanswered decisions when the call began (later ones made meanwhile are pushed too). */
  total: number;
}

/**
 * Decisions per batch: one PostgreSQL transaction, a fixed number of round trips each (about 14
 * at worst, see apply-mutations.ts), so over a slow link the batch size decides the time: 10,000
 * decisions over a 100 ms round trip take ~35 s in batches of 500 and ~23 s in batches of 1,000.
 */
export const PUSH_BATCH_SIZE = 1000;

export interface PushOptions {
  /** Decisions per batch (one PostgreSQL transaction per batch); default PUSH_BATCH_SIZE. */
  batchSize?: number;
  onProgress?: (progress: PushProgress) => void;
  /** How a batch reaches PostgreSQL; default applyMutations with the database's clock. */
  apply?: (batch: SyncMutation[]) => Promise<ApplyReport>;
  /** This machine's clock, for `sent_at` only (informational). */
  clock?: () => Date;
  /** For tests: called after a batch was marked sent, before it is applied. */
  afterMark?: (batch: readonly SyncMutation[]) => Promise<void> | void;
}

export interface PushResult {
  /** Decisions answered by this call (applied + agreed + conflicts + rejected). */
  pushed: number;
  applied: number;
  agreed: number;
  conflicts: number;
  rejected: number;
  batches: number;
  /** Set when a failure stopped the push: the rest stays in the outbox (as `sent` or `pending`). */
  stopped: { temporary: boolean; error: string } | null;
}

interface OutboxRow {
  mutation_id: string;
  seq: number;
  place_id: string;
  target_status: SyncMutation['target_status'];
  base_revision: number;
  user_id: string;
  decided_at: number;
}

const OUTCOME_STATE = {
  applied: 'synced',
  agreed: 'synced',
  conflict: 'conflict',
  rejected: 'rejected',
} as const;

function prepare(replica: SqliteStore) {
  const db = replica.sqlite;
  return {
    // The earliest unanswered entry of each place, in seq order.
    batch: db.prepare<[number], OutboxRow>(
      `SELECT o.mutation_id, o.seq, o.place_id, o.target_status, o.base_revision, o.user_id,
              o.decided_at
       FROM sync_outbox AS o
       WHERE o.state IN ('pending', 'sent')
         AND NOT EXISTS (SELECT 1 FROM sync_outbox AS e
                         WHERE e.place_id = o.place_id AND e.state IN ('pending', 'sent')
                           AND e.seq < o.seq)
       ORDER BY o.seq
       LIMIT ?`,
    ),
    markSent: db.prepare<[number, string]>(
      "UPDATE sync_outbox SET state = 'sent', sent_at = ? WHERE mutation_id = ? AND state = 'pending'",
    ),
    answer: db.prepare<[string, string, string]>(
      `UPDATE sync_outbox SET state = ?, result = ?
       WHERE mutation_id = ? AND state = 'sent'`,
    ),
    next: db.prepare<[string], { mutation_id: string }>(
      `SELECT mutation_id FROM sync_outbox
       WHERE place_id = ? AND state IN ('pending', 'sent') ORDER BY seq LIMIT 1`,
    ),
    rebase: db.prepare<[number, string]>(
      'UPDATE sync_outbox SET base_revision = ? WHERE mutation_id = ?',
    ),
    // The server's state of the place as answered. Status first (the replica's trigger then
    // bumps the local revision), the server's revision by a second UPDATE (which fires nothing).
    takeServerState: db.prepare<[string, string | null, number, string | null, string]>(
      `UPDATE places_staging SET status = ?, updated_by = ?, updated_at = ?, deep_scan_status = ?
       WHERE place_id = ?`,
    ),
    setRevision: db.prepare<[number, string, number]>(
      'UPDATE places_staging SET status_revision = ? WHERE place_id = ? AND status_revision IS NOT ?',
    ),
  };
}

const toMutation = (r: OutboxRow): SyncMutation => ({
  mutation_id: r.mutation_id,
  place_id: r.place_id,
  target_status: r.target_status,
  base_revision: r.base_revision,
  user_id: r.user_id,
  client_time: new Date(r.decided_at).toISOString(),
});

/** How many decisions wait to be pushed (pending or sent). */
export function unansweredCount(replica: SqliteStore): number {
  return replica.sqlite
    .prepare<[], number>("SELECT count(*) FROM sync_outbox WHERE state IN ('pending', 'sent')")
    .pluck()
    .get()!;
}

export async function pushOutbox(
  pg: PgStore,
  replica: SqliteStore,
  options: PushOptions = {},
): Promise<PushResult> {
  const size = options.batchSize ?? PUSH_BATCH_SIZE;
  // No `now`: every write carries the database's clock, never this machine's.
  const apply = options.apply ?? ((batch) => applyMutations(pg, batch));
  const clock = options.clock ?? (() => new Date());
  const s = prepare(replica);
  const applyCopy = serverCopyApplier(replica);
  const result: PushResult = {
    pushed: 0,
    applied: 0,
    agreed: 0,
    conflicts: 0,
    rejected: 0,
    batches: 0,
    stopped: null,
  };
  const total = unansweredCount(replica);

  const take = replica.sqlite.transaction((): SyncMutation[] => {
    const rows = s.batch.all(size);
    const at = clock().getTime();
    for (const r of rows) s.markSent.run(at, r.mutation_id);
    return rows.map(toMutation);
  });

  const record = replica.sqlite.transaction((answers: SyncMutationResult[]) => {
    for (const a of answers) {
      const changed = s.answer.run(OUTCOME_STATE[a.outcome], JSON.stringify(a), a.mutation_id);
      // Already answered (another push on this replica got there first): nothing to redo.
      if (changed.changes === 0) continue;
      const next = s.next.get(a.place_id);
      if (next) {
        if ((a.outcome === 'applied' || a.outcome === 'agreed') && a.place) {
          s.rebase.run(a.place.status_revision, next.mutation_id);
        }
        continue;
      }
      applyCopy(a.place_id);
      if (a.place) {
        s.takeServerState.run(
          a.place.status,
          a.place.updated_by,
          Date.parse(a.place.updated_at),
          a.place.deep_scan_status,
          a.place_id,
        );
        s.setRevision.run(a.place.status_revision, a.place_id, a.place.status_revision);
      }
    }
  });

  for (;;) {
    const batch = take.immediate();
    if (batch.length === 0) return result;
    await options.afterMark?.(batch);
    let report: ApplyReport;
    try {
      report = await apply(batch);
    } catch (error) {
      result.stopped = { temporary: isTemporaryFailure(error), error: errorSummary(error).message };
      return result;
    }
    record.immediate(report.results);
    result.batches++;
    for (const a of report.results) {
      result.pushed++;
      if (a.outcome === 'applied') result.applied++;
      else if (a.outcome === 'agreed') result.agreed++;
      else if (a.outcome === 'conflict') result.conflicts++;
      else result.rejected++;
    }
    options.onProgress?.({ done: result.pushed, total: Math.max(total, result.pushed) });
    if (report.stopped) {
      result.stopped = { temporary: report.stopped.temporary, error: report.stopped.error };
      return result;
    }
  }
}
