import type { SyncStatus } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { formatAge, formatAgo } from './age';

export type SyncState = 'online' | 'offline' | 'syncing';

export interface SyncIndicatorView {
  state: SyncState;
  /** The mode in a few words, always visible: "Online", "Syncing…", "Offline: this computer". */
  label: string;
  /** One sentence on where decisions go now (the label's description). */
  detail: string;
  /** "3 decisions not synced, oldest 12 min", or null when nothing waits. */
  pendingText: string | null;
  /** The conflicts button's text: "2 conflicts" ("No conflicts" when none). */
  conflictsText: string;
  /** "1 decision rejected", or null. */
  rejectedText: string | null;
  /** "Last synced 5 min ago" / "Never synced". */
  lastSyncedText: string;
  /** The first pull's progress, or null. */
  progress: { done: number; total: number; text: string; percent: string } | null;
  /** Why the last attempt failed, or null. */
  errorText: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * What the header's sync indicator shows for a status, at `now` (ms since the epoch). Null in
 * single mode: with one store there is nothing to sync and the indicator stays out of the way.
 * Offline wins over syncing: a reviewer offline must see it whatever else is going on.
 */
export function syncIndicatorView(status: SyncStatus, now: number): SyncIndicatorView | null {
  if (status.mode === 'single') return null;
  const state: SyncState = !status.online ? 'offline' : status.syncing ? 'syncing' : 'online';
  const label =
    state === 'offline' ? 'Offline: this computer' : state === 'syncing' ? 'Syncing…' : 'Online';
  const detail =
    state === 'offline'
      ? status.forced_offline
        ? 'You chose to work offline: decisions are saved on this computer and sync when you go back online.'
        : 'The shared database does not answer: decisions are saved on this computer and sync when it answers again.'
      : 'Decisions go straight to the shared database.';

  const pendingText =
    status.pending > 0
      ? `${plural(status.pending, 'decision')} not synced` +
        (status.oldest_pending_at ? `, oldest ${formatAge(status.oldest_pending_at, now)}` : '')
      : null;

  const pull = status.pull_progress;
  const progress =
    pull && pull.total > 0
      ? {
          done: Math.min(pull.done, pull.total),
          total: pull.total,
          percent: `${Math.floor((Math.min(pull.done, pull.total) / pull.total) * 100)}%`,
          text: `First download: ${formatCount(pull.done)} of ${formatCount(pull.total)} changes`,
        }
      : null;

  return {
    state,
    label,
    detail,
    pendingText,
    conflictsText: status.conflicts > 0 ? plural(status.conflicts, 'conflict') : 'No conflicts',
    rejectedText: status.rejected > 0 ? `${plural(status.rejected, 'decision')} rejected` : null,
    lastSyncedText: status.last_synced_at
      ? `Last synced ${formatAgo(status.last_synced_at, now)}`
      : 'Never synced',
    progress,
    errorText: status.last_error,
  };
}

/**
 * What the polite live region says when a new status arrives: only a change between online and
 * offline is announced (not every count), and nothing for the first status read.
 */
export function onlineAnnouncement(previous: SyncStatus | null, next: SyncStatus): string | null {
  if (next.mode === 'single' || previous === null || previous.mode === 'single') return null;
  if (previous.online === next.online) return null;
  if (next.online) return 'Back online: decisions go to the shared database again.';
  return next.forced_offline
    ? 'Working offline: decisions are saved on this computer until you go back online.'
    : 'Offline: the shared database does not answer. Decisions are saved on this computer until it does.';
}
