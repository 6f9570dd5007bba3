import { sql } from 'drizzle-orm';
import { deepScanLeases as l, placesStaging as t } from '../db/schema.pg';

/**
 * PostgreSQL's places being scanned (sql/pg/0019): Queued places with a lease row, counted per
 * reviewer status (`status`, `n`). The summary and the scan status move them from Queued to
 * Processing. The lease table holds a few hundred rows at most, so this is cheap at any size.
 */
export const BEING_SCANNED = sql`
  SELECT ${t.status} AS status, count(*)::int AS n
  FROM ${l} JOIN ${t} ON ${t.id} = ${l.place_row}
  WHERE ${t.deep_scan_status} = 'Queued'
  GROUP BY ${t.status}`;
