/**
 * `npm run bench:scan:profile -- [options] label=kind[:NAME=value,...] ...`: throughput runs of
 * the deep scan workers, kinds taken in turns, each run's places/s with the CPU time per place of
 * the workers, of PostgreSQL and of this process (the fake Places API), counted while places
 * were being finished (start-up left out). For finding where a difference between two kinds
 * comes from; `npm run bench:scan` is the benchmark of record. Linux only (reads /proc), with
 * PostgreSQL on this machine.
 *
 * Kinds: `scheduler` (the app's loop), `no-ledger` (the same, spend ledger off) or `baseline`
 * (the raw-SQL loop), each with environment of its own for the workers, e.g.
 * `on=scheduler off=no-ledger slow=scheduler:DEEP_SCAN_MAX_CONCURRENCY=4`. Ratios are against the
 * last kind, round by round (see pairedRatio). Options: --latency ms (API latency, default 20),
 * --rounds n (default 3), --places n (default 4000), --processes n (workers, default 2),
 * --concurrency n (per worker, default 8).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFakePlacesApi } from '../test/support/fake-places-api';
import { inTurns, pairedRatio, rate, throughput, type Kind, type Run } from './scan-runs';
import { median } from './stats';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    latency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    places: { type: 'string', default: '4000' },
    processes: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
  },
});
const KINDS: readonly Kind[] = ['scheduler', 'no-ledger', 'baseline'];
const kinds = positionals.map((spec) => {
  const match = /^([^=]+)=([a-z-]+)(?::(.*))?$/.exec(spec);
  if (!match || !KINDS.includes(match[2] as Kind)) {
    throw new Error(
      `"${spec}": expected label=kind[:NAME=value,...], kind one of ${KINDS.join(', ')}`,
    );
  }
  const env = Object.fromEntries(
    (match[3] ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`"${pair}": expected NAME=value`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );
  return { label: match[1]!, kind: match[2] as Kind, env };
});
if (kinds.length === 0) throw new Error('name at least one kind, e.g. on=scheduler off=no-ledger');

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux's usual builds). */
const TICK_MS = 10;

/** A process's CPU time in ms from /proc/<pid>/stat: its own, and with its reaped children's. */
function cpuOf(pid: number | string): { own: number; withChildren: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  // Fields after the command (which may hold spaces): state is field 3; utime 14, stime 15,
  // cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  const own = (utime! + stime!) * TICK_MS;
  return { own, withChildren: own + (cutime! + cstime!) * TICK_MS };
}

/**
 * PostgreSQL's CPU time: every `postgres` process, with the children each has reaped (the
 * postmaster reaps the backends, so a backend that ended between two readings still counts).
 */
function postgresCpu(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') total += cpuOf(pid)?.withChildren ?? 0;
  }
  return total;
}

interface Sample {
  finished: number;
  workers: number;
  postgres: number;
  self: number;
}

async function sample(workerPids: number[], finished: number): Promise<Sample> {
  const usage = process.cpuUsage();
  return {
    finished,
    workers: workerPids.reduce((sum, pid) => sum + (cpuOf(pid)?.own ?? 0), 0),
    postgres: postgresCpu(),
    self: (usage.user + usage.system) / 1000,
  };
}

/** CPU ms per place finished between a run's two samples. */
function perPlace(run: Run): Record<'workers' | 'postgres' | 'self', number> {
  const [a, b] = run.samples as [Sample, Sample];
  const places = Math.max(1, b.finished - a.finished);
  return {
    workers: (b.workers - a.workers) / places,
    postgres: (b.postgres - a.postgres) / places,
    self: (b.self - a.self) / places,
  };
}

const latency = Number(values.latency);
const places = Number(values.places);
const fake = await startFakePlacesApi();
try {
  console.error(
    `${values.processes} processes x concurrency ${values.concurrency}, ${latency} ms API latency, ` +
      `${places} places, ${values.rounds} rounds:`,
  );
  const runs = await inTurns(
    kinds.map(
      (k) =>
        [
          k.label,
          () =>
            throughput(
              fake,
              k.kind,
              Number(values.processes),
              Number(values.concurrency),
              latency,
              places,
              { env: k.env, sample },
            ),
        ] as const,
    ),
    Number(values.rounds),
  );
  const reference = runs[runs.length - 1]!;
  const lines = kinds.map((k, i) => {
    const cpu = runs[i]!.map(perPlace);
    const ms = (key: keyof ReturnType<typeof perPlace>) =>
      median(cpu.map((c) => c[key])).toFixed(2);
    const ratio =
      i === kinds.length - 1
        ? ''
        : pairedRatio(runs[i]!, reference, `${k.label} / reference`).toFixed(3);
    return `| ${k.label} | ${rate(runs[i]!).toFixed(0)} | ${ratio} | ${ms('workers')} | ${ms('postgres')} | ${ms('self')} |`;
  });
  console.log(
    [
      `| kind | places/s (median) | ratio to ${kinds[kinds.length - 1]!.label} | workers' CPU ms/place | PostgreSQL CPU ms/place | fake API's process CPU ms/place |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...lines,
    ].join('\n'),
  );
} finally {
  await fake.close();
}
