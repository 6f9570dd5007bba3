import { formatCount } from '../../../../src-shared/messages';
import { selectedCount, type Selection } from './selection';

/**
 * What the selection banner says, whole and short. The toolbar keeps one line (room is held for
 * "Saving N…" so nothing jumps during key triage), so where it is narrow (a 1366 px laptop, or
 * 1280 px at 150% scaling) the banner shows the short forms, each still carrying its number;
 * the whole sentence stays what screen readers hear and what the tooltip shows.
 */
export interface SelectionTexts {
  /** The count, as a sentence. */
  status: string;
  /** Its short form, when it has one (the long "all matching" sentence). */
  statusShort: string | null;
  /** The link to select every row matching the filter; null when there is nothing more to select. */
  selectAll: { full: string; short: string } | null;
}

export function selectionTexts(selection: Selection, total: number | null): SelectionTexts {
  const count = selectedCount(selection);
  if (selection.mode === 'matching') {
    const unticked =
      selection.excluded.size > 0 ? ` (${formatCount(selection.excluded.size)} unticked)` : '';
    return {
      status: `All ${formatCount(count)} rows matching this filter are selected${unticked}.`,
      statusShort: `All ${formatCount(count)} selected${unticked}.`,
      selectAll: null,
    };
  }
  return {
    status: count === 0 ? 'No rows selected.' : `${formatCount(count)} selected.`,
    statusShort: null,
    selectAll:
      total !== null && total > count
        ? {
            full: `Select all ${formatCount(total)} rows matching this filter`,
            short: `Select all ${formatCount(total)}`,
          }
        : null,
  };
}
