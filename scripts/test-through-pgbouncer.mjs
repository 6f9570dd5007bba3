#!/usr/bin/env node
/**
 * `npm run test:pgbouncer` (the last step of `npm test`): the PostgreSQL integration suites and
 * the PostgreSQL e2e project again, with the app's DATABASE_URL going through a transaction-mode
 * PgBouncer, as teams run the shared store. Nothing in the app may depend on session state (a
 * session lock, a prepared statement, a SET outside a transaction, a startup parameter, LISTEN):
 * with transaction pooling each transaction may get another server connection. Test setup that
 * needs the server itself (CREATE / DROP DATABASE, roles, the e2e probe) stays direct on
 * TEST_PG_ADMIN_URL.
 *
 * TEST_PGBOUNCER_URL (default postgres://postgres@127.0.0.1:6432/postgres) is the pooler in
 * front of the test cluster. When nothing answers at the default address this starts one with
 * scripts/start-test-pgbouncer.sh (Debian's pgbouncer; `docker compose up -d` starts one too);
 * when none can be had the run fails, saying why. TEST_PGBOUNCER=skip skips the pass, saying so
 * (the release workflow's Windows and macOS runners, which have no pgbouncer package; Linux and
 * `.ci/run` always run it).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:6432/postgres';
const url = process.env.TEST_PGBOUNCER_URL || DEFAULT_URL;
const shown = url.replace(/\/\/[^@/]*@/, '//');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function problemReaching() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function fail(sentence) {
  console.error(sentence);
  process.exit(1);
}

if (process.env.TEST_PGBOUNCER === 'skip') {
  console.warn(
    'Skipped by TEST_PGBOUNCER=skip: the PostgreSQL suites did not run through PgBouncer.',
  );
  process.exit(0);
}

let problem = await problemReaching();
if (problem && url === DEFAULT_URL && process.platform !== 'win32') {
  console.log(`No PgBouncer answers at ${shown}: starting one (scripts/start-test-pgbouncer.sh).`);
  const started = spawnSync('bash', [join(root, 'scripts', 'start-test-pgbouncer.sh')], {
    stdio: 'inherit',
  });
  if (started.status !== 0) {
    fail(
      'Could not start the test PgBouncer (see above): the PostgreSQL suites did not run through a pooler.',
    );
  }
  problem = await problemReaching();
}
if (problem) {
  fail(
    `No PgBouncer answers at ${shown} (${problem}): the PostgreSQL suites did not run through a pooler. Start one with scripts/start-test-pgbouncer.sh or \`docker compose up -d\`, or set TEST_PGBOUNCER_URL.`,
  );
}

const env = {
  ...process.env,
  TEST_PGBOUNCER_URL: url,
  TEST_STORES: 'postgres',
  TEST_THROUGH_POOLER: '1',
};
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const started = Date.now();
const run = (args) => {
  console.log(`\n> through PgBouncer (${shown}): npx ${args.join(' ')}`);
  const result = spawnSync(npx, args, {
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
// The suites that open a PostgreSQL store; the rest have nothing to add through a pooler.
run(['vitest', 'run', '--project', 'main', 'test/', 'src-main/settings/']);
run(['playwright', 'test', '--project', 'postgres']);
console.log(
  `\nThrough PgBouncer: the PostgreSQL suites passed in ${Math.round((Date.now() - started) / 1000)} s.`,
);
