/**
 * The throughput runs of the deep scan benchmarks (bench/scan.bench.ts, bench/scan-profile.ts):
 * a database of queued places per run, worker processes (bench/scan-worker.ts) against the fake
 * Places API on loopback, runs taken in turns and compared round by round. Needs PostgreSQL at
 * TEST_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openPostgres, type PgStore } from '../src-main/db/store';
import { samplePlaces } from '../src-main/places/sample-data';
import { createPlacesService, placesRepositoryFor } from '../src-main/places/service';
import type { FakePlacesApi } from '../test/support/fake-places-api';
import { createTestDatabase } from '../test/support/stores';
import { median } from './stats';

const WORKER = fileURLToPath(new URL('./scan-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * `scheduler`: the app's loop as it runs (spend ledger on); `no-ledger`: the same loop with the
 * ledger off (bench only: no row per call, so no daily limit either), to price the ledger;
 * `baseline`: the raw-SQL loop.
 */
export type Kind = 'scheduler' | 'no-ledger' | 'baseline';

// --- databases ------------------------------------------------------------------------------

export async function withDatabase<T>(fn: (url: string, store: PgStore) => Promise<T>): Promise<T> {
  const database = await createTestDatabase('se_bench');
  const store = await openPostgres(database.directUrl, { poolSize: 4 });
  try {
    return await fn(database.directUrl, store);
  } finally {
    await store.close();
    await database.drop();
  }
}

export async function queuePlaces(store: PgStore, count: number): Promise<void> {
  const places = createPlacesService(placesRepositoryFor(store));
  for (const chunk of samplePlaces(count, 11, 5000)) {
    await places.insertPlaces(chunk);
    // As reviewers queue places: Selected (step 6), at most 10,000 ids per update.
    for (let i = 0; i < chunk.length; i += 10_000) {
      await places.updateStatus(
        { place_ids: chunk.slice(i, i + 10_000).map((p) => p.place_id), status: 'Selected' },
        'bench',
      );
    }
  }
}

// --- worker processes -----------------------------------------------------------------------

export interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

export function spawnWorker(kind: Kind, env: Record<string, string>, id: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, kind], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_WORKER_ID: id, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

