import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScanTuning } from '../../../src-main/scan/config';

const ENTRY = fileURLToPath(new URL('../worker-entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** Everything the worker wrote to stderr (its log lines). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
}

/** Spawns `node --import tsx test/scan/worker-entry.ts` with the given settings. */
export function spawnWorker(
  id: string,
  env: Record<string, string>,
  tuning: ScanTuning = {},
): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      SCAN_TEST_WORKER_ID: id,
      SCAN_TEST_TUNING: JSON.stringify(tuning),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    id,
    child,
    output: () => output,
    exited,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Kills what is still running (after a failed test). */
export async function killAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) {
    w.signal('SIGCONT');
    w.signal('SIGKILL');
  }
  await Promise.all(workers.map((w) => w.exited));
}
