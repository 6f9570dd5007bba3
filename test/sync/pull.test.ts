import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import type { ClaimRequest } from '../../src-main/scan/queue';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { pullChanges, type PullProgress } from '../../src-main/sync/pull';
import { defaultPlace } from '../support/fake-places-api';
import { queuePlaces, setStatus } from '../scan/support/stores';
import {
  createPullPair,
  importPlaces,
  pullState,
  replicaContents,
  serverContents,
  type PullPair,
} from './pull-support';

const claimRequest = (limit: number): ClaimRequest => ({
  workerId: 'worker-pull-test',
  token: randomUUID(),
  limit,
  leaseMs: 60_000,
  ratePerSecond: 100_000,
});
const fieldsFor = (placeId: string) =>
  mapPlaceToLocalBusiness(placeId, placeDetailsSchema.parse(defaultPlace(placeId)));

/** Claims up to `limit` queued places through the scheduler's queue and completes them. */
async function scanSome(pair: PullPair, limit: number): Promise<string[]> {
  const queue = scanQueueFor(pair.server);
  try {
    const { places } = await queue.claim(claimRequest(limit));
    for (const claim of places)
      expect(await queue.complete(claim, fieldsFor(claim.placeId))).toBe(true);
    return places.map((p) => p.placeId);
  } finally {
    await queue.close();
  }
}

async function expectReplicaEqualsServer(pair: PullPair) {
  const server = await serverContents(pair.server);
  const replica = replicaContents(pair.replica);
  expect(replica.places.length).toBe(server.places.length);
  expect(replica.businesses).toEqual(server.businesses);
  expect(replica.places).toEqual(server.places);
}

