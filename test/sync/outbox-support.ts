import type { PlaceStatus } from '../../src-shared/domain';
import type { SqliteStore } from '../../src-main/db/store';

export interface OutboxRow {
  mutation_id: string;
  seq: number;
  place_id: string;
  target_status: PlaceStatus;
  base_revision: number;
  base_status: PlaceStatus;
  user_id: string;
  decided_at: number;
  state: string;
  result: string | null;
  sent_at: number | null;
}

/** The outbox as stored, in its order. */
export function outboxRows(store: SqliteStore): OutboxRow[] {
  return store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq').all() as OutboxRow[];
}

/** A place's replica row: status and status_revision. */
export function revisionOf(
  store: SqliteStore,
  placeId: string,
): { status: PlaceStatus; status_revision: number } {
  return store.sqlite
    .prepare('SELECT status, status_revision FROM places_staging WHERE place_id = ?')
    .get(placeId) as { status: PlaceStatus; status_revision: number };
}

/**
 * Places as a pull leaves them: with the server's status and status_revision (written in a
 * second UPDATE, as pull.ts does, so the replica's trigger does not count it).
 */
export function insertPulledPlaces(
  store: SqliteStore,
  places: { place_id: string; status?: PlaceStatus; revision: number }[],
): void {
  const insert = store.sqlite.prepare(
    'INSERT INTO places_staging (place_id, name, status) VALUES (?, ?, ?)',
  );
  const revise = store.sqlite.prepare(
    'UPDATE places_staging SET status_revision = ? WHERE place_id = ?',
  );
  store.sqlite.transaction(() => {
    for (const p of places) {
      insert.run(p.place_id, `Place ${p.place_id}`, p.status ?? 'New');
      revise.run(p.revision, p.place_id);
    }
  })();
}

/** What a push client does when it hands entries to a push attempt. */
export function markSent(store: SqliteStore, mutationIds: string[]): void {
  store.sqlite
    .prepare(
      `UPDATE sync_outbox SET state = 'sent', sent_at = 1 WHERE mutation_id IN (SELECT value FROM json_each(?))`,
    )
    .run(JSON.stringify(mutationIds));
}
