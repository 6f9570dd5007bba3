/**
 * `npm run bench:scan`: the deep scan scheduler against a raw-SQL claim loop on the bare `pg`
 * driver (bench/scan-baseline.ts), measured in the same run on the same machine, against the
 * fake Places API on loopback. Needs PostgreSQL at TEST_PG_ADMIN_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); creates and drops its own databases.
 *
 * Environment: BENCH_PLACES (places per throughput run, default 4000), BENCH_IDLE_SECONDS
 * (the idle window, default 60), BENCH_REPEAT (rounds per throughput figure, its median kept,
 * default 5), BENCH_ONLY (a comma-separated subset of throughput,claim,idle; `throughput` is
 * its four groups of rows, each of which can also be named alone: throughput-0ms,
 * throughput-20ms, throughput-100ms, throughput-4-processes). The runs compared in one row take
 * turns, so the machine's slow and fast spells fall on each alike.
 * For a quick run that only checks the bench works (test/bench/smoke.test.ts): BENCH_CLAIM_PLACES
 * (the completed places the claim runs beside, default 1000000), BENCH_IDLE_WORKERS (default
 * 10) and BENCH_IDLE_SETTLE_SECONDS (the wait for the server's statistics before and after the
 * idle window, default 12).
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openPostgres } from '../src-main/db/store';
import { scanQueueFor } from '../src-main/scan/queue-for-store';
import { startFakePlacesApi, type FakePlacesApi } from '../test/support/fake-places-api';
import { withAdmin } from '../test/support/stores';
import {
  inTurns,
  pairedRatio,
  rate,
  sleep,
  spawnWorker,
  stopWorkers,
  throughput,
  withDatabase,
  workerEnv,
} from './scan-runs';
import { percentile } from './stats';

const PLACES = Number(process.env.BENCH_PLACES ?? 4000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const CLAIM_PLACES = Number(process.env.BENCH_CLAIM_PLACES ?? 1_000_000);
const IDLE_WORKERS = Number(process.env.BENCH_IDLE_WORKERS ?? 10);
const IDLE_SETTLE_SECONDS = Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 12);
const THROUGHPUT_GROUPS = [
  'throughput-0ms',
  'throughput-20ms',
  'throughput-100ms',
  'throughput-4-processes',
];
const PARTS = ['throughput', ...THROUGHPUT_GROUPS, 'claim', 'idle'];
/** Comma-separated subset of PARTS (default: all). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,claim,idle').split(','));
const unknownParts = [...ONLY].filter((part) => !PARTS.includes(part));
if (unknownParts.length) {
  throw new Error(`BENCH_ONLY: unknown part ${unknownParts.join(', ')} (${PARTS.join(', ')}).`);
}
/** Whether BENCH_ONLY asks for this part (`throughput` asks for each group of throughput rows). */
const wanted = (part: string) =>
  ONLY.has(part) || (THROUGHPUT_GROUPS.includes(part) && ONLY.has('throughput'));

/** A count as the table writes it: 1M, 10k, else in full. */
const short = (n: number) =>
  n % 1_000_000 === 0 && n > 0
    ? `${n / 1_000_000}M`
    : n % 1000 === 0 && n > 0
      ? `${n / 1000}k`
      : n.toLocaleString('en');

// --- claim latency --------------------------------------------------------------------------

const RAW_CLAIM = `
  WITH picked AS (
    SELECT id FROM places_staging
    WHERE deep_scan_status = 'Queued' AND deep_scan_next_attempt_at <= now()
      AND status = 'Selected'
    ORDER BY deep_scan_next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
  UPDATE places_staging p SET deep_scan_status = 'Processing',
    deep_scan_attempts = p.deep_scan_attempts + 1, deep_scan_claim_token = $2,
    deep_scan_claimed_by = 'raw', deep_scan_lease_expires_at = now() + interval '60 seconds'
  FROM picked WHERE p.id = picked.id RETURNING p.id, p.place_id`;

