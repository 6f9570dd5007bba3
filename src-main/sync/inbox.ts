import type {
  ResolveConflictsInput,
  SyncConflict,
  SyncMutationResult,
  SyncReceipt,
} from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import { RECEIPTS_MAX } from '../../src-shared/contract/sync';
import type { SqliteStore } from '../db/store';
import { DAY_MS } from '../../src-shared/time';
import { PULL_STREAM } from './pull';

/**
 * What the replica's outbox tells the reviewer (sync_outbox, sql/sqlite/0008 and 0009): how many
 * decisions wait, the conflicts inbox, the receipts. Read on the replica only.
 *
 * A conflict is in the inbox while it is the place's latest entry and unresolved: a later
 * decision on the place (made after the conflict, or "keep mine") supersedes it.
 */

const INBOX = `o.state = 'conflict' AND o.resolved_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM sync_outbox AS l WHERE l.place_id = o.place_id AND l.seq > o.seq)`;

export interface OutboxCounts {
  pending: number;
  oldestPendingAt: number | null;
  conflicts: number;
  rejected: number;
  lastSyncedAt: number | null;
}

export function outboxCounts(replica: SqliteStore): OutboxCounts {
  const row = replica.sqlite
    .prepare(
      `SELECT
         (SELECT count(*) FROM sync_outbox WHERE state IN ('pending', 'sent')) AS pending,
         (SELECT min(decided_at) FROM sync_outbox WHERE state IN ('pending', 'sent')) AS oldest,
         (SELECT count(*) FROM sync_outbox AS o WHERE ${INBOX}) AS conflicts,
         (SELECT count(*) FROM sync_outbox WHERE state = 'rejected') AS rejected,
         (SELECT max(last_synced_at) FROM sync_state) AS synced`,
    )
    .get() as {
    pending: number;
    oldest: number | null;
    conflicts: number;
    rejected: number;
    synced: number | null;
  };
  return {
    pending: row.pending,
    oldestPendingAt: row.oldest,
    conflicts: row.conflicts,
    rejected: row.rejected,
    lastSyncedAt: row.synced,
  };
}

interface ConflictRow {
  mutation_id: string;
  place_id: string;
  mine: PlaceStatus;
  result: string;
  decided_at: number;
  business_name: string | null;
}

/** The user's conflicts in the inbox, the latest decision first. */
export function listConflicts(replica: SqliteStore, userId: string): SyncConflict[] {
  const rows = replica.sqlite
    .prepare<[string], ConflictRow>(
      `SELECT o.mutation_id, o.place_id, o.target_status AS mine, o.result, o.decided_at,
              p.name AS business_name
       FROM sync_outbox AS o LEFT JOIN places_staging AS p ON p.place_id = o.place_id
       WHERE o.user_id = ? AND ${INBOX}
       ORDER BY o.seq DESC`,
    )
    .all(userId);
  return rows.map((r) => {
    const result = JSON.parse(r.result) as SyncMutationResult;
    const theirs = result.theirs!;
    return {
      place_id: r.place_id,
      mine: r.mine,
      theirs: theirs.status,
      theirs_by: theirs.updated_by,
      theirs_at: theirs.updated_at,
      theirs_deep_scan_status: theirs.deep_scan_status,
      business_name: r.business_name,
      decided_at: new Date(r.decided_at).toISOString(),
      mutation_id: r.mutation_id,
    };
  });
}

/** The user's inbox conflicts on these places (place id -> my target status). */
export function conflictsOn(
  replica: SqliteStore,
  userId: string,
  placeIds: readonly string[],
): Map<string, PlaceStatus> {
  const rows = replica.sqlite
    .prepare<[string, string], { place_id: string; mine: PlaceStatus }>(
      `SELECT o.place_id, o.target_status AS mine FROM sync_outbox AS o
       WHERE o.user_id = ? AND o.place_id IN (SELECT value FROM json_each(?)) AND ${INBOX}`,
    )
    .all(userId, JSON.stringify(placeIds));
  return new Map(rows.map((r) => [r.place_id, r.mine]));
}

