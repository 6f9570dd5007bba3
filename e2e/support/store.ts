import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

// Every e2e spec runs once per store (one Playwright project each, see playwright.config.ts),
// on the same PostgreSQL server and store kinds as the vitest integration tests.
import { STORE_KINDS, createTestDatabase, type StoreKind } from '../../test/support/stores';

export { STORE_KINDS, type StoreKind };

export interface PlaceRow {
  place_id: string;
  status: string;
  deep_scan_status: string | null;
  deep_scan_error: string | null;
  deep_scan_attempts: number;
  updated_by: string | null;
}

/**
 * Reads (and, to arrange a case, writes) the server's store directly, beside the server.
 * SQL is written once with `?` placeholders; for PostgreSQL they become `$1, $2, ...`.
 */
export interface StoreProbe {
  readonly kind: StoreKind;
  /** What `serve`, `migrate` and `seed` need to use this store. */
  readonly env: Record<string, string>;
  /** Human-readable, for messages. */
  readonly description: string;
  rows<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs a write; answers the number of rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** The given places, ordered by place_id. */
  places(placeIds: readonly string[]): Promise<PlaceRow[]>;
  /** `SELECT count(*) FROM places_staging WHERE <where>` (PostgreSQL: as the app reads it). */
  count(where: string, ...params: unknown[]): Promise<number>;
  dispose(): Promise<void>;
}

const PLACE_COLUMNS =
  'place_id, status, deep_scan_status, deep_scan_error, deep_scan_attempts, updated_by';

/**
 * places_staging as the app reads it on PostgreSQL, for the probe's reads: a Queued place with a
 * lease row is Processing (sql/pg/0019), with the attempt under way counted, as SQLite's queue
 * writes it into the place itself.
 */
const PG_PLACES = `(SELECT p.place_id, p.status, p.updated_by, p.search_text,
    CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN 'Processing'
      ELSE p.deep_scan_status END AS deep_scan_status,
    p.deep_scan_error,
    CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN l.attempt
      ELSE p.deep_scan_attempts END AS deep_scan_attempts
  FROM places_staging p LEFT JOIN deep_scan_leases l ON l.place_row = p.id) AS places_staging`;

/** A fresh SQLite file in `dir` (created by `migrate`). */
export function sqliteStore(dir: string): StoreProbe {
  const path = join(dir, 'store.sqlite');
  // One short-lived connection per call: nothing of ours holds the file while the server works.
  const withDb = <R>(readonly: boolean, fn: (db: Database.Database) => R): R => {
    const db = new Database(path, { readonly, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return fn(db);
    } finally {
      db.close();
    }
  };
  const probe: StoreProbe = {
    kind: 'sqlite',
    env: { SQLITE_PATH: path },
    description: `SQLite ${path}`,
    rows: async <T>(sql: string, ...params: unknown[]) =>
      withDb(true, (db) => db.prepare(sql).all(...params) as T[]),
    run: async (sql, ...params) => withDb(false, (db) => db.prepare(sql).run(...params).changes),
    places: (placeIds) =>
      probe.rows<PlaceRow>(
        `SELECT ${PLACE_COLUMNS} FROM places_staging
         WHERE place_id IN (SELECT value FROM json_each(?)) ORDER BY place_id`,
        JSON.stringify(placeIds),
      ),
    count: async (where, ...params) => {
      const [row] = await probe.rows<{ n: number }>(
        `SELECT count(*) AS n FROM places_staging WHERE ${where}`,
        ...params,
      );
      return Number(row?.n);
    },
    dispose: async () => {},
  };
  return probe;
}

/**
 * A throwaway PostgreSQL database, created here and dropped (WITH FORCE) by dispose(). The server
 * (`env`) reaches it through the test PgBouncer on the pooler pass (TEST_THROUGH_POOLER=1, see
 * test/support/stores.ts); the probe, like CREATE / DROP DATABASE, always goes direct.
 */
export async function postgresStore(): Promise<StoreProbe> {
  const database = await createTestDatabase('se_e2e');
  const pool = new pg.Pool({ connectionString: database.directUrl, max: 1 });
  // A server killed mid-test drops its connections; ours must not take the runner down.
  pool.on('error', () => {});
  const toPg = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const probe: StoreProbe = {
    kind: 'postgres',
    env: { DATABASE_URL: database.url },
    description: `PostgreSQL database ${database.name}`,
    rows: async <T>(sql: string, ...params: unknown[]) =>
      (await pool.query(toPg(sql), params)).rows as T[],
    run: async (sql, ...params) => (await pool.query(toPg(sql), params)).rowCount ?? 0,
    places: (placeIds) =>
      probe.rows<PlaceRow>(
        `SELECT ${PLACE_COLUMNS} FROM ${PG_PLACES}
         WHERE place_id = ANY(?::text[]) ORDER BY place_id COLLATE "C"`,
        [...placeIds],
      ),
    count: async (where, ...params) => {
      const [row] = await probe.rows<{ n: string }>(
        `SELECT count(*) AS n FROM ${PG_PLACES} WHERE ${where}`,
        ...params,
      );
      return Number(row?.n);
    },
    async dispose() {
      await pool.end().catch(() => {});
      await database.drop();
    },
  };
  return probe;
}
