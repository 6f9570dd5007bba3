import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../config';
import { DATA_FOLDER_NAME, userDataDir } from './data-folder';

const root = nodePath.join(import.meta.dirname, '..', '..');

describe('the desktop data folder', () => {
  it('is <appData>/staging-editor by default, the folder the CLI uses too', () => {
    expect(userDataDir({ override: undefined, cwd: '/w', appData: '/home/r/.config' })).toBe(
      '/home/r/.config/staging-editor',
    );
    expect(userDataDir({ override: '', cwd: '/w', appData: '/home/r/.config' })).toBe(
      '/home/r/.config/staging-editor',
    );
    expect(nodePath.basename(defaultDataDir({}))).toBe(DATA_FOLDER_NAME);
  });

  it('takes an absolute STAGING_EDITOR_DATA_DIR as it is', () => {
    expect(userDataDir({ override: '/tmp/se', cwd: '/w', appData: '/a' })).toBe('/tmp/se');
  });

  it('resolves a relative STAGING_EDITOR_DATA_DIR against the working directory', () => {
    expect(userDataDir({ override: 'data', cwd: '/work/project', appData: '/a' })).toBe(
      '/work/project/data',
    );
    expect(userDataDir({ override: './.data/../d ', cwd: '/w', appData: '/a' })).toBe('/w/d');
  });

  it('follows the Windows rules on Windows', () => {
    const paths = nodePath.win32;
    expect(userDataDir({ override: 'data', cwd: 'C:\\proj', appData: 'C:\\x', paths })).toBe(
      'C:\\proj\\data',
    );
    expect(
      userDataDir({
        override: undefined,
        cwd: 'C:\\proj',
        appData: 'C:\\Users\\r\\AppData\\Roaming',
        paths,
      }),
    ).toBe('C:\\Users\\r\\AppData\\Roaming\\staging-editor');
  });
});

describe('the app name', () => {
  it('is the human product name, and main never renames the app', () => {
    const manifest = JSON.parse(readFileSync(nodePath.join(root, 'package.json'), 'utf8'));
    expect(manifest.productName).toBe('Staging Editor');
    const main = readFileSync(nodePath.join(root, 'src-main', 'electron', 'main.ts'), 'utf8');
    expect(main).not.toMatch(/\bapp\.setName\(/);
  });
});
