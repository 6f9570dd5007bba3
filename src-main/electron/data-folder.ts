import nodePath from 'node:path';

/**
 * The folder under the OS's app-data folder that holds the desktop app's data: Chromium's files
 * and the backend's (SQLite store, keys, window state). The same name as `defaultDataDir()` in
 * src-main/config.ts, so the desktop app and `staging-editor serve` share one folder. It is set
 * explicitly rather than derived from the app's name, which is the human "Staging Editor" (the
 * productName in package.json, shown in the macOS menu as "Quit Staging Editor").
 */
export const DATA_FOLDER_NAME = 'staging-editor';

export interface UserDataDirInput {
  /** STAGING_EDITOR_DATA_DIR, if set. */
  override: string | undefined;
  /** The working directory a relative override is resolved against. */
  cwd: string;
  /** Electron's app.getPath('appData'). */
  appData: string;
  /** path.win32 to check the Windows rules anywhere. */
  paths?: Pick<typeof nodePath, 'resolve' | 'join'>;
}

/**
 * Electron's userData folder: STAGING_EDITOR_DATA_DIR when set (a relative path is taken from the
 * working directory the app was started in, as the CLI does; app.setPath only takes absolute
 * paths), otherwise `<appData>/staging-editor`.
 */
export function userDataDir({
  override,
  cwd,
  appData,
  paths = nodePath,
}: UserDataDirInput): string {
  const trimmed = override?.trim();
  if (trimmed) return paths.resolve(cwd, trimmed);
  return paths.join(appData, DATA_FOLDER_NAME);
}
