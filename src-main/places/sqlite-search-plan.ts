import { sql } from 'drizzle-orm';
import { placesStaging as t } from '../db/schema.sqlite';
import type { SqliteStore } from '../db/store';
import { SEARCH_INDEX_OBJECTS } from '../db/search-index';
import { indexMatch, type SearchPlan } from './queries';

/**
 * Whether a page of a search is quicker through SQLite's trigram index (sql/sqlite/0010). Both
 * ways give the same rows; only the cost differs:
 * - through the index, SQLite reads every place the index finds and sorts them: about as costly
 *   as the number of matches m (a word that 3% of a million places hold: ~0.3 s);
 * - without it, SQLite reads the places in the page's order and checks each until the page is
 *   full: about (offset + page size) x n / m rows of the n places (a word in 3% of them: ~2 ms for
 *   the first page; a word in none: every row, ~20 s at a million).
 * Each row read by the walk costs about twice a match read through the index (a lookup by name,
 * then the row), so the index wins when m^2 <= 2 x wanted x n. A look at the index that stops
 * past that many matches tells which, for no more than the cheaper plan costs.
 * The walk needs an index in the page's order (name, updated_at, place id); in any other order
 * SQLite would read every place and sort the matches, so the index is always used then. Counting
 * always goes through the index: it reads every match either way.
 */
type Db = SqliteStore['db'];

/** The sorts whose order an index of sql/sqlite/0001 gives (no sort: by name). */
const INDEXED_ORDERS = new Set(['business_name', 'updated_at', 'place_id']);

export function sqlitePagePlan(
  db: Db,
  q: string | undefined,
  sort: string | undefined,
  wanted: number,
): SearchPlan {
  const match = q ? indexMatch(q) : null;
  if (match === null || !INDEXED_ORDERS.has((sort ?? 'business_name').split(':')[0]!)) return {};
  const n = Number(db.get<{ n: number | null }>(sql`SELECT max(${t.id}) AS n FROM ${t}`)?.n ?? 0);
  const breakEven = Math.ceil(Math.sqrt(2 * wanted * n));
  const index = sql.identifier(SEARCH_INDEX_OBJECTS.sqlite.table);
  const m = Number(
    db.get<{ m: number }>(
      sql`SELECT count(*) AS m FROM (SELECT 1 FROM ${index} WHERE ${index} MATCH ${match}
        LIMIT ${breakEven + 1})`,
    )?.m ?? 0,
  );
  return { sqliteIndex: m <= breakEven };
}
