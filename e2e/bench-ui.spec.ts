/**
 * The smoke test of `npm run bench:ui` (bench/ui.bench.ts), here rather than beside the other
 * benches' (test/bench/smoke.test.ts) because it needs the build, which `npm test` makes after
 * the vitest run and before this one. It runs the bench as `npm run bench:ui` would, at its
 * smallest (300 places, one run and one pass of each part), and checks that it exits 0 and prints
 * a number for every measure; nothing of speed. The bench starts its own serve (on a temp SQLite
 * store) and its own Chromium: this test uses no page of its own.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { numbersIn, outputOf, runBench, tableRows } from '../test/support/bench';

const BUILT = ['out/main/cli.js', 'out/renderer/index.html'].map((path) =>
  resolve(import.meta.dirname, '..', path),
);

test('npm run bench:ui still runs (300 places, every part once)', async () => {
  test.skip(
    test.info().project.name !== 'sqlite',
    'bench:ui always runs on SQLite: once, in the sqlite project, is enough.',
  );
  test.skip(
    !BUILT.every((path) => existsSync(path)),
    'bench:ui needs the build (out/main/cli.js, out/renderer): run `npm run build` first.',
  );
  test.setTimeout(180_000);
  // --rows 300: the grid part's update takes half of them, and needs more than 100 (the app asks
  // before queuing more than 100 deep scans, and the bench times the update from that question).
  const result = await runBench(
    'ui.bench.ts',
    ['--rows', '300', '--runs', '1', '--passes', '1', '--scroll-step', '100', '--decisions', '5'],
    { timeoutMs: 170_000 },
  );
  expect(result.timedOut, outputOf(result)).toBe(false);
  expect(result.code, outputOf(result)).toBe(0);
  expect(result.leftovers, outputOf(result)).toBe(false);

  const rows = tableRows(result.stdout, /^\| measure \| result \| target \| \| notes \|$/);
  const value = (measure: RegExp) => {
    const row = rows.find(([m]) => measure.test(m!));
    expect(row, `no row ${measure}:\n${result.stdout}`).toBeDefined();
    return row![1]!;
  };
  const ms = /^[\d,]+ ms$/;
  expect(value(/^First rows visible after navigation$/)).toMatch(
    /^[\d,]+ ms cold, [\d,]+ ms warm$/,
  );
  expect(value(/^Jump to row 299 until its data shows$/)).toMatch(ms);
  expect(value(/^JS heap after scrolling through 300 rows$/)).toMatch(/^\d+\.\d MB$/);
  expect(value(/^Max row elements in the DOM while scrolling$/)).toMatch(/^\d+$/);
  expect(value(/^Update 150 matching rows/)).toMatch(ms);
  expect(value(/^5 keyboard decisions: first key to last decision stored$/)).toMatch(ms);
  expect(value(/^Keystrokes per decision/)).toMatch(/^\d+\.\d\d$/);
  expect(value(/^Key to the row showing its new status, p95$/)).toMatch(ms);
  expect(numbersIn(value(/^Renderer scripts/))).toHaveLength(3);
});
