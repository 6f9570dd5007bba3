import { sql } from 'drizzle-orm';
import { placesStaging as t } from '../db/schema.pg';
import { transactionWithRetry } from '../db/retry';
import type { PgStore } from '../db/store';
import { IMPORT_ONLY_SORT_COLUMNS, sortKey } from './queries';
import { pageRanges, readRanges, type RangeReader } from './paging';
import type { PlaceListRow } from './repository';

type Db = PgStore['db'];

/**
 * Page marks (sql/pg/0018_page_marks.sql): a jump deep into an unfiltered PostgreSQL grid starts
 * at the marked place just before it and steps over at most `spacing` index entries, instead of
 * every entry before the page (4,000,000 of them, ~200 ms, for page 40,001 of 10,000,000).
 *
 * A mark set is of one column, in the index's own order (column ASC NULLS LAST, id ASC), as of
 * one snapshot: its total, its NULLs, and the place at every `spacing`-th position. Any page of
 * that column, either direction, is one or two runs of those positions. A set is used only
 * while no transaction its snapshot did not see has moved a place in that order (an insert, a
 * delete, a change of a marked column: page_order_changes), so a page read through marks is the
 * page the sort's index gives (test/places/page-marks.test.ts compares them). Otherwise the page
 * is read the usual way and the set is counted again in the background, one column at a time
 * per process (a count holds a pooled connection: ~5 s at 10,000,000 places).
 *
 * Only columns that reviewers' decisions and deep scans never write are marked
 * (IMPORT_ONLY_SORT_COLUMNS, queries.ts): an order that changes with every decision (status,
 * updated_at...) would make every set stale at once.
 */

export interface PageMarksOptions {
  /** Every `spacing`-th position is marked: a jump steps over at most that many entries. */
  spacing?: number;
  /** Pages starting before this use the index alone (cheap enough, no set needed). */
  fromOffset?: number;
}

export const PAGE_MARK_SPACING = 10_000;
export const PAGE_MARKS_FROM_OFFSET = 100_000;

/** The set `s` is stale: a transaction its snapshot did not see moved places in the order. */
const staleSet = sql`EXISTS (
  SELECT 1 FROM page_order_changes c
  WHERE c.xid >= pg_snapshot_xmin(s.snap) AND NOT pg_visible_in_snapshot(c.xid, s.snap))`;

interface SetRow extends Record<string, unknown> {
  total: string;
  nulls: string;
  pos: string | null;
  place_row: number | null;
  is_null: boolean | null;
}

export interface PageMarks {
  /**
   * The page of `sort` (no filter) at `offset`, read through a valid mark set of its column; null
   * when there is none (the column isn't marked, the offset is shallow, or the set is missing
   * or stale: it is counted again in the background).
   */
  page(
    reader: RangeReader,
    sort: string | undefined,
    limit: number,
    offset: number,
  ): Promise<PlaceListRow[] | null>;
  /**
   * Counts `column`'s marks again now, after this process's background count of it (a no-op
   * while another process counts that column).
   */
  refresh(column: string): Promise<void>;
  /** Resolves when the background refreshes started so far have ended (tests). */
  settled(): Promise<void>;
}

