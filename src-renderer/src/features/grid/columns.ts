import type { ColDef, ITooltipParams, ValueFormatterParams } from 'ag-grid-community';
import type { PlaceListItem } from '../../../../src-shared/contract';
import {
  formatCategory,
  formatDateTime,
  formatPriceLevel,
  formatRating,
  formatWholeNumber,
} from '../format/values';
import { DeepScanBadge } from './DeepScanBadge';
import type { SortState } from './sort-param';

type Formatter = (params: ValueFormatterParams<PlaceListItem>) => string;

/** A value shown as the detail panel shows it (features/format/values.ts); no value: an empty cell. */
const shownAs =
  <T>(format: (value: T | null | undefined) => string | null): Formatter =>
  ({ value }) =>
    format(value as T | null | undefined) ?? '';

const localTime = shownAs(formatDateTime);
const oneDecimal = shownAs(formatRating);
const wholeNumber = shownAs(formatWholeNumber);
const priceLevel = shownAs(formatPriceLevel);
const category = shownAs(formatCategory);

const deepScanTooltip = ({ data }: ITooltipParams<PlaceListItem>) =>
  data?.deep_scan_status === 'Error' ? (data.deep_scan_error ?? 'The scan failed.') : undefined;

const numeric = { cellClass: 'cell-number', headerClass: 'header-number' };

/** Full text on hover, for cells the column is too narrow to show whole. */
const wholeText = { tooltip: true } as const;
/** The columns a reviewer decides by: always shown, never scrolled away (issue 10, item 7). */
const decisionColumn = { lockVisible: true, lockPinned: true, pinned: 'right' } as const;

/**
 * The columns of workflow.md step 1; every column id is its API sort field. Widths fit a
 * 1366 px screen: Name pinned left, Status and Deep scan pinned right, the rest scrolls between.
 */
export function placeColumns(initialSort: SortState | null): ColDef<PlaceListItem>[] {
  const columns: ColDef<PlaceListItem>[] = [
    {
      field: 'business_name',
      headerName: 'Name',
      width: 230,
      minWidth: 120,
      maxWidth: 420,
      pinned: 'left',
      lockPinned: true,
      lockVisible: true,
      ...wholeText,
    },
    { field: 'address', headerName: 'Address', width: 250, minWidth: 100, ...wholeText },
    {
      field: 'category',
      headerName: 'Category',
      width: 130,
      minWidth: 90,
      valueFormatter: category,
      ...wholeText,
    },
    {
      field: 'search_location',
      headerName: 'Search location',
      width: 170,
      minWidth: 90,
      ...wholeText,
    },
    {
      field: 'rating',
      headerName: 'Rating',
      width: 90,
      minWidth: 70,
      valueFormatter: oneDecimal,
      ...numeric,
    },
    {
      field: 'reviews_count',
      headerName: 'Reviews',
      width: 100,
      minWidth: 70,
      valueFormatter: wholeNumber,
      ...numeric,
    },
    {
      field: 'price_level',
      headerName: 'Price level',
      width: 115,
      minWidth: 80,
      valueFormatter: priceLevel,
    },
    { field: 'status', headerName: 'Status', width: 100, minWidth: 90, ...decisionColumn },
    {
      field: 'deep_scan_status',
      headerName: 'Deep scan',
      width: 140,
      minWidth: 110,
      cellRenderer: DeepScanBadge,
      tooltipValueGetter: deepScanTooltip,
      ...decisionColumn,
    },
    {
      field: 'updated_at',
      headerName: 'Updated at',
      width: 205,
      minWidth: 100,
      valueFormatter: localTime,
      ...wholeText,
    },
    { field: 'updated_by', headerName: 'Updated by', width: 130, minWidth: 90, ...wholeText },
  ];
  if (!initialSort) return columns;
  return columns.map((column) =>
    column.field === initialSort.field ? { ...column, initialSort: initialSort.direction } : column,
  );
}
