import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import type { PgStore } from '../../src-main/db/store';
import {
  createPlacesService,
  placesRepositoryFor,
  type PlacesService,
} from '../../src-main/places/service';
import { readPlaces } from '../support/places';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/**
 * PostgreSQL restarts, or an operator ends a session, while a reviewer's update holds a pooled
 * connection in the middle of its transaction. The request fails and changes nothing; the
 * process lives on (an 'error' event on a checked-out client must never go unheard) and the
 * next request works on a fresh connection.
 */
describe('a connection lost in the middle of a status update on PostgreSQL', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  let places: PlacesService;
  let other: pg.Client;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
    places = createPlacesService(placesRepositoryFor(store));
    other = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await handle.dispose();
  });

  test('the request fails, nothing changes, the process lives and the next request works', async () => {
    await places.insertPlaces([{ place_id: 'lost-1', name: 'Lost One' }]);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM places_staging WHERE place_id = 'lost-1' FOR UPDATE`);
      const update = places.updateStatus({ place_ids: ['lost-1'], status: 'Maybe' }, 'rev-a');
      // The update's session is waiting for the row: end that session from outside.
      let pid: number | undefined;
      for (let i = 0; i < 1500 && pid === undefined; i++) {
        // Inside a transaction pg_stat_activity is a snapshot taken at its first read: clear it,
        // or an update that starts waiting after the first look is never seen.
        await other.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await other.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(pid).toBeDefined();
      await other.query('SELECT pg_terminate_backend($1)', [pid]);
      await expect(update).rejects.toThrow();
      await other.query('ROLLBACK');
      // Let any stray 'error' event surface before judging.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect((await readPlaces(store, ['lost-1'])).get('lost-1')!.status).toBe('New');
    const again = await places.updateStatus({ place_ids: ['lost-1'], status: 'Maybe' }, 'rev-a');
    expect(again.updated_count).toBe(1);
  });
});
