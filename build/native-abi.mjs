// What a native Node module (.node file) was built for, read from its bytes: the
// NODE_MODULE_VERSION it registers and the CPU it runs on. Pure: no loading, no Electron, so
// packaging can check better-sqlite3's rebuild on any host and Node tests can check this reader.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The NODE_MODULE_VERSION a module built with NODE_MODULE / NODE_MODULE_INIT registers: the
 * exported `node_register_module_v<N>` symbol (ELF, Mach-O with a leading `_`, PE exports).
 * Undefined for a file without one (a Node-API module registers `napi_register_module_v1`).
 * @param {Uint8Array} bytes
 * @returns {number | undefined}
 */
export function readModuleVersion(bytes) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const versions = new Set();
  for (const match of text.matchAll(/node_register_module_v(\d+)/g)) versions.add(Number(match[1]));
  if (versions.size > 1) {
    throw new Error(
      `The module registers several versions (${[...versions].join(', ')}), so its ABI is unclear.`,
    );
  }
  const [version] = versions;
  return version;
}

/**
 * The CPU a native binary is built for, from its ELF, Mach-O or PE header, in Node's names
 * (`process.arch`); `universal` for a fat Mach-O; undefined for anything else.
 * @param {Uint8Array} bytes
 * @returns {'x64' | 'arm64' | 'ia32' | 'arm' | 'universal' | undefined}
 */
export function readBinaryArch(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 64) return undefined;
  // ELF: "\x7fELF", e_machine at 18, in the file's byte order (EI_DATA at 5: 1 little, 2 big).
  if (view.getUint32(0) === 0x7f454c46) {
    const machine = view.getUint16(18, bytes[5] === 1);
    return { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' }[machine];
  }
  // Mach-O, 32 or 64-bit, little-endian on every Mac: magic, then cputype.
  const magic = view.getUint32(0, true);
  if (magic === 0xfeedfacf || magic === 0xfeedface) {
    const cpu = view.getUint32(4, true);
    return { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x7: 'ia32', 0xc: 'arm' }[cpu];
  }
  if (view.getUint32(0) === 0xcafebabe) return 'universal';
  // PE: "MZ", e_lfanew at 0x3c, "PE\0\0", then the machine.
  if (view.getUint16(0, true) === 0x5a4d) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 6 > bytes.length || view.getUint32(pe) !== 0x50450000) return undefined;
    const machine = view.getUint16(pe + 4, true);
    return { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm' }[machine];
  }
  return undefined;
}

/** electron-builder and @electron/rebuild say armv7l where Node says arm. */
const NODE_ARCH = { armv7l: 'arm' };

/**
 * Whether a binary rebuilt for Electron is fit to ship: null when it is, else one sentence
 * saying what is wrong.
 * @param {{ bytes: Uint8Array, file: string, electronVersion: string, electronAbi?: number,
 *   nodeAbi: number, arch: string }} build
 * @returns {string | null}
 */
export function electronBuildProblem({ bytes, file, electronVersion, electronAbi, nodeAbi, arch }) {
  const version = readModuleVersion(bytes);
  const target = `Electron ${electronVersion} (${arch})`;
  if (version === undefined) {
    return `${file} registers no NODE_MODULE_VERSION, so it cannot be checked against ${target}.`;
  }
  if (version === nodeAbi && electronAbi !== nodeAbi) {
    return (
      `${file} is still Node's build (NODE_MODULE_VERSION ${version}), not ${target}'s` +
      `${electronAbi ? ` (${electronAbi})` : ''}: the rebuild for Electron did not happen, and the app would fail to open its database.`
    );
  }
  if (electronAbi !== undefined && version !== electronAbi) {
    return `${file} is built for NODE_MODULE_VERSION ${version}, but ${target} needs ${electronAbi}.`;
  }
  const builtFor = readBinaryArch(bytes);
  const wanted = NODE_ARCH[arch] ?? arch;
  if (builtFor !== wanted && builtFor !== 'universal') {
    return `${file} is built for ${builtFor ?? 'an unknown CPU'}, but the package being built is for ${wanted}.`;
  }
  return null;
}

/**
 * The NODE_MODULE_VERSION of the native module at `file` (read from its bytes, never loaded), or
 * undefined when the file is missing or registers none.
 * @param {string} file
 * @returns {number | undefined}
 */
export function moduleVersionOfFile(file) {
  if (!existsSync(file)) return undefined;
  try {
    return readModuleVersion(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * The ABI of the Electron installed beside the project (its package ships abi_version).
 * @param {string} projectRoot
 * @returns {number}
 */
export function installedElectronAbi(projectRoot) {
  return Number(
    readFileSync(join(projectRoot, 'node_modules', 'electron', 'abi_version'), 'utf8').trim(),
  );
}
