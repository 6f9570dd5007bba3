import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { listPlacesInput } from '../../src-shared/contract';
import { SAVED_ON_THIS_COMPUTER } from '../../src-shared/messages';
import { readMigrationScripts } from '../../src-main/db/sql-dir';
import type { SqliteStore } from '../../src-main/db/store';
import { createPlacesService, type PlacesService } from '../../src-main/places/service';
import { createSqlitePlacesRepository } from '../../src-main/places/sqlite-repository';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { insertPulledPlaces, markSent, outboxRows, revisionOf } from './outbox-support';

/** The messages of an error and of its causes, joined: the driver's text is in a cause. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const messages: string[] = [];
  for (
    let e = await promise.then(
      () => null,
      (error: unknown) => error,
    );
    e instanceof Error;
    e = e.cause
  )
    messages.push(e.message);
  return messages.join(' <- ');
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the outbox on the SQLite replica', () => {
  let handle: TestStoreHandle;
  let store: SqliteStore;
  let places: PlacesService;
  let now: Date;

  beforeEach(async () => {
    handle = await createTestStore('sqlite');
    store = (await handle.open()) as SqliteStore;
    now = new Date('2026-12-01T10:00:00.000Z');
    places = createPlacesService(
      createSqlitePlacesRepository(store.db, { outbox: true }),
      () => now,
      {
        offline: true,
      },
    );
  });
  afterEach(() => handle.dispose());

  const decide = (
    ids: string[],
    status: Parameters<PlacesService['updateStatus']>[0]['status'],
    user = 'rev-a',
  ) => places.updateStatus({ place_ids: ids, status }, user);

  test('an update writes one entry per place whose status it changes, based on the server revision, and says the counts are this computer’s', async () => {
    insertPulledPlaces(store, [
      { place_id: 'a', revision: 7 },
      { place_id: 'b', status: 'Maybe', revision: 3 },
      { place_id: 'c', revision: 0 },
    ]);
    const result = await decide(['a', 'b', 'c', 'missing'], 'Maybe');
    expect(result.updated_count).toBe(2);
    expect(result.message).toBe(`2 updated, 1 not found, ${SAVED_ON_THIS_COMPUTER}`);
    const rows = outboxRows(store);
    expect(rows).toEqual([
      expect.objectContaining({
        place_id: 'a',
        target_status: 'Maybe',
        base_revision: 7,
        base_status: 'New',
      }),
      expect.objectContaining({
        place_id: 'c',
        target_status: 'Maybe',
        base_revision: 0,
        base_status: 'New',
      }),
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        user_id: 'rev-a',
        decided_at: now.getTime(),
        state: 'pending',
        result: null,
        sent_at: null,
      });
      expect(row.mutation_id).toMatch(UUID_V7);
    }
    expect(rows[0]!.mutation_id).not.toBe(rows[1]!.mutation_id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    // The visible change is there too, with the replica's own revision count.
    expect(revisionOf(store, 'a')).toEqual({ status: 'Maybe', status_revision: 8 });
  });

  test('a failure injected by a trigger rolls back both the rows and the outbox', async () => {
    insertPulledPlaces(store, [
      { place_id: 'a', revision: 1 },
      { place_id: 'b', revision: 1 },
    ]);
    await decide(['a'], 'Maybe');
    const rowsBefore = [revisionOf(store, 'a'), revisionOf(store, 'b')];
    const outboxBefore = outboxRows(store);
    // The outbox refuses b's entry: written after the places, in the same transaction.
    store.sqlite
      .exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON sync_outbox WHEN NEW.place_id = 'b'
      BEGIN SELECT RAISE(ABORT, 'injected outbox failure'); END`);
    expect(await failure(decide(['a', 'b'], 'Archived'))).toMatch(/injected outbox failure/);
    expect([revisionOf(store, 'a'), revisionOf(store, 'b')]).toEqual(rowsBefore);
    expect(outboxRows(store)).toEqual(outboxBefore);
    store.sqlite.exec('DROP TRIGGER fail_outbox');
    // And the other way round: the places refuse, the outbox keeps nothing of the update.
    store.sqlite
      .exec(`CREATE TRIGGER fail_places AFTER UPDATE OF status ON places_staging WHEN NEW.place_id = 'b'
      BEGIN SELECT RAISE(ABORT, 'injected places failure'); END`);
    expect(await failure(decide(['a', 'b'], 'Archived'))).toMatch(/injected places failure/);
    expect([revisionOf(store, 'a'), revisionOf(store, 'b')]).toEqual(rowsBefore);
    expect(outboxRows(store)).toEqual(outboxBefore);
  });

  test('unsent decisions on one place collapse into one entry that keeps the earliest base and its mutation id', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', revision: 7 }]);
    await decide(['a'], 'Maybe');
    const [first] = outboxRows(store);
    now = new Date(now.getTime() + 60_000);
    await decide(['a'], 'Selected', 'rev-b');
    now = new Date(now.getTime() + 60_000);
    await decide(['a'], 'Archived', 'rev-c');
    // The replica's row counted three local changes; the entry is still based on the server's 7.
    expect(revisionOf(store, 'a')).toEqual({ status: 'Archived', status_revision: 10 });
    expect(outboxRows(store)).toEqual([
      {
        ...first,
        target_status: 'Archived',
        base_revision: 7,
        base_status: 'New',
        user_id: 'rev-c',
        decided_at: now.getTime(),
      },
    ]);
  });

  test('a decision that returns to the server’s status removes the never-sent entry and gives the row the server revision back', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', status: 'Maybe', revision: 4 }]);
    await decide(['a'], 'Selected');
    await decide(['a'], 'Archived');
    await decide(['a'], 'Maybe');
    expect(outboxRows(store)).toEqual([]);
    expect(revisionOf(store, 'a')).toEqual({ status: 'Maybe', status_revision: 4 });
    // The next decision is based on the server's revision, not on the local count.
    await decide(['a'], 'New');
    expect(outboxRows(store)).toEqual([
      expect.objectContaining({ target_status: 'New', base_revision: 4, base_status: 'Maybe' }),
    ]);
  });

  test('…unless the pull set aside a newer server version: the entry stays, so the push reports the disagreement', async () => {
    insertPulledPlaces(store, [
      { place_id: 'a', status: 'Maybe', revision: 4 },
      { place_id: 'b', status: 'Maybe', revision: 4 },
    ]);
    await decide(['a', 'b'], 'Selected');
    // A pull found both changed on the server while pending: a colleague's decision on a, only a
    // scan on b (same revision).
    const aside = store.sqlite.prepare(
      "INSERT INTO sync_server_places (place_id, change_xid, place) VALUES (?, '100', ?)",
    );
    aside.run('a', JSON.stringify({ place_id: 'a', status: 'Archived', status_revision: 5 }));
    aside.run('b', JSON.stringify({ place_id: 'b', status: 'Maybe', status_revision: 4 }));
    await decide(['a', 'b'], 'Maybe');
    expect(outboxRows(store)).toEqual([
      expect.objectContaining({
        place_id: 'a',
        target_status: 'Maybe',
        base_revision: 4,
        base_status: 'Maybe',
      }),
    ]);
    expect(revisionOf(store, 'b')).toEqual({ status: 'Maybe', status_revision: 4 });
  });

  test('a decision on a place whose entry is sent gets a new entry after it, on the sent entry’s base until the push rebases it', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', revision: 2 }]);
    await decide(['a'], 'Maybe');
    const [sent] = outboxRows(store);
    markSent(store, [sent!.mutation_id]);
    await decide(['a'], 'Selected');
    await decide(['a'], 'Archived');
    const rows = outboxRows(store);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ ...sent, state: 'sent', sent_at: 1 });
    expect(rows[1]).toMatchObject({
      place_id: 'a',
      target_status: 'Archived',
      base_revision: 2,
      base_status: 'Maybe',
      state: 'pending',
    });
    expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq);
    // Back to what the sent entry sets: the pending one has nothing left to say.
    await decide(['a'], 'Maybe');
    expect(outboxRows(store)).toEqual([rows[0]]);
  });

  test('scan-only changes (re-selecting a failed scan) write no entry', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', status: 'Selected', revision: 3 }]);
    store.sqlite
      .prepare(
        "UPDATE places_staging SET deep_scan_status = 'Error', deep_scan_error = 'HTTP 404' WHERE place_id = 'a'",
      )
      .run();
    const result = await decide(['a'], 'Selected');
    expect(result.queued_count).toBe(1);
    expect(outboxRows(store)).toEqual([]);
  });

  test('10,000 decisions by filter produce one entry per changed place; a second filter update collapses into them', async () => {
    const n = 10_000;
    insertPulledPlaces(
      store,
      Array.from({ length: n + 500 }, (_, i) => ({
        place_id: `p${String(i).padStart(5, '0')}`,
        status: i < n ? ('New' as const) : ('Maybe' as const),
        revision: i % 5,
      })),
    );
    const first = await places.updateStatus({ filter: {}, status: 'Maybe' }, 'rev-a');
    expect(first.updated_count).toBe(n);
    let rows = outboxRows(store);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.place_id)).size).toBe(n);
    expect(new Set(rows.map((r) => r.mutation_id)).size).toBe(n);
    expect(rows.every((r, i) => r.base_revision === i % 5 && r.base_status === 'New')).toBe(true);
    const ids = rows.map((r) => r.mutation_id);

    // Every place (10,500) to Archived: the 10,000 collapse, the 500 get new entries.
    const second = await places.updateStatus({ filter: {}, status: 'Archived' }, 'rev-a');
    expect(second.updated_count).toBe(n + 500);
    rows = outboxRows(store);
    expect(rows).toHaveLength(n + 500);
    expect(rows.slice(0, n).map((r) => r.mutation_id)).toEqual(ids);
    expect(rows.every((r) => r.target_status === 'Archived')).toBe(true);

    // Undo of the second: the 10,000 go back to Maybe, the 500 entries go away.
    await places.undoStatusUpdate(second.undo_token!, 'rev-a');
    rows = outboxRows(store);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => r.mutation_id)).toEqual(ids);
    expect(rows.every((r) => r.target_status === 'Maybe')).toBe(true);
  }, 30_000);

  test('undo of never-sent decisions leaves the outbox and the rows’ revisions as they were', async () => {
    insertPulledPlaces(store, [
      { place_id: 'a', revision: 5 },
      { place_id: 'b', status: 'Maybe', revision: 2 },
      { place_id: 'c', revision: 9 },
    ]);
    await decide(['c'], 'Not a Fit');
    const outboxBefore = outboxRows(store);
    const rowsBefore = ['a', 'b', 'c'].map((id) => revisionOf(store, id));

    // A new decision on a and b (new entries) and c (collapsed into its pending entry).
    const update = await decide(['a', 'b', 'c'], 'Selected');
    expect(outboxRows(store)).toHaveLength(3);
    const undo = await places.undoStatusUpdate(update.undo_token!, 'rev-a');
    expect(undo.restored_count).toBe(3);
    expect(outboxRows(store)).toEqual(
      outboxBefore.map((r) => ({ ...r, decided_at: now.getTime() })),
    );
    expect(['a', 'b', 'c'].map((id) => revisionOf(store, id))).toEqual(
      rowsBefore.map((r, i) => (i === 2 ? { ...r, status_revision: r.status_revision + 2 } : r)),
    );
  });

  test('undo of a decision already sent is a new decision: a new entry, honest upstream', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', status: 'Maybe', revision: 5 }]);
    const update = await decide(['a'], 'Archived');
    const [sent] = outboxRows(store);
    markSent(store, [sent!.mutation_id]);
    await places.undoStatusUpdate(update.undo_token!, 'rev-a');
    const rows = outboxRows(store);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ mutation_id: sent!.mutation_id, state: 'sent' });
    expect(rows[1]).toMatchObject({
      place_id: 'a',
      target_status: 'Maybe',
      base_revision: 5,
      base_status: 'Archived',
      state: 'pending',
    });
  });

  test('sql/sqlite/0008 run again changes nothing; the table refuses a bad status or state', async () => {
    insertPulledPlaces(store, [{ place_id: 'a', revision: 1 }]);
    await decide(['a'], 'Maybe');
    const schema = () => store.sqlite.prepare('SELECT * FROM sqlite_master ORDER BY name').all();
    const [before, rows] = [schema(), outboxRows(store)];
    const script = readMigrationScripts('sqlite').find((s) => s.version === '0008')!;
    store.sqlite.exec(script.sql);
    expect(schema()).toEqual(before);
    expect(outboxRows(store)).toEqual(rows);
    const insert = (target: string, state: string) =>
      store.sqlite
        .prepare(
          `INSERT INTO sync_outbox (mutation_id, seq, place_id, target_status, base_revision, base_status,
             user_id, decided_at, state) VALUES (?, 99, 'b', ?, 0, 'New', 'u', 0, ?)`,
        )
        .run(`m-${target}-${state}`, target, state);
    expect(() => insert('maybe', 'pending')).toThrow(/sync_outbox_target_status_check/);
    expect(() => insert('Maybe', 'done')).toThrow(/sync_outbox_state_check/);
    // At most one pending entry per place: the collapse rule, kept by the database too.
    expect(() => insert('Archived', 'pending')).not.toThrow();
    expect(() =>
      store.sqlite.prepare("UPDATE sync_outbox SET place_id = 'b' WHERE place_id = 'a'").run(),
    ).toThrow(/UNIQUE constraint failed/);
  });

  test('the standalone repository (outbox off) writes no outbox rows and its messages are as before', async () => {
    const standalone = createPlacesService(createSqlitePlacesRepository(store.db), () => now);
    insertPulledPlaces(store, [{ place_id: 'a', revision: 1 }]);
    const result = await standalone.updateStatus({ place_ids: ['a'], status: 'Maybe' }, 'rev-a');
    expect(result.message).toBe('1 updated');
    await standalone.undoStatusUpdate(result.undo_token!, 'rev-a');
    await standalone.updateStatus({ filter: {}, status: 'Archived' }, 'rev-a');
    expect(outboxRows(store)).toEqual([]);
    expect((await standalone.list(listPlacesInput.parse({}))).items[0]?.status).toBe('Archived');
  });
});
