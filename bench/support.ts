import { performance } from 'node:perf_hooks';

/** Median wall time in ms of `runs` calls after `warmup` untimed ones. */
export async function medianMs(
  runs: number,
  fn: (i: number) => Promise<unknown> | unknown,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface Row {
  store: string;
  measure: string;
  subject: number;
  baseline: number;
  target: number;
}

/** Prints the rows as a Markdown table: subject / baseline ratio against its target. */
export function printTable(rows: Row[], subjectName: string): void {
  const lines = [
    `| store | measure | ${subjectName} ms | raw SQL ms | ratio | target | |`,
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const ratio = r.subject / r.baseline;
      return `| ${r.store} | ${r.measure} | ${r.subject.toFixed(1)} | ${r.baseline.toFixed(1)} | ${ratio.toFixed(2)} | <= ${r.target} | ${ratio <= r.target ? 'ok' : 'MISSED'} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** A deterministic shuffle, so both sides of a comparison get equivalent random id sets. */
export function randomIndexes(count: number, max: number, seed: number): number[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(next() * max));
  return [...picked];
}
