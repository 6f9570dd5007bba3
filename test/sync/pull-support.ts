import { asc } from 'drizzle-orm';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { PgStore, SqliteStore } from '../../src-main/db/store';
import { PULL_STREAM } from '../../src-main/sync/pull';
import { createTestStore, type TestStoreHandle } from '../support/stores';

export interface PullPair {
  server: PgStore;
  replica: SqliteStore;
  serverHandle: TestStoreHandle;
  replicaHandle: TestStoreHandle;
  dispose(): Promise<void>;
}

/** A throwaway PostgreSQL database and an empty SQLite replica file, both migrated. */
export async function createPullPair(): Promise<PullPair> {
  const serverHandle = await createTestStore('postgres');
  const replicaHandle = await createTestStore('sqlite');
  const server = (await serverHandle.open()) as PgStore;
  const replica = (await replicaHandle.open()) as SqliteStore;
  return {
    server,
    replica,
    serverHandle,
    replicaHandle,
    async dispose() {
      await replicaHandle.dispose();
      await serverHandle.dispose();
    },
  };
}

/** Rows without the store's own id, in a form both drivers agree on. */
const normal = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k !== 'id')
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );

export interface Contents {
  places: Record<string, unknown>[];
  businesses: Record<string, unknown>[];
}

export async function serverContents(server: PgStore): Promise<Contents> {
  const places = await server.db
    .select()
    .from(pgSchema.placesStaging)
    .orderBy(asc(pgSchema.placesStaging.place_id));
  const businesses = await server.db
    .select()
    .from(pgSchema.localBusinesses)
    .orderBy(asc(pgSchema.localBusinesses.place_id));
  return { places: places.map(normal), businesses: businesses.map(normal) };
}

export function replicaContents(replica: SqliteStore): Contents {
  const places = replica.db
    .select()
    .from(sqliteSchema.placesStaging)
    .orderBy(asc(sqliteSchema.placesStaging.place_id))
    .all();
  const businesses = replica.db
    .select()
    .from(sqliteSchema.localBusinesses)
    .orderBy(asc(sqliteSchema.localBusinesses.place_id))
    .all();
  return { places: places.map(normal), businesses: businesses.map(normal) };
}

export function pullState(replica: SqliteStore) {
  return replica.sqlite.prepare('SELECT * FROM sync_state WHERE name = ?').get(PULL_STREAM) as
    | {
        cursor: string;
        pass_target: string | null;
        pass_after_xid: string | null;
        pass_after_place_id: string | null;
        last_pulled_at: number | null;
      }
    | undefined;
}

/** Inserts places by plain SQL (as an import would), `n` of them from `from`. */
export async function importPlaces(
  server: PgStore,
  n: number,
  options: { from?: number; location?: string; prefix?: string } = {},
): Promise<string[]> {
  const from = options.from ?? 0;
  const prefix = options.prefix ?? 'ChIJpull';
  const { rows } = await server.pool.query<{ place_id: string }>(
    `INSERT INTO places_staging (place_id, name, formatted_address, search_location, rating, raw_data)
     SELECT $1 || lpad(i::text, 8, '0'), 'Café Zoë ' || i, i || ' Main St', $2, 3 + (i % 5) / 2.0,
            jsonb_build_object('n', i, 'types', jsonb_build_array('cafe'))
     FROM generate_series($3::int, $4::int) AS i
     RETURNING place_id`,
    [prefix, options.location ?? 'Austin, TX', from, from + n - 1],
  );
  return rows.map((r) => r.place_id);
}
