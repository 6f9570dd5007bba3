import { join } from 'node:path';
import { expect, test } from 'vitest';
import { packagedExecutable } from '../../scripts/check-packaged-launch.mjs';

test("finds electron-builder's unpacked app for each OS and CPU the release builds", () => {
  const dist = 'dist';
  expect(packagedExecutable(dist, 'darwin', 'arm64')).toBe(
    join(dist, 'mac-arm64', 'Staging Editor.app', 'Contents', 'MacOS', 'Staging Editor'),
  );
  expect(packagedExecutable(dist, 'darwin', 'x64')).toBe(
    join(dist, 'mac', 'Staging Editor.app', 'Contents', 'MacOS', 'Staging Editor'),
  );
  expect(packagedExecutable(dist, 'win32', 'x64')).toBe(
    join(dist, 'win-unpacked', 'Staging Editor.exe'),
  );
  expect(packagedExecutable(dist, 'win32', 'arm64')).toBe(
    join(dist, 'win-arm64-unpacked', 'Staging Editor.exe'),
  );
  expect(packagedExecutable(dist, 'linux', 'x64')).toBe(
    join(dist, 'linux-unpacked', 'staging-editor'),
  );
});
