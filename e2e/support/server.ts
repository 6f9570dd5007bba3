import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../out/main/cli.js');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The SQLite file this server writes, for assertions in the database. */
  sqlitePath: string;
  /** A token for `sub` signed by this server's local key. */
  tokenFor(sub: string): string;
  stop(): Promise<void>;
}

/**
 * `staging-editor serve` on a free loopback port (port 0) with a fresh SQLite store and data
 * folder (its own local signing key), seeded with deterministic sample places.
 */
export async function startTestServer(options: { places: number }): Promise<TestServer> {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" before the e2e tests.`);
  const dir = mkdtempSync(join(tmpdir(), 'staging-e2e-'));
  const sqlitePath = join(dir, 'store.sqlite');
  // Never the shared PostgreSQL: this server's store is the SQLite file alone.
  const { DATABASE_URL: _postgres, ...inherited } = process.env;
  const env = { ...inherited, SQLITE_PATH: sqlitePath, STAGING_EDITOR_DATA_DIR: join(dir, 'data') };
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [CLI, ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  cli('migrate');
  if (options.places > 0) cli('seed', '--count', String(options.places), '--seed', '1');

  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--no-scheduler'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let url: string;
  try {
    url = await waitForUrl(child);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    sqlitePath,
    tokenFor: (sub) => cli('token', '--sub', sub, '--ttl', '1h').trim(),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        // A graceful stop waits for open connections; don't let a straggler hold the suite.
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not start within ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code}:\n${output}`));
    });
  });
}
