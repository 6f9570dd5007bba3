import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronAbi, moduleVersionFromLoadError, probeModuleVersion } from './native-abi.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const sqliteBinary = join(
  projectRoot,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
);

describe('the ABI of a native module', () => {
  it("reads the version a refused module was compiled for from Node's message", () => {
    const message =
      "The module '/p/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 140. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).";
    expect(moduleVersionFromLoadError(message)).toBe(140);
    expect(moduleVersionFromLoadError('libfoo.so: cannot open shared object file')).toBeUndefined();
  });

  // True after `npm install` on this Node; false when node_modules was built by another Node.
  const loadsHere =
    spawnSync(process.execPath, ['-e', `require(${JSON.stringify(sqliteBinary)})`], {
      stdio: 'ignore',
    }).status === 0;
  it.skipIf(!loadsHere)("is this Node's for the better-sqlite3 build installed for it", () => {
    expect(probeModuleVersion(sqliteBinary)).toEqual({ abi: Number(process.versions.modules) });
  });

  it('is undefined, with the reason, for a file that is no module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-abi-'));
    try {
      const file = join(dir, 'broken.node');
      writeFileSync(file, 'not a shared library');
      const probed = probeModuleVersion(file);
      expect(probed.abi).toBeUndefined();
      expect(probed.reason).toBeTruthy();
      expect(probeModuleVersion(join(dir, 'missing.node')).abi).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is Electron's own for the installed Electron (abi_version), never Node's", () => {
    const abi = electronAbi(projectRoot);
    expect(Number.isInteger(abi)).toBe(true);
    expect(abi).not.toBe(Number(process.versions.modules));
  });

  // Another Node stands in for Electron: the same file seen from an ABI it was not built for
  // (here: TEST_OTHER_NODE=$(npx -y node@24 -p process.execPath)).
  const otherNode = process.env.TEST_OTHER_NODE;
  it.skipIf(!otherNode)('is the build ABI, not the loader ABI, seen from another Node', () => {
    const otherAbi = spawnSync(otherNode, ['-p', 'process.versions.modules'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(otherAbi).not.toBe(process.versions.modules);
    const here = probeModuleVersion(sqliteBinary);
    expect(here.abi).toBeTypeOf('number');
    expect(probeModuleVersion(sqliteBinary, { nodePath: otherNode })).toEqual(here);
  });
});
