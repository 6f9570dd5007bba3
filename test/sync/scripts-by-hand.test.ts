import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findSqlDir } from '../../src-main/db/sql-dir';
import { createStoreAt } from '../db/stores-at-version';

const SCRIPT = '0006_status_revision_sync.sql';

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test.runIf(hasCli('psql'))(
  'sql/pg/0006 runs with psql -1, twice: existing rows start at 0, the trigger counts status changes',
  async () => {
    const { handle, raw } = await createStoreAt('postgres', '0005');
    try {
      await raw.query(
        "INSERT INTO places_staging (place_id, name, status) VALUES ('x', 'X', 'Maybe')",
      );
      const file = join(findSqlDir(), 'pg', SCRIPT);
      for (let i = 0; i < 2; i++) {
        // Quiet, without PGOPTIONS (a startup parameter, which PgBouncer refuses): SET LOCAL in
        // the same single transaction.
        execFileSync('psql', [
          '-X',
          '-q',
          '-1',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          'SET LOCAL client_min_messages = warning',
          '-f',
          file,
          handle.settings.DATABASE_URL!,
        ]);
      }
      await raw.query("UPDATE places_staging SET status = 'Archived' WHERE place_id = 'x'");
      await raw.query("UPDATE places_staging SET deep_scan_status = 'Queued' WHERE place_id = 'x'");
      const rows = await raw.query<{ status_revision: number }>(
        'SELECT status_revision FROM places_staging',
      );
      expect(rows).toEqual([{ status_revision: 1 }]);
      const triggers = await raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'places_staging_status_revision'",
      );
      expect(triggers).toEqual([{ n: 1 }]);
    } finally {
      await raw.close();
      await handle.dispose();
    }
  },
);

test.runIf(hasCli('sqlite3'))(
  'sql/sqlite/0006 runs in the sqlite3 shell; a second run stops at its first statement and changes nothing',
  async () => {
    const { handle, raw } = await createStoreAt('sqlite', '0005');
    try {
      await raw.query(
        "INSERT INTO places_staging (place_id, name, status) VALUES ('x', 'X', 'Maybe')",
      );
      await raw.close();
      const file = join(findSqlDir(), 'sqlite', SCRIPT);
      const path = handle.settings.SQLITE_PATH!;
      execFileSync('sqlite3', ['-bail', path], { input: readFileSync(file) });
      const dump = () => execFileSync('sqlite3', [path, '.dump']).toString();
      const before = dump();
      for (const args of [['-bail', path], [path]]) {
        const second = spawnSync('sqlite3', args, { input: readFileSync(file) });
        expect(second.stderr.toString()).toMatch(/duplicate column name: status_revision/);
        expect(dump()).toBe(before);
      }
      const out = execFileSync('sqlite3', [
        path,
        "UPDATE places_staging SET status = 'Archived'; UPDATE places_staging SET deep_scan_status = 'Queued'; UPDATE places_staging SET status = 'Archived'; SELECT status_revision FROM places_staging;",
      ]).toString();
      expect(out).toBe('1\n');
    } finally {
      await handle.dispose();
    }
  },
);
