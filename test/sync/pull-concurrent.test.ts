import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { pullChanges } from '../../src-main/sync/pull';
import { defaultPlace } from '../support/fake-places-api';
import { queuePlaces } from '../scan/support/stores';
import {
  createPullPair,
  importPlaces,
  replicaContents,
  serverContents,
  type PullPair,
} from './pull-support';

/**
 * Issue 8: "Several writers committing out of order while a client pulls every 100 ms: no change
 * missed." Writers touch disjoint places with their own `notes`, so after every pull the test
 * knows what the replica must already show: every write whose COMMIT returned before that pull
 * started. One transaction writes first and commits last (after several pulls); another commits
 * between others; the scheduler claims and completes scans through its queue; an import by SQL
 * adds places. At the end the replica equals PostgreSQL.
 */

let pair: PullPair;
beforeEach(async () => {
  pair = await createPullPair();
});
afterEach(async () => {
  await pair.dispose();
});

interface Commit {
  placeIds: string[];
  notes: string;
  /** `clock` when its COMMIT returned. */
  at: number;
}

it('several writers committing out of order while a client pulls every 100 ms: no change missed, every cursor safe', async () => {
  const groups = 12;
  const ids = await importPlaces(pair.server, groups * 10);
  const group = (g: number) => ids.slice(g * 10, g * 10 + 10);
  await queuePlaces(pair.server, 40);
  await pullChanges(pair.server, pair.replica, { pageSize: 50 });

  let clock = 0;
  const commits: Commit[] = [];
  const events = new EventEmitter();
  let pullsDone = 0;
  let longXid: bigint | null = null;
  let longCommitted = false;
  let stop = false;
  let shortDone = false;
  const failures: string[] = [];
  const waitFor = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!condition()) return;
        events.off('tick', check);
        resolve();
      };
      events.on('tick', check);
      check();
    });
  const tick = () => events.emit('tick');

  /** A transaction setting `notes` on some places, committed when `beforeCommit` resolves. */
  async function write(
    placeIds: string[],
    notes: string,
    beforeCommit?: (xid: bigint) => Promise<void>,
  ) {
    const client = await pair.server.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE places_staging SET notes = $1 WHERE place_id = ANY($2)', [
        notes,
        placeIds,
      ]);
      const { rows } = await client.query<{ xid: string }>(
        'SELECT pg_current_xact_id()::text AS xid',
      );
      await beforeCommit?.(BigInt(rows[0]!.xid));
      await client.query('COMMIT');
      commits.push({ placeIds, notes, at: ++clock });
      tick();
    } finally {
      client.release();
    }
  }

  const puller = (async () => {
    while (!stop) {
      const startedAt = ++clock;
      const longRunning = !longCommitted ? longXid : null;
      const result = await pullChanges(pair.server, pair.replica, { pageSize: 25 });
      // Safe cursor: never past a transaction that was still running when the pull began.
      if (longRunning !== null && BigInt(result.cursor) > longRunning) {
        failures.push(`cursor ${result.cursor} passed the running transaction ${longRunning}`);
      }
      // Nothing committed before the pull began is missing.
      const notes = new Map(replicaContents(pair.replica).places.map((p) => [p.place_id, p.notes]));
      for (const c of commits.filter((c) => c.at < startedAt)) {
        for (const id of c.placeIds) {
          if (notes.get(id) !== c.notes) {
            failures.push(`pull ${pullsDone + 1}: ${id} shows ${notes.get(id)}, not ${c.notes}`);
          }
        }
      }
      pullsDone++;
      tick();
      if (!stop) await new Promise((resolve) => setTimeout(resolve, 100)); // the 100 ms cadence
    }
  })();

  // Writes first, commits last: after the others and after two more pulls.
  const long = write(group(0), 'long', async (xid) => {
    longXid = xid;
    await waitFor(() => shortDone);
    const after = pullsDone;
    await waitFor(() => pullsDone >= after + 2);
  }).then(() => {
    longCommitted = true;
  });
  await waitFor(() => longXid !== null);

  const short = (async () => {
    // Starts before the next ones and commits after them.
    const middle = write(group(1), 'middle', async () => {
      await waitFor(() => commits.some((c) => c.notes === 'quick-3'));
    });
    const quick = (async () => {
      for (let g = 2; g < groups; g++) {
        await write(group(g), `quick-${g}`);
        if (g % 3 === 0) {
          const after = pullsDone;
          await waitFor(() => pullsDone > after); // let a pull run in between
        }
      }
    })();
    const scans = (async () => {
      const queue = scanQueueFor(pair.server);
      try {
        for (let round = 0; round < 4; round++) {
          const claimed = await queue.claim({
            workerId: 'w',
            token: randomUUID(),
            limit: 5,
            leaseMs: 60_000,
            ratePerSecond: 100_000,
          });
          for (const claim of claimed.places) {
            const fields = mapPlaceToLocalBusiness(
              claim.placeId,
              placeDetailsSchema.parse(defaultPlace(claim.placeId)),
            );
            await queue.complete(claim, fields);
          }
          const after = pullsDone;
          await waitFor(() => pullsDone > after);
        }
      } finally {
        await queue.close();
      }
    })();
    const imported = (async () => {
      const newIds = await importPlaces(pair.server, 30, { from: 5000 });
      commits.push({ placeIds: newIds, notes: null as unknown as string, at: ++clock });
      tick();
    })();
    await Promise.all([middle, quick, scans, imported]);
    shortDone = true;
    tick();
  })();

  await Promise.all([short, long]);
  // One whole pull that began after the last commit.
  const last = pullsDone;
  await waitFor(() => pullsDone >= last + 2);
  stop = true;
  await puller;

  expect(failures).toEqual([]);
  expect(pullsDone).toBeGreaterThanOrEqual(8);
  const server = await serverContents(pair.server);
  const replica = replicaContents(pair.replica);
  expect(replica.businesses).toEqual(server.businesses);
  expect(replica.businesses.length).toBeGreaterThan(0);
  expect(replica.places).toEqual(server.places);
}, 120_000);
