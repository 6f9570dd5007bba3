/**
 * One worker process of `npm run bench:scan`: `scheduler` runs the app's loop (the code of
 * `staging-editor worker`, settings from the environment); `no-ledger` the same loop with the
 * spend ledger off (to price it); `baseline` runs the raw-SQL loop.
 * With BENCH_COUNT_QUERIES set, it counts the statements it sends and prints the count on
 * SIGUSR2 ("BENCH_QUERIES <n>"). With BENCH_CPU_PROFILE=<dir> set, it writes a V8 CPU profile of
 * its whole run to <dir>/<worker id>-<pid>.cpuprofile when it exits (Node refuses --cpu-prof in
 * NODE_OPTIONS), for Chrome DevTools' Performance panel or any .cpuprofile reader.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import pg from 'pg';
import { runWorker } from '../src-main/cli/worker';
import { loadSettings } from '../src-main/config';
import { runBaselineLoop } from './scan-baseline';

if (process.env.BENCH_COUNT_QUERIES) {
  let statements = 0;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: typeof query }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    statements++;
    return query.apply(this, args);
  };
  process.on('SIGUSR2', () => console.error(`BENCH_QUERIES ${statements}`));
}

const kind = process.argv[2];
const workerId = process.env.BENCH_WORKER_ID ?? `${kind}-${process.pid}`;

const profileDir = process.env.BENCH_CPU_PROFILE;
const profiler = profileDir ? { dir: profileDir, session: new Session() } : null;
if (profiler) {
  profiler.session.connect();
  await profiler.session.post('Profiler.enable');
  await profiler.session.post('Profiler.start');
}
const settings = loadSettings();
if (kind === 'baseline') {
  await runBaselineLoop({
    databaseUrl: settings.DATABASE_URL!,
    placesBaseUrl: settings.PLACES_API_BASE_URL,
    apiKey: settings.GOOGLE_MAPS_API_KEY!,
    batchSize: settings.DEEP_SCAN_BATCH_SIZE,
    concurrency: settings.DEEP_SCAN_MAX_CONCURRENCY,
    workerId,
  });
} else {
  await runWorker(settings, { workerId, recordCalls: kind !== 'no-ledger' });
}
if (profiler) {
  const { profile } = await profiler.session.post('Profiler.stop');
  mkdirSync(profiler.dir, { recursive: true });
  writeFileSync(
    join(profiler.dir, `${workerId}-${process.pid}.cpuprofile`),
    JSON.stringify(profile),
  );
}
process.exit(0);
