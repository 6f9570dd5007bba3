import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlacesService } from '../../src-main/places/service';
import { replicaPlaces } from '../../src-main/sync/team';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { pullChanges } from '../../src-main/sync/pull';
import { pushOutbox } from '../../src-main/sync/push';
import { setStatus } from '../scan/support/stores';
import { outboxRows, revisionOf } from './outbox-support';
import { createPullPair, importPlaces, type PullPair } from './pull-support';
import { appliedRows, placeStates } from './support';

describe('pushOutbox: the outbox to PostgreSQL', () => {
  let pair: PullPair;
  let offline: PlacesService;
  const clockAt = (iso: string) => () => new Date(iso);
  beforeEach(async () => {
    pair = await createPullPair();
    offline = replicaPlaces(pair.replica);
  });
  afterEach(async () => {
    await pair.dispose();
  });

  const pull = () => pullChanges(pair.server, pair.replica);
  const push = (options: Parameters<typeof pushOutbox>[2] = {}) =>
    pushOutbox(pair.server, pair.replica, options);
  const states = () => outboxRows(pair.replica).map((r) => [r.place_id, r.target_status, r.state]);

  it('applies each decision once, in order, and the replica takes the server state and revision', async () => {
    const ids = await importPlaces(pair.server, 3);
    await pull();
    await offline.updateStatus({ place_ids: [ids[0]!, ids[1]!], status: 'Maybe' }, 'me');
    await offline.updateStatus({ place_ids: [ids[2]!], status: 'Selected' }, 'me');

    const first = await push({ batchSize: 2 });
    expect(first).toMatchObject({ pushed: 3, applied: 3, conflicts: 0, batches: 2, stopped: null });
    const server = await placeStates(pair.server);
    expect(ids.map((id) => server.get(id)!.status)).toEqual(['Maybe', 'Maybe', 'Selected']);
    expect(server.get(ids[2]!)!.deep_scan_status).toBe('Queued');
    expect(ids.map((id) => server.get(id)!.updated_by)).toEqual(['me', 'me', 'me']);
    expect(states()).toEqual([
      [ids[0], 'Maybe', 'synced'],
      [ids[1], 'Maybe', 'synced'],
      [ids[2], 'Selected', 'synced'],
    ]);
    // The replica row carries the server's revision again (the next decision is based on it).
    for (const id of ids) {
      expect(revisionOf(pair.replica, id)).toEqual({
        status: server.get(id)!.status,
        status_revision: server.get(id)!.status_revision,
      });
    }
    const scan = pair.replica.sqlite
      .prepare('SELECT deep_scan_status FROM places_staging WHERE place_id = ?')
      .pluck()
      .get(ids[2]!);
    expect(scan).toBe('Queued');

    expect(await push()).toMatchObject({ pushed: 0, batches: 0 });
    expect(await appliedRows(pair.server)).toHaveLength(3);
  });

  it('an offline decision undone before it was pushed leaves no trace upstream', async () => {
    const ids = await importPlaces(pair.server, 2);
    await pull();
    const before = await placeStates(pair.server);
    const update = await offline.updateStatus({ place_ids: ids, status: 'Selected' }, 'me');
    await offline.undoStatusUpdate(update.undo_token!, 'me');
    expect(outboxRows(pair.replica)).toEqual([]);
    expect(await push()).toMatchObject({ pushed: 0, batches: 0 });
    expect(await appliedRows(pair.server)).toEqual([]);
    expect(await placeStates(pair.server)).toEqual(before);
  });

  it('a decision on a place a colleague changed since the pull is a conflict: nothing written, the replica shows theirs, the entry keeps mine', async () => {
    const ids = await importPlaces(pair.server, 2);
    await pull();
    await offline.updateStatus({ place_ids: ids, status: 'Selected' }, 'me');
    await setStatus(pair.server, [ids[0]!], 'Not a Fit'); // by 'tester'
    const before = (await placeStates(pair.server)).get(ids[0]!)!;

    expect(await push()).toMatchObject({ pushed: 2, applied: 1, conflicts: 1 });
    const after = (await placeStates(pair.server)).get(ids[0]!)!;
    expect(after).toEqual(before);
    const entry = outboxRows(pair.replica)[0]!;
    expect(entry).toMatchObject({ place_id: ids[0], target_status: 'Selected', state: 'conflict' });
    expect(JSON.parse(entry.result!).theirs).toMatchObject({
      status: 'Not a Fit',
      updated_by: 'tester',
    });
    expect(revisionOf(pair.replica, ids[0]!)).toEqual({
      status: 'Not a Fit',
      status_revision: after.status_revision,
    });
  });

  it('a decision made while an earlier one of the place was in flight waits for its answer and is rebased on it (no conflict with itself)', async () => {
    const ids = await importPlaces(pair.server, 1);
    await pull();
    await offline.updateStatus({ place_ids: ids, status: 'Maybe' }, 'me');
    let sentOnce = false;
    const result = await push({
      afterMark: async () => {
        if (sentOnce) return;
        sentOnce = true;
        // While the first is on its way, the reviewer decides again.
        await offline.updateStatus({ place_ids: ids, status: 'Archived' }, 'me');
        expect(states()).toEqual([
          [ids[0], 'Maybe', 'sent'],
          [ids[0], 'Archived', 'pending'],
        ]);
      },
    });
    expect(result).toMatchObject({ pushed: 2, applied: 2, conflicts: 0, batches: 2 });
    const server = (await placeStates(pair.server)).get(ids[0]!)!;
    expect(server).toMatchObject({ status: 'Archived', status_revision: 2 });
    expect(revisionOf(pair.replica, ids[0]!)).toEqual({ status: 'Archived', status_revision: 2 });
  });

  it('the same batch answered five times with the answers lost after commit: one application, identical results', async () => {
    const ids = await importPlaces(pair.server, 40);
    await pull();
    await setStatus(pair.server, ids.slice(0, 5), 'Archived'); // conflicts for the first five
    await offline.updateStatus({ place_ids: ids, status: 'Selected' }, 'me');
    const sent: string[][] = [];
    let losses = 5;
    const lossy = async (batch: Parameters<typeof applyMutations>[1]) => {
      sent.push(batch.map((m) => (m as { mutation_id: string }).mutation_id));
      const report = await applyMutations(pair.server, batch, new Date());
      if (losses-- > 0) throw Object.assign(new Error('Connection terminated'), {});
      return report;
    };
    for (let i = 0; i < 5; i++) {
      const r = await push({ apply: lossy });
      expect(r.stopped).toMatchObject({ temporary: true });
      expect(outboxRows(pair.replica).every((e) => e.state === 'sent')).toBe(true);
    }
    const serverAfterLosses = await placeStates(pair.server);
    const final = await push({ apply: lossy });
    expect(final).toMatchObject({ pushed: 40, applied: 35, conflicts: 5, stopped: null });
    // Every attempt sent the very same ids; the server applied them once.
    expect(new Set(sent.map((s) => s.join()))).toHaveLength(1);
    expect(await placeStates(pair.server)).toEqual(serverAfterLosses);
    const applied = await appliedRows(pair.server);
    expect(applied).toHaveLength(40);
    expect(applied.filter((a) => a.outcome === 'conflict')).toHaveLength(5);
  });

  it('an offline Selected never moves a Processing or Completed scan back to Queued', async () => {
    const ids = await importPlaces(pair.server, 2);
    await setStatus(pair.server, ids, 'Selected');
    await pair.server.pool.query(
      `UPDATE places_staging SET deep_scan_status = CASE WHEN place_id = $1 THEN 'Processing' ELSE 'Completed' END
       WHERE place_id = ANY($2)`,
      [ids[0], ids],
    );
    await pull();
    // Offline: Maybe, then Selected again on the same (pulled) base: one collapsed decision.
    await offline.updateStatus({ place_ids: ids, status: 'Maybe' }, 'me');
    await push();
    await offline.updateStatus({ place_ids: ids, status: 'Selected' }, 'me');
    await push();
    const server = await placeStates(pair.server);
    expect(ids.map((id) => server.get(id)!.status)).toEqual(['Selected', 'Selected']);
    expect(ids.map((id) => server.get(id)!.deep_scan_status)).toEqual(['Processing', 'Completed']);
  });

  it('client clock 24 hours ahead or behind: identical outcomes, the server stamps its own time', async () => {
    const outcomes: unknown[] = [];
    for (const skew of [-24, 0, 24]) {
      await pair.dispose();
      pair = await createPullPair();
      const at = new Date(Date.now() + skew * 3600_000).toISOString();
      offline = replicaPlaces(pair.replica, clockAt(at));
      const ids = await importPlaces(pair.server, 6);
      await pull();
      await setStatus(pair.server, ids.slice(0, 2), 'Archived');
      await offline.updateStatus({ place_ids: ids.slice(0, 4), status: 'Selected' }, 'me');
      await offline.updateStatus({ place_ids: [ids[1]!], status: 'Archived' }, 'me');
      const started = Date.now();
      const r = await push({ clock: clockAt(at) });
      const server = await placeStates(pair.server);
      for (const id of ids.slice(2, 4)) {
        // Written with the database's time, not the skewed client's (a minute of slack for a
        // loaded machine; the skew is a day).
        expect(Math.abs(server.get(id)!.updated_at.getTime() - started)).toBeLessThan(60_000);
      }
      outcomes.push({
        r,
        states: outboxRows(pair.replica).map((e) => [e.target_status, e.state]),
        server: [...server.values()].map((p) => [p.status, p.status_revision, p.deep_scan_status]),
      });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[2]).toEqual(outcomes[1]);
  });
});
