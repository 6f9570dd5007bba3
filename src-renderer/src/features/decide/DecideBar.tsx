import { useId, useState } from 'react';
import { PLACE_STATUSES, type PlaceStatus } from '../../../../src-shared/domain';
import { formatCount } from '../../../../src-shared/messages';

interface DecideBarProps {
  count: number;
  busy: boolean;
  onUpdate(status: PlaceStatus): void;
  onShowShortcuts(): void;
}

/** The reviewer's decision for the selected rows: pick a status, apply it. */
export function DecideBar({ count, busy, onUpdate, onShowShortcuts }: DecideBarProps) {
  const [status, setStatus] = useState<PlaceStatus>('Selected');
  const pickerId = useId();
  return (
    <div className="decide-bar">
      <label htmlFor={pickerId}>New status</label>
      <select
        id={pickerId}
        value={status}
        onChange={(e) => setStatus(e.target.value as PlaceStatus)}
      >
        {PLACE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="primary"
        disabled={count === 0 || busy}
        aria-busy={busy}
        onClick={() => onUpdate(status)}
      >
        Update {formatCount(count)} Selected
      </button>
      <button type="button" className="link-button" aria-keyshortcuts="?" onClick={onShowShortcuts}>
        Keyboard shortcuts (?)
      </button>
    </div>
  );
}
