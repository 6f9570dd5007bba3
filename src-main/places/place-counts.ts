import { sql } from 'drizzle-orm';
import type { PgStore } from '../db/store';
import { placeCounts } from '../db/schema.pg';

/**
 * PostgreSQL's place_counts holds deltas (sql/pg/0011_place_counts.sql): a reader sums them. When
 * a read finds more than this many rows, they are folded into one row per pair, so the summary
 * stays a read of a few dozen rows however much is written.
 */
export const PLACE_COUNTS_FOLD_AT = 1000;

/**
 * Folds the deltas: one statement deletes the rows its snapshot sees and inserts their sums.
 * Rows that concurrent writers append meanwhile are not in the snapshot, so they stay and count;
 * two folds at once are safe too (the second skips rows the first deleted).
 */
export async function foldPlaceCounts(db: PgStore['db']): Promise<void> {
  const c = placeCounts;
  await db.execute(sql`
    WITH folded AS (DELETE FROM ${c} RETURNING ${c.status}, ${c.deep_scan_status}, ${c.n})
    INSERT INTO ${c} (status, deep_scan_status, n)
    SELECT status, deep_scan_status, sum(n) FROM folded GROUP BY 1, 2 HAVING sum(n) <> 0`);
}

/** The triggers and functions of sql/pg and sql/sqlite 0011_place_counts.sql. */
export const PLACE_COUNTS_OBJECTS = {
  postgres: {
    functions: ['place_counts_record'],
    triggers: [
      'place_counts_delete',
      'place_counts_insert',
      'place_counts_truncate',
      'place_counts_update',
    ],
  },
  sqlite: { triggers: ['place_counts_delete', 'place_counts_insert', 'place_counts_update'] },
} as const;
