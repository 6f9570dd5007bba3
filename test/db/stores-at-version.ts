import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath } from '../../src-main/config';
import { readMigrationScripts } from '../../src-main/db/sql-dir';
import { createTestStore, type StoreKind, type TestStoreHandle } from '../support/stores';

/** Raw access to a store built by hand, without the app: what an operator with psql/sqlite3 has. */
export interface RawStore {
  kind: StoreKind;
  /** Runs one or more statements (no parameters). */
  exec(sql: string): Promise<void>;
  /** One statement with positional parameters ($1, $2 on PostgreSQL; ? on SQLite). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function rawStore(handle: TestStoreHandle): RawStore {
  if (handle.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: handle.settings.DATABASE_URL, max: 1 });
    pool.on('error', () => {});
    return {
      kind: 'postgres',
      exec: async (sql) => {
        await pool.query(sql);
      },
      query: async <T>(sql: string, params: unknown[] = []) =>
        (await pool.query(sql, params)).rows as T[],
      close: () => pool.end(),
    };
  }
  const db = new Database(sqlitePath(handle.settings));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return {
    kind: 'sqlite',
    exec: async (sql) => {
      db.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    close: async () => {
      db.close();
    },
  };
}

/** The versions the app ships, in order ('0001', '0002', ...). */
export const shippedVersions = () => readMigrationScripts('postgres').map((s) => s.version);

/**
 * A fresh store on which the scripts up to `version` were run by hand, as an operator would with
 * `psql -1 -f` or `sqlite3` (each script records itself in schema_migrations). `handle.open()`
 * then opens it with the app, which applies the rest through its migration runner.
 */
export async function createStoreAt(
  kind: StoreKind,
  version: string,
): Promise<{ handle: TestStoreHandle; raw: RawStore }> {
  const handle = await createTestStore(kind);
  const raw = rawStore(handle);
  for (const script of readMigrationScripts(kind)) {
    if (script.version > version) break;
    await raw.exec(kind === 'postgres' ? `BEGIN;\n${script.sql}\nCOMMIT;` : script.sql);
  }
  return { handle, raw };
}
