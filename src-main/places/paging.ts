import { and, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { PlacesTable } from './queries';
import { sortKey } from './queries';
import type { PlaceListRow } from './repository';

/**
 * A grid page without walking the rows before it (issue 11). The naive page, `ORDER BY <sort>,
 * id LIMIT n OFFSET k`, makes the database produce every skipped row: on PostgreSQL each one is
 * read from the table, seconds at an offset of 400,000. Instead:
 *
 * - **Deferred join.** The page's ids come first, from the sort's own index, and only those `n`
 *   rows are then read from the table by id. On PostgreSQL the index is (column, id, status,
 *   deep_scan_status) (sql 0012), so the status and scan filters are answered from the index too.
 *   On SQLite it is (column, id) (sql 0020: a decision must not rewrite eight indexes), and the
 *   filters are checked by id in a narrow index of their own (sqlite-page-filter.ts).
 * - **NULLs in two ranges.** The page's order puts NULLs last in both directions (queries.ts,
 *   orderBy), which one btree scan gives in one direction only: forwards on PostgreSQL (NULLs
 *   sort high), backwards on SQLite (NULLs sort low). In that direction a page is one range of
 *   the index, with the bare ORDER BY (whose NULLs go last there too). In the other, a nullable
 *   column's places are read as two ranges of its index: those with a value, in the column's
 *   order, then those without, by id. A page that starts past the first range asks for its size
 *   (a count from the index) to know where to start in the second.
 * - **Keyset.** A page that names the last place of the page before (`after`) starts right after
 *   that place's (value, id) in the index: `(column, id) > (that place's)`, no offset at all.
 *
 * Each range is ordered by `column <dir>, id <dir>` without a NULLS clause: within a range the
 * NULLs clause changes nothing, and the bare order is exactly an index scan's, forward or back.
 * The rows are those of the naive query, in the same order, ties and NULLs included: the tests
 * compare the two (test/places/deep-pages.test.ts).
 */

/** One range of a sort's index: its condition (with the filter's) and its order. */
export interface PageRange {
  where: SQL | undefined;
  order: SQL[];
  /** Names the range's statement for a store that keeps them prepared (same key, same SQL). */
  key?: string;
}

/** The place a keyset page continues after: its row id, and whether its sort value is NULL. */
export interface PageAnchor {
  id: number;
  isNull: boolean;
}

/**
 * The direction in which the store's btree scan, and its bare ORDER BY, already put NULLs last:
 * 'asc' on PostgreSQL (NULLs sort high), 'desc' on SQLite (NULLs sort low).
 */
export type NullsLastDirection = 'asc' | 'desc';

/**
 * The ranges a page of `sort` is read from, in order, each with the filter's condition: one for
 * a column that can't be NULL or whose direction is `nullsLast`, else two (values, then NULLs).
 * With an anchor, the ranges start right after it (always two for a nullable column: a row
 * comparison with the anchor's value leaves the NULLs out).
 */
export function pageRanges(
  t: PlacesTable,
  sort: string | undefined,
  filter: SQL | undefined,
  nullsLast: NullsLastDirection,
  anchor?: PageAnchor,
): PageRange[] {
  const { column, nullable, descending } = sortKey(t, sort);
  const dir = sql.raw(descending ? 'DESC' : 'ASC');
  const order = [sql`${column} ${dir}`, sql`${t.id} ${dir}`];
  const after = (anchorId: number) =>
    sql`(${column}, ${t.id}) ${sql.raw(descending ? '<' : '>')} (SELECT a.${sql.identifier(column.name)}, a.id FROM ${t} AS a WHERE a.id = ${anchorId})`;
  const idAfter = (anchorId: number) => sql`${t.id} ${sql.raw(descending ? '<' : '>')} ${anchorId}`;
  if (!nullable) return [{ where: and(filter, anchor && after(anchor.id)), order }];
  if (!anchor && (descending ? 'desc' : 'asc') === nullsLast) return [{ where: filter, order }];
  const values: PageRange = {
    where: and(filter, isNotNull(column), anchor && after(anchor.id)),
    order,
  };
  const nulls: PageRange = {
    where: and(filter, isNull(column), anchor?.isNull ? idAfter(anchor.id) : undefined),
    order,
  };
  // An anchor without a value is in the NULLs: every place with a value came before it.
  return anchor?.isNull ? [nulls] : [values, nulls];
}

/** How a store reads one range: a deferred join for the rows, and a count from the index. */
export interface RangeReader {
  /** The `limit` rows of the range after its first `offset`, in the range's order. */
  rows(range: PageRange, limit: number, offset: number): Promise<PlaceListRow[]>;
  /** How many places the range holds. */
  count(range: PageRange): Promise<number>;
}

/** The `limit` rows after the first `offset` of the ranges taken one after the other. */
export async function readRanges(
  reader: RangeReader,
  ranges: PageRange[],
  limit: number,
  offset: number,
): Promise<PlaceListRow[]> {
  const page: PlaceListRow[] = [];
  let skip = offset;
  for (const [i, range] of ranges.entries()) {
    const wanted = limit - page.length;
    if (wanted <= 0) break;
    const rows = await reader.rows(range, wanted, skip);
    page.push(...rows);
    if (rows.length > 0) skip = 0;
    else if (skip > 0 && i < ranges.length - 1) {
      // The page starts past this range: the next one starts that many places later.
      skip = Math.max(0, skip - (await reader.count(range)));
    }
  }
  return page;
}
