import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  developmentSqliteBinding,
  SQLITE_BINDING_ENV,
  sqliteOptions,
  useSqliteNativeBinding,
} from './sqlite-binding';

afterEach(() => useSqliteNativeBinding(undefined));

describe("the better-sqlite3 binary npm start's build names", () => {
  const env = { [SQLITE_BINDING_ENV]: '/cache/better_sqlite3-electron.node' };

  it('is used by the development app', () => {
    expect(developmentSqliteBinding({ isPackaged: false, env })).toBe(
      '/cache/better_sqlite3-electron.node',
    );
    expect(developmentSqliteBinding({ isPackaged: false, env: {} })).toBeUndefined();
  });

  it('is never used by an installed app', () => {
    expect(developmentSqliteBinding({ isPackaged: true, env })).toBeUndefined();
  });

  it('reaches new Database(...) once set, and nothing changes when it is not', () => {
    expect(sqliteOptions({ timeout: 0 })).toEqual({ timeout: 0 });
    useSqliteNativeBinding('/x.node');
    expect(sqliteOptions({ timeout: 0 })).toEqual({ timeout: 0, nativeBinding: '/x.node' });
    expect(sqliteOptions()).toEqual({ nativeBinding: '/x.node' });
  });

  it('is the variable scripts/start-desktop sets', () => {
    const script = readFileSync(
      join(import.meta.dirname, '..', '..', 'scripts', 'lib', 'sqlite-for-electron.mjs'),
      'utf8',
    );
    expect(script).toContain(`export const SQLITE_BINDING_ENV = '${SQLITE_BINDING_ENV}';`);
  });
});
