import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  electronBuildCachePath,
  exitCodeFor,
  prepareSqliteForElectron,
} from './sqlite-for-electron.mjs';

const NODE = 115;
const ELECTRON = 150;

/** A fake disk of native builds: file -> ABI. */
function world(files, { rebuildTo = ELECTRON, restoreFails = false } = {}) {
  const disk = new Map(Object.entries(files));
  const log = [];
  return {
    disk,
    log,
    deps: {
      electronAbi: ELECTRON,
      cachedFile: 'cache',
      inPlaceFile: 'node_modules',
      probe: (file) => disk.get(file),
      copy: (from, to) => (log.push(`copy ${from} ${to}`), disk.set(to, disk.get(from))),
      rebuild: async () => (log.push('rebuild'), disk.set('node_modules', rebuildTo)),
      restore: () => {
        log.push('restore');
        if (restoreFails) throw new Error('better-sqlite3 could not be rebuilt for Node.');
        disk.set('node_modules', NODE);
      },
    },
  };
}

describe("better-sqlite3's Electron build for npm start", () => {
  it('is not rebuilt when the cached Electron build is current, and Node keeps its build', async () => {
    const { deps, log, disk } = world({ cache: ELECTRON, node_modules: NODE });
    await expect(prepareSqliteForElectron(deps)).resolves.toEqual({
      binding: 'cache',
      rebuilt: false,
    });
    expect(log).toEqual([]);
    expect(disk.get('node_modules')).toBe(NODE);
  });

  it('is rebuilt once when there is none, cached, and Node gets its build back', async () => {
    const { deps, log, disk } = world({ node_modules: NODE });
    await expect(prepareSqliteForElectron(deps)).resolves.toEqual({
      binding: 'cache',
      rebuilt: true,
    });
    expect(log).toEqual(['rebuild', 'copy node_modules cache', 'restore']);
    expect(disk.get('node_modules')).toBe(NODE);
    expect(disk.get('cache')).toBe(ELECTRON);
  });

  it('is rebuilt when the cached file is for another Electron', async () => {
    const { deps, log } = world({ cache: 140, node_modules: NODE });
    expect((await prepareSqliteForElectron(deps)).rebuilt).toBe(true);
    expect(log[0]).toBe('rebuild');
  });

  it('takes an Electron build left in node_modules instead of rebuilding it', async () => {
    const { deps, log, disk } = world({ node_modules: ELECTRON });
    expect((await prepareSqliteForElectron(deps)).rebuilt).toBe(false);
    expect(log).toEqual(['copy node_modules cache', 'restore']);
    expect(disk.get('node_modules')).toBe(NODE);
  });

  it("fails in one sentence when the rebuild still gives Node's ABI, after putting Node's back", async () => {
    const { deps, log } = world({ node_modules: NODE }, { rebuildTo: NODE });
    await expect(prepareSqliteForElectron(deps)).rejects.toThrow(
      /built for ABI 115, not Electron's 150/,
    );
    expect(log).toEqual(['rebuild', 'restore']);
  });

  it("fails in one sentence when the rebuild fails, after putting Node's build back", async () => {
    const { deps, log, disk } = world({ node_modules: NODE });
    deps.rebuild = async () => {
      disk.set('node_modules', undefined);
      throw new Error('getaddrinfo ENOTFOUND artifacts.electronjs.org');
    };
    await expect(prepareSqliteForElectron(deps)).rejects.toThrow(
      /^better-sqlite3 could not be rebuilt for Electron \(getaddrinfo ENOTFOUND artifacts.electronjs.org\): check the network/,
    );
    expect(log).toEqual(['restore']);
    expect(disk.get('node_modules')).toBe(NODE);
  });

  it("fails when Node's build can't be put back", async () => {
    const { deps } = world({ node_modules: NODE }, { restoreFails: true });
    await expect(prepareSqliteForElectron(deps)).rejects.toThrow(/could not be rebuilt for Node/);
  });

  it('keeps one cache file per version, ABI, platform and arch', () => {
    expect(
      electronBuildCachePath({
        projectRoot: '/p',
        sqliteVersion: '12.11.1',
        abi: 150,
        platform: 'darwin',
        arch: 'arm64',
      }),
    ).toBe(
      join(
        '/p',
        'node_modules',
        '.cache',
        'staging-editor',
        'better_sqlite3-12.11.1-electron-abi150-darwin-arm64.node',
      ),
    );
  });
});

describe('the exit code of npm start', () => {
  it("is the app's, and never 0 when Node's build could not be put back", () => {
    expect(exitCodeFor({ code: 0, signal: null, nodeBuildRestored: true })).toBe(0);
    expect(exitCodeFor({ code: 3, signal: null, nodeBuildRestored: true })).toBe(3);
    expect(exitCodeFor({ code: 0, signal: null, nodeBuildRestored: false })).toBe(1);
    expect(exitCodeFor({ code: null, signal: 'SIGTERM', nodeBuildRestored: true })).toBe(1);
  });
});
