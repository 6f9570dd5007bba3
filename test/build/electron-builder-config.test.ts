import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ICON_SIZE, pngPath, renderIcon, sourcePath } from '../../scripts/generate-icons.mjs';

/**
 * The packaging configuration's invariants, read from electron-builder.yml itself: what must
 * ship (the app bundle, sql/, the native binary outside the asar), what must not (sources,
 * tests), the fuses (with the ad-hoc re-signing unsigned Apple Silicon builds need to launch),
 * and every installer and arch the release promises. Whether the installers then work is for
 * the release workflow's runners.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

interface TargetEntry {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  beforePack: string;
  afterPack: string;
  electronFuses: Record<string, boolean>;
  mac: { target: TargetEntry[]; icon: string; identity?: string | null };
  win: { target: TargetEntry[]; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean };
  linux: { target: TargetEntry[]; icon: string; maintainer?: string };
}

const configText = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
const config = parse(configText) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  author?: { name?: string };
  scripts: Record<string, string>;
};

/** The arches electron-builder builds for one target name, from a platform's target list. */
function archesOf(targets: TargetEntry[], name: string): string[] {
  return targets.filter((entry) => entry.target === name).flatMap((entry) => entry.arch ?? []);
}

describe('electron-builder.yml', () => {
  test('is valid for the installed electron-builder (its own schema and checks)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    await expect(
      validateConfiguration(parse(configText), { isEnabled: false, add: () => undefined }),
    ).resolves.toBeUndefined();
  });

  test('names the app: app id, product name, and an author in package.json', () => {
    expect(config.appId).toBe('com.stagingeditor.desktop');
    expect(config.productName).toBe('Staging Editor');
    expect(packageJson.author?.name).toBeTruthy();
  });

  test('packs only the built app: no sources, tests or source maps', () => {
    const included = config.files.filter((pattern) => !pattern.startsWith('!'));
    expect(included).toEqual(['out/**', 'package.json']);
    expect(config.files).toContain('!**/*.map');
    for (const folder of [
      'src-main',
      'src-renderer',
      'src-shared',
      'test',
      'e2e',
      'bench',
      'build',
    ]) {
      expect(included.some((pattern) => pattern.startsWith(folder))).toBe(false);
    }
    // better-sqlite3's C sources and its loadable test extension stay out.
    expect(config.files).toContain('!node_modules/better-sqlite3/{deps,src}/**');
    expect(config.files).toContain(
      '!node_modules/better-sqlite3/build/Release/{test_extension.node,*.a}',
    );
  });

  test('ships the migrations in sql/ beside the asar', () => {
    expect(config.extraResources).toContainEqual({ from: 'sql', to: 'sql', filter: ['**/*.sql'] });
  });

  test('keeps every native module (*.node) outside the asar, where it can be loaded', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  test('rebuilds better-sqlite3 in its own hooks, not with npmRebuild', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.beforePack).toBe('./build/before-pack.mjs');
    expect(config.afterPack).toBe('./build/after-pack.mjs');
  });

  test('flips the fuses, and re-signs ad hoc after the flip so unsigned arm64 Macs launch it', () => {
    expect(config.electronFuses).toEqual({
      resetAdHocDarwinSignature: true,
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // `identity: null` would skip signing for good, certificate or not.
    expect(config.mac.identity).toBeUndefined();
  });

  test('builds a DMG (and the zip updates use) for Intel and Apple Silicon Macs', () => {
    expect(archesOf(config.mac.target, 'dmg')).toEqual(['x64', 'arm64']);
    expect(archesOf(config.mac.target, 'zip')).toEqual(['x64', 'arm64']);
  });

  test('builds a per-user NSIS installer (no admin rights) for x64 and arm64 Windows', () => {
    expect(archesOf(config.win.target, 'nsis')).toEqual(['x64', 'arm64']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
  });

  test('builds an AppImage and a deb for Linux', () => {
    expect(archesOf(config.linux.target, 'AppImage')).toEqual(['x64']);
    expect(archesOf(config.linux.target, 'deb')).toEqual(['x64']);
    expect(config.linux.maintainer).toBeTruthy();
  });

  test('uses the one generated icon on every platform', () => {
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(platform.icon).toBe('build/icon.png');
    }
  });
});

describe('the icon', () => {
  /** Width and height from a PNG's IHDR chunk. */
  const pngSize = (png: Uint8Array) => {
    const view = Buffer.from(png);
    expect(view.subarray(1, 4).toString('latin1')).toBe('PNG');
    return [view.readUInt32BE(16), view.readUInt32BE(20)];
  };

  test('is committed as the 1024x1024 PNG electron-builder derives every size from', () => {
    expect(pngSize(readFileSync(pngPath))).toEqual([1024, 1024]);
  });

  test('is rendered from build/icon.svg by `npm run icons`', () => {
    expect(packageJson.scripts.icons).toBe('node scripts/generate-icons.mjs');
    expect(pngSize(renderIcon(readFileSync(sourcePath)))).toEqual([ICON_SIZE, ICON_SIZE]);
  });
});
