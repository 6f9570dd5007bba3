import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type * as pgSchema from '../db/schema.pg';
import type * as sqliteSchema from '../db/schema.sqlite';
import type { PlacesTable } from '../places/queries';
import type { ClaimedPlace } from './queue';

/**
 * The condition of every write to a claimed place: its id, the claim's token, and Processing.
 * A worker whose lease was swept (and perhaps re-claimed by someone else) matches no row.
 */
export function holds(t: PlacesTable, claim: ClaimedPlace): SQL {
  return and(
    eq(t.id, claim.id),
    eq(t.deep_scan_claim_token, claim.token),
    eq(t.deep_scan_status, 'Processing'),
  )!;
}

/** The same for several claims (a token is per claim statement, so one token covers many ids). */
export function holdsAny(t: PlacesTable, claims: ClaimedPlace[]): SQL {
  return and(
    inArray(
      t.id,
      claims.map((c) => c.id),
    ),
    inArray(t.deep_scan_claim_token, [...new Set(claims.map((c) => c.token))]),
    eq(t.deep_scan_status, 'Processing'),
  )!;
}

type BusinessesTable = typeof pgSchema.localBusinesses | typeof sqliteSchema.localBusinesses;

/** The local_businesses columns a scan writes: all but the keys and the row's timestamps. */
export function scannedColumnNames(table: BusinessesTable): string[] {
  return Object.entries(getTableColumns(table))
    .filter(([key]) => !['id', 'place_id', 'created_at', 'updated_at'].includes(key))
    .map(([, column]) => column.name);
}

/**
 * The SET of the local_businesses upsert: every column the scan writes takes the new value
 * (`excluded.<column>`), so a rescan replaces the whole row; `updated_at` becomes `now`.
 */
export function replaceBusinessRow(table: BusinessesTable, now: SQL): Record<string, SQL> {
  const byName = new Map(Object.entries(getTableColumns(table)).map(([k, c]) => [c.name, k]));
  const set: Record<string, SQL> = {};
  for (const name of scannedColumnNames(table)) {
    set[byName.get(name)!] = sql`excluded.${sql.identifier(name)}`;
  }
  set.updated_at = now;
  return set;
}

/**
 * The SET of a place whose attempt ended without a result, as column values: while it is still
 * Selected, the `queued` values (back to the queue, or Error after the last attempt); once it
 * left Selected, cancelled: never queued (NULL), as step 6 leaves a place it dequeues. The claim
 * is cleared. Each queue turns this into its dialect's UPDATE.
 */
export function endedWithoutResult(
  t: PlacesTable,
  queued: { status: SQL; error: SQL; nextAttemptAt: SQL; completedAt: SQL; attempts?: SQL },
): Record<string, SQL | null> {
  const when = (value: SQL, otherwise: SQL) =>
    sql`CASE WHEN ${t.status} = 'Selected' THEN ${value} ELSE ${otherwise} END`;
  return {
    deep_scan_status: when(queued.status, sql`NULL`),
    deep_scan_error: when(queued.error, sql`${t.deep_scan_error}`),
    deep_scan_next_attempt_at: when(queued.nextAttemptAt, sql`NULL`),
    deep_scan_queued_at: when(sql`${t.deep_scan_queued_at}`, sql`NULL`),
    deep_scan_completed_at: when(queued.completedAt, sql`NULL`),
    ...(queued.attempts ? { deep_scan_attempts: queued.attempts } : {}),
    deep_scan_claim_token: null,
    deep_scan_lease_expires_at: null,
  };
}
