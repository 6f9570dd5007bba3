import { replicaPlaces } from '../../src-main/sync/team';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSqlite, type PgStore, type SqliteStore } from '../../src-main/db/store';
import { setStatus } from '../scan/support/stores';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { outboxRows } from './outbox-support';
import { importPlaces } from './pull-support';
import { appliedRows } from './support';
import { runCli } from '../support/cli';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('staging-editor sync', () => {
  let server: TestStoreHandle;
  let shared: PgStore;
  let replica: SqliteStore;
  let dir: string;
  let env: Record<string, string>;
  let ids: string[];

  beforeAll(async () => {
    server = await createTestStore('postgres');
    shared = (await server.open()) as PgStore;
    dir = mkdtempSync(join(tmpdir(), 'staging-editor-sync-cmd-'));
    env = {
      DATABASE_URL: server.settings.DATABASE_URL!,
      SQLITE_PATH: join(dir, 'replica.sqlite'),
      STAGING_EDITOR_DATA_DIR: dir,
    };
    ids = await importPlaces(shared, 10);
    expect((await runCli(['sync'], env)).code).toBe(0);
    replica = openSqlite(env.SQLITE_PATH!);
    const offline = replicaPlaces(replica);
    await offline.updateStatus({ place_ids: ids.slice(0, 6), status: 'Maybe' }, 'ana');
    // A colleague decides two of them differently, one the same way.
    await setStatus(shared, ids.slice(0, 2), 'Archived');
    await setStatus(shared, [ids[2]!], 'Maybe');
  });
  afterAll(async () => {
    await replica?.close();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run says how many would conflict and sends nothing', async () => {
    const r = await runCli(['sync', '--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      "2 of your 6 decisions conflict with a colleague's (3 would apply, 1 already agree, 0 would be rejected); nothing was sent.",
    );
    expect(await appliedRows(shared)).toEqual([]);
    expect(outboxRows(replica).map((e) => e.state)).toEqual(Array(6).fill('pending'));
  });

  test('PostgreSQL unreachable: one sentence, a non-zero exit, the decisions stay', async () => {
    const port = await closedPort();
    const r = await runCli(['sync'], {
      ...env,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere`,
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^Cannot reach the shared store \\(PostgreSQL 127\\.0\\.0\\.1:${port}/nowhere\\): .+\\. Your 6 unsynced decisions stay on this computer; run the sync again when it answers\\.`,
      ),
    );
    expect(outboxRows(replica).map((e) => e.state)).toEqual(Array(6).fill('pending'));
  });

  test('without team mode: one sentence saying what is missing', async () => {
    const r = await runCli(['sync'], {
      SQLITE_PATH: env.SQLITE_PATH!,
      STAGING_EDITOR_DATA_DIR: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^This app works on one store, so there is nothing to sync/);
  });

  test('a sync pushes, pulls and prints one summary line; conflicts still exit 0', async () => {
    const r = await runCli(['sync'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(
      /^Synced: 6 decisions pushed \(3 applied, 1 already agreed, 2 conflicts, 0 rejected\), \d+ changes pulled\. Resolve the conflicts in the app's inbox\.$/,
    );
    expect(await appliedRows(shared)).toHaveLength(6);
  });
});
