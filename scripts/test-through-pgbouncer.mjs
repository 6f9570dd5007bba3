#!/usr/bin/env node
/**
 * `npm run test:pgbouncer`: the PostgreSQL integration suites and the PostgreSQL e2e project
 * again, through a transaction-mode PgBouncer, as teams run the shared store. Nothing in the app
 * may depend on session state (a lock, a prepared statement, a SET outside a transaction,
 * LISTEN): with transaction pooling each transaction may get another server connection.
 *
 * TEST_PGBOUNCER_URL (default postgres://postgres@127.0.0.1:6432/postgres) is the pooler in
 * front of the test cluster (`.ci/run` starts one with scripts/start-test-pgbouncer.sh; compose.yaml
 * has one for contributors). Without one it says so and skips, unless TEST_PGBOUNCER_REQUIRED=1
 * (CI), where a missing pooler fails the run.
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.TEST_PGBOUNCER_URL || 'postgres://postgres@127.0.0.1:6432/postgres';
const required = process.env.TEST_PGBOUNCER_REQUIRED === '1';
const shown = url.replace(/\/\/[^@/]*@/, '//');

async function reachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
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

const problem = await reachable();
if (problem) {
  const sentence = `No PgBouncer answers at ${shown} (${problem}): the PostgreSQL suites did not run through a pooler. Start one with scripts/start-test-pgbouncer.sh or \`docker compose up -d\`.`;
  if (required) {
    console.error(sentence);
    process.exit(1);
  }
  console.warn(`Skipped: ${sentence}`);
  process.exit(0);
}

const env = {
  ...process.env,
  TEST_PG_ADMIN_URL: url,
  TEST_STORES: 'postgres',
  TEST_THROUGH_POOLER: '1',
};
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
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
run(['vitest', 'run', 'test', 'src-main/settings']);
run(['playwright', 'test', '--project', 'postgres']);
