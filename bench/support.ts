import { loadavg } from 'node:os';
import { seededRandom } from '../src-shared/random';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

/**
 * Medians of a subject and its baseline, measured alternately (A, B, A, B, ...) after a warm-up
 * of each, so a noisy stretch on a shared machine slows both sides alike.
 */
export async function compareMs(
  runs: number,
  subject: (i: number) => Promise<unknown> | unknown,
  baseline: (i: number) => Promise<unknown> | unknown,
): Promise<{ subject: number; baseline: number }> {
  await subject(-1);
  await baseline(-1);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, times] of [
      [subject, a],
      [baseline, b],
    ] as const) {
      const start = performance.now();
      await fn(i);
      times.push(performance.now() - start);
    }
  }
  return { subject: median(a), baseline: median(b) };
}

export interface Row {
  store: string;
  measure: string;
  subject: number;
  baseline: number;
  /** The most the ratio subject / baseline may be (unless `limitMs` is given). */
  target: number;
  /** An absolute target instead: the subject takes at most this many milliseconds. */
  limitMs?: number;
}

/** Prints the rows as a Markdown table: subject / baseline ratio against its target. */
export function printTable(rows: Row[], subjectName: string): void {
  const lines = [
    `| store | measure | ${subjectName} ms | raw SQL ms | ratio | target | |`,
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const ratio = r.subject / r.baseline;
      const [target, met] =
        r.limitMs === undefined
          ? [`<= ${r.target}`, ratio <= r.target]
          : [`<= ${r.limitMs} ms`, r.subject <= r.limitMs];
      return `| ${r.store} | ${r.measure} | ${r.subject.toFixed(1)} | ${r.baseline.toFixed(1)} | ${ratio.toFixed(2)} | ${target} | ${met ? 'ok' : 'MISSED'} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

/**
 * Throws when the command line names an option (`--name`) that is not in `known`: a misspelt or
 * renamed option would otherwise be ignored, leaving the bench at its full size.
 */
export function refuseUnknownOptions(known: readonly string[]): void {
  const unknown = process.argv
    .slice(2)
    .filter((arg) => arg.startsWith('--') && !known.includes(arg.slice(2)));
  if (unknown.length) {
    throw new Error(
      `Unknown option ${unknown.join(', ')}; this bench takes ${known.map((k) => `--${k}`).join(', ')}.`,
    );
  }
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** A deterministic shuffle, so both sides of a comparison get equivalent random id sets. */
export function randomIndexes(count: number, max: number, seed: number): number[] {
  const next = seededRandom(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(next() * max));
  return [...picked];
}

/** The load average as the benches' headers print it ("1.30 1.52 2.13"). */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** The server's `shared_buffers` for a bench's header: PostgreSQL's cache moves every figure. */
export async function sharedBuffers(
  query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>,
): Promise<string> {
  const { rows } = await query('SHOW shared_buffers');
  return String(rows[0]!.shared_buffers);
}
