import { and, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { PlaceFilter } from '../../src-shared/contract';
import { placesStaging as t } from '../db/schema.sqlite';
import { filterCondition, IMPORT_ONLY_SORT_COLUMNS, sortKey, type SearchPlan } from './queries';

/**
 * The condition of a SQLite grid page's filter, written so that a deep page skips its rows from
 * indexes alone. Since sql/sqlite/0020 the sort indexes are (column, id), without the status
 * columns (a decision would rewrite them all). As `status = ?`, a page in such an order would read
 * every skipped place's row from the table to check its status: ~0.77 s for a page at offset
 * 400,000 of 1,000,000 (rating:desc, status New), as slow as the naive OFFSET query. Here the
 * status and scan filters are checked against places_staging_id_filter_idx (id, status,
 * deep_scan_status) instead, a narrow index looked up by the id the sort's index gives: ~0.20 s
 * for that page (the index is a fraction of the table's size, so its pages stay cached; 0012's
 * wide indexes read it in ~0.02 s, at the price of every decision). INDEXED BY holds SQLite to
 * it: without statistics (the app never runs ANALYZE) the planner reads the row by its rowid.
 *
 * Orders with an index that carries the filter keep the plain condition: status, scan state,
 * updated_at and updated_by (0012's shape), and the name with one of the two filters
 * ((status, name, id) and (deep_scan_status, name, id) of 0001).
 */
export function sqlitePageFilter(
  filter: PlaceFilter,
  plan: SearchPlan,
  sort: string | undefined,
): SQL | undefined {
  if (!checksFilterById(filter, sort)) return filterCondition(t, filter, plan);
  const byId = filterCondition(f, {
    status: filter.status,
    deep_scan_status: filter.deep_scan_status,
  });
  return and(
    sql`EXISTS (SELECT 1 FROM ${t} AS ${sql.identifier(F)} INDEXED BY ${sql.identifier(ID_FILTER_INDEX)}
      WHERE ${f.id} = ${t.id} AND ${byId})`,
    filterCondition(t, { q: filter.q }, plan),
  );
}

export const ID_FILTER_INDEX = 'places_staging_id_filter_idx';

/** The same table under the name `f` (its type keeps the name: the columns are the same). */
const F = 'f';
const f = alias(t, F) as unknown as typeof t;

/** Whether the page has a status or scan filter and its order's index does not carry it. */
function checksFilterById(filter: PlaceFilter, sort: string | undefined): boolean {
  const byStatus = filter.status !== undefined;
  const byScan = filter.deep_scan_status !== undefined;
  if (!byStatus && !byScan) return false;
  const { column } = sortKey(t, sort);
  // Their indexes (sql/sqlite/0020) are (column, id) alone; the name has 0001's two as well.
  if (!IMPORT_ONLY_SORT_COLUMNS.has(column.name)) return false;
  return column.name !== t.name.name || (byStatus && byScan);
}
