import { describe, expect, it } from 'vitest';
import { chromiumExecutablePath, chromiumLaunchOptions, DEBIAN_CHROMIUM } from './chromium';

const nothing = () => false;
const debian = (path: string) => path === DEBIAN_CHROMIUM;

describe('the Chromium the browser tests launch', () => {
  it("is Debian's where it is installed", () => {
    expect(chromiumExecutablePath({ env: {}, platform: 'linux', exists: debian })).toBe(
      DEBIAN_CHROMIUM,
    );
  });

  it("is Playwright's own elsewhere: Windows, macOS, a Linux without chromium", () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(chromiumExecutablePath({ env: {}, platform, exists: debian })).toBeUndefined();
    }
    expect(chromiumExecutablePath({ env: {}, platform: 'linux', exists: nothing })).toBeUndefined();
    expect(
      chromiumLaunchOptions({ env: {}, platform: 'darwin', exists: nothing }),
    ).not.toHaveProperty('executablePath');
  });

  it('is CHROMIUM_PATH when it is set, on any system', () => {
    const env = { CHROMIUM_PATH: 'C:\\Chromium\\chrome.exe' };
    expect(chromiumExecutablePath({ env, platform: 'win32', exists: nothing })).toBe(
      'C:\\Chromium\\chrome.exe',
    );
    expect(
      chromiumLaunchOptions({ env: { CHROMIUM_PATH: '/opt/c' }, platform: 'linux', exists: debian })
        .executablePath,
    ).toBe('/opt/c');
    expect(
      chromiumExecutablePath({ env: { CHROMIUM_PATH: ' ' }, platform: 'linux', exists: debian }),
    ).toBe(DEBIAN_CHROMIUM);
  });
});
