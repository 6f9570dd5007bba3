import type { PlaceFilter } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { selectedCount, type Selection, type SelectionAction } from './selection';

interface SelectionBannerProps {
  selection: Selection;
  filter: PlaceFilter;
  /** Rows matching the filter, once counted. */
  total: number | null;
  onSelect(action: SelectionAction): void;
}

/** The count, and the switch to "every row matching this filter" (kept as the app's own state). */
export function SelectionBanner({ selection, filter, total, onSelect }: SelectionBannerProps) {
  const count = selectedCount(selection);
  const canSelectAll = selection.mode === 'ids' && total !== null && total > count;
  const text =
    selection.mode === 'matching'
      ? `All ${formatCount(count)} rows matching this filter are selected` +
        (selection.excluded.size > 0 ? ` (${formatCount(selection.excluded.size)} unticked).` : '.')
      : count === 0
        ? 'No rows selected.'
        : `${formatCount(count)} selected.`;
  return (
    <div className="selection-banner" data-mode={selection.mode}>
      <p aria-live="polite" title={text}>
        {text}
      </p>
      {canSelectAll ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onSelect({ type: 'selectAllMatching', filter, total })}
        >
          Select all {formatCount(total)} rows matching this filter
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
