/**
 * Smoke tests of the benchmark scripts (bench/*.ts): each runs as `npm run bench...` would run it,
 * in a child process, at the smallest size its options allow, and must exit 0 and print its table
 * with numbers in it. They catch a bench that no longer runs (a refactor of the code it imports,
 * a renamed log line or option); they say nothing of speed: no figure or verdict is checked. The
 * benches make their own throwaway databases and temp folders (test/support/stores.ts) and drop
 * them. bench:ui needs the build: its smoke test is e2e/bench-ui.spec.ts, which runs after it.
 */
import { describe, expect, test } from 'vitest';
import {
  isNumber,
  numbersIn,
  outputOf,
  runBench,
  tableRows,
  type BenchResult,
} from '../support/bench';
import { STORE_KINDS, THROUGH_POOLER } from '../support/stores';

const withPostgres = STORE_KINDS.includes('postgres');
/** bench:scan's idle part asks its workers for their counts by SIGUSR2, which Windows lacks. */
const withSignals = process.platform !== 'win32';

/** A run must end by itself, with code 0 and nothing left running. */
function expectClean(result: BenchResult): void {
  expect(result.timedOut, outputOf(result)).toBe(false);
  expect(result.code, outputOf(result)).toBe(0);
  expect(result.leftovers, outputOf(result)).toBe(false);
}

/** bench/support.ts printTable: subject ms, raw SQL ms and their ratio, all numbers. */
function expectRatioTable(result: BenchResult, subject: string, measures: RegExp[]): string[][] {
  const header = new RegExp(
    `^\\| store \\| measure \\| ${subject} ms \\| raw SQL ms \\| ratio \\|`,
  );
  const rows = tableRows(result.stdout, header);
  for (const measure of measures) {
    expect(
      rows.some(([, m]) => measure.test(m!)),
      `no row ${measure}:\n${result.stdout}`,
    ).toBe(true);
  }
  for (const row of rows) {
    const [, measure, ms, rawMs, ratio] = row;
    expect(
      [ms, rawMs, ratio].every(isNumber),
      `not numbers in "${measure}": ${row.join(' | ')}`,
    ).toBe(true);
  }
  return rows;
}

