import Database from 'better-sqlite3';
import { sqliteOptions } from '../db/sqlite-binding';

/**
 * Only one process may run the deep scan loop on a SQLite file: the desktop app and `serve` or
 * `worker` share the default data folder, and the SQLite queue assumes one process (its start-up
 * recovery re-queues every place left Processing). The lock is an exclusive SQLite transaction
 * held open on a small file next to the database (`<db>.scan-lock`): SQLite takes it with the
 * operating system's own file locks (fcntl on Linux and macOS, LockFileEx on Windows), which the
 * OS releases when the process ends in any way, a crash or kill -9 included, so a dead holder
 * never blocks the next start. A second process gets SQLITE_BUSY at once (no busy wait).
 */
export interface SqliteScanLock {
  readonly path: string;
  release(): void;
}

export function sqliteScanLockPath(databasePath: string): string {
  return `${databasePath}.scan-lock`;
}

/** The lock, or null when another live process (or connection) holds it. */
export function tryAcquireSqliteScanLock(databasePath: string): SqliteScanLock | null {
  const path = sqliteScanLockPath(databasePath);
  const db = new Database(path, sqliteOptions({ timeout: 0 }));
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
