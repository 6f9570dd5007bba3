import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import {
  electronAbi,
  installedElectronVersion,
  verifyElectronBuild,
} from '../../build/better-sqlite3.mjs';
import {
  electronBuildProblem,
  readBinaryArch,
  readModuleVersion,
} from '../../build/native-abi.mjs';

/** The better-sqlite3 binary in node_modules: Node's own build, as the tests need it. */
const binaryPath = createRequire(import.meta.url).resolve(
  'better-sqlite3/build/Release/better_sqlite3.node',
);
const nodeBuild = readFileSync(binaryPath);
const nodeAbi = Number(process.versions.modules);

describe('reading what a native module was built for', () => {
  test("reads Node's NODE_MODULE_VERSION from the real better-sqlite3 binary", () => {
    expect(readModuleVersion(nodeBuild)).toBe(nodeAbi);
  });

  test("reads this machine's CPU from the real binary's header", () => {
    expect(readBinaryArch(nodeBuild)).toBe(process.arch);
  });

  test('finds no version in a file that registers none, and refuses an ambiguous one', () => {
    expect(readModuleVersion(Buffer.from('napi_register_module_v1\0'))).toBeUndefined();
    expect(() =>
      readModuleVersion(Buffer.from('node_register_module_v115\0node_register_module_v150\0')),
    ).toThrow(/several versions \(115, 150\)/);
  });

  test('reads the CPU from ELF, Mach-O and PE headers', () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[5] = 1;
    elf.writeUInt16LE(0xb7, 18);
    expect(readBinaryArch(elf)).toBe('arm64');

    const macho = Buffer.alloc(64);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(readBinaryArch(macho)).toBe('arm64');
    macho.writeUInt32LE(0x01000007, 4);
    expect(readBinaryArch(macho)).toBe('x64');

    const pe = Buffer.alloc(256);
    pe.writeUInt16LE(0x5a4d, 0);
    pe.writeUInt32LE(0x80, 0x3c);
    pe.writeUInt32BE(0x50450000, 0x80);
    pe.writeUInt16LE(0xaa64, 0x84);
    expect(readBinaryArch(pe)).toBe('arm64');
    pe.writeUInt16LE(0x8664, 0x84);
    expect(readBinaryArch(pe)).toBe('x64');

    expect(readBinaryArch(Buffer.alloc(64))).toBeUndefined();
  });
});

describe("the check after better-sqlite3's rebuild for Electron", () => {
  const build = {
    file: 'better_sqlite3.node',
    electronVersion: '45.5.0',
    electronAbi: 150,
    nodeAbi,
    arch: process.arch,
  };
  /** Node's build with its registered version rewritten, as an Electron build would read. */
  const rebuilt = (abi: number) =>
    Buffer.from(
      nodeBuild
        .toString('latin1')
        .replaceAll(`node_register_module_v${nodeAbi}`, `node_register_module_v${abi}`),
      'latin1',
    );

  test("stops packaging, in one sentence, when the binary is still Node's build", () => {
    const problem = electronBuildProblem({ ...build, bytes: nodeBuild });
    expect(problem).toBe(
      `better_sqlite3.node is still Node's build (NODE_MODULE_VERSION ${nodeAbi}), not Electron 45.5.0 (${process.arch})'s (150): the rebuild for Electron did not happen, and the app would fail to open its database.`,
    );
  });

  test("says so even when Electron's version is unknown", () => {
    const problem = electronBuildProblem({ ...build, electronAbi: undefined, bytes: nodeBuild });
    expect(problem).toMatch(/is still Node's build/);
  });

  test("passes a binary that registers Electron's version for this arch", () => {
    expect(electronBuildProblem({ ...build, bytes: rebuilt(150) })).toBeNull();
  });

  test('stops on another ABI than the Electron being packaged', () => {
    expect(electronBuildProblem({ ...build, bytes: rebuilt(140) })).toBe(
      'better_sqlite3.node is built for NODE_MODULE_VERSION 140, but Electron 45.5.0 (' +
        `${process.arch}) needs 150.`,
    );
  });

  test('stops when the binary is for another CPU than the pack (per-arch rebuild)', () => {
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    expect(electronBuildProblem({ ...build, arch: other, bytes: rebuilt(150) })).toBe(
      `better_sqlite3.node is built for ${process.arch}, but the package being built is for ${other}.`,
    );
  });
});

describe('the packaging hook on the real node_modules', () => {
  test("knows the installed Electron's NODE_MODULE_VERSION from its abi_version file", () => {
    const abi = electronAbi(installedElectronVersion());
    expect(abi).toBeGreaterThan(nodeAbi);
    expect(electronAbi('0.0.1')).toBeUndefined();
  });

  test("refuses to pack node_modules' better-sqlite3 while it is Node's build", () => {
    expect(() => verifyElectronBuild()).toThrow(
      /^Packaging stopped: node_modules.better-sqlite3.build.Release.better_sqlite3\.node is still Node's build/,
    );
  });
});
