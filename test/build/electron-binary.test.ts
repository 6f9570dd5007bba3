import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findElectronBinary } from '../../e2e/electron/electron-binary';

const dir = join('/project', 'node_modules', 'electron');
const files = (entries: Record<string, string>) => ({
  exists: (path: string) => path in entries,
  read: (path: string) => entries[path]!,
});

describe('finding the Electron binary without downloading it', () => {
  test('says why when the lazy download has not happened (no path.txt)', () => {
    const { exists, read } = files({});
    const found = findElectronBinary(dir, {}, exists, read);
    expect(found).toEqual({ missing: expect.stringMatching(/has not been downloaded.*path\.txt/) });
  });

  test('says why when path.txt names a binary that is gone', () => {
    const { exists, read } = files({ [join(dir, 'path.txt')]: 'electron' });
    expect(findElectronBinary(dir, {}, exists, read)).toEqual({
      missing: expect.stringContaining(`is not at ${join(dir, 'dist', 'electron')}`),
    });
  });

  test('answers the binary under dist/, or under ELECTRON_OVERRIDE_DIST_PATH', () => {
    const binary = join(dir, 'dist', 'Electron.app/Contents/MacOS/Electron');
    const { exists, read } = files({
      [join(dir, 'path.txt')]: 'Electron.app/Contents/MacOS/Electron\n',
      [binary]: '',
      [join('/custom', 'Electron.app/Contents/MacOS/Electron')]: '',
    });
    expect(findElectronBinary(dir, {}, exists, read)).toEqual({ path: binary });
    expect(
      findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: '/custom' }, exists, read),
    ).toEqual({ path: join('/custom', 'Electron.app/Contents/MacOS/Electron') });
  });
});
