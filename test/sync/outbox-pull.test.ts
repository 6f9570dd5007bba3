import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlacesService } from '../../src-main/places/service';
import { replicaPlaces } from '../../src-main/sync/team';
import { pullChanges } from '../../src-main/sync/pull';
import { setStatus } from '../scan/support/stores';
import { markSent, outboxRows, revisionOf } from './outbox-support';
import { createPullPair, importPlaces, replicaContents, type PullPair } from './pull-support';

const serverCopy = (pair: PullPair, placeId: string) =>
  pair.replica.sqlite
    .prepare('SELECT place FROM sync_server_places WHERE place_id = ?')
    .pluck()
    .get(placeId) as string | undefined;

describe('the outbox and the pull', () => {
  let pair: PullPair;
  let offline: PlacesService;
  beforeEach(async () => {
    pair = await createPullPair();
    offline = replicaPlaces(pair.replica);
  });
  afterEach(async () => {
    await pair.dispose();
  });

  const pull = () => pullChanges(pair.server, pair.replica);

  it('bases a decision on the pulled revision; a pull keeps a place with a pending or sent decision and sets the server version aside', async () => {
    const ids = await importPlaces(pair.server, 4);
    await setStatus(pair.server, [ids[0]!], 'Maybe');
    await pull();
    expect(revisionOf(pair.replica, ids[0]!)).toEqual({ status: 'Maybe', status_revision: 1 });

    await offline.updateStatus({ place_ids: [ids[0]!, ids[1]!], status: 'Selected' }, 'me');
    expect(
      outboxRows(pair.replica).map((r) => [r.place_id, r.base_revision, r.base_status]),
    ).toEqual([
      [ids[0], 1, 'Maybe'],
      [ids[1], 0, 'New'],
    ]);
    markSent(pair.replica, [outboxRows(pair.replica)[1]!.mutation_id]);
    const local = replicaContents(pair.replica).places;

    // A colleague decides all four on the server; the pull brings the two without a decision.
    await setStatus(pair.server, ids, 'Archived');
    await pull();
    const rows = replicaContents(pair.replica).places;
    expect(rows.find((p) => p.place_id === ids[0])).toEqual(
      local.find((p) => p.place_id === ids[0]),
    );
    expect(rows.find((p) => p.place_id === ids[1])).toEqual(
      local.find((p) => p.place_id === ids[1]),
    );
    expect(rows.filter((p) => p.status === 'Archived').map((p) => p.place_id)).toEqual([
      ids[2],
      ids[3],
    ]);
    expect(JSON.parse(serverCopy(pair, ids[0]!)!)).toMatchObject({
      status: 'Archived',
      status_revision: 2,
      updated_by: 'tester',
    });
    expect(JSON.parse(serverCopy(pair, ids[1]!)!)).toMatchObject({ status: 'Archived' });

    // The hook reads the outbox as it is: answered entries no longer hold the place.
    pair.replica.sqlite.prepare("UPDATE sync_outbox SET state = 'synced'").run();
    await pair.server.pool.query("UPDATE places_staging SET notes = 'n' WHERE place_id = ANY($1)", [
      [ids[0], ids[1]],
    ]);
    await pull();
    expect(revisionOf(pair.replica, ids[0]!)).toEqual({ status: 'Archived', status_revision: 2 });
    expect(revisionOf(pair.replica, ids[1]!)).toEqual({ status: 'Archived', status_revision: 1 });
    expect(serverCopy(pair, ids[0]!)).toBeUndefined();
  });

  it('a decision that cancelled itself holds nothing back', async () => {
    const ids = await importPlaces(pair.server, 1);
    await pull();
    await offline.updateStatus({ place_ids: ids, status: 'Maybe' }, 'me');
    await offline.updateStatus({ place_ids: ids, status: 'New' }, 'me');
    expect(outboxRows(pair.replica)).toEqual([]);
    await setStatus(pair.server, ids, 'Not a Fit');
    await pull();
    expect(revisionOf(pair.replica, ids[0]!)).toEqual({ status: 'Not a Fit', status_revision: 1 });
  });
});
