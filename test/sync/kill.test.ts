import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SyncMutation, SyncMutationResult } from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { waitFor } from '../scan/support/stores';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { appliedRows, insertPlaces, mutation, placeStates, seededUuid } from './support';
import { seededRandom } from '../../src-shared/random';

const ENTRY = fileURLToPath(new URL('./apply-entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = '2026-12-01T10:00:00.000Z';
const SEED = 20261201;
const KILLS = 6;

interface Run {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process announces it is about to apply mutation `index`. */
  reached(index: number): Promise<void>;
  kill(): void;
  output(): string;
}

function startPush(url: string, batchFile: string, outFile: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      SYNC_TEST_BATCH: batchFile,
      SYNC_TEST_OUT: outFile,
      SYNC_TEST_NOW: NOW,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Map<number, () => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const [index, resolve] of waiters) {
      if (output.includes(`applying ${index}\n`)) {
        waiters.delete(index);
        resolve();
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    exited,
    reached: (index) =>
      new Promise<void>((resolve, reject) => {
        waiters.set(index, resolve);
        void exited.then(() => {
          if (waiters.has(index)) reject(new Error(`exited before mutation ${index}:\n${output}`));
        });
      }),
    kill: () => child.kill('SIGKILL'),
    output: () => output,
  };
}

/**
 * A real process pushing a batch is SIGKILLed at seeded random mutations (mid-transaction or
 * just around one) and started again with the same batch, as the sync command would be: every
 * mutation id is recorded once, the end state and answers are those of one uninterrupted run,
 * and a further run applies nothing new.
 */
describe('a push killed at random instants and run again', () => {
  let killedHandle: TestStoreHandle;
  let referenceHandle: TestStoreHandle;
  let killed: PgStore;
  let reference: PgStore;
  let dir: string;

  beforeAll(async () => {
    killedHandle = await createTestStore('postgres');
    referenceHandle = await createTestStore('postgres');
    killed = (await killedHandle.open()) as PgStore;
    reference = (await referenceHandle.open()) as PgStore;
    dir = mkdtempSync(join(tmpdir(), 'se-sync-kill-'));
  });
  afterAll(async () => {
    await killedHandle.dispose();
    await referenceHandle.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The same 200 places in both databases: a mix of statuses and scan states, one clock. */
  async function arrange(store: PgStore, ids: string[]) {
    await insertPlaces(store, ids);
    await store.pool.query(
      `UPDATE places_staging SET
         status = (ARRAY['New','Selected','Maybe'])[1 + (substr(place_id, 3)::int % 3)],
         deep_scan_status = (ARRAY[NULL,'Queued','Processing','Completed','Error'])[1 + (substr(place_id, 3)::int % 5)],
         updated_at = '2026-11-30T00:00:00Z', updated_by = 'importer'`,
    );
  }

  test(`${KILLS} kills, then runs to the end, then once more`, async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `k-${String(i).padStart(4, '0')}`);
    await arrange(killed, ids);
    await arrange(reference, ids);
    const start = await placeStates(reference);

    // The batch: one decision on every place (on its revision), a second one on half of them
    // (on the revision the first leaves), stale ones on a quarter, and a few unknown places.
    const r = seededRandom(SEED);
    const id = () => seededUuid(r);
    const statuses: PlaceStatus[] = ['New', 'Selected', 'Maybe', 'Not a Fit', 'Archived'];
    const pick = () => statuses[Math.floor(r() * statuses.length)]!;
    const batch: SyncMutation[] = [];
    const after = new Map<string, number>();
    for (const place of ids) {
      const s = start.get(place)!;
      const target = pick();
      batch.push(mutation(place, target, s.status_revision, 'ann', id()));
      after.set(place, s.status_revision + (target === s.status ? 0 : 1));
    }
    for (const place of ids.filter((_, i) => i % 2 === 0)) {
      batch.push(mutation(place, pick(), after.get(place)!, 'ann', id()));
    }
    for (const place of ids.filter((_, i) => i % 4 === 1)) {
      batch.push(mutation(place, pick(), start.get(place)!.status_revision, 'bob', id()));
    }
    for (let i = 0; i < 5; i++)
      batch.splice(
        Math.floor(r() * batch.length),
        0,
        mutation(`gone-${i}`, pick(), 0, 'ann', id()),
      );
    const batchFile = join(dir, 'batch.json');
    writeFileSync(batchFile, JSON.stringify(batch));

    const expected = await applyMutations(reference, batch, new Date(NOW));
    expect(expected.stopped).toBeNull();
    expect(new Set(expected.results.map((x) => x.outcome))).toEqual(
      new Set(['applied', 'agreed', 'conflict', 'rejected']),
    );

    const url = killedHandle.settings.DATABASE_URL!;
    /** How many mutations from the start of the batch the ledger holds (after checking it is a prefix). */
    async function recordedPrefix(): Promise<number> {
      const rows = await appliedRows(killed);
      const recorded = new Set(rows.map((row) => row.mutation_id));
      const prefix = batch.findIndex((m) => !recorded.has(m.mutation_id));
      const done = prefix === -1 ? batch.length : prefix;
      expect(recorded.size).toBe(done);
      // Every row has its final outcome: a killed mutation never leaves a half-written one.
      for (const row of rows) expect((row.result as SyncMutationResult).outcome).toBe(row.outcome);
      return done;
    }

    let midTransaction = 0;
    for (let k = 0; k < KILLS; k++) {
      const done = await recordedPrefix();
      const run = startPush(url, batchFile, join(dir, 'unused.json'));
      if (k % 2 === 0) {
        // Around a mutation: when the process announces a seeded random one.
        const at = done + Math.floor(r() * (batch.length - done) * 0.3);
        await run.reached(at);
        run.kill();
      } else {
        // Inside one: its place is held by another connection, so the push's transaction has
        // recorded the mutation id and waits for the place lock; kill it there.
        const candidates = batch.slice(done).filter((m) => !m.place_id.startsWith('gone-'));
        const target = candidates[Math.floor(r() * Math.min(candidates.length, 60))]!;
        const holder = new pg.Client({ connectionString: url });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT 1 FROM places_staging WHERE place_id = $1 FOR UPDATE', [
            target.place_id,
          ]);
          const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
            .rows[0]!.pid;
          await waitFor(
            async () => {
              const { rows } = await killed.pool.query(
                `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                   AND pid <> $1 AND wait_event_type = 'Lock' AND state = 'active'`,
                [holderPid],
              );
              return rows.length > 0;
            },
            { timeoutMs: 120_000, what: `the push to wait for ${target.place_id}` },
          );
          run.kill();
          midTransaction++;
        } finally {
          await holder.end();
        }
      }
      expect((await run.exited).signal).toBe('SIGKILL');
      expect(await recordedPrefix()).toBeGreaterThanOrEqual(done);
    }
    expect(midTransaction).toBe(KILLS / 2);

    const outFile = join(dir, 'results.json');
    const finish = startPush(url, batchFile, outFile);
    expect(await finish.exited, finish.output()).toEqual({ code: 0, signal: null });
    const results = JSON.parse(readFileSync(outFile, 'utf8')) as SyncMutationResult[];
    expect(results).toEqual(expected.results);
    expect(await appliedRows(killed)).toEqual(await appliedRows(reference));
    const state = await placeStates(killed);
    expect(state).toEqual(await placeStates(reference));

    const again = startPush(url, batchFile, outFile);
    expect(await again.exited, again.output()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(readFileSync(outFile, 'utf8'))).toEqual(expected.results);
    expect(await appliedRows(killed)).toEqual(await appliedRows(reference));
    expect(await placeStates(killed)).toEqual(state);
  }, 600_000);
});
