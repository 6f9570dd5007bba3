import type Database from 'better-sqlite3';
import type pg from 'pg';
import { readMigrationScripts, type MigrationScript } from './sql-dir';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

function pending(
  scripts: MigrationScript[],
  done: Set<string>,
): MigrationReport & { todo: MigrationScript[] } {
  const todo = scripts.filter((s) => !done.has(s.version));
  return {
    todo,
    applied: todo.map((s) => s.file),
    alreadyApplied: scripts.filter((s) => done.has(s.version)).map((s) => s.file),
  };
}

const CREATE_LEDGER_PG = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
const CREATE_LEDGER_SQLITE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  applied_at integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)))`;

/**
 * Applies the scripts in sql/pg that schema_migrations does not list, each in its own
 * transaction, under an advisory lock so that desktops and workers starting together take turns.
 */
export async function migratePostgres(pool: pg.Pool): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('staging-editor:migrate'))");
    await client.query(CREATE_LEDGER_PG);
    const { rows } = await client.query<{ version: string }>(
      'SELECT version FROM schema_migrations',
    );
    const plan = pending(readMigrationScripts('postgres'), new Set(rows.map((r) => r.version)));
    for (const script of plan.todo) {
      await client.query('BEGIN');
      try {
        await client.query(script.sql);
        await client.query(
          'INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT (version) DO NOTHING',
          [script.version],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Schema script sql/pg/${script.file} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    return { applied: plan.applied, alreadyApplied: plan.alreadyApplied };
  } finally {
    await client
      .query("SELECT pg_advisory_unlock(hashtext('staging-editor:migrate'))")
      .catch(() => {});
    client.release();
  }
}

/** The same for sql/sqlite, each script under BEGIN IMMEDIATE. */
export function migrateSqlite(sqlite: Database.Database): MigrationReport {
  sqlite.exec(CREATE_LEDGER_SQLITE);
  const rows = sqlite.prepare('SELECT version FROM schema_migrations').all() as {
    version: string;
  }[];
  const plan = pending(readMigrationScripts('sqlite'), new Set(rows.map((r) => r.version)));
  for (const script of plan.todo) {
    const apply = sqlite.transaction(() => {
      sqlite.exec(script.sql);
      sqlite
        .prepare('INSERT OR IGNORE INTO schema_migrations (version) VALUES (?)')
        .run(script.version);
    });
    try {
      apply.immediate();
    } catch (error) {
      throw new Error(
        `Schema script sql/sqlite/${script.file} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return { applied: plan.applied, alreadyApplied: plan.alreadyApplied };
}
