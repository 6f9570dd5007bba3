import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seededRandom } from '../../src-shared/random';
import { PULL_STREAM } from '../../src-main/sync/pull';
import {
  createPullPair,
  importPlaces,
  pullState,
  replicaContents,
  serverContents,
  type PullPair,
} from './pull-support';

const ENTRY = fileURLToPath(new URL('./pull-entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let pair: PullPair;
beforeEach(async () => {
  pair = await createPullPair();
});
afterEach(async () => {
  await pair.dispose();
});

/**
 * Runs the pull in a child process. With `killAfterPages`, SIGKILLs it as soon as it has reported
 * that many pages: it is still working then, so the kill lands wherever it happens to be (reading
 * PostgreSQL, inside or between SQLite transactions).
 */
async function runPull(
  killAfterPages?: number,
  selfKill?: string,
): Promise<{ killed: boolean; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PULL_DATABASE_URL: pair.serverHandle.settings.DATABASE_URL!,
      PULL_REPLICA_PATH: pair.replica.path,
      PULL_PAGE_SIZE: '100',
      ...(selfKill ? { PULL_SELF_KILL: selfKill } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pages = 0;
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    pages += text.split('\n').filter((l) => l.startsWith('progress ')).length;
    if (killAfterPages !== undefined && pages >= killAfterPages) child.kill('SIGKILL');
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (exit.signal === 'SIGKILL') return { killed: true, output };
  expect(exit, output).toEqual({ code: 0, signal: null });
  return { killed: false, output };
}

/**
 * What a killed pull may leave: every change up to the stored position is in the replica as the
 * server has it (the server does not change while the pull runs); while the server has not changed
 * since the replica was empty (`untouched`), every replica row at all is the server's.
 */
async function expectConsistentPrefix(untouched: boolean) {
  const server = await serverContents(pair.server);
  const byId = new Map(server.places.map((p) => [p.place_id, p]));
  const replica = replicaContents(pair.replica);
  const inReplica = new Map(replica.places.map((p) => [p.place_id, p]));
  if (untouched) {
    for (const place of replica.places) expect(place).toEqual(byId.get(place.place_id));
    const businesses = new Map(server.businesses.map((b) => [b.place_id, b]));
    for (const b of replica.businesses) expect(b).toEqual(businesses.get(b.place_id));
  }
  const state = pullState(pair.replica)!;
  if (state.pass_after_xid === null) return;
  const { rows } = await pair.server.pool.query<{ place_id: string }>(
    `SELECT c.place_id FROM sync_changes c JOIN places_staging p USING (place_id)
     WHERE c.change_xid >= $1::xid8 AND (c.change_xid, c.place_id) <= ($2::xid8, $3::text)`,
    [state.cursor, state.pass_after_xid, state.pass_after_place_id],
  );
  expect(rows.length).toBeGreaterThan(0);
  const wrong = rows
    .map((r) => r.place_id)
    .filter((id) => JSON.stringify(inReplica.get(id)) !== JSON.stringify(byId.get(id)));
  expect(wrong, 'changes at or before the stored position').toEqual([]);
}

it('a pull SIGKILLed at seeded instants and run again: the replica equals PostgreSQL', async () => {
  await importPlaces(pair.server, 3000);
  await pair.server.pool.query(
    `INSERT INTO local_businesses (place_id, business_name, phone)
     SELECT place_id, name, '+1 512-555-' || lpad((id % 10000)::text, 4, '0')
     FROM places_staging WHERE id % 7 = 0`,
  );
  expect(pullState(pair.replica)).toBeUndefined();
  const next = seededRandom(Number(process.env.PULL_KILL_SEED ?? 20261201));
  let kills = 0;
  // Killed from outside right after a page was reported (so wherever the pull is by then), or by
  // itself after reading a page or inside the SQLite transaction applying it.
  const modes = ['outside', 'mid-apply', 'after-read', 'outside', 'mid-apply', 'after-read'];
  for (let round = 0; round < modes.length; round++) {
    const page = 1 + Math.floor(next() * 6);
    const { killed } =
      modes[round] === 'outside'
        ? await runPull(page)
        : await runPull(undefined, `${modes[round]}:${page}`);
    if (killed) kills++;
    await expectConsistentPrefix(round <= 1);
    if (round === 1) {
      // The server moves on between runs: updates, a deletion, an import.
      await pair.server.pool.query(
        "UPDATE places_staging SET notes = 'moved on' WHERE id % 11 = 0",
      );
      await pair.server.pool.query('DELETE FROM places_staging WHERE id IN (14, 15)');
      await importPlaces(pair.server, 300, { from: 100_000 });
    }
  }
  expect(kills).toBeGreaterThanOrEqual(5);
  const { output } = await runPull();
  expect(output).toMatch(/^done \d+$/m);
  const server = await serverContents(pair.server);
  const replica = replicaContents(pair.replica);
  expect(replica.businesses).toEqual(server.businesses);
  expect(replica.places).toEqual(server.places);
  expect(pullState(pair.replica)).toMatchObject({ pass_after_xid: null });
  expect(pair.replica.sqlite.prepare('SELECT name FROM sync_state').pluck().all()).toEqual([
    PULL_STREAM,
  ]);
}, 180_000);
