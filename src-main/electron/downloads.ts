import { basename, join } from 'node:path';
import { APP_ORIGIN } from './app-protocol';

/**
 * The app's only downloads are the files it makes itself (Export…: a CSV built in the page and
 * handed over as a blob: URL of the page's own origin). Anything else, such as a link a place's
 * data might carry, is refused: nothing is fetched from elsewhere onto the reviewer's disk.
 */
export function downloadAllowed(url: string, devOrigin?: string): boolean {
  return [APP_ORIGIN, ...(devOrigin ? [devOrigin] : [])].some((origin) =>
    url.startsWith(`blob:${origin}/`),
  );
}

/**
 * The save dialog of an allowed download: offered in the Downloads folder under the page's
 * file name (never a path: only its last part), as a CSV.
 */
export function downloadSaveOptions(fileName: string, downloadsDir: string) {
  const name = basename(fileName.replaceAll('\\', '/')) || 'staging-editor-export.csv';
  return {
    title: 'Save the export',
    defaultPath: join(downloadsDir, name),
    filters: [
      { name: 'CSV (comma-separated values)', extensions: ['csv'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
}
