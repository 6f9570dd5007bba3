// Launches the packaged app (electron-builder's unpacked folder in dist/, for this machine's OS
// and CPU) on a fresh data folder and waits for its backend to create the SQLite store: proof
// that the installed app starts, with its fuses flipped, its signature (ad hoc, when unsigned)
// accepted by macOS, and better-sqlite3 built for its Electron. Playwright can't drive the
// packaged app (its fuses turn off --inspect), so this is the packaged half of the release
// workflow's smoke test. Usage: node scripts/check-packaged-launch.mjs [dist folder]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRODUCT_NAME = 'Staging Editor';
const EXECUTABLE_NAME = 'staging-editor';

/** Where electron-builder leaves the unpacked app for a platform and arch. */
export function packagedExecutable(distDir, platform, arch) {
  const suffix = arch === 'x64' ? '' : `-${arch}`;
  if (platform === 'darwin') {
    return join(distDir, `mac${suffix}`, `${PRODUCT_NAME}.app`, 'Contents', 'MacOS', PRODUCT_NAME);
  }
  if (platform === 'win32') return join(distDir, `win${suffix}-unpacked`, `${PRODUCT_NAME}.exe`);
  return join(distDir, `linux${suffix}-unpacked`, EXECUTABLE_NAME);
}

async function main() {
  const distDir = resolve(process.argv[2] ?? 'dist');
  const executable = packagedExecutable(distDir, process.platform, process.arch);
  if (!existsSync(executable)) {
    throw new Error(`No packaged app at ${executable}: run \`npm run dist\` first.`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'staging-editor-packaged-'));
  const store = join(dataDir, 'staging.sqlite');
  const child = spawn(executable, [], {
    env: { ...process.env, STAGING_EDITOR_DATA_DIR: dataDir },
    stdio: 'inherit',
  });
  let exit;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const deadline = Date.now() + 60_000;
  try {
    while (!existsSync(store)) {
      if (exit) {
        throw new Error(
          `The packaged app exited (${exit.code ?? exit.signal}) before creating its store.`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`The packaged app created no store in ${dataDir} within 60 s.`);
      }
      await new Promise((done) => setTimeout(done, 250));
    }
    // A moment more: a crash right after opening the store would still show here.
    await new Promise((done) => setTimeout(done, 3_000));
    if (exit) throw new Error(`The packaged app exited (${exit.code ?? exit.signal}) after start.`);
    console.log(`${executable} started and created ${store}.`);
  } finally {
    if (!exit) child.kill();
    await new Promise((done) => (exit ? done() : child.once('exit', done)));
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
