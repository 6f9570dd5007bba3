import { expect, test } from 'vitest';
import { exportFileName, type ExportedPlace } from './contract/export';
import { EXPORT_COLUMNS, exportCsvHeader, exportCsvRows } from './export-file';
import { readImportFile } from './import-file';

const PLACE: ExportedPlace = {
  place_id: 'P1',
  business_name: '@Home, "Best" Salon',
  address: null,
  category: 'hair_care',
  search_location: null,
  latitude: 41.5,
  longitude: -87.25,
  rating: 4.5,
  reviews_count: 12,
  price_level: 0,
  status: 'Selected',
  deep_scan_status: 'Completed',
  deep_scan_error: null,
  updated_at: '2026-12-05T10:00:00.000Z',
  updated_by: 'ana',
  local_business: null,
};

test('the file name carries the local date, not the UTC one', () => {
  expect(exportFileName(new Date(2026, 11, 5, 23, 30))).toBe(
    'staging-editor-places-2026-12-05.csv',
  );
  expect(exportFileName(new Date(2027, 0, 1, 0, 5))).toBe('staging-editor-places-2027-01-01.csv');
});

test('a header with a byte order mark, rows ending in CRLF, negative numbers left numbers', () => {
  expect(exportCsvHeader()).toBe(`\ufeff${EXPORT_COLUMNS.map((c) => c.header).join(',')}\r\n`);
  const row = exportCsvRows([PLACE]);
  expect(row.endsWith('\r\n')).toBe(true);
  expect(row).toContain(`"'@Home, ""Best"" Salon"`);
  expect(row).toContain(',-87.25,');
  expect(row).toContain(',Free,Selected,Completed,');
  // A place never queued says so in words, as the grid does, rather than an empty cell.
  expect(exportCsvRows([{ ...PLACE, deep_scan_status: null }])).toContain(
    ',Free,Selected,Never queued,',
  );
  expect(exportCsvRows([])).toBe('');
});

test('what the export writes, the import reads back', () => {
  const back = readImportFile(exportCsvHeader() + exportCsvRows([PLACE]));
  expect(back.problems).toEqual([]);
  expect(back.places).toEqual([
    {
      place_id: 'P1',
      business_name: '@Home, "Best" Salon',
      category: 'hair_care',
      latitude: 41.5,
      longitude: -87.25,
      rating: 4.5,
      reviews_count: 12,
      price_level: 0,
    },
  ]);
});
