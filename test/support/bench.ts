import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { settingsSchema } from '../../src-main/config';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WINDOWS = process.platform === 'win32';

/**
 * What a bench's child process does not take from ours: whatever sizes or points a bench
 * (BENCH_*, the app's own settings such as DATABASE_URL or LOG_LEVEL from a developer's shell, the
 * PgBouncer pass's pooler). The rest (PATH, HOME, TEST_PG_ADMIN_URL, CHROMIUM_PATH, the system's
 * own on Windows...) it keeps.
 */
const APP_SETTINGS = new Set(Object.keys(settingsSchema.shape));
const POOLER = new Set(['TEST_THROUGH_POOLER', 'TEST_PGBOUNCER_URL', 'TEST_STORES']);
const keep = (name: string) =>
  !name.startsWith('BENCH_') && !APP_SETTINGS.has(name) && !POOLER.has(name);

export interface BenchResult {
  /** The exit code; null when it was killed (see timedOut). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole run. */
  ms: number;
  timedOut: boolean;
  /** Processes the bench started were still running 5 s after it exited (then killed). */
  leftovers: boolean;
}

/**
 * Runs `bench/<script> <args>` from source in a child process, as `npm run bench...` does (tsx),
 * with our environment less what sizes or points a bench (see `keep`), plus `env`. After
 * `timeoutMs` the bench and everything it started (workers, serve, Chromium: one process group,
 * or process tree on Windows) are killed.
 */
export function runBench(
  script: string,
  args: string[],
  { env = {}, timeoutMs }: { env?: Record<string, string>; timeoutMs: number },
): Promise<BenchResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => keep(name.toUpperCase())),
  );
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout ends the bench's children with it.
    detached: !WINDOWS,
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const group = -child.pid!;
  const groupAlive = () => {
    if (WINDOWS) return false; // no process groups: the tree is killed on a timeout only
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const killGroup = () => {
    if (WINDOWS) {
      spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
      return;
    }
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return (async () => {
    const code = await exited;
    const ms = Date.now() - started;
    clearTimeout(timer);
    let leftovers = false;
    for (let waited = 0; groupAlive(); waited += 100) {
      if (waited >= 5000) {
        leftovers = true;
        killGroup();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await closed;
    return { code, stdout, stderr, ms, timedOut, leftovers };
  })();
}

/** The end of a run's output, for an assertion's message. */
export function outputOf(result: BenchResult): string {
  const tail = (text: string) => (text.length > 4000 ? `…${text.slice(-4000)}` : text);
  return [
    result.timedOut ? `killed after ${result.ms} ms` : `exit code ${result.code}`,
    ...(result.leftovers ? ['processes it started were still running after it exited'] : []),
    `stdout:\n${tail(result.stdout)}`,
    `stderr:\n${tail(result.stderr)}`,
  ].join('\n');
}

/**
 * The rows of the first Markdown table in `output` whose header line matches `header`, as
 * trimmed cells (the separator line skipped); throws when there is no such table.
 */
export function tableRows(output: string, header: RegExp): string[][] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|') && header.test(line));
  if (start < 0) throw new Error(`no table with the header ${header} in:\n${output}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** Whether a cell is one finite number and nothing else ("12.5", "1,234", not "NaN" or ""). */
export function isNumber(cell: string | undefined): boolean {
  return (
    /^-?\d[\d,]*(\.\d+)?$/.test(cell ?? '') && Number.isFinite(Number(cell!.replaceAll(',', '')))
  );
}

/** The finite numbers written in a cell ("3.1 / 5.5" gives [3.1, 5.5]). */
export function numbersIn(cell: string | undefined): number[] {
  return [...(cell ?? '').matchAll(/-?\d[\d,]*(\.\d+)?/g)]
    .map((m) => Number(m[0].replaceAll(',', '')))
    .filter(Number.isFinite);
}
