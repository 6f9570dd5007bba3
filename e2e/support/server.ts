import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { postgresStore, sqliteStore, type StoreKind, type StoreProbe } from './store';

const CLI = resolve(import.meta.dirname, '../../out/main/cli.js');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const run = promisify(execFile);
/** Set to a file path to keep every test server's output there, at log level info. */
const LOG_FILE = process.env.E2E_SERVER_LOG;
const OWN_SETTINGS = new Set([
  'DATABASE_URL',
  'SQLITE_PATH',
  'STAGING_EDITOR_DATA_DIR',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  // A developer's real Places API key never reaches a test server.
  'GOOGLE_MAPS_API_KEY',
  'PLACES_API_BASE_URL',
  // The server's log stays on its stderr, where the e2e run collects it.
  'LOG_DIR',
]);

export interface TestServerOptions {
  store: StoreKind;
  /** Sample places to seed (deterministic: seed 1). */
  places: number;
  /** Users to sign tokens for while the server starts (others are signed on demand). */
  users?: readonly string[];
  /** Run the deep scan scheduler (default: `serve --no-scheduler`). */
  scheduler?: boolean;
  /** More settings for serve (the Places API key and base URL, the scheduler's figures...). */
  env?: Record<string, string>;
  /** More arguments for `serve` (e.g. `--allow-settings`). */
  serveArgs?: readonly string[];
}

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The store this server writes: read it (and arrange cases in it) from the test. */
  readonly db: StoreProbe;
  /** A token for `sub` signed by this server's local key (valid 1 hour). */
  tokenFor(sub: string): Promise<string>;
  /** Ends the serve process: SIGTERM (graceful) by default, SIGKILL to play a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts serve again on the same port, store and signing key. */
  start(): Promise<void>;
  /** Stops the server and throws its store and data folder away. */
  dispose(): Promise<void>;
}

/**
 * `staging-editor serve --no-scheduler` (or with the scheduler, see `options.scheduler`) on a free loopback port with a fresh store of the given
 * kind (a temp SQLite file, or a throwaway PostgreSQL database through DATABASE_URL) and its own
 * data folder (its own local signing key), migrated and seeded through the built CLI.
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" before the e2e tests.`);
  const dir = mkdtempSync(join(tmpdir(), 'staging-e2e-'));
  let db: StoreProbe | undefined;
  let child: ChildProcess | undefined;
  try {
    db = options.store === 'postgres' ? await postgresStore() : sqliteStore(dir);
    // Only this test's store and single-user key: nothing of the kind from the caller's shell.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !OWN_SETTINGS.has(name)),
    );
    const env = {
      ...inherited,
      ...options.env,
      ...db.env,
      STAGING_EDITOR_DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: LOG_FILE ? 'info' : 'warn',
    };
    const cli = async (...args: string[]) =>
      (await run(process.execPath, [CLI, ...args], { env, encoding: 'utf8' })).stdout;

    const tokens = new Map<string, Promise<string>>();
    const tokenFor = (sub: string) => {
      let token = tokens.get(sub);
      if (!token) {
        token = cli('token', '--sub', sub, '--ttl', '1h').then((out) => out.trim());
        tokens.set(sub, token);
      }
      return token;
    };

    // Signing tokens needs only the data folder, so it runs beside migrate + seed.
    await Promise.all([
      (async () => {
        await cli('migrate');
        if (options.places > 0) await cli('seed', '--count', String(options.places), '--seed', '1');
      })(),
      ...(options.users ?? []).map(tokenFor),
    ]);

    let port = 0;
    const start = async () => {
      const spawned = spawn(
        process.execPath,
        [
          CLI,
          'serve',
          '--port',
          String(port),
          ...(options.scheduler ? [] : ['--no-scheduler']),
          ...(options.serveArgs ?? []),
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = spawned;
      if (LOG_FILE) {
        const log = createWriteStream(LOG_FILE, { flags: 'a' });
        spawned.stdout?.pipe(log);
        spawned.stderr?.pipe(log);
      }
      try {
        port = await waitForPort(spawned);
      } catch (error) {
        spawned.kill('SIGKILL');
        throw error;
      }
    };
    const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((done) => current.once('exit', done));
      current.kill(signal);
      // A graceful stop waits for open connections; don't let a straggler hold the suite.
      const timer = setTimeout(() => current.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    };

    await start();
    const store = db;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      db: store,
      tokenFor,
      stop,
      start,
      async dispose() {
        await stop();
        await store.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    await db?.dispose().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not start within ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving .* at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        // Keep draining the pipes so a chatty server never blocks on a full buffer.
        child.stdout?.resume();
        resolvePromise(Number(match[1]));
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code}:\n${output}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}