// The benches use the server itself, never the pooler: nothing to add in the PgBouncer pass.
describe.skipIf(THROUGH_POOLER)('benchmark scripts still run (smallest sizes)', () => {
  const reviewers = withPostgres ? ', then many reviewers' : '';
  test(`npm run bench: every group on ${STORE_KINDS.join(' and ')}${reviewers}`, async () => {
    const result = await runBench(
      'backend.bench.ts',
      [
        ...['--stores', STORE_KINDS.join(','), '--rows', '1000', '--runs', '1'],
        ...(withPostgres ? [] : ['--only', 'update,pages,search,summary,http']),
        ...['--concurrency-rows', '1000', '--reviewers', '2', '--seconds', '1'],
      ],
      { timeoutMs: 170_000 },
    );
    expectClean(result);
    const rows = expectRatioTable(result, 'service', [
      /^search /,
      /^grid first page/,
      /^grid deep page/,
      /^grid page \d+ by keyset/,
      /^summary/,
      /^update 1,000 places/,
      /^HTTP PUT/,
    ]);
    expect(new Set(rows.map(([store]) => store))).toEqual(new Set(STORE_KINDS));
    if (withPostgres) {
      const many = tableRows(result.stdout, /^\| kind \| requests \| requests\/s \|/);
      expect(many.map(([kind]) => kind)).toEqual(
        expect.arrayContaining(['grid page (100 rows)', 'decision (20 places)']),
      );
      for (const row of many) {
        expect(row.slice(1, 6).every(isNumber), row.join(' | ')).toBe(true);
      }
      expect(result.stdout).toMatch(/^errors: \d+/m);
      expect(result.stdout).toMatch(/^decisions stored: \d+ of \d+/m);
    }
  }, 180_000);

  test.skipIf(!withPostgres)(
    `npm run bench:scan: the 0 ms throughput rows (every worker kind), claim${withSignals ? ' and idle' : ''}`,
    async () => {
      const result = await runBench('scan.bench.ts', [], {
        env: {
          BENCH_ONLY: `throughput-0ms,claim${withSignals ? ',idle' : ''}`,
          BENCH_PLACES: '20',
          BENCH_REPEAT: '1',
          BENCH_CLAIM_PLACES: '1000',
          BENCH_IDLE_WORKERS: '1',
          BENCH_IDLE_SECONDS: '1',
          BENCH_IDLE_SETTLE_SECONDS: '0',
        },
        timeoutMs: 170_000,
      });
      expectClean(result);
      const rows = tableRows(result.stdout, /^\| {2}\| scheduler \| raw-SQL baseline/);
      const row = (label: RegExp) => {
        const found = rows.find(([l]) => label.test(l!));
        expect(found, `no row ${label}:\n${result.stdout}`).toBeDefined();
        return found!;
      };
      // Ledger on / off, and the scheduler against the raw-SQL loop: "158 on", "240 off", "ratio 0.657".
      for (const r of [
        row(/^ledger on \/ off: .* 0 ms API latency/),
        row(/^rows\/s, .* 0 ms API/),
      ]) {
        expect(numbersIn(r[1]), r.join(' | ')).toHaveLength(1);
        expect(numbersIn(r[2]), r.join(' | ')).toHaveLength(1);
        expect(r[3], r.join(' | ')).toMatch(/^ratio /);
        expect(isNumber(r[3]!.slice('ratio '.length)), r.join(' | ')).toBe(true);
      }
      // p50 / p95 of each.
      const claim = row(/^claim of 20, 1k Completed \+ 10k Queued/);
      expect(numbersIn(claim[1]), claim.join(' | ')).toHaveLength(2);
      expect(numbersIn(claim[2]), claim.join(' | ')).toHaveLength(2);
      expect(numbersIn(row(/^same, 4 claimers at once/)[1])).toHaveLength(2);
      if (withSignals) {
        const idle = row(/^1 idle workers/);
        expect(idle[1], idle.join(' | ')).toMatch(
          /^\d+ sent, \d+\.\d per worker \(server counted \d+ transactions\)$/,
        );
      }
    },
    180_000,
  );

  // It reads the CPU times in /proc: Linux only.
  test.skipIf(!withPostgres || process.platform !== 'linux')(
    'npm run bench:scan:profile: one kind, one round',
    async () => {
      const result = await runBench(
        'scan-profile.ts',
        [
          ...['--rounds', '1', '--places', '20', '--processes', '1', '--concurrency', '2'],
          ...['--latency', '0', 'on=scheduler:DEEP_SCAN_BATCH_SIZE=10'],
        ],
        { timeoutMs: 110_000 },
      );
      expectClean(result);
      const rows = tableRows(result.stdout, /^\| kind \| places\/s \(median\) \| ratio to on \|/);
      expect(rows.map(([kind]) => kind)).toEqual(['on']);
      const [, rate, , workers, postgres, self] = rows[0]!;
      expect([rate, workers, postgres, self].every(isNumber), rows[0]!.join(' | ')).toBe(true);
    },
    120_000,
  );

  test.skipIf(!withPostgres)(
    'npm run bench:sync: push, first pull and offline decisions',
    async () => {
      const result = await runBench(
        'sync.bench.ts',
        [
          ...['--decisions', '50', '--batch', '20', '--delay', '1'],
          ...['--pull-rows', '500', '--pull-runs', '1', '--page', '100'],
          ...['--offline-places', '500', '--offline-decisions', '10'],
        ],
        { timeoutMs: 110_000 },
      );
      expectClean(result);
      expectRatioTable(result, 'sync', [
        /^push of 50 decisions \(batches of 20\)/,
        /^first pull of 500 places \(pages of 100\)/,
        /^offline decision visible .* p50 of 10/,
        /^offline decision visible .* p95 of 10/,
      ]);
    },
    120_000,
  );

  test(`npm run bench:startup: one cold start per store (${STORE_KINDS.join(', ')})`, async () => {
    const result = await runBench(
      'startup.bench.ts',
      ['--places', '100', '--runs', '1', '--only', STORE_KINDS.join(',')],
      { timeoutMs: 110_000 },
    );
    expectClean(result);
    const rows = expectRatioTable(result, 'backend', [/^cold start to the first grid page/]);
    expect(rows.map(([store]) => store)).toEqual([...STORE_KINDS]);
  }, 120_000);
});
