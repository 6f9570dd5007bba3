import type { PlaceFilter } from '../../../../src-shared/contract/places';
import { DEEP_SCAN_FILTER_NONE, NEVER_QUEUED } from '../../../../src-shared/domain';
import { formatCount } from '../../../../src-shared/messages';
import { compactFilter } from '../filters/view-state';
import { placesText } from '../import/import-preview';
import type { ExportProgress } from './export-run';

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The filter's conditions as the filter bar shows them ("status Maybe", "deep scan Never
 * queued", "search “oak”"), in the bar's order; none when it filters nothing.
 */
export function filterConditions(filter: PlaceFilter): string[] {
  const { status, deep_scan_status: scan, q } = compactFilter(filter);
  const conditions: string[] = [];
  if (status) conditions.push(`status ${status}`);
  if (scan) conditions.push(`deep scan ${scan === DEEP_SCAN_FILTER_NONE ? NEVER_QUEUED : scan}`);
  if (q) conditions.push(`search “${q}”`);
  return conditions;
}

/**
 * What an export of the grid's filter takes, in words: "All 500 places", "The 28 places with
 * status Maybe and search “oak”"; without the count while the grid is still counting.
 */
export function exportedPlacesText(filter: PlaceFilter, total: number | null): string {
  const conditions = filterConditions(filter);
  if (conditions.length === 0) {
    if (total === null) return 'All places';
    return total === 1 ? 'The one place in the store' : `All ${placesText(total)}`;
  }
  const places =
    total === null ? 'The places' : total === 1 ? 'The one place' : `The ${placesText(total)}`;
  return `${places} with ${listText(conditions)}`;
}

export const exportButtonText = (total: number | null): string =>
  total === null ? 'Export places' : `Export ${placesText(total)}`;

export const progressText = ({ read, total }: ExportProgress): string =>
  total === null
    ? `Exporting… ${placesText(read)}`
    : `Exporting… ${formatCount(read)} of ${placesText(total)}`;

export const exportedText = (count: number, fileName: string): string =>
  `Exported ${placesText(count)} to ${fileName}`;
