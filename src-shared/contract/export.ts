import { z } from 'zod';
import {
  localBusinessSchema,
  optionalText,
  placeFilterSchema,
  placeIdSchema,
  placeListItemSchema,
} from './places';

/**
 * The places of a filter with what their deep scans found, for a file (exportCsv): read in
 * pages in place id order, each page starting after the last place id of the one before
 * (`next_after`), so an export of 100,000 places never holds them in one answer.
 */

export const MAX_EXPORT_PAGE_SIZE = 1000;

export const exportPlacesInput = placeFilterSchema.extend({
  /** The last place id of the page before (its `next_after`); absent for the first page. */
  after: optionalText(placeIdSchema),
  size: z.coerce
    .number()
    .int()
    .min(1, `must be between 1 and ${MAX_EXPORT_PAGE_SIZE}`)
    .max(MAX_EXPORT_PAGE_SIZE, `must be between 1 and ${MAX_EXPORT_PAGE_SIZE}`)
    .default(500),
});
export type ExportPlacesInput = z.infer<typeof exportPlacesInput>;

/** What a deep scan stored, less the raw answer (additional_json): the file's scan columns. */
export const exportedScanSchema = localBusinessSchema.omit({
  additional_json: true,
  created_at: true,
});
export type ExportedScan = z.infer<typeof exportedScanSchema>;

export const exportedPlaceSchema = placeListItemSchema.extend({
  local_business: exportedScanSchema.nullable(),
});
export type ExportedPlace = z.infer<typeof exportedPlaceSchema>;

export const exportPlacesOutput = z.object({
  items: z.array(exportedPlaceSchema),
  /** The `after` of the next page; null when this page is the last. */
  next_after: z.string().nullable(),
});
export type ExportPlacesOutput = z.infer<typeof exportPlacesOutput>;

/** A file name for an export made now, dated in the reviewer's time zone: staging-editor-places-2026-12-05.csv. */
export function exportFileName(now: Date, label = 'places'): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  return `staging-editor-${label}-${day}.csv`;
}
