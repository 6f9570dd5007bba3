import { spawn } from 'node:child_process';
import { replicaPlaces } from '../../src-main/sync/team';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PLACE_STATUSES, type PlaceStatus } from '../../src-shared/domain';
import { openSqlite, type PgStore, type SqliteStore } from '../../src-main/db/store';
import { seededRandom } from '../../src-shared/random';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { unansweredCount } from '../../src-main/sync/push';
import { outboxRows } from './outbox-support';
import { importPlaces } from './pull-support';
import { placeStates } from './support';

const CLI = fileURLToPath(new URL('../../src-main/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 20261201;
const PLACES = 2000;
const ROUNDS = 20;
const PER_ROUND = 500;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * `staging-editor sync` as a reviewer runs it, SIGKILLed at 20 seeded instants while 10,000
 * offline decisions on 2,000 places accumulate around it (500 before each run, some on places
 * whose decision is in flight), then run to the end: every decision id is recorded once on the
 * server, every place shows the last local decision, and a further sync sends nothing.
 */
describe('staging-editor sync killed at random instants and run again', () => {
  let server: TestStoreHandle;
  let shared: PgStore;
  let replica: SqliteStore;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await createTestStore('postgres');
    shared = (await server.open()) as PgStore;
    dir = mkdtempSync(join(tmpdir(), 'staging-editor-sync-kill-'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'silent',
      DATABASE_URL: server.settings.DATABASE_URL!,
      SQLITE_PATH: join(dir, 'replica.sqlite'),
      STAGING_EDITOR_DATA_DIR: dir,
    };
    replica = openSqlite(env.SQLITE_PATH!);
  });
  afterAll(async () => {
    await replica?.close();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function runSync(killAt?: () => Promise<boolean>): Promise<Exit> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'sync'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, output })),
    );
    if (killAt) {
      let done = false;
      void exited.then(() => (done = true));
      void (async () => {
        while (!done) {
          if (await killAt()) {
            child.kill('SIGKILL');
            return;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
    }
    return exited;
  }

  const appliedCount = async () =>
    Number(
      (await shared.pool.query<{ n: string }>('SELECT count(*) AS n FROM applied_mutations'))
        .rows[0]!.n,
    );

  test('10,000 decisions, 20 kills: each pushed id once, the last local decision everywhere, nothing left', async () => {
    const ids = await importPlaces(shared, PLACES);
    expect((await runSync()).code).toBe(0); // the first pull
    const random = seededRandom(SEED);
    const offline = replicaPlaces(replica);
    const last = new Map<string, PlaceStatus>();
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        const id = ids[Math.floor(random() * PLACES)]!;
        const status = PLACE_STATUSES[Math.floor(random() * PLACE_STATUSES.length)]!;
        await offline.updateStatus({ place_ids: [id], status }, 'reviewer');
        last.set(id, status);
      }
      // Kill once the server has taken a seeded number more of the waiting decisions (from
      // none: before the first batch, to all but one). Should the run end first (the poll
      // missed the moment), the next run gets another seeded instant.
      for (let attempt = 0; attempt < 3; attempt++) {
        const waiting = unansweredCount(replica);
        const before = await appliedCount();
        const more = Math.floor(random() * waiting);
        const exit = await runSync(async () => (await appliedCount()) >= before + more);
        if (exit.signal === 'SIGKILL') {
          kills++;
          break;
        }
        expect(exit.code, exit.output).toBe(0);
      }
    }
    expect(kills).toBe(ROUNDS);

    const final = await runSync();
    expect(final.code, final.output).toBe(0);
    const entries = outboxRows(replica);
    expect(entries.filter((e) => e.state === 'pending' || e.state === 'sent')).toEqual([]);
    expect(entries.filter((e) => e.state !== 'synced')).toEqual([]);
    // Every answered decision once on the server, none that this machine does not know.
    const { rows } = await shared.pool.query<{ mutation_id: string }>(
      'SELECT mutation_id FROM applied_mutations ORDER BY mutation_id',
    );
    expect(rows.map((r) => r.mutation_id)).toEqual(entries.map((e) => e.mutation_id).sort());
    const states = await placeStates(shared);
    for (const id of ids) expect([id, states.get(id)!.status]).toEqual([id, last.get(id) ?? 'New']);

    const again = await runSync();
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/Synced: 0 decisions pushed/);
    expect(await appliedCount()).toBe(entries.length);
  }, 600_000);
});
