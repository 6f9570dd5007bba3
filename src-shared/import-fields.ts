import type { ImportPlace } from './contract/import';

/**
 * The import's fields, their labels and the column names a file may give them: the facts the
 * reader (import-file.ts), the export's header (export-file.ts) and the app's preview share.
 * Kept apart from the reader so that the app's first load does not carry the CSV parser.
 */

export type ImportField = keyof ImportPlace;

/** Each field's label and the column names taken for it (compared by importColumnKey). */
export const IMPORT_FIELDS: Record<ImportField, { label: string; names: readonly string[] }> = {
  place_id: { label: 'Place ID', names: ['place_id', 'google_place_id', 'gmaps_place_id'] },
  business_name: {
    label: 'Name',
    names: ['business_name', 'name', 'title', 'display_name', 'place_name'],
  },
  address: { label: 'Address', names: ['address', 'formatted_address', 'full_address'] },
  category: {
    label: 'Category',
    names: ['category', 'business_type', 'type', 'main_category', 'category_name', 'primary_type'],
  },
  search_location: { label: 'Search location', names: ['search_location'] },
  search_query: { label: 'Search query', names: ['search_query', 'query', 'search_string'] },
  latitude: { label: 'Latitude', names: ['latitude', 'lat'] },
  longitude: { label: 'Longitude', names: ['longitude', 'lng', 'lon', 'long'] },
  rating: { label: 'Rating', names: ['rating', 'total_score', 'stars'] },
  reviews_count: {
    label: 'Reviews',
    names: ['reviews_count', 'reviews', 'review_count', 'user_ratings_total', 'user_rating_count'],
  },
  price_level: { label: 'Price', names: ['price_level', 'price'] },
  notes: { label: 'Notes', names: ['notes', 'note', 'comment', 'comments'] },
};

/** The fields a file must have a column for. */
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ['place_id', 'business_name'];
