import type { ColDef, ITooltipParams, ValueFormatterParams } from 'ag-grid-community';
import type { PlaceListItem } from '../../../../src-shared/contract';
import { DeepScanBadge } from './DeepScanBadge';
import type { SortState } from './sort-param';

type Formatter = (params: ValueFormatterParams<PlaceListItem>) => string;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const localTime: Formatter = ({ value }) =>
  typeof value === 'string' && value ? dateTime.format(new Date(value)) : '';
const oneDecimal: Formatter = ({ value }) => (typeof value === 'number' ? value.toFixed(1) : '');
const wholeNumber: Formatter = ({ value }) =>
  typeof value === 'number' ? value.toLocaleString() : '';
const priceLevel: Formatter = ({ value }) =>
  typeof value !== 'number' ? '' : value === 0 ? 'Free' : '$'.repeat(value);

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
    { field: 'category', headerName: 'Category', width: 130, minWidth: 90, ...wholeText },
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