describe('pulling PostgreSQL changes into a SQLite replica', () => {
  let pair: PullPair;
  beforeEach(async () => {
    pair = await createPullPair();
  });
  afterEach(async () => {
    await pair.dispose();
  });

  it('pulls imports by plain SQL, reviewer updates, scheduler completions (with local_businesses) and deletions', async () => {
    await importPlaces(pair.server, 120);
    const queued = await queuePlaces(pair.server, 30); // the places service: insert, then Selected
    const progress: PullProgress[] = [];
    const first = await pullChanges(pair.server, pair.replica, {
      pageSize: 40,
      onProgress: (p) => progress.push(p),
    });
    expect(first.applied).toBe(150);
    expect(first.pages).toBe(4);
    expect(progress.at(-1)).toEqual({ done: 150, total: 150 });
    expect(progress.map((p) => p.done)).toEqual([40, 80, 120, 150]);
    await expectReplicaEqualsServer(pair);
    expect(pullState(pair.replica)).toMatchObject({ pass_target: null, pass_after_xid: null });
    expect(pullState(pair.replica)!.last_pulled_at).toBeGreaterThan(0);

    // The scheduler claims and completes scans: Processing, then Completed with a business row.
    const scanned = await scanSome(pair, 12);
    expect(scanned).toHaveLength(12);
    await pullChanges(pair.server, pair.replica, { pageSize: 5 });
    await expectReplicaEqualsServer(pair);
    expect(replicaContents(pair.replica).businesses).toHaveLength(12);

    // A reviewer's update, a business changed by hand, a place deleted (its business with it),
    // an import by SQL.
    await setStatus(pair.server, queued.slice(20, 25), 'Maybe');
    await pair.server.pool.query(
      "UPDATE local_businesses SET phone = '+1 512-555-0199' WHERE place_id = $1",
      [scanned[0]],
    );
    await pair.server.pool.query('DELETE FROM places_staging WHERE place_id = $1', [scanned[1]]);
    await importPlaces(pair.server, 7, { from: 1000 });
    const second = await pullChanges(pair.server, pair.replica, { pageSize: 1000 });
    expect(second.applied).toBeGreaterThanOrEqual(5 + 1 + 1 + 7);
    await expectReplicaEqualsServer(pair);
    expect(replicaContents(pair.replica).businesses).toHaveLength(11);

    // Nothing new: a pull reads at most what was in flight, and changes nothing.
    const before = replicaContents(pair.replica);
    await pullChanges(pair.server, pair.replica);
    expect(replicaContents(pair.replica)).toEqual(before);
  });

  it('applies a page and the cursor together: a row failing mid-page leaves both as before, and a rerun completes', async () => {
    await importPlaces(pair.server, 30);
    await pullChanges(pair.server, pair.replica, { pageSize: 10 });
    await importPlaces(pair.server, 30, { from: 100 });
    await pair.server.pool.query(
      "UPDATE places_staging SET notes = 'changed' WHERE place_id IN ('ChIJpull00000003', 'ChIJpull00000004')",
    );
    // One row of the next page fails in the replica (as a full disk or a bug would).
    pair.replica.sqlite.exec(`CREATE TRIGGER pull_test_boom BEFORE INSERT ON places_staging
      WHEN NEW.place_id = 'ChIJpull00000115' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const rowsBefore = replicaContents(pair.replica);
    const stateBefore = pullState(pair.replica);

    await expect(pullChanges(pair.server, pair.replica, { pageSize: 100 })).rejects.toThrow(
      /injected failure/,
    );
    expect(pullState(pair.replica)).toEqual(stateBefore);
    expect(replicaContents(pair.replica)).toEqual(rowsBefore);

    // With pages of 8 the failure comes on the third page: the first two stay, with their position.
    await expect(pullChanges(pair.server, pair.replica, { pageSize: 8 })).rejects.toThrow(
      /injected failure/,
    );
    const mid = pullState(pair.replica)!;
    expect(mid.cursor).toBe(stateBefore!.cursor);
    expect(mid.pass_after_place_id).not.toBeNull();
    const applied = replicaContents(pair.replica).places.filter(
      (p) => Number(String(p.place_id).slice(-3)) >= 100,
    );
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.map((p) => p.place_id)).not.toContain('ChIJpull00000115');

    pair.replica.sqlite.exec('DROP TRIGGER pull_test_boom');
    await pullChanges(pair.server, pair.replica, { pageSize: 8 });
    await expectReplicaEqualsServer(pair);
  });

  it('a transaction that wrote before the pull read and commits while it runs is read by the next pull', async () => {
    const ids = await importPlaces(pair.server, 20);
    await pullChanges(pair.server, pair.replica);
    const slow = await pair.server.pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query("UPDATE places_staging SET notes = 'slow writer' WHERE place_id = ANY($1)", [
        ids.slice(0, 5),
      ]);
      const { rows } = await slow.query<{ xid: string }>(
        'SELECT pg_current_xact_id()::text AS xid',
      );
      const slowXid = BigInt(rows[0]!.xid);
      // Others commit meanwhile (later ids, earlier commits).
      await pair.server.pool.query(
        "UPDATE places_staging SET notes = 'quick' WHERE place_id = $1",
        [ids[10]],
      );
      // The slow writer commits after the pull read its page, before the pull stores its cursor.
      const result = await pullChanges(pair.server, pair.replica, {
        afterRead: async ({ first }) => {
          if (first) await slow.query('COMMIT');
        },
      });
      expect(BigInt(result.cursor)).toBeLessThanOrEqual(slowXid);
      const notes = () =>
        new Map(replicaContents(pair.replica).places.map((p) => [p.place_id, p.notes]));
      expect(notes().get(ids[10]!)).toBe('quick');
      await pullChanges(pair.server, pair.replica);
      for (const id of ids.slice(0, 5)) expect(notes().get(id)).toBe('slow writer');
      await expectReplicaEqualsServer(pair);
    } finally {
      await slow.query('ROLLBACK').catch(() => {});
      slow.release();
    }
  });

  it('pulls only the chosen search locations; a place leaving them leaves the replica', async () => {
    await importPlaces(pair.server, 20, { location: 'Austin, TX' });
    await importPlaces(pair.server, 20, { from: 100, location: 'Denver, CO' });
    const austin = ['Austin, TX'];
    await pullChanges(pair.server, pair.replica, { locations: austin, pageSize: 7 });
    const inAustin = async () => {
      const all = await serverContents(pair.server);
      return all.places.filter((p) => p.search_location === 'Austin, TX');
    };
    expect(replicaContents(pair.replica).places).toEqual(await inAustin());

    await pair.server.pool.query(
      "UPDATE places_staging SET notes = 'x' WHERE place_id IN ('ChIJpull00000100', 'ChIJpull00000001')",
    );
    await pair.server.pool.query(
      "UPDATE places_staging SET search_location = 'Denver, CO' WHERE place_id = 'ChIJpull00000002'",
    );
    await pullChanges(pair.server, pair.replica, { locations: austin });
    expect(replicaContents(pair.replica).places).toEqual(await inAustin());
    expect(replicaContents(pair.replica).places).toHaveLength(19);

    // A wider list starts over and brings the rest; a narrower one drops what is outside it.
    await pullChanges(pair.server, pair.replica, { locations: ['Denver, CO', 'Austin, TX'] });
    await expectReplicaEqualsServer(pair);
    await pullChanges(pair.server, pair.replica, { locations: ['Denver, CO'] });
    const denver = (await serverContents(pair.server)).places.filter(
      (p) => p.search_location === 'Denver, CO',
    );
    expect(replicaContents(pair.replica).places).toEqual(denver);
    await pullChanges(pair.server, pair.replica);
    await expectReplicaEqualsServer(pair);
  });

  it('keeps the server version of a place with a pending local decision aside, without touching the local row', async () => {
    const ids = await importPlaces(pair.server, 5);
    await pullChanges(pair.server, pair.replica);
    // An offline decision on the replica (the outbox, later, records it with the change).
    pair.replica.sqlite
      .prepare("UPDATE places_staging SET status = 'Maybe', updated_by = 'me' WHERE place_id = ?")
      .run(ids[0]);
    const local = replicaContents(pair.replica).places.find((p) => p.place_id === ids[0]);
    await setStatus(pair.server, [ids[0]!, ids[1]!], 'Archived');
    const pending = new Set([ids[0]!]);
    await pullChanges(pair.server, pair.replica, {
      pendingDecisions: (placeIds) => new Set(placeIds.filter((id) => pending.has(id))),
    });
    const rows = replicaContents(pair.replica).places;
    expect(rows.find((p) => p.place_id === ids[0])).toEqual(local);
    expect(rows.find((p) => p.place_id === ids[1])?.status).toBe('Archived');
    const copy = pair.replica.sqlite
      .prepare('SELECT place FROM sync_server_places WHERE place_id = ?')
      .pluck()
      .get(ids[0]) as string;
    expect(JSON.parse(copy)).toMatchObject({
      place_id: ids[0],
      status: 'Archived',
      updated_by: 'tester',
    });

    // Once the decision is no longer pending, the next change brings the server's row.
    pending.clear();
    await pair.server.pool.query("UPDATE places_staging SET notes = 'n' WHERE place_id = $1", [
      ids[0],
    ]);
    await pullChanges(pair.server, pair.replica, {
      pendingDecisions: (placeIds) => new Set(placeIds.filter((id) => pending.has(id))),
    });
    await expectReplicaEqualsServer(pair);
    expect(
      pair.replica.sqlite.prepare('SELECT count(*) FROM sync_server_places').pluck().get(),
    ).toBe(0);
  });

  it('refuses to interleave with another pull on the same replica (which would put back an older row)', async () => {
    const ids = await importPlaces(pair.server, 10);
    let inner: Promise<unknown> | undefined;
    const outer = pullChanges(pair.server, pair.replica, {
      pageSize: 4,
      afterRead: async ({ first }) => {
        if (!first || inner) return;
        // After the outer pull read its first page: the place changes, and a second pull on the
        // same replica brings the change in full before the outer one applies its older copy.
        await pair.server.pool.query(
          "UPDATE places_staging SET notes = 'newer' WHERE place_id = $1",
          [ids[0]],
        );
        inner = pullChanges(pair.server, pair.replica, { pageSize: 100 });
        await inner;
      },
    });
    const outcome = await outer.then(
      () => null,
      (error: Error) => error,
    );
    // What the second pull returned with still holds: the newer row was not overwritten.
    await expectReplicaEqualsServer(pair);
    expect(outcome?.message).toMatch(/Another pull/);
  });
});
