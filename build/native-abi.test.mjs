import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sqliteBinary } from './better-sqlite3.mjs';
import { installedElectronAbi, moduleVersionOfFile } from './native-abi.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// The byte reader itself (readModuleVersion, readBinaryArch, electronBuildProblem) is tested in
// test/build/native-abi.test.ts; these are the two helpers `npm start` uses.
describe('the ABI of a native module file', () => {
  it("is this Node's for the better-sqlite3 build installed for it, read without loading it", () => {
    expect(moduleVersionOfFile(sqliteBinary)).toBe(Number(process.versions.modules));
  });

  it('is undefined for a missing file or one that registers no version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-abi-'));
    try {
      const file = join(dir, 'broken.node');
      writeFileSync(file, 'not a shared library');
      expect(moduleVersionOfFile(file)).toBeUndefined();
      expect(moduleVersionOfFile(join(dir, 'missing.node'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is Electron's own for the installed Electron (abi_version), never Node's", () => {
    const abi = installedElectronAbi(projectRoot);
    expect(Number.isInteger(abi)).toBe(true);
    expect(abi).not.toBe(Number(process.versions.modules));
  });
});