/** Marks the user's unresolved conflicts on these places resolved (the old ones too). */
export function markResolved(
  replica: SqliteStore,
  userId: string,
  placeIds: readonly string[],
  keep: ResolveConflictsInput['keep'],
  at: Date,
): number {
  return replica.sqlite
    .prepare(
      `UPDATE sync_outbox SET resolved_at = ?, resolution = ?
       WHERE user_id = ? AND state = 'conflict' AND resolved_at IS NULL
         AND place_id IN (SELECT value FROM json_each(?))`,
    )
    .run(at.getTime(), keep, userId, JSON.stringify(placeIds)).changes;
}

interface ReceiptRow {
  mutation_id: string;
  place_id: string;
  business_name: string | null;
  target_status: PlaceStatus;
  state: string;
  decided_at: number;
  result: string | null;
}

/** The user's offline decisions, newest first, with their receipts. */
export function listReceipts(replica: SqliteStore, userId: string, limit: number): SyncReceipt[] {
  return replica.sqlite
    .prepare<[string, number], ReceiptRow>(
      `SELECT o.mutation_id, o.place_id, p.name AS business_name, o.target_status, o.state,
              o.decided_at, o.result
       FROM sync_outbox AS o LEFT JOIN places_staging AS p ON p.place_id = o.place_id
       WHERE o.user_id = ? ORDER BY o.seq DESC LIMIT ?`,
    )
    .all(userId, limit)
    .map((r) => ({
      mutation_id: r.mutation_id,
      place_id: r.place_id,
      business_name: r.business_name,
      target_status: r.target_status,
      state: r.state === 'sent' ? 'pending' : (r.state as SyncReceipt['state']),
      decided_at: new Date(r.decided_at).toISOString(),
      reason:
        r.state === 'rejected' && r.result
          ? (JSON.parse(r.result) as SyncMutationResult).reason
          : null,
    }));
}

/** How long an answered decision stays in the outbox (its receipt), beyond the newest ones. */
export const OUTBOX_KEEP_DAYS = 30;
/** When each replica's outbox was last pruned (by the sync's clock). */
const lastPruned = new WeakMap<SqliteStore, number>();

/**
 * Deletes the outbox entries nothing needs any more: answered (synced, or a conflict the reviewer
 * resolved) more than OUTBOX_KEEP_DAYS before `now`, and not among their reviewer's newest
 * RECEIPTS_MAX (what the receipts list can show). Unanswered entries, open conflicts and
 * rejections (counted in the sync status) are never deleted. At most once a day per replica
 * (by `now`); returns how many went.
 */
export function pruneOutbox(replica: SqliteStore, now: Date): number {
  // Once a day: the query reads the whole outbox (~50 ms at 60,000 entries).
  const last = lastPruned.get(replica);
  if (last !== undefined && now.getTime() - last < DAY_MS) return 0;
  lastPruned.set(replica, now.getTime());
  const before = now.getTime() - OUTBOX_KEEP_DAYS * DAY_MS;
  return replica.sqlite
    .prepare(
      `DELETE FROM sync_outbox WHERE seq IN (
         SELECT seq FROM (
           SELECT seq, state, resolved_at, decided_at,
                  row_number() OVER (PARTITION BY user_id ORDER BY seq DESC) AS newer
           FROM sync_outbox)
         WHERE newer > ? AND decided_at < ?
           AND (state = 'synced' OR (state = 'conflict' AND resolved_at IS NOT NULL)))`,
    )
    .run(RECEIPTS_MAX, before).changes;
}

/** Records that a sync finished with nothing left to send. */
export function markSynced(replica: SqliteStore, at: Date): void {
  replica.sqlite
    .prepare(
      `INSERT INTO sync_state (name, last_synced_at) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET last_synced_at = excluded.last_synced_at`,
    )
    .run(PULL_STREAM, at.getTime());
}
