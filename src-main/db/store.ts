import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import pg from 'pg';
import { sqlitePath, type Settings } from '../config';
import { migratePostgres, migrateSqlite, type MigrationReport } from './migrate';
import {
  hasTimeouts,
  refusedTimeoutParameter,
  setTimeoutsPerTransaction,
  startupParameters,
  timeoutsHold,
  type PgTimeouts,
  type TimeoutDelivery,
} from './pg-timeouts';
import { sqliteOptions } from './sqlite-binding';
import * as pgSchema from './schema.pg';
import * as sqliteSchema from './schema.sqlite';

export interface PgStore {
  kind: 'postgres';
  db: NodePgDatabase<typeof pgSchema>;
  pool: pg.Pool;
  /** Where the data lives, without credentials, for messages. */
  description: string;
  /**
   * How lock_timeout and statement_timeout reach the server: as startup parameters, or set in
   * every transaction because a pooler between refused or dropped them (pg-timeouts.ts).
   */
  timeoutDelivery: TimeoutDelivery;
  close(): Promise<void>;
}

/** A transaction on the PostgreSQL store (what `db.transaction` hands its callback). */
export type PgTx = Parameters<Parameters<PgStore['db']['transaction']>[0]>[0];

/** A transaction on the SQLite store (what `db.transaction` hands its callback). */
export type SqliteTx = Parameters<Parameters<SqliteStore['db']['transaction']>[0]>[0];

export interface SqliteStore {
  kind: 'sqlite';
  db: BetterSQLite3Database<typeof sqliteSchema>;
  sqlite: Database.Database;
  path: string;
  description: string;
  close(): Promise<void>;
}

export type Store = PgStore | SqliteStore;

export interface OpenStoreOptions {
  /** Apply pending sql/ scripts (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10; `openStore` takes DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** How long a query waits for a pooled connection (default 10 s). */
  connectTimeoutMs?: number;
  /** PostgreSQL `lock_timeout` for every connection (default: none). */
  lockTimeoutMs?: number;
  /** PostgreSQL `statement_timeout` for every connection (default: none). */
  statementTimeoutMs?: number;
}

export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export async function openPostgres(url: string, options: OpenStoreOptions = {}): Promise<PgStore> {
  const timeouts: PgTimeouts = {
    lockTimeoutMs: options.lockTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs,
  };
  const makePool = (withStartupParameters: boolean) =>
    survivesLostConnections(
      new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        application_name: 'staging-editor',
        // Startup parameters: they hold for every statement on the connection without a session
        // SET. Behind a pooler that refuses or drops them, they are set per transaction instead
        // (see pg-timeouts.ts).
        ...(withStartupParameters ? startupParameters(timeouts) : {}),
      }),
    );
  let pool = makePool(true);
  const description = describeDatabaseUrl(url);
  let timeoutDelivery: TimeoutDelivery = hasTimeouts(timeouts) ? 'startup' : 'none';
  try {
    if (options.migrate !== false) await migrateWithoutTimeouts(url);
    try {
      if (!(await timeoutsHold(pool, timeouts))) timeoutDelivery = 'per-transaction';
    } catch (error) {
      if (!refusedTimeoutParameter(error)) throw error;
      timeoutDelivery = 'per-transaction';
    }
    if (timeoutDelivery === 'per-transaction') {
      // A pool of clients that set them in every transaction, from its first client on.
      await pool.end().catch(() => {});
      pool = makePool(false);
      setTimeoutsPerTransaction(pool, timeouts);
      await pool.query('SELECT 1');
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot open ${description}: ${(error as Error).message}`, { cause: error });
  }
  return {
    kind: 'postgres',
    db: drizzlePg(pool, { schema: pgSchema }),
    pool,
    description,
    timeoutDelivery,
    close: () => pool.end(),
  };
}

/**
 * A client losing its connection must not crash the process: the pool hears it while the client
 * is idle; while it is checked out (say mid-transaction, when PostgreSQL restarts) only a
 * listener of the client's own does. The query in flight fails with the error anyway, and the
 * pool discards the broken client when it comes back. Every pool the app makes goes through here.
 */
export function survivesLostConnections(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Migrations may rewrite big tables: one connection of their own, without the timeouts. */
async function migrateWithoutTimeouts(url: string): Promise<void> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 10_000,
    application_name: 'staging-editor migrate',
  });
  survivesLostConnections(pool);
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
}

/**
 * The embedded store's page cache, KiB (better-sqlite3's default: 16,000). A status update of
 * many places rewrites entries in every index that carries the status, in the order of each
 * index: with the default cache their pages were read again from the OS for most rows (100,000
 * of 200,000 places, with 0012's eight sort indexes still carrying it: ~8.5 s, ~5 s with this).
 * Filled only as pages are read; at most this much per connection.
 */
export const SQLITE_CACHE_KIB = 64 * 1024;

export function openSqlite(path: string, options: OpenStoreOptions = {}): SqliteStore {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, sqliteOptions());
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  if (options.migrate !== false) migrateSqlite(sqlite);
  return {
    kind: 'sqlite',
    db: drizzleSqlite(sqlite, { schema: sqliteSchema }),
    sqlite,
    path,
    description: `SQLite ${path}`,
    close: async () => {
      sqlite.close();
    },
  };
}

/** PostgreSQL when DATABASE_URL is set, else the embedded SQLite file. */
export async function openStore(
  settings: Settings,
  options: OpenStoreOptions = {},
): Promise<Store> {
  return settings.DATABASE_URL
    ? openPostgres(settings.DATABASE_URL, {
        poolSize: settings.DATABASE_POOL_SIZE,
        connectTimeoutMs: settings.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
        lockTimeoutMs: settings.DATABASE_LOCK_TIMEOUT_SECONDS * 1000,
        statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000,
        ...options,
      })
    : openSqlite(sqlitePath(settings), options);
}

export async function migrateStore(
  settings: Settings,
): Promise<MigrationReport & { description: string }> {
  if (settings.DATABASE_URL) {
    const store = await openPostgres(settings.DATABASE_URL, { migrate: false, poolSize: 1 });
    try {
      return { ...(await migratePostgres(store.pool)), description: store.description };
    } finally {
      await store.close();
    }
  }
  const store = openSqlite(sqlitePath(settings), { migrate: false });
  try {
    return { ...migrateSqlite(store.sqlite), description: store.description };
  } finally {
    await store.close();
  }
}
