// Which ABI (NODE_MODULE_VERSION) a native module was built for, found without Electron: Node
// loads the file, and either it loads (it is this Node's ABI) or Node refuses it with a message
// naming the version it was compiled against. Electron's ABI is in node_modules/electron/abi_version.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The module version a Node load error names as the one the file was compiled against:
 * "...was compiled against a different Node.js version using NODE_MODULE_VERSION 140. This
 * version of Node.js requires NODE_MODULE_VERSION 115...". Undefined for any other error.
 */
export function moduleVersionFromLoadError(message) {
  const match =
    /compiled against a different Node\.js version\s+using\s+NODE_MODULE_VERSION (\d+)/.exec(
      String(message),
    );
  return match ? Number(match[1]) : undefined;
}

const PROBE = `
const file = process.argv[1];
try {
  process.dlopen({ exports: {} }, file);
  process.stdout.write(JSON.stringify({ loaded: true, modules: process.versions.modules }));
} catch (error) {
  process.stdout.write(JSON.stringify({ loaded: false, message: String(error && error.message) }));
}`;

/**
 * The NODE_MODULE_VERSION `file` was built for, as a number, or undefined (with the reason) when
 * it can't be told: a missing or broken file. Loads it in a separate Node (`nodePath`), so this
 * process never holds the library open.
 */
export function probeModuleVersion(file, { nodePath = process.execPath } = {}) {
  const result = spawnSync(nodePath, ['-e', PROBE, file], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 30_000,
  });
  let answer;
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    return { abi: undefined, reason: result.stderr?.trim() || 'the probe did not answer' };
  }
  if (answer.loaded) return { abi: Number(answer.modules) };
  const abi = moduleVersionFromLoadError(answer.message);
  return abi === undefined ? { abi, reason: answer.message } : { abi };
}

/** The ABI of the Electron installed beside the project (its package ships abi_version). */
export function electronAbi(projectRoot) {
  return Number(
    readFileSync(join(projectRoot, 'node_modules', 'electron', 'abi_version'), 'utf8').trim(),
  );
}
