// Finding, fetching and checking the Electron binary for `npm start` (scripts/start-desktop.mjs).
// Electron 45 downloads its binary lazily, the first time `require('electron')` or its
// `install-electron` script runs, not during `npm install`. Everything here takes its effects
// (file reads, the installer, the probe) as arguments, so the tests run it on fake packages.
import { join } from 'node:path';

/** The executable inside Electron's dist folder, as node_modules/electron/install.js names it. */
export function electronPlatformPath(platform) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return undefined;
  }
}

/**
 * Where the Electron executable is (or will be once downloaded) and whether it is installed, by
 * the same rules as the electron package's install.js and index.js: dist/version matches the
 * package's version, path.txt names this platform's executable, and that file exists. With
 * ELECTRON_OVERRIDE_DIST_PATH the executable is looked for there and never downloaded.
 */
export function locateElectron({ packageDir, env, platform, readText, exists }) {
  const platformPath = electronPlatformPath(
    env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || platform,
  );
  const read = (file) => {
    try {
      return readText(join(packageDir, file)).trim();
    } catch {
      return undefined;
    }
  };
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = join(override, read('path.txt') || platformPath || 'electron');
    return { executable, installed: exists(executable), override: true };
  }
  if (!platformPath) return { executable: undefined, installed: false, override: false };
  const executable = join(packageDir, 'dist', platformPath);
  let version;
  try {
    version = JSON.parse(readText(join(packageDir, 'package.json'))).version;
  } catch {
    version = undefined;
  }
  const installed =
    version !== undefined &&
    read(join('dist', 'version'))?.replace(/^v/, '') === version &&
    read('path.txt') === platformPath &&
    exists(executable);
  return { executable, installed, override: false };
}

export const DOWNLOAD_HELP =
  'check the network, set ELECTRON_GET_USE_PROXY=1 with HTTPS_PROXY behind a proxy or ELECTRON_MIRROR to download from a mirror, and run `npm start` again, or use the browser version with `npm run serve`';

/**
 * The Electron executable, downloaded first if it is missing, and checked to run here; or the
 * one sentence that says why not and what to try.
 *
 * - runInstaller(): runs node_modules/electron/install.js (Electron's own download, through
 *   @electron/get, which honours ELECTRON_MIRROR, ELECTRON_GET_USE_PROXY, electron_config_cache
 *   and the rest), returns its exit status.
 * - probe(executable): whether `<executable> --version` (as Node) exits 0 here.
 */
export function ensureElectron({
  packageDir,
  env,
  platform,
  readText,
  exists,
  runInstaller,
  probe,
}) {
  let found = locateElectron({ packageDir, env, platform, readText, exists });
  if (!found.installed && found.override) {
    return {
      ok: false,
      message: `There is no Electron executable at ${found.executable} (ELECTRON_OVERRIDE_DIST_PATH is set, so nothing is downloaded): point it at an unpacked Electron ${versionOf(packageDir, readText)} or unset it, or use the browser version with \`npm run serve\`.`,
    };
  }
  if (!found.executable) {
    return {
      ok: false,
      message: `Electron has no build for this platform (${platform}): use the browser version with \`npm run serve\`.`,
    };
  }
  if (!found.installed) {
    const status = runInstaller();
    found = locateElectron({ packageDir, env, platform, readText, exists });
    if (status !== 0 || !found.installed) {
      return {
        ok: false,
        message: `The Electron binary could not be downloaded (the lines above say why): ${DOWNLOAD_HELP}.`,
      };
    }
  }
  if (!probe(found.executable)) {
    return {
      ok: false,
      message: `The Electron binary at ${found.executable} is installed but does not run on this machine (missing system libraries or the wrong architecture; \`${found.executable} --version\` shows why): use the browser version with \`npm run serve\`.`,
    };
  }
  return { ok: true, executable: found.executable };
}

function versionOf(packageDir, readText) {
  try {
    return JSON.parse(readText(join(packageDir, 'package.json'))).version;
  } catch {
    return '';
  }
}
