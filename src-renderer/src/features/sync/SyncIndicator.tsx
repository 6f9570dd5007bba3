import { useId, useState } from 'react';
import type { SyncStatus } from '../../../../src-shared/contract';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { useToasts } from '../feedback/toasts';
import { syncIndicatorView } from './sync-indicator-model';
import { useNow } from './use-now';

interface SyncIndicatorProps {
  status: SyncStatus | null;
  /** The polite live region's text (online/offline changes only). */
  announcement: string;
  onStatus(status: SyncStatus): void;
  onOpenConflicts(): void;
  onOpenReceipts(): void;
}

/**
 * Team mode's state in the header: online, offline (this computer) or syncing, what waits to be
 * synced, conflicts (opens the inbox), the last sync, and the reviewer's two levers: work
 * offline, sync now. Nothing at all with one store (single mode) or before the first status.
 */
export function SyncIndicator(props: SyncIndicatorProps) {
  const { status } = props;
  return status && status.mode === 'team' ? <TeamSyncIndicator {...props} status={status} /> : null;
}

function TeamSyncIndicator({
  status,
  announcement,
  onStatus,
  onOpenConflicts,
  onOpenReceipts,
}: SyncIndicatorProps & { status: SyncStatus }) {
  const client = useClient();
  const { notify } = useToasts();
  /** The switch's position while the backend is asked: it moves at once, like any switch. */
  const [asked, setAsked] = useState<boolean | null>(null);
  const [syncing, setSyncing] = useState(false);
  const now = useNow();
  const detailId = useId();
  const errorId = useId();
  const progressId = useId();

  const view = syncIndicatorView(status, now);
  if (!view) return null;

  const setOffline = async (offline: boolean) => {
    setAsked(offline);
    try {
      onStatus(await client.call('setOffline', { offline }));
    } catch (thrown) {
      notify(
        'error',
        plainErrorText(toAppError(thrown), offline ? 'switching to offline' : 'going back online'),
      );
    } finally {
      setAsked(null);
    }
  };

  const syncNow = async () => {
    setSyncing(true);
    try {
      const result = await client.call('syncNow', {});
      notify(result.incomplete ? 'error' : 'success', result.message);
    } catch (thrown) {
      const error = toAppError(thrown);
      // "You chose to work offline" (409) is not fixed by trying again; a dropped request may be.
      const retry =
        error.type === 'unavailable' || error.type === 'internal_error'
          ? { label: 'Retry', run: () => void syncNow() }
          : undefined;
      notify('error', plainErrorText(error, 'the sync'), retry);
    } finally {
      setSyncing(false);
    }
  };

  const busySyncing = status.syncing || syncing;
  return (
    <section className="sync-indicator" data-state={view.state} aria-label="Sync">
      <div className="sync-facts">
        <span
          className="sync-state"
          aria-describedby={`${detailId}${view.errorText ? ` ${errorId}` : ''}`}
          title={view.errorText ? `${view.detail}\n${view.errorText}` : view.detail}
        >
          <span className="sync-dot" aria-hidden="true" />
          {view.label}
        </span>
        <span id={detailId} className="visually-hidden">
          {view.detail}
        </span>
        {view.errorText ? (
          <button
            type="button"
            className="link-button sync-error"
            title={view.errorText}
            onClick={() => notify('error', `The last sync attempt failed: ${view.errorText}`)}
          >
            <span aria-hidden="true">⚠ </span>Sync error
            <span id={errorId} className="visually-hidden">
              : {view.errorText}
            </span>
          </button>
        ) : null}
        {view.progress ? (
          <span className="sync-pull">
            <span id={progressId}>First download</span>
            <span
              className="progress-track sync-progress"
              role="progressbar"
              aria-labelledby={progressId}
              aria-valuemin={0}
              aria-valuemax={view.progress.total}
              aria-valuenow={view.progress.done}
              aria-valuetext={view.progress.text}
              title={view.progress.text}
            >
              <span
                className="progress-segment segment-completed"
                style={{
                  width: `${((view.progress.done / view.progress.total) * 100).toFixed(1)}%`,
                }}
              />
            </span>
            <span aria-hidden="true">{view.progress.percent}</span>
          </span>
        ) : null}
        {view.pendingText ? <span className="sync-pending">{view.pendingText}</span> : null}
        <button
          type="button"
          className="sync-conflicts"
          data-has={status.conflicts > 0 ? 'yes' : 'no'}
          aria-haspopup="dialog"
          onClick={onOpenConflicts}
        >
          {view.conflictsText}
        </button>
        {view.rejectedText ? <span className="sync-rejected">{view.rejectedText}</span> : null}
        <span className="muted sync-last">{view.lastSyncedText}</span>
      </div>
      <div className="sync-actions">
        <label className="sync-toggle">
          <input
            type="checkbox"
            role="switch"
            checked={asked ?? status.forced_offline}
            disabled={asked !== null}
            aria-busy={asked !== null}
            onChange={(event) => void setOffline(event.target.checked)}
          />
          Work offline
        </label>
        <button
          type="button"
          disabled={busySyncing}
          aria-busy={busySyncing}
          onClick={() => void syncNow()}
        >
          {busySyncing ? 'Syncing…' : 'Sync now'}
        </button>
        <button
          type="button"
          className="link-button"
          aria-haspopup="dialog"
          onClick={onOpenReceipts}
        >
          Recent offline decisions
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}
