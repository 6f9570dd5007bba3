import { getTableColumns } from 'drizzle-orm';
import type {
  ExportedPlace,
  LocalBusinessOutput,
  PlaceDetail,
  PlaceListItem,
} from '../../src-shared/contract';
import type { LocalBusinessRow, PlaceRow } from '../db/rows';
import type * as pgSchema from '../db/schema.pg';
import type * as sqliteSchema from '../db/schema.sqlite';
import type { PlaceListRow, ScanRow } from './repository';

/** Database rows -> the API's field names (the seed system's v3 names) and ISO 8601 UTC dates. */
export function toListItem(row: PlaceListRow): PlaceListItem {
  return {
    place_id: row.place_id,
    business_name: row.name,
    address: row.formatted_address,
    category: row.business_type,
    search_location: row.search_location,
    latitude: row.latitude,
    longitude: row.longitude,
    rating: row.rating,
    reviews_count: row.user_ratings_total,
    price_level: row.price_level,
    status: row.status,
    deep_scan_status: row.deep_scan_status,
    deep_scan_error: row.deep_scan_error,
    updated_at: row.updated_at.toISOString(),
    updated_by: row.updated_by,
  };
}

export function toLocalBusiness(row: LocalBusinessRow): LocalBusinessOutput {
  const { id: _id, created_at, updated_at, ...fields } = row;
  return { ...fields, created_at: created_at.toISOString(), updated_at: updated_at.toISOString() };
}

export function toPlaceDetail(
  place: PlaceRow,
  localBusiness: LocalBusinessRow | null,
): PlaceDetail {
  return {
    ...toListItem(place),
    vicinity: place.vicinity,
    search_query: place.search_query,
    notes: place.notes,
    raw_data: place.raw_data ?? null,
    deep_scan_attempts: place.deep_scan_attempts,
    created_at: place.created_at.toISOString(),
    local_business: localBusiness ? toLocalBusiness(localBusiness) : null,
  };
}

/** The columns of a ScanRow: every local_businesses column but the raw answer and the ids. */
export function scanColumns<
  T extends typeof pgSchema.localBusinesses | typeof sqliteSchema.localBusinesses,
>(table: T) {
  const {
    additional_json: _raw,
    created_at: _created,
    id: _id,
    ...columns
  } = getTableColumns(table);
  return columns;
}

/** A place of an export: its list fields and what its deep scan stored, if it ran. */
export function toExportedPlace(row: PlaceListRow, scan: ScanRow | undefined): ExportedPlace {
  return {
    ...toListItem(row),
    local_business: scan ? { ...scan, updated_at: scan.updated_at.toISOString() } : null,
  };
}
