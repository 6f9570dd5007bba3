import type Database from 'better-sqlite3';

/**
 * Which better-sqlite3 binary the backend opens SQLite with. Normally better-sqlite3's own
 * (node_modules, or the unpacked one in an installed app). `npm start` instead builds the
 * Electron binary into a cache file and names it in STAGING_EDITOR_SQLITE_BINDING, so
 * node_modules keeps Node's build while the app runs and the Node tests still work then. Only the
 * unpackaged development app honours it: an installed app never loads native code an environment
 * variable names.
 */
export const SQLITE_BINDING_ENV = 'STAGING_EDITOR_SQLITE_BINDING';

let nativeBinding: string | undefined;

/** The binary the development app should use, or undefined for better-sqlite3's own. */
export function developmentSqliteBinding(input: {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
}): string | undefined {
  if (input.isPackaged) return undefined;
  return input.env[SQLITE_BINDING_ENV]?.trim() || undefined;
}

/** Set once at start-up by the process that runs the backend, before any store opens. */
export function useSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** Options for `new Database(...)`, with the chosen binary when one was set. */
export function sqliteOptions(options: Database.Options = {}): Database.Options {
  return nativeBinding ? { ...options, nativeBinding } : options;
}
