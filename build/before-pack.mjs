// electron-builder beforePack hook: better-sqlite3 built for the Electron and arch being
// packaged, just before the app's files are copied (npmRebuild is off, so nothing else is rebuilt),
// then checked: its registered NODE_MODULE_VERSION must be Electron's and its CPU this pack's.
// electron-builder calls this once per arch (x64, then arm64), so each pack gets its own build.
import { buildForElectron, verifyElectronBuild } from './better-sqlite3.mjs';

// electron-builder's Arch enum, by value.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function beforePack(context) {
  const arch = ARCH_NAMES[context.arch];
  // A universal macOS app is merged from the x64 and arm64 packs, each prepared by this hook.
  if (arch === 'universal') return;
  if (!arch) throw new Error(`beforePack: unknown electron-builder arch ${String(context.arch)}.`);
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const electronVersion = context.packager.info.framework.version;
  await buildForElectron({ electronVersion, arch, platform });
  // The copy about to be packed must be Electron's, for this arch: a silent fallback to Node's
  // build would only show on the reviewer's machine, as a database that cannot be opened.
  verifyElectronBuild({ electronVersion, arch });
}