export async function stopWorkers(workers: Worker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function workerEnv(url: string, fake: FakePlacesApi, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: url,
    GOOGLE_MAPS_API_KEY: fake.apiKey,
    PLACES_API_BASE_URL: fake.baseUrl,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

// --- throughput -----------------------------------------------------------------------------

export interface Run {
  perSecond: number;
  seconds: number;
  duplicates: number;
  /** What `sample` read when the first place was finished and when the last was (see below). */
  samples?: [unknown, unknown];
}

/** What a run may add to the workers' settings and read while it runs. */
export interface RunOptions {
  /** More environment for the workers (after the run's own settings). */
  env?: Record<string, string>;
  /**
   * Read when the first place is seen finished and when the last is (the store is polled every
   * 100 ms), given the workers' process ids and how many places were finished: for figures of
   * the scanning alone, start-up left out.
   */
  sample?: (workerPids: number[], finished: number) => Promise<unknown>;
}

export async function throughput(
  fake: FakePlacesApi,
  kind: Kind,
  processes: number,
  concurrency: number,
  latencyMs: number,
  places: number,
  options: RunOptions = {},
): Promise<Run> {
  return withDatabase(async (url, store) => {
    await queuePlaces(store, places);
    fake.reset();
    fake.setLatencyMs(latencyMs);
    const env = workerEnv(url, fake, {
      DEEP_SCAN_BATCH_SIZE: '20',
      DEEP_SCAN_MAX_CONCURRENCY: String(concurrency),
      DEEP_SCAN_INTERVAL_SECONDS: '1',
      DEEP_SCAN_RATE_PER_SECOND: '10000',
      ...options.env,
    });
    const workers = Array.from({ length: processes }, (_, i) =>
      spawnWorker(kind, env, `${kind}-${i + 1}`),
    );
    const sample = (finished: number) =>
      options.sample?.(
        workers.map((w) => w.child.pid!),
        finished,
      );
    let first: unknown;
    let last: unknown;
    try {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const { rows } = await store.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM places_staging WHERE deep_scan_status = 'Completed'`,
        );
        const finished = rows[0]!.n;
        if (finished > 0 && first === undefined) first = (await sample(finished)) ?? null;
        if (finished === places) {
          last = await sample(finished);
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`${kind} did not finish: ${workers.map((w) => w.output()).join('\n')}`);
        }
        await sleep(100);
      }
    } finally {
      await stopWorkers(workers);
    }
    // From the first place finished to the last: process start-up is not part of the figure.
    const { rows } = await store.pool.query<{ span: number }>(
      `SELECT EXTRACT(EPOCH FROM max(deep_scan_completed_at) - min(deep_scan_completed_at))::float8 AS span
       FROM places_staging`,
    );
    const seconds = rows[0]!.span;
    return {
      perSecond: (places - 1) / seconds,
      seconds,
      duplicates: fake.totalCalls() - places,
      ...(options.sample ? { samples: [first, last] as [unknown, unknown] } : {}),
    };
  });
}

export type Measure = () => Promise<Run>;

/** Whether this process has had its warm-up round (the first inTurns runs it). */
let warmedUp = false;

/**
 * Runs each measure `repeat` times, taking turns (a, b, c, a, b, c, ...): a round runs each once,
 * back to back. Returns each one's runs in round order.
 *
 * The first call in a process starts with a round of warm-up, each measure once, not counted.
 * The first runs of a process pay for what is not warm yet (the fake API's code in this process
 * before the JIT has compiled it, the workers' first transform of the TypeScript sources,
 * PostgreSQL's caches), and all of it fell on the first measure: in two benches on one machine
 * the scheduler's first 0 ms run was its slowest of five (1,286 against 1,333-1,387 places/s;
 * 1,216 against 1,269-1,291), and the ledger on/off ratio of round 1 the lowest (0.88, 0.86).
 */
export async function inTurns<
  const M extends readonly (readonly [label: string, measure: Measure])[],
>(measures: M, repeat: number): Promise<{ [K in keyof M]: Run[] }> {
  if (!warmedUp) {
    warmedUp = true;
    for (const [label, measure] of measures) {
      const run = await measure();
      console.error(`  ${label} warm-up: ${run.perSecond.toFixed(0)} places/s (not counted)`);
    }
  }
  const runs: Run[][] = measures.map(() => []);
  for (let i = 0; i < repeat; i++) {
    for (const [m, [label, measure]] of measures.entries()) {
      const run = await measure();
      runs[m]!.push(run);
      console.error(
        `  ${label} run ${i + 1}: ${run.perSecond.toFixed(0)} places/s (${run.seconds.toFixed(1)} s)`,
      );
    }
  }
  return runs as { [K in keyof M]: Run[] };
}

/** A figure of places/s: the median run. */
export const rate = (runs: Run[]) => median(runs.map((r) => r.perSecond));

/**
 * `a` against `b`, runs of inTurns: the median of their ratios round by round. On a 2-core
 * machine the workers, PostgreSQL and the fake API share the cores, and the machine has slow
 * and fast spells: runs of the same code spread by 20-40% (0 ms: 455 to 622 places/s in one
 * bench), and a spell often lasts a round, so it falls on every measure of that round alike (in
 * one bench's 20 ms rounds, round 4 was the fastest run of all three measures). A ratio within a
 * round cancels such a spell; a ratio of the two medians does not, because the medians may come
 * from different rounds: the same runs gave 0.81 that way and 0.92 round by round, and another
 * bench's gave 1.01 and 0.92. Earlier: with the best of two runs, one fast run decided a row
 * (six rounds of the same code gave ledger on/off ratios from 0.73 to 1.08, median 0.92).
 */
export function pairedRatio(a: Run[], b: Run[], what: string): number {
  const ratios = a.map((run, i) => run.perSecond / b[i]!.perSecond);
  console.error(`  ${what}, round by round: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  return median(ratios);
}
