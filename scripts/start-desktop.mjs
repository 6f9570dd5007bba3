#!/usr/bin/env node
// `npm start`: the desktop app in development. Downloads the Electron binary when it is missing
// (scripts/lib/electron-binary.mjs), builds with electron-vite, swaps better-sqlite3's Electron build in (build/better-sqlite3.mjs),
// runs `electron .`, and puts Node's build back when the app exits so the tests keep working.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildForElectron, projectRoot, restoreForNode } from '../build/better-sqlite3.mjs';
import { ensureElectron } from './lib/electron-binary.mjs';

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

runOrExit(process.execPath, [binOf('electron-vite'), 'build']);

try {
  await buildForElectron();
} catch (error) {
  console.error(`better-sqlite3 could not be rebuilt for Electron: ${error.message}`);
  restoreQuietly();
  process.exit(1);
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE; // would make Electron a plain Node
const app = spawn(electron, ['.'], { cwd: projectRoot, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The app closes its backend on quit; wait for it rather than dying first.
  process.on(signal, () => app.kill(signal));
}
app.on('error', (error) => {
  console.error(`Electron could not be started: ${error.message}`);
});
app.on('close', (code, signal) => {
  const restored = restoreQuietly();
  process.exit(code ?? (signal || !restored ? 1 : 0));
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

function restoreQuietly() {
  try {
    restoreForNode();
    return true;
  } catch (error) {
    console.error(error.message);
    return false;
  }
}
