#!/usr/bin/env node
// `npm start` (and `npm run dev`): the desktop app in development. Downloads the Electron binary
// when it is missing (scripts/lib/electron-binary.mjs); gets better-sqlite3's Electron build into
// a cache file of its own, rebuilding only when there is no current one, with Node's build left
// in node_modules so the tests work while the app runs (scripts/lib/sqlite-for-electron.mjs);
// then builds with electron-vite and runs `electron .`, or with `--dev` runs electron-vite's dev
// server (hot reload). Exits non-zero when Node's build can't be put back.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildForElectron,
  projectRoot,
  restoreForNode,
  sqliteBinary,
} from '../build/better-sqlite3.mjs';
import { installedElectronAbi, moduleVersionOfFile } from '../build/native-abi.mjs';
import { ensureElectron } from './lib/electron-binary.mjs';
import {
  electronBuildCachePath,
  exitCodeFor,
  prepareSqliteForElectron,
  SQLITE_BINDING_ENV,
} from './lib/sqlite-for-electron.mjs';

/** `npm run dev`: electron-vite's dev server with hot reload instead of a build. */
const dev = process.argv.includes('--dev');

const electronPackage = join(projectRoot, 'node_modules', 'electron');
const found = ensureElectron({
  packageDir: electronPackage,
  env: process.env,
  platform: process.platform,
  readText: (file) => readFileSync(file, 'utf8'),
  exists: existsSync,
  runInstaller: () => {
    console.log('Downloading the Electron binary (once; Electron fetches it on first use)…');
    return spawnSync(process.execPath, [join(electronPackage, 'install.js')], {
      cwd: projectRoot,
      stdio: 'inherit',
    }).status;
  },
  probe: runsHere,
});
if (!found.ok) {
  console.error(found.message);
  process.exit(1);
}
const electron = found.executable;

// better-sqlite3 for Electron, from its cache file (rebuilt only when there is no current one);
// Node's build stays in node_modules, so the Node tests work while the app runs.
const abi = installedElectronAbi(projectRoot);
let sqlite;
try {
  sqlite = await prepareSqliteForElectron({
    electronAbi: abi,
    cachedFile: electronBuildCachePath({
      projectRoot,
      sqliteVersion: packageVersion('better-sqlite3'),
      abi,
      platform: process.platform,
      arch: process.arch,
    }),
    inPlaceFile: sqliteBinary,
    probe: (file) => moduleVersionOfFile(file),
    copy: (from, to) => {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    },
    rebuild: () => {
      console.log(`Building better-sqlite3 for Electron (ABI ${abi}), once…`);
      return buildForElectron();
    },
    restore: restoreForNode,
  });
} catch (error) {
  console.error(`better-sqlite3 is not ready for Electron: ${error.message}`);
  process.exit(1);
}

const env = { ...process.env, [SQLITE_BINDING_ENV]: sqlite.binding };
delete env.ELECTRON_RUN_AS_NODE; // would make Electron a plain Node
let app;
if (dev) {
  // electron-vite's dev server: the window loads ELECTRON_RENDERER_URL and reloads on changes.
  app = spawn(process.execPath, [binOf('electron-vite'), 'dev'], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...env, ELECTRON_EXEC_PATH: electron },
  });
} else {
  runOrExit(process.execPath, [binOf('electron-vite'), 'build']);
  app = spawn(electron, ['.'], { cwd: projectRoot, stdio: 'inherit', env });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The app closes its backend on quit; wait for it rather than dying first.
  process.on(signal, () => app.kill(signal));
}
app.on('error', (error) => {
  console.error(`Electron could not be started: ${error.message}`);
});
app.on('close', (code, signal) => {
  // Node's build was put back before launch; check it is still there (a packaging run in
  // between could have swapped it) and say so if it can't be restored.
  let nodeBuildRestored = true;
  try {
    restoreForNode();
  } catch (error) {
    console.error(error.message);
    nodeBuildRestored = false;
  }
  process.exit(exitCodeFor({ code, signal, nodeBuildRestored }));
});

/** Present is not enough: missing shared libraries or the wrong architecture fail here. */
function runsHere(executable) {
  const probe = spawnSync(executable, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
    timeout: 30_000,
  });
  return probe.status === 0;
}

function binOf(name) {
  const manifest = JSON.parse(
    readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8'),
  );
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return join(projectRoot, 'node_modules', name, bin);
}

function runOrExit(command, args) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8'))
    .version;
}
