import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronPlatformPath, ensureElectron, locateElectron } from './electron-binary.mjs';

const dirs = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A node_modules/electron without its binary, as `npm install` leaves it since Electron 45. */
function freshPackage(version = '45.5.0') {
  const dir = mkdtempSync(join(tmpdir(), 'se-electron-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  return dir;
}

/** What install.js leaves after a successful download. */
function unpack(dir, platform = 'linux', version = '45.5.0') {
  const platformPath = electronPlatformPath(platform);
  mkdirSync(join(dir, 'dist', platformPath, '..'), { recursive: true });
  writeFileSync(join(dir, 'dist', platformPath), '');
  writeFileSync(join(dir, 'dist', 'version'), `v${version}`);
  writeFileSync(join(dir, 'path.txt'), platformPath);
}

const fs = { readText: (file) => readFileSync(file, 'utf8'), exists: existsSync };

function ensure(dir, { platform = 'linux', env = {}, install, runs = true } = {}) {
  const calls = { installer: 0, probed: [] };
  const result = ensureElectron({
    packageDir: dir,
    env,
    platform,
    ...fs,
    runInstaller: () => {
      calls.installer += 1;
      return install ? install() : 1;
    },
    probe: (executable) => {
      calls.probed.push(executable);
      return runs;
    },
  });
  return { result, calls };
}

describe('the Electron binary for npm start', () => {
  it("is downloaded with Electron's installer when npm install left none, then launched", () => {
    const dir = freshPackage();
    const { result, calls } = ensure(dir, { install: () => (unpack(dir), 0) });
    expect(calls.installer).toBe(1);
    expect(result).toEqual({ ok: true, executable: join(dir, 'dist', 'electron') });
    expect(calls.probed).toEqual([join(dir, 'dist', 'electron')]);
  });

  it('is not downloaded again once it is there', () => {
    const dir = freshPackage();
    unpack(dir);
    const { result, calls } = ensure(dir);
    expect(calls.installer).toBe(0);
    expect(result.ok).toBe(true);
  });

  it('is downloaded again when the one in dist is for another Electron version', () => {
    const dir = freshPackage('45.5.0');
    unpack(dir, 'linux', '44.0.0');
    expect(locateElectron({ packageDir: dir, env: {}, platform: 'linux', ...fs }).installed).toBe(
      false,
    );
    const { calls } = ensure(dir, { install: () => (unpack(dir), 0) });
    expect(calls.installer).toBe(1);
  });

  it("is downloaded again when path.txt names another system's executable", () => {
    const dir = freshPackage();
    unpack(dir, 'win32');
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(locateElectron({ packageDir: dir, env: {}, platform: 'linux', ...fs }).installed).toBe(
      false,
    );
  });

  it('names the executable of each system', () => {
    const dir = freshPackage();
    unpack(dir, 'darwin');
    expect(locateElectron({ packageDir: dir, env: {}, platform: 'darwin', ...fs })).toMatchObject({
      executable: join(dir, 'dist', 'Electron.app/Contents/MacOS/Electron'),
      installed: true,
    });
    expect(electronPlatformPath('win32')).toBe('electron.exe');
  });

  it('says in one sentence, with what to try, when the download fails', () => {
    const dir = freshPackage();
    const { result } = ensure(dir, { install: () => 1 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^The Electron binary could not be downloaded/);
    for (const hint of [
      'ELECTRON_MIRROR',
      'ELECTRON_GET_USE_PROXY',
      'HTTPS_PROXY',
      'npm run serve',
    ]) {
      expect(result.message).toContain(hint);
    }
    expect(
      result.message
        .trim()
        .split(/[.](\s|$)/)
        .filter(Boolean),
    ).toHaveLength(1);
  });

  it('counts an installer that exits 0 without leaving the binary as a failed download', () => {
    const dir = freshPackage();
    const { result } = ensure(dir, { install: () => 0 });
    expect(result.message).toMatch(/could not be downloaded/);
  });

  it('says so when the binary is there but does not run here', () => {
    const dir = freshPackage();
    unpack(dir);
    const { result } = ensure(dir, { runs: false });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/installed but does not run on this machine/);
    expect(result.message).toContain('npm run serve');
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH as it is and never downloads into it', () => {
    const dir = freshPackage();
    const dist = mkdtempSync(join(tmpdir(), 'se-electron-dist-'));
    dirs.push(dist);
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist };
    const missing = ensure(dir, { env, install: () => 0 });
    expect(missing.calls.installer).toBe(0);
    expect(missing.result.message).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    writeFileSync(join(dist, 'electron'), '');
    expect(ensure(dir, { env }).result).toEqual({ ok: true, executable: join(dist, 'electron') });
  });
});
