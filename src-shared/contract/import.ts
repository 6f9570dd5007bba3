import { z } from 'zod';
import { formatCount, plural } from '../messages';
import { freeTextSchema, idSchema } from './text';

/**
 * Places from a file (a map search's export, a spreadsheet): the API's field names, as the list
 * answers them. Only place_id and business_name are needed; every place arrives as New, never
 * queued, and a place whose id the store already has is left as it is (counted as skipped).
 */

/** At most this many places in one import request; importPlacesChunks splits a file's rows. */
export const MAX_IMPORT_PLACES_PER_REQUEST = 1000;
/** A request's JSON stays under this size (the HTTP body limit is 4 MiB). */
export const MAX_IMPORT_REQUEST_BYTES = 3 * 1024 * 1024;

/** Optional text: absent, null or '' all mean "no value". */
const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), freeTextSchema(max).optional());
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === null ? undefined : v), schema.optional());

const between = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

export const importPlaceSchema = z.strictObject({
  place_id: idSchema(255),
  business_name: idSchema(300),
  address: optionalText(500),
  category: optionalText(200),
  search_location: optionalText(300),
  search_query: optionalText(300),
  latitude: optionalNumber(between(-90, 90)),
  longitude: optionalNumber(between(-180, 180)),
  rating: optionalNumber(between(0, 5)),
  reviews_count: optionalNumber(
    z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(2_147_483_647, 'must be at most 2147483647'),
  ),
  price_level: optionalNumber(
    z
      .number({ error: 'must be a number' })
      .int('must be a whole number from 0 (free) to 4 ($$$$)')
      .min(0, 'must be from 0 (free) to 4 ($$$$)')
      .max(4, 'must be from 0 (free) to 4 ($$$$)'),
  ),
  notes: optionalText(2000),
});
export type ImportPlace = z.infer<typeof importPlaceSchema>;
/** A place as a file gives it, before validation. */
export type ImportPlaceInput = z.input<typeof importPlaceSchema>;

export const importPlacesInput = z.strictObject({
  places: z
    .array(importPlaceSchema, { error: 'must be an array of places' })
    .min(1, 'must contain at least one place')
    .max(
      MAX_IMPORT_PLACES_PER_REQUEST,
      `must contain at most ${MAX_IMPORT_PLACES_PER_REQUEST} places; send a larger file in several requests`,
    ),
});
export type ImportPlacesInput = z.infer<typeof importPlacesInput>;

export const importPlacesOutput = z.object({
  message: z.string(),
  /** New places added (as New, never queued). */
  inserted: z.number().int(),
  /** Places whose id the store already had, or that came twice in the request: left as they were. */
  skipped: z.number().int(),
});
export type ImportPlacesOutput = z.infer<typeof importPlacesOutput>;

/**
 * The places in requests of at most MAX_IMPORT_PLACES_PER_REQUEST places and
 * MAX_IMPORT_REQUEST_BYTES of JSON each, in order.
 */
export function importPlacesChunks<T>(places: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const place of places) {
    // An upper bound of its UTF-8 size without encoding it: no UTF-16 unit takes over 3 bytes.
    const size = 3 * JSON.stringify(place).length + 1;
    if (
      chunk.length > 0 &&
      (chunk.length >= MAX_IMPORT_PLACES_PER_REQUEST || bytes + size > MAX_IMPORT_REQUEST_BYTES)
    ) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(place);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** The import's one-line answer. */
export function importMessage(inserted: number, skipped: number): string {
  const added = `${plural(inserted, 'place')} imported`;
  return skipped === 0 ? added : `${added}, ${formatCount(skipped)} already in the store`;
}
