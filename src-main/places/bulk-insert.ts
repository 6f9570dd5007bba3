import { sql, type SQL } from 'drizzle-orm';
import type { NewPlaceRow } from '../db/rows';
import * as pgSchema from '../db/schema.pg';
import * as sqliteSchema from '../db/schema.sqlite';

/**
 * The columns an import or the sample generator may set; everything else takes its default.
 * search_text is not one of them: the database folds it (0004_search_text_trigger.sql in sql/pg and sql/sqlite).
 */
export const IMPORT_COLUMNS = [
  'place_id',
  'name',
  'formatted_address',
  'business_type',
  'latitude',
  'longitude',
  'vicinity',
  'rating',
  'user_ratings_total',
  'price_level',
  'search_query',
  'search_location',
  'raw_data',
  'notes',
  'status',
] as const;

/** Rows as one JSON array, with defaults made explicit. */
function rowsJson(rows: NewPlaceRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      ...row,
      raw_data:
        row.raw_data === undefined || row.raw_data === null ? null : JSON.stringify(row.raw_data),
      status: row.status ?? 'New',
    })),
  );
}

/**
 * INSERT ... SELECT from one JSON parameter: thousands of rows per statement without thousands of
 * bind variables, and new place ids only (existing ones are skipped).
 */
export function bulkInsertPlacesPg(rows: NewPlaceRow[]): SQL {
  const t = pgSchema.placesStaging;
  const columns = sql.join(
    IMPORT_COLUMNS.map((c) => sql.identifier(t[c].name)),
    sql`, `,
  );
  const shape = sql.raw(
    IMPORT_COLUMNS.map(
      (c) => `"${t[c].name}" ${c === 'raw_data' ? 'text' : t[c].getSQLType()}`,
    ).join(', '),
  );
  const values = sql.join(
    IMPORT_COLUMNS.map((c) =>
      c === 'raw_data' ? sql`x.raw_data::jsonb` : sql`x.${sql.identifier(t[c].name)}`,
    ),
    sql`, `,
  );
  return sql`INSERT INTO ${t} (${columns})
    SELECT ${values} FROM jsonb_to_recordset(${rowsJson(rows)}::jsonb) AS x(${shape})
    ON CONFLICT (${sql.identifier(t.place_id.name)}) DO NOTHING`;
}

export function bulkInsertPlacesSqlite(rows: NewPlaceRow[]): SQL {
  const t = sqliteSchema.placesStaging;
  const columns = sql.join(
    IMPORT_COLUMNS.map((c) => sql.identifier(t[c].name)),
    sql`, `,
  );
  const values = sql.join(
    IMPORT_COLUMNS.map((c) => sql.raw(`value ->> '$.${c}'`)),
    sql`, `,
  );
  return sql`INSERT INTO ${t} (${columns})
    SELECT ${values} FROM json_each(${rowsJson(rows)}) WHERE true
    ON CONFLICT (${sql.identifier(t.place_id.name)}) DO NOTHING`;
}
