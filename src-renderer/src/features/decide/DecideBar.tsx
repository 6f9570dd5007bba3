import { useId, useState } from 'react';
import { PLACE_STATUSES, type PlaceStatus } from '../../../../src-shared/domain';
import { formatCount } from '../../../../src-shared/messages';

interface DecideBarProps {
  count: number;
  busy: boolean;
  onUpdate(status: PlaceStatus): void;
  onShowShortcuts(): void;
  canUndo: boolean;
  undoing: boolean;
  onUndo(): void;
  /** Key decisions typed but not yet stored. */
  pending: number;
}

/**
 * The reviewer's decision for the selected rows: pick a status, apply it. No status is picked
 * to begin with: Selected queues paid deep scans, so it must be a choice, never a default.
 */
export function DecideBar(props: DecideBarProps) {
  const { count, busy, onUpdate, onShowShortcuts, canUndo, undoing, onUndo, pending } = props;
  const [status, setStatus] = useState<PlaceStatus | ''>('');
  const pickerId = useId();
  return (
    <div className="decide-bar">
      <label htmlFor={pickerId}>New status</label>
      <select
        id={pickerId}
        value={status}
        onChange={(e) => setStatus(e.target.value as PlaceStatus | '')}
      >
        <option value="" disabled>
          Choose…
        </option>
        {PLACE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="primary"
        disabled={count === 0 || busy || status === ''}
        aria-busy={busy}
        title={status === '' ? 'Choose a new status first' : undefined}
        onClick={() => {
          if (status !== '') onUpdate(status);
        }}
      >
        Update {formatCount(count)} Selected
      </button>
      <button
        type="button"
        className="undo-button"
        disabled={!canUndo}
        aria-busy={undoing}
        aria-keyshortcuts="z Control+Z Meta+Z"
        onClick={onUndo}
      >
        {undoing ? 'Undoing…' : 'Undo'}
      </button>
      <span className="decide-pending" aria-live="polite">
        {pending > 0 ? `Saving ${formatCount(pending)}…` : ''}
      </span>
      {/* Short on screen so the toolbar keeps one line at 1366 px, just "?" where it is narrower
          still (1280 px); its name stays whole. */}
      <button
        type="button"
        className="link-button shortcuts-button"
        aria-keyshortcuts="?"
        aria-label="Keyboard shortcuts (?)"
        title="Keyboard shortcuts (?)"
        onClick={onShowShortcuts}
      >
        <span className="full-text">Shortcuts (?)</span>
        <span className="short-text">?</span>
      </button>
    </div>
  );
}
