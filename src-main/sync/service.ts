import type {
  ResolveConflictsInput,
  ResolveConflictsOutput,
  SyncConflictsOutput,
  SyncReceiptsOutput,
  SyncRunOutput,
  SyncPreviewOutput,
  SyncStatus,
} from '../../src-shared/contract/sync';
import { AppError } from '../../src-shared/errors';

/**
 * The sync operations of the contract, as the handlers call them. In team mode (DATABASE_URL and
 * SQLITE_PATH both set) the sync engine answers (src-main/sync/engine.ts); with one store there is
 * nothing to sync and singleStoreSync() says so honestly.
 */
export interface SyncService {
  status(): Promise<SyncStatus>;
  /** The caller's unresolved conflicts, newest decision first. */
  conflicts(userId: string): Promise<SyncConflictsOutput>;
  resolve(input: ResolveConflictsInput, userId: string): Promise<ResolveConflictsOutput>;
  /** The caller's offline decisions with their receipts, newest first. */
  receipts(limit: number, userId: string): Promise<SyncReceiptsOutput>;
  /** A dry run against the shared store now: how many decisions would conflict. */
  preview(): Promise<SyncPreviewOutput>;
  setOffline(offline: boolean): Promise<SyncStatus>;
  /** Push the outbox, then pull (what `staging-editor sync` does). */
  syncNow(): Promise<SyncRunOutput>;
}

export const NOT_TEAM_MODE =
  "This app works on one store, so there is nothing to sync: team mode needs both DATABASE_URL (the shared PostgreSQL) and SQLITE_PATH (this computer's replica).";

/** One store (the embedded SQLite, or PostgreSQL alone): always "online", nothing pending. */
export function singleStoreSync(): SyncService {
  const status: SyncStatus = {
    online: true,
    pending: 0,
    oldest_pending_at: null,
    conflicts: 0,
    last_synced_at: null,
    mode: 'single',
    syncing: false,
    forced_offline: false,
    rejected: 0,
    pull_progress: null,
    last_error: null,
  };
  return {
    status: async () => status,
    conflicts: async () => ({ items: [] }),
    resolve: async (input) => ({
      message: 'No conflicts to resolve: this app works on one store.',
      resolved_count: 0,
      not_found: [...new Set(input.place_ids)],
    }),
    receipts: async () => ({ items: [] }),
    preview: async () => {
      throw new AppError('conflict', NOT_TEAM_MODE);
    },
    setOffline: async () => {
      throw new AppError('conflict', NOT_TEAM_MODE);
    },
    syncNow: async () => {
      throw new AppError('conflict', NOT_TEAM_MODE);
    },
  };
}
