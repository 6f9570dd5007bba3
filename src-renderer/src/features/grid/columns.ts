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

/** The columns of workflow.md step 1; every column id is its API sort field. */
export function placeColumns(initialSort: SortState | null): ColDef<PlaceListItem>[] {
  const columns: ColDef<PlaceListItem>[] = [
    { field: 'business_name', headerName: 'Name', flex: 2, minWidth: 150 },
    { field: 'address', headerName: 'Address', flex: 2, minWidth: 150 },
    { field: 'category', headerName: 'Category', flex: 1, minWidth: 100, valueFormatter: category },
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