export function createPageMarks(db: Db, options: PageMarksOptions = {}): PageMarks {
  const spacing = options.spacing ?? PAGE_MARK_SPACING;
  const fromOffset = options.fromOffset ?? PAGE_MARKS_FROM_OFFSET;
  const running = new Map<string, Promise<void>>();

  /**
   * The valid set of `column`, with the last mark before position `before` and whether its
   * place has no value in the column. Null: no valid set.
   */
  async function lookup(column: { name: string }, before: number) {
    const { rows } = await db.execute<SetRow>(sql`
      SELECT s.total, s.nulls, m.pos, m.place_row, m.is_null
      FROM page_mark_sets s
      LEFT JOIN LATERAL (
        SELECT k.pos, k.place_row, p.${sql.identifier(column.name)} IS NULL AS is_null
        FROM page_marks k JOIN ${t} p ON p.id = k.place_row
        WHERE k.sort_column = s.sort_column AND k.pos < ${before}
        ORDER BY k.pos DESC LIMIT 1
      ) m ON true
      WHERE s.sort_column = ${column.name}
        AND NOT ${staleSet}`);
    const row = rows[0];
    if (!row) return null;
    return {
      total: Number(row.total),
      nulls: Number(row.nulls),
      mark:
        row.pos === null
          ? null
          : { pos: Number(row.pos), id: row.place_row!, isNull: row.is_null === true },
    };
  }

  /**
   * The places at positions lo..hi (inclusive) of the index order, starting from a mark: `known`,
   * the set already looked up with its last mark before `lo`, or looked up now.
   */
  async function run(
    reader: RangeReader,
    sort: string | undefined,
    lo: number,
    hi: number,
    known?: Awaited<ReturnType<typeof lookup>>,
  ): Promise<PlaceListRow[] | null> {
    const found = known ?? (await lookup(sortKey(t, sort).column, lo));
    if (!found) return null;
    const mark = found.mark;
    const ascending = sort?.split(':')[0];
    const ranges = pageRanges(t, ascending, undefined, 'asc', mark ?? undefined);
    return readRanges(reader, ranges, hi - lo + 1, mark ? lo - mark.pos - 1 : lo);
  }

  function refreshLater(column: string): void {
    // One count at a time in a process: each holds a pooled connection for seconds at 10M.
    if (running.size > 0) return;
    const job = refresh(column)
      .catch(() => {
        // The page was read without marks; the next deep jump tries again.
      })
      .finally(() => running.delete(column));
    running.set(column, job);
  }

  async function refresh(column: string): Promise<void> {
    if (!IMPORT_ONLY_SORT_COLUMNS.has(column)) return;
    // A count this process runs in the background holds the column's lock: wait for it, or
    // this one would find the lock taken and count nothing.
    await running.get(column);
    const col = sql.identifier(column);
    // Again after a conflict: another process's count can commit between this transaction's
    // snapshot (its first statement) and its lock, and the set it replaced can't be deleted.
    await transactionWithRetry(
      db,
      async (tx) => {
        // One process counts a column at a time; the others keep reading without marks.
        const { rows } = await tx.execute<{ ok: boolean }>(
          sql`SELECT pg_try_advisory_xact_lock(hashtext(${`page_marks:${column}`})) AS ok`,
        );
        if (!rows[0]?.ok) return;
        // REPEATABLE READ: these statements and pg_current_snapshot() share one snapshot.
        await tx.execute(sql`DELETE FROM page_mark_sets WHERE sort_column = ${column}`);
        await tx.execute(sql`
          INSERT INTO page_mark_sets (sort_column, snap, spacing, total, nulls)
          SELECT ${column}, pg_current_snapshot(), ${spacing}::int,
                 (SELECT count(*) FROM ${t}), (SELECT count(*) FROM ${t} WHERE ${col} IS NULL)`);
        await tx.execute(sql`
          INSERT INTO page_marks (sort_column, pos, place_row)
          SELECT ${column}, o.pos, o.id FROM (
            SELECT ${t.id} AS id, row_number() OVER (ORDER BY ${col}, ${t.id}) - 1 AS pos FROM ${t}
          ) AS o
          WHERE o.pos % ${spacing}::int = 0`);
      },
      { isolationLevel: 'repeatable read' },
    );
    await pruneOrderChanges(db);
  }

  return {
    async page(reader, sort, limit, offset) {
      const { column, descending } = sortKey(t, sort);
      if (!IMPORT_ONLY_SORT_COLUMNS.has(column.name) || offset < fromOffset) return null;
      // Ascending, the page's first position is `offset`: its mark comes with the set.
      const found = await lookup(column, descending ? 0 : offset);
      if (!found) {
        refreshLater(column.name);
        return null;
      }
      const { total, nulls } = found;
      const values = total - nulls;
      const end = Math.min(total, offset + limit);
      if (offset >= end) return [];
      if (!descending) return run(reader, sort, offset, end - 1, found);
      // Descending: the values in reverse, then the NULLs by id in reverse (NULLS LAST).
      const page: PlaceListRow[] = [];
      const runs: [number, number][] = [];
      if (offset < values) runs.push([values - Math.min(end, values), values - 1 - offset]);
      if (end > values) {
        const first = Math.max(offset, values) - values;
        const last = end - 1 - values;
        runs.push([total - 1 - last, total - 1 - first]);
      }
      for (const [lo, hi] of runs) {
        const rows = await run(reader, sort, lo, hi);
        if (!rows) return null;
        page.push(...rows.reverse());
      }
      return page;
    },
    refresh,
    async settled() {
      await Promise.all(running.values());
    },
  };
}

/**
 * Deletes the rows of page_order_changes that no mark set needs: those of transactions every
 * set's snapshot saw, and that the current snapshot sees (a set counted later sees them too).
 * Stale sets go first: they are never used again (a deep jump counts a new one).
 */
export async function pruneOrderChanges(db: Db): Promise<void> {
  await db.execute(sql`DELETE FROM page_mark_sets s WHERE ${staleSet}`);
  await db.execute(sql`
    DELETE FROM page_order_changes c
    WHERE pg_visible_in_snapshot(c.xid, pg_current_snapshot())
      AND NOT EXISTS (
        SELECT 1 FROM page_mark_sets s WHERE NOT pg_visible_in_snapshot(c.xid, s.snap))`);
}

/** The trigger and function of sql/pg/0018_page_marks.sql. */
export const PAGE_MARKS_OBJECTS = {
  postgres: {
    functions: ['page_order_changed'],
    triggers: [
      'page_order_delete',
      'page_order_insert',
      'page_order_truncate',
      'page_order_update',
    ],
  },
} as const;
