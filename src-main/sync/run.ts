import type { PgStore, SqliteStore } from '../db/store';
import { markSynced, pruneOutbox } from './inbox';
import { pullChanges, type PullProgress } from './pull';
import { pushOutbox, unansweredCount, type PushProgress, type PushResult } from './push';

export interface SyncOnceOptions {
  /** Limit the pull to these search locations (null: every place). */
  locations?: readonly string[] | null;
  onPushProgress?: (progress: PushProgress) => void;
  onPullProgress?: (progress: PullProgress) => void;
  batchSize?: number;
  /** This machine's clock, for last_synced_at (shown, never compared). */
  clock?: () => Date;
}

export interface SyncOnceResult {
  push: PushResult;
  /** Changes pulled; null when the push stopped first (the pull waits for the next sync). */
  pulled: number | null;
  /** Decisions still waiting (made during the sync, or left by a stopped push). */
  left: number;
}

/**
 * One sync: push the outbox, then pull. The push goes first so the pull brings the server's
 * answers to this machine's own decisions back with everything else. A push stopped by a failure
 * skips the pull (the caller retries both).
 */
export async function syncOnce(
  pg: PgStore,
  replica: SqliteStore,
  options: SyncOnceOptions = {},
): Promise<SyncOnceResult> {
  const push = await pushOutbox(pg, replica, {
    batchSize: options.batchSize,
    onProgress: options.onPushProgress,
    clock: options.clock,
  });
  if (push.stopped) return { push, pulled: null, left: unansweredCount(replica) };
  const pull = await pullChanges(pg, replica, {
    locations: options.locations ?? null,
    onProgress: options.onPullProgress,
  });
  const left = unansweredCount(replica);
  const now = (options.clock ?? (() => new Date()))();
  if (left === 0) markSynced(replica, now);
  pruneOutbox(replica, now);
  return { push, pulled: pull.applied, left };
}

export interface SyncPreview {
  /** Unanswered decisions (one per place: a place's later decisions collapse into its last). */
  total: number;
  apply: number;
  agree: number;
  conflict: number;
  reject: number;
}

/**
 * A dry run against the shared store's state now: which of this machine's unanswered decisions
 * would apply, agree, conflict or be rejected. Reads only; nothing is sent or marked. A place's
 * decisions count once, judged by its earliest base and its latest target (as they would end).
 */
export async function previewOutbox(pg: PgStore, replica: SqliteStore): Promise<SyncPreview> {
  const decisions = replica.sqlite
    .prepare(
      `SELECT place_id,
         (SELECT base_revision FROM sync_outbox AS f WHERE f.place_id = o.place_id
            AND f.state IN ('pending', 'sent') ORDER BY f.seq LIMIT 1) AS base,
         (SELECT target_status FROM sync_outbox AS l WHERE l.place_id = o.place_id
            AND l.state IN ('pending', 'sent') ORDER BY l.seq DESC LIMIT 1) AS target
       FROM sync_outbox AS o WHERE o.state IN ('pending', 'sent') GROUP BY place_id`,
    )
    .all() as { place_id: string; base: number; target: string }[];
  const preview: SyncPreview = {
    total: decisions.length,
    apply: 0,
    agree: 0,
    conflict: 0,
    reject: 0,
  };
  if (decisions.length === 0) return preview;
  const { rows } = await pg.pool.query<{
    place_id: string;
    status: string;
    status_revision: number;
  }>(
    'SELECT place_id, status, status_revision FROM places_staging WHERE place_id = ANY($1::text[])',
    [decisions.map((d) => d.place_id)],
  );
  const server = new Map(rows.map((r) => [r.place_id, r]));
  for (const d of decisions) {
    const s = server.get(d.place_id);
    if (!s) preview.reject++;
    else if (s.status_revision === d.base) preview.apply++;
    else if (s.status === d.target) preview.agree++;
    else preview.conflict++;
  }
  return preview;
}

/** "12 of your 340 decisions conflict ..." */
export function describePreview(p: SyncPreview): string {
  if (p.total === 0) return 'Nothing to send: every decision on this computer is synced.';
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return `${p.conflict} of your ${n(p.total, 'decision')} ${p.conflict === 1 ? 'conflicts' : 'conflict'} with a colleague's (${p.apply} would apply, ${p.agree} already agree, ${p.reject} would be rejected); nothing was sent.`;
}

/** The one summary line of a sync. */
export function describeSync(r: SyncOnceResult): string {
  const p = r.push;
  const pushed = `${p.pushed} ${p.pushed === 1 ? 'decision' : 'decisions'} pushed (${p.applied} applied, ${p.agreed} already agreed, ${p.conflicts} ${p.conflicts === 1 ? 'conflict' : 'conflicts'}, ${p.rejected} rejected)`;
  if (p.stopped) {
    return `Sync stopped: ${pushed}; ${r.left} still on this computer, to be sent again: ${p.stopped.error}`;
  }
  const conflicts = p.conflicts
    ? ` Resolve the ${p.conflicts === 1 ? 'conflict' : 'conflicts'} in the app's inbox.`
    : '';
  return `Synced: ${pushed}, ${r.pulled} ${r.pulled === 1 ? 'change' : 'changes'} pulled${r.left ? `, ${r.left} made meanwhile wait for the next sync` : ''}.${conflicts}`;
}
