import type Database from 'better-sqlite3';
import type pg from 'pg';
import { readMigrationScripts, type MigrationScript } from './sql-dir';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/** The first script the ledger does not list, if any. */
function nextPending(scripts: MigrationScript[], done: { version: string }[]) {
  const versions = new Set(done.map((r) => r.version));
  return scripts.find((s) => !versions.has(s.version));
}

function report(scripts: MigrationScript[], applied: string[]): MigrationReport {
  return {
    applied,
    alreadyApplied: scripts.filter((s) => !applied.includes(s.file)).map((s) => s.file),
  };
}

const CREATE_LEDGER_PG = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
const CREATE_LEDGER_SQLITE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  applied_at integer NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)))`;

const MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('staging-editor:migrate'))";

/**
 * Applies the scripts in sql/pg that schema_migrations does not list, one transaction per script.
 * Each transaction first takes a transaction-level advisory lock and only then reads the ledger,
 * so desktops and workers starting together take turns and each script runs once; the lock ends
 * with its transaction, so this is safe behind a transaction-mode pooler (PgBouncer), where a
 * session-level lock could be taken on one server connection and released on another.
 */
export async function migratePostgres(pool: pg.Pool): Promise<MigrationReport> {
  const scripts = readMigrationScripts('postgres');
  const applied: string[] = [];
  const client = await pool.connect();
  let broken = false;
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATION_LOCK);
        await client.query(CREATE_LEDGER_PG);
        const { rows } = await client.query<{ version: string }>(
          'SELECT version FROM schema_migrations',
        );
        const next = nextPending(scripts, rows);
        if (!next) {
          await client.query('COMMIT');
          break;
        }
        try {
          await client.query(next.sql);
        } catch (error) {
          throw new Error(`Schema script sql/pg/${next.file} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        await client.query(
          'INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT (version) DO NOTHING',
          [next.version],
        );
        await client.query('COMMIT');
        applied.push(next.file);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    }
  } finally {
    client.release(broken);
  }
  return report(scripts, applied);
}

/**
 * The same for sql/sqlite: each script under BEGIN IMMEDIATE, reading the ledger inside that
 * transaction, so two processes opening one file at once do not both run a script.
 */
export function migrateSqlite(sqlite: Database.Database): MigrationReport {
  const scripts = readMigrationScripts('sqlite');
  const applied: string[] = [];
  sqlite.exec(CREATE_LEDGER_SQLITE);
  const step = sqlite.transaction((): string | undefined => {
    const rows = sqlite.prepare('SELECT version FROM schema_migrations').all() as {
      version: string;
    }[];
    const next = nextPending(scripts, rows);
    if (!next) return undefined;
    try {
      sqlite.exec(next.sql);
    } catch (error) {
      throw new Error(`Schema script sql/sqlite/${next.file} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    sqlite
      .prepare('INSERT OR IGNORE INTO schema_migrations (version) VALUES (?)')
      .run(next.version);
    return next.file;
  });
  for (let file = step.immediate(); file; file = step.immediate()) applied.push(file);
  return report(scripts, applied);
}
