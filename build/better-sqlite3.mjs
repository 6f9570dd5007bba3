// better-sqlite3 is a native module: node_modules holds the build for Node (tests, the CLI,
// `serve`), and the desktop app needs one built for Electron's ABI. The packaging hooks and
// `npm start` (scripts/start-desktop.mjs) use these functions to swap Electron's build in for as
// long as they need it and put Node's back afterwards, from a copy, so no network is needed then.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBuildProblem, installedElectronAbi } from './native-abi.mjs';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** node_modules' better-sqlite3 binary (Node's build, except while packaging). */
export const sqliteBinary = join(
  projectRoot,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
);
const binary = sqliteBinary;
const nodeBuildCopy = join(
  projectRoot,
  'node_modules',
  '.cache',
  'staging-editor',
  `better_sqlite3.node-abi${process.versions.modules}-${process.platform}-${process.arch}.node`,
);

/** The Electron version installed beside the project. */
export function installedElectronVersion() {
  const manifest = join(projectRoot, 'node_modules', 'electron', 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/**
 * The NODE_MODULE_VERSION of an Electron version, from the abi_version file the installed
 * electron package ships; undefined for another version than the installed one.
 */
export function electronAbi(electronVersion) {
  const abiFile = join(projectRoot, 'node_modules', 'electron', 'abi_version');
  if (installedElectronVersion() !== electronVersion || !existsSync(abiFile)) return undefined;
  return installedElectronAbi(projectRoot);
}

/**
 * Throws, with one sentence, unless node_modules' better-sqlite3 binary is built for this
 * Electron's ABI (not Node's) and for this arch. Run after buildForElectron, before copying.
 */
export function verifyElectronBuild({
  electronVersion = installedElectronVersion(),
  arch = process.arch,
} = {}) {
  const problem = electronBuildProblem({
    bytes: readFileSync(binary),
    file: relative(projectRoot, binary),
    electronVersion,
    electronAbi: electronAbi(electronVersion),
    nodeAbi: Number(process.versions.modules),
    arch,
  });
  if (problem) throw new Error(`Packaging stopped: ${problem}`);
}

/** Whether node_modules' better-sqlite3 opens a database in this Node. */
export function loadsInNode() {
  const probe = "new (require('better-sqlite3'))(':memory:').close()";
  return (
    spawnSync(process.execPath, ['-e', probe], { cwd: projectRoot, stdio: 'ignore' }).status === 0
  );
}

/**
 * Rebuilds better-sqlite3 (and nothing else) for Electron, keeping a copy of Node's build first.
 * `platform` only matters for downloading a prebuilt binary: native modules don't cross-compile.
 */
export async function buildForElectron({
  electronVersion = installedElectronVersion(),
  arch = process.arch,
  platform = process.platform,
} = {}) {
  if (existsSync(binary) && loadsInNode()) {
    mkdirSync(join(nodeBuildCopy, '..'), { recursive: true });
    copyFileSync(binary, nodeBuildCopy);
  }
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({
    buildPath: projectRoot,
    electronVersion,
    arch,
    platform,
    onlyModules: ['better-sqlite3'],
    force: true,
  });
}

/** Puts Node's build back: the saved copy if there is one, else `npm rebuild better-sqlite3`. */
export function restoreForNode() {
  if (loadsInNode()) return;
  if (existsSync(nodeBuildCopy)) {
    copyFileSync(nodeBuildCopy, binary);
    if (loadsInNode()) return;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['rebuild', 'better-sqlite3'], {
    cwd: projectRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0 || !loadsInNode()) {
    throw new Error(
      'better-sqlite3 could not be rebuilt for Node: run `npm rebuild better-sqlite3` in the project folder before running tests.',
    );
  }
}
