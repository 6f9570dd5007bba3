import { sql } from 'drizzle-orm';
import type { DeepScanStatus, PlaceStatus } from '../../src-shared/domain';
import type { Store } from '../../src-main/db/store';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';

const leases = pgSchema.deepScanLeases;

/**
 * A PostgreSQL place's scan state as reviewers see it, written here apart from the app's own
 * (src-main/places/queries.ts scanState): a Queued place with a lease row is Processing.
 */
export function pgScanStateByHand(t: typeof pgSchema.placesStaging) {
  return sql<DeepScanStatus | null>`CASE WHEN ${t.deep_scan_status} = 'Queued'
    AND EXISTS (SELECT 1 FROM ${leases} WHERE ${leases.place_row} = ${t.id})
    THEN 'Processing' ELSE ${t.deep_scan_status} END`;
}

export interface PlaceState {
  place_id: string;
  status: PlaceStatus;
  deep_scan_status: DeepScanStatus | null;
  deep_scan_error: string | null;
  deep_scan_attempts: number;
  updated_by: string | null;
  updated_at: Date;
}

/** Reads the places' state straight from the table, to assert outcomes in the database. */
export async function readPlaces(
  store: Store,
  placeIds?: string[],
): Promise<Map<string, PlaceState>> {
  const columns = (t: typeof pgSchema.placesStaging | typeof sqliteSchema.placesStaging) => ({
    place_id: t.place_id,
    status: t.status,
    deep_scan_status: t.deep_scan_status,
    deep_scan_error: t.deep_scan_error,
    deep_scan_attempts: t.deep_scan_attempts,
    updated_by: t.updated_by,
    updated_at: t.updated_at,
  });
  const pg = pgSchema.placesStaging;
  const rows: PlaceState[] =
    store.kind === 'postgres'
      ? // A Queued place with a lease is Processing (sql/pg/0019), its attempt under way counted.
        ((await store.db
          .select({
            ...columns(pg),
            deep_scan_status: pgScanStateByHand(pg),
            deep_scan_attempts: sql<number>`COALESCE((SELECT ${leases.attempt} FROM ${leases}
              WHERE ${leases.place_row} = ${pg.id} AND ${pg.deep_scan_status} = 'Queued'),
              ${pg.deep_scan_attempts})`,
          } as never)
          .from(pg)) as PlaceState[])
      : (store.db
          .select(columns(sqliteSchema.placesStaging) as never)
          .from(sqliteSchema.placesStaging)
          .all() as PlaceState[]);
  const wanted = placeIds ? new Set(placeIds) : undefined;
  return new Map(rows.filter((r) => !wanted || wanted.has(r.place_id)).map((r) => [r.place_id, r]));
}

/** Sets scan state directly (as the scheduler would), for arranging test cases. */
export async function setScanState(
  store: Store,
  placeId: string,
  state: {
    status?: PlaceStatus;
    deep_scan_status: DeepScanStatus | null;
    deep_scan_error?: string | null;
    deep_scan_attempts?: number;
  },
): Promise<void> {
  const values = {
    ...(state.status ? { status: state.status } : {}),
    deep_scan_status: state.deep_scan_status,
    deep_scan_error: state.deep_scan_error ?? null,
    deep_scan_attempts: state.deep_scan_attempts ?? 0,
  };
  if (store.kind === 'postgres') {
    // PostgreSQL's Processing is a Queued place with a lease row (sql/pg/0019), made as a claim
    // makes it; any other state has no lease.
    const t = pgSchema.placesStaging;
    const processing = state.deep_scan_status === 'Processing';
    const attempt = Math.max(1, state.deep_scan_attempts ?? 1);
    const [row] = await store.db
      .update(t)
      .set(
        processing
          ? { ...values, deep_scan_status: 'Queued', deep_scan_attempts: attempt - 1 }
          : values,
      )
      .where(sql`${t.place_id} = ${placeId}`)
      .returning({ id: t.id });
    if (!row) return;
    await store.db.delete(leases).where(sql`${leases.place_row} = ${row.id}`);
    if (processing) {
      await store.db.insert(leases).values({
        place_row: row.id,
        claim_token: `test-claim-${row.id}`,
        claimed_by: 'test-worker',
        attempt,
        expires_at: sql`now() + interval '1 hour'`,
      });
    }
  } else {
    const t = sqliteSchema.placesStaging;
    store.db
      .update(t)
      .set(values)
      .where(sql`${t.place_id} = ${placeId}`)
      .run();
  }
}

/** Runs SQL that tests need and the app never does (triggers that inject failures). */
export async function execRaw(store: Store, text: string): Promise<void> {
  if (store.kind === 'postgres') await store.pool.query(text);
  else store.sqlite.exec(text);
}

/**
 * SQL for a trigger that fails the insert of one place id (named `name` on both stores), to
 * prove that a request inserting many places is one transaction.
 */
export function failInsertOf(kind: Store['kind'], placeId: string, name = 'fail_insert'): string {
  return kind === 'postgres'
    ? `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected failure'; END $$;
       CREATE TRIGGER ${name} BEFORE INSERT ON places_staging
         FOR EACH ROW WHEN (NEW.place_id = '${placeId}') EXECUTE FUNCTION ${name}();`
    : `CREATE TRIGGER ${name} BEFORE INSERT ON places_staging
         WHEN NEW.place_id = '${placeId}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`;
}