async function claimLatency() {
  return withDatabase(async (url, store) => {
    console.error(
      `  seeding ${CLAIM_PLACES.toLocaleString('en')} completed and 10,000 queued places...`,
    );
    const started = Date.now();
    await store.pool.query(
      `
      INSERT INTO places_staging (place_id, name, status, deep_scan_status, deep_scan_attempts,
        deep_scan_queued_at, deep_scan_completed_at)
      SELECT 'done-' || g, 'Completed place ' || g, 'Selected', 'Completed', 1,
        now() - interval '2 days', now() - interval '1 day'
      FROM generate_series(1, $1::int) g`,
      [CLAIM_PLACES],
    );
    await store.pool.query(`
      INSERT INTO places_staging (place_id, name, status, deep_scan_status, deep_scan_queued_at,
        deep_scan_next_attempt_at)
      SELECT 'queued-' || g, 'Queued place ' || g, 'Selected', 'Queued',
        now() - interval '1 hour', now() - interval '1 hour' + g * interval '1 ms'
      FROM generate_series(1, 10000) g`);
    await store.pool.query('VACUUM ANALYZE places_staging');
    console.error(`  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const queue = scanQueueFor(store);
    await queue.prepare(5);
    const request = () => ({
      workerId: 'bench',
      token: randomUUID(),
      limit: 20,
      leaseMs: 60_000,
      ratePerSecond: 10_000,
    });
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    // Warm up both statements, then alternate them so that both see the same table.
    for (let i = 0; i < 5; i++) {
      await queue.claim(request());
      await store.pool.query(RAW_CLAIM, [20, randomUUID()]);
    }
    const scheduler: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 150; i++) {
      scheduler.push(await time(() => queue.claim(request())));
      raw.push(await time(() => store.pool.query(RAW_CLAIM, [20, randomUUID()])));
    }
    // Four claimers at once (separate connections), as four workers would.
    const others = await Promise.all([1, 2, 3].map(() => openPostgres(url, { poolSize: 2 })));
    const queues = [queue, ...others.map((s) => scanQueueFor(s))];
    const concurrent: number[] = [];
    for (let i = 0; i < 20; i++) {
      concurrent.push(...(await Promise.all(queues.map((q) => time(() => q.claim(request()))))));
    }
    await Promise.all(others.map((s) => s.close()));
    return {
      scheduler: { p50: percentile(scheduler, 50), p95: percentile(scheduler, 95) },
      raw: { p50: percentile(raw, 50), p95: percentile(raw, 95) },
      concurrent: { p50: percentile(concurrent, 50), p95: percentile(concurrent, 95) },
    };
  });
}

// --- idle workers ---------------------------------------------------------------------------

async function idleQueries(fake: FakePlacesApi) {
  return withDatabase(async (url) => {
    const database = new URL(url).pathname.slice(1);
    const transactions = async () =>
      withAdmin(async (c) => {
        const { rows } = await c.query<{ n: string }>(
          `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`,
          [database],
        );
        return Number(rows[0]!.n);
      });
    // Each worker counts the statements it sends and reports on SIGUSR2.
    const counted = async () => {
      const marks = workers.map((w) => w.output().length);
      for (const w of workers) w.child.kill('SIGUSR2');
      await sleep(500);
      return workers.reduce((sum, w, i) => {
        const match = /BENCH_QUERIES (\d+)/.exec(w.output().slice(marks[i]));
        if (!match) throw new Error('an idle worker did not report its statements');
        return sum + Number(match[1]);
      }, 0);
    };
    // Default settings: poll every 10 s, 60 s lease.
    const env = workerEnv(url, fake, { LOG_LEVEL: 'info', BENCH_COUNT_QUERIES: '1' });
    const workers = Array.from({ length: IDLE_WORKERS }, (_, i) =>
      spawnWorker('scheduler', env, `idle-${i}`),
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!workers.every((w) => /deep scan loop started/.test(w.output()))) {
        if (Date.now() > deadline) throw new Error('idle workers did not start');
        await sleep(200);
      }
      // Start-up statistics reach pg_stat_database up to 10 s late: let them settle.
      await sleep(IDLE_SETTLE_SECONDS * 1000);
      const [sentBefore, seenBefore] = [await counted(), await transactions()];
      await sleep(IDLE_SECONDS * 1000);
      const sentAfter = await counted();
      await sleep(IDLE_SETTLE_SECONDS * 1000);
      const seenAfter = await transactions();
      const perMinute = (n: number) => (n * 60) / IDLE_SECONDS;
      return {
        sent: perMinute(sentAfter - sentBefore),
        // The server's count also sees the two reads of this benchmark.
        seen: perMinute(seenAfter - seenBefore),
        workers: workers.length,
      };
    } finally {
      await stopWorkers(workers);
    }
  });
}

// --- the table ------------------------------------------------------------------------------

type Row = string[];
const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

async function throughputRows(fake: FakePlacesApi): Promise<Row[]> {
  const rows: Row[] = [];
  for (const latency of [0, 20]) {
    if (!wanted(`throughput-${latency}ms`)) continue;
    console.error(`throughput, 2 processes x concurrency 8, batch 20, ${latency} ms latency:`);
    const [ours, noLedger, raw] = await inTurns(
      [
        ['scheduler', () => throughput(fake, 'scheduler', 2, 8, latency, PLACES)],
        ['scheduler, ledger off', () => throughput(fake, 'no-ledger', 2, 8, latency, PLACES)],
        ['baseline', () => throughput(fake, 'baseline', 2, 8, latency, PLACES)],
      ],
      REPEAT,
    );
    // The spend ledger's cost: the same scheduler, same run, with and without it (issue 12).
    const ledgerRatio = pairedRatio(ours, noLedger, 'ledger on / off');
    rows.push([
      `ledger on / off: places/s, 2 processes x 8, batch 20, ${latency} ms API latency (${PLACES} places)`,
      `${rate(ours).toFixed(0)} on`,
      `${rate(noLedger).toFixed(0)} off`,
      `ratio ${ledgerRatio.toFixed(3)}`,
      '>= 0.9',
      verdict(ledgerRatio >= 0.9),
    ]);
    const ratio = pairedRatio(ours, raw, 'scheduler / baseline');
    const target = latency === 0 ? 0.7 : 0.9;
    rows.push([
      `rows/s, 2 processes x 8, batch 20, ${latency} ms API latency (${PLACES} places)`,
      rate(ours).toFixed(0),
      rate(raw).toFixed(0),
      `ratio ${ratio.toFixed(3)}`,
      `>= ${target}`,
      verdict(ratio >= target),
    ]);
  }
  // At a latency like the real API's (Place Details answers in ~100-300 ms) the call's own
  // commit before it is sent weighs less: the same comparison, ledger on and off, at 100 ms.
  if (wanted('throughput-100ms')) {
    console.error('throughput, 2 processes x concurrency 8, batch 20, 100 ms latency:');
    const [slowOn, slowOff] = await inTurns(
      [
        ['scheduler', () => throughput(fake, 'scheduler', 2, 8, 100, PLACES)],
        ['scheduler, ledger off', () => throughput(fake, 'no-ledger', 2, 8, 100, PLACES)],
      ],
      REPEAT,
    );
    const slowRatio = pairedRatio(slowOn, slowOff, 'ledger on / off');
    rows.push([
      `ledger on / off: places/s, 2 processes x 8, batch 20, 100 ms API latency (${PLACES} places)`,
      `${rate(slowOn).toFixed(0)} on`,
      `${rate(slowOff).toFixed(0)} off`,
      `ratio ${slowRatio.toFixed(3)}`,
      '>= 0.9',
      verdict(slowRatio >= 0.9),
    ]);
  }
  if (wanted('throughput-4-processes')) {
    console.error('throughput, 4 processes x concurrency 8, 20 ms latency:');
    const [four] = await inTurns(
      [['scheduler', () => throughput(fake, 'scheduler', 4, 8, 20, PLACES * 2)]],
      REPEAT,
    );
    const fourRate = rate(four);
    rows.push([
      `places/s, 4 processes x 8, batch 20, 20 ms API latency (${PLACES * 2} places)`,
      fourRate.toFixed(0),
      '',
      '',
      '>= 400',
      verdict(fourRate >= 400),
    ]);
  }
  return rows;
}

async function claimRows(): Promise<Row[]> {
  console.error(`claim latency, ${CLAIM_PLACES.toLocaleString('en')} completed + 10,000 queued:`);
  const claim = await claimLatency();
  return [
    [
      `claim of 20, ${short(CLAIM_PLACES)} Completed + 10k Queued: p50 / p95 ms`,
      `${claim.scheduler.p50.toFixed(1)} / ${claim.scheduler.p95.toFixed(1)}`,
      `${claim.raw.p50.toFixed(1)} / ${claim.raw.p95.toFixed(1)}`,
      '',
      'p95 <= 20',
      verdict(claim.scheduler.p95 <= 20),
    ],
    [
      'same, 4 claimers at once: p50 / p95 ms',
      `${claim.concurrent.p50.toFixed(1)} / ${claim.concurrent.p95.toFixed(1)}`,
      '',
      '',
      '',
      '',
    ],
  ];
}

async function idleRows(fake: FakePlacesApi): Promise<Row[]> {
  console.error(`${IDLE_WORKERS} idle workers for ${IDLE_SECONDS} s (default settings):`);
  const idle = await idleQueries(fake);
  return [
    [
      `${IDLE_WORKERS} idle workers (10 s poll, 60 s lease): statements per minute, over ${IDLE_SECONDS} s`,
      `${idle.sent.toFixed(0)} sent, ${(idle.sent / idle.workers).toFixed(1)} per worker ` +
        `(server counted ${idle.seen.toFixed(0)} transactions)`,
      '',
      '',
      'few',
      '',
    ],
  ];
}

async function main() {
  const fake = await startFakePlacesApi();
  const rows: Row[] = [];
  try {
    if (THROUGHPUT_GROUPS.some(wanted)) rows.push(...(await throughputRows(fake)));
    if (wanted('claim')) rows.push(...(await claimRows()));
    if (wanted('idle')) rows.push(...(await idleRows(fake)));
  } finally {
    await fake.close();
  }
  const header = [
    '',
    'scheduler',
    'raw-SQL baseline (ledger rows: ledger off)',
    '',
    'target',
    'met',
  ];
  console.log(
    [
      `Deep scan benchmark, ${new Date().toISOString()}: Node ${process.version}, ` +
        `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end; ` +
        'PostgreSQL and the fake Places API (in this process) on the same machine. ' +
        `Throughput figures: the median of ${REPEAT} runs taken in turns, after one warm-up ` +
        'round not counted; ratios: the median of the ratios round by round (every run and ' +
        'ratio is listed above).',
      '',
      ...[header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`),
    ].join('\n'),
  );
}

await main();
