import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

/** What the release workflow must do on every runner; whether it passes is for those runners. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
interface Step {
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as {
  jobs: {
    installers: {
      strategy: { matrix: { os: string[] } };
      steps: Step[];
    };
    'node-24': { steps: Step[] };
  };
};
const job = workflow.jobs.installers;
const runs = job.steps.map((step) => step.run ?? '').join('\n');

test('runs on Windows, macOS (Apple Silicon) and Linux', () => {
  const systems = job.strategy.matrix.os;
  expect(systems.some((os) => os.startsWith('windows-'))).toBe(true);
  expect(systems).toContain('macos-14');
  expect(systems.some((os) => os.startsWith('ubuntu-'))).toBe(true);
});

test('runs the whole suite on Node 24 LTS as well', () => {
  const steps = workflow.jobs['node-24'].steps;
  const setup = steps.find((step) => step.uses?.startsWith('actions/setup-node'));
  expect(setup?.with?.['node-version']).toBe(24);
  const commands = steps.map((step) => step.run ?? '');
  expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
  expect(commands.indexOf('npm test')).toBeGreaterThan(commands.indexOf('npm ci'));
});

test('installs, tests, builds the installers, launches them and runs the Electron smoke test, in that order', () => {
  const order = [
    'npm ci',
    'node node_modules/electron/install.js',
    'npm test',
    'npm run dist',
    'node scripts/check-packaged-launch.mjs',
    'npm run test:electron',
  ].map((command) => runs.indexOf(command));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});

test('Linux runners install pgbouncer before npm test (its pooler pass); the others skip that pass by name', () => {
  for (const steps of [job.steps, workflow.jobs['node-24'].steps]) {
    const commands = steps.map((step) => step.run ?? '');
    const install = commands.findIndex((run) =>
      run.includes('apt-get install -y --no-install-recommends pgbouncer'),
    );
    expect(install).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm test')).toBeGreaterThan(install);
  }
  const test = job.steps.find((step) => step.run === 'npm test') as Step & {
    env?: Record<string, string>;
  };
  expect(test.env?.TEST_PGBOUNCER).toBe("${{ runner.os == 'Linux' && 'run' || 'skip' }}");
});
