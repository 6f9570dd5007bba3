import type { PlaceFilter } from '../../../../src-shared/contract';
import { selectedCount, type Selection, type SelectionAction } from './selection';
import { selectionTexts } from './selection-text';

interface SelectionBannerProps {
  selection: Selection;
  filter: PlaceFilter;
  /** Rows matching the filter, once counted. */
  total: number | null;
  onSelect(action: SelectionAction): void;
}

/**
 * The count, and the switch to "every row matching this filter" (kept as the app's own state).
 * Each long text has a short form the stylesheet shows where the toolbar is narrow (a container
 * query on .toolbar); the whole sentence stays the accessible name or the live text, and the
 * tooltip.
 */
export function SelectionBanner({ selection, filter, total, onSelect }: SelectionBannerProps) {
  const count = selectedCount(selection);
  const { status, statusShort, selectAll } = selectionTexts(selection, total);
  return (
    <div className="selection-banner" data-mode={selection.mode}>
      <p aria-live="polite" title={status} className={statusShort ? 'full-text' : undefined}>
        {status}
      </p>
      {statusShort ? (
        <span className="short-text selection-short" aria-hidden="true" title={status}>
          {statusShort}
        </span>
      ) : null}
      {selectAll && total !== null ? (
        <button
          type="button"
          className="link-button select-all"
          aria-label={selectAll.full}
          title={selectAll.full}
          onClick={() => onSelect({ type: 'selectAllMatching', filter, total })}
        >
          <span className="full-text">{selectAll.full}</span>
          <span className="short-text">{selectAll.short}</span>
        </button>
      ) : null}
      {count > 0 || selection.mode === 'matching' ? (
        <button
          type="button"
          className="link-button clear-selection"
          onClick={() => onSelect({ type: 'clear' })}
        >
          Clear selection
        </button>
      ) : null}
    </div>
  );
}
