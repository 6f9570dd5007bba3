#!/usr/bin/env node
// `npm start`: the desktop app in development, on a machine that has the Electron binary.
// Builds with electron-vite, swaps better-sqlite3's Electron build in (build/better-sqlite3.mjs),
// runs `electron .`, and puts Node's build back when the app exits so the tests keep working.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildForElectron, projectRoot, restoreForNode } from '../build/better-sqlite3.mjs';

const electron = findLaunchableElectron();
if (!electron) {
  console.error(
    "The desktop app can't start here because the Electron binary is not installed or can't run on this machine (node_modules/electron has no usable download); use the browser version instead: run `npm run build` and then `npx staging-editor serve`, and open the sign-in link it prints.",
  );
  process.exit(1);
}

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

/** The Electron executable if it is downloaded and runs here; never triggers a download. */
function findLaunchableElectron() {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override
    ? join(override, relative || 'electron')
    : relative && join(packageDir, 'dist', relative);
  if (!executable) return undefined;
  try {
    accessSync(executable, constants.X_OK);
  } catch {
    return undefined;
  }
  // Present is not enough: missing shared libraries or the wrong architecture fail here.
  const probe = spawnSync(executable, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
    timeout: 30_000,
  });
  return probe.status === 0 ? executable : undefined;
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
