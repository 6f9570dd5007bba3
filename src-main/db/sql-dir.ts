import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Dialect = 'postgres' | 'sqlite';

export interface MigrationScript {
  /** The number before the first underscore, e.g. '0001'. */
  version: string;
  file: string;
  sql: string;
}

/**
 * Finds the `sql/` folder that ships with the app: STAGING_EDITOR_SQL_DIR when set (the packaged
 * desktop app points it at its resources), else the nearest `sql/` above this module (the source
 * tree under tsx/vitest, or `out/main` after a build).
 */
export function findSqlDir(start = import.meta.dirname): string {
  const override = process.env.STAGING_EDITOR_SQL_DIR;
  if (override) return override;
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'sql', 'pg')) && existsSync(join(dir, 'sql', 'sqlite'))) {
      return join(dir, 'sql');
    }
    if (dirname(dir) === dir) {
      throw new Error(`Cannot find the sql/ folder with the schema scripts above ${start}.`);
    }
  }
}

export function readMigrationScripts(dialect: Dialect, sqlDir = findSqlDir()): MigrationScript[] {
  const folder = join(sqlDir, dialect === 'postgres' ? 'pg' : 'sqlite');
  return readdirSync(folder)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: file.slice(0, 4),
      file,
      sql: readFileSync(join(folder, file), 'utf8'),
    }));
}
