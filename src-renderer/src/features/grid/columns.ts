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

/** The columns of workflow.md step 1; every column id is its API sort field. */
export function placeColumns(initialSort: SortState | null): ColDef<PlaceListItem>[] {
  const columns: ColDef<PlaceListItem>[] = [
    { field: 'business_name', headerName: 'Name', flex: 2, minWidth: 150 },
    { field: 'address', headerName: 'Address', flex: 2, minWidth: 150 },
    { field: 'category', headerName: 'Category', flex: 1, minWidth: 100 },
    { field: 'search_location', headerName: 'Search location', flex: 1, minWidth: 120 },
    { field: 'rating', headerName: 'Rating', width: 100, valueFormatter: oneDecimal, ...numeric },
    {
      field: 'reviews_count',
      headerName: 'Reviews',
      width: 100,
      valueFormatter: wholeNumber,
      ...numeric,
    },
    { field: 'price_level', headerName: 'Price level', width: 110, valueFormatter: priceLevel },
    { field: 'status', headerName: 'Status', width: 110 },
    {
      field: 'deep_scan_status',
      headerName: 'Deep scan',
      width: 130,
      cellRenderer: DeepScanBadge,
      tooltipValueGetter: deepScanTooltip,
    },
    { field: 'updated_at', headerName: 'Updated at', width: 165, valueFormatter: localTime },
    { field: 'updated_by', headerName: 'Updated by', width: 130 },
  ];
  if (!initialSort) return columns;
  return columns.map((column) =>
    column.field === initialSort.field ? { ...column, initialSort: initialSort.direction } : column,
  );
}
