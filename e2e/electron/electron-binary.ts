import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron binary node_modules' `electron` package has downloaded, or why there is none.
 * Electron 45 fetches its binary lazily: the package's path.txt names the executable under
 * dist/ once `install-electron` (or a first `require('electron')`) has downloaded it. This reads
 * the same files without starting a download, so a machine that can't reach the download host
 * gets a reason at once instead of a failed fetch.
 */
export function findElectronBinary(
  electronDir: string,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { path: string } | { missing: string } {
  const pathFile = join(electronDir, 'path.txt');
  if (!exists(pathFile)) {
    return {
      missing:
        "Electron's binary has not been downloaded (node_modules/electron/path.txt is missing): " +
        'run `node node_modules/electron/install.js` where its download host can be reached; this smoke test runs on the release workflow.',
    };
  }
  const executable = read(pathFile).trim();
  const path = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : join(electronDir, 'dist', executable);
  if (!exists(path)) {
    return {
      missing: `Electron's binary is not at ${path}: run \`node node_modules/electron/install.js\` to download it again.`,
    };
  }
  return { path };
}
