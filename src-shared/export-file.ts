import Papa from 'papaparse';
import type { ExportedPlace } from './contract/export';
import { scanStateLabel } from './domain';
import { IMPORT_FIELDS } from './import-fields';
import { formatPriceLevel } from './price';

/**
 * An export as CSV: one row per place, the grid's fields first (named as the import names them,
 * so the file can be imported again elsewhere), then what the deep scan found (empty when it has
 * not run). Written for spreadsheets: a UTF-8 byte order mark first (Excel reads the file as
 * UTF-8 only with it), CRLF line ends, and a cell that would start a formula (=, +, -, @) is
 * prefixed with a quote, so a place named "=HYPERLINK(...)" stays text.
 */

type Cell = string | number | null | undefined;

export const EXPORT_COLUMNS: readonly { header: string; value: (p: ExportedPlace) => Cell }[] = [
  { header: IMPORT_FIELDS.place_id.label, value: (p) => p.place_id },
  { header: IMPORT_FIELDS.business_name.label, value: (p) => p.business_name },
  { header: IMPORT_FIELDS.address.label, value: (p) => p.address },
  { header: IMPORT_FIELDS.category.label, value: (p) => p.category },
  { header: IMPORT_FIELDS.search_location.label, value: (p) => p.search_location },
  { header: IMPORT_FIELDS.latitude.label, value: (p) => p.latitude },
  { header: IMPORT_FIELDS.longitude.label, value: (p) => p.longitude },
  { header: IMPORT_FIELDS.rating.label, value: (p) => p.rating },
  { header: IMPORT_FIELDS.reviews_count.label, value: (p) => p.reviews_count },
  { header: IMPORT_FIELDS.price_level.label, value: (p) => formatPriceLevel(p.price_level) },
  { header: 'Status', value: (p) => p.status },
  { header: 'Deep scan', value: (p) => scanStateLabel(p.deep_scan_status) },
  { header: 'Deep scan error', value: (p) => p.deep_scan_error },
  { header: 'Updated', value: (p) => p.updated_at },
  { header: 'Updated by', value: (p) => p.updated_by },
  { header: 'Phone', value: (p) => p.local_business?.phone },
  { header: 'Website', value: (p) => p.local_business?.website_url },
  { header: 'Business status', value: (p) => p.local_business?.business_status },
  { header: 'Street address', value: (p) => p.local_business?.street_address },
  { header: 'City', value: (p) => p.local_business?.city },
  { header: 'State', value: (p) => p.local_business?.state },
  { header: 'ZIP', value: (p) => p.local_business?.zip },
  { header: 'Country', value: (p) => p.local_business?.country },
  { header: 'Main category', value: (p) => p.local_business?.main_category },
  {
    header: 'Other categories',
    value: (p) => p.local_business?.extra_categories?.join('; '),
  },
  { header: 'Monday hours', value: (p) => p.local_business?.monday_hours },
  { header: 'Tuesday hours', value: (p) => p.local_business?.tuesday_hours },
  { header: 'Wednesday hours', value: (p) => p.local_business?.wednesday_hours },
  { header: 'Thursday hours', value: (p) => p.local_business?.thursday_hours },
  { header: 'Friday hours', value: (p) => p.local_business?.friday_hours },
  { header: 'Saturday hours', value: (p) => p.local_business?.saturday_hours },
  { header: 'Sunday hours', value: (p) => p.local_business?.sunday_hours },
  { header: 'Time zone', value: (p) => p.local_business?.timezone },
  { header: 'Scanned at', value: (p) => p.local_business?.updated_at },
];

const UNPARSE: Papa.UnparseConfig = { escapeFormulae: true, newline: '\r\n', quotes: false };

/** The file's first bytes: the byte order mark and the header row. */
export function exportCsvHeader(): string {
  return `\ufeff${Papa.unparse([EXPORT_COLUMNS.map((c) => c.header)], UNPARSE)}\r\n`;
}

/** Rows of places, each ending in CRLF, to follow the header or the rows before. */
export function exportCsvRows(places: readonly ExportedPlace[]): string {
  if (places.length === 0) return '';
  const rows = places.map((p) => EXPORT_COLUMNS.map((c) => c.value(p) ?? ''));
  return `${Papa.unparse(rows, UNPARSE)}\r\n`;
}
